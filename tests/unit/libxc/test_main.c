/*
 * test_main.c - runs every libxc unit test and prints one PASS:/FAIL:
 * (or SKIP:) line per case; exits non-zero if any failed.
 */
#include <stdio.h>
#include <string.h>

#include "test.h"

char test_why[256];

static int run_table(const char *group, const struct test_case *t)
{
    int failed = 0;
    const char *why;

    for (; t->name; t++) {
        why = t->fn();
        if (!why)
            printf("PASS: libxc/%s/%s\n", group, t->name);
        else if (strcmp(why, "SKIP") == 0)
            printf("SKIP: libxc/%s/%s\n", group, t->name);
        else {
            printf("FAIL: libxc/%s/%s: %s\n", group, t->name, why);
            failed++;
        }
        fflush(stdout);
    }
    return failed;
}

int main(void)
{
    int failed = 0;

    failed += run_table("dom0_op", dom0_op_tests);
    failed += run_table("hypervisor", hypervisor_tests);
    failed += run_table("memory", memory_tests);
    failed += run_table("devices", device_tests);
    return failed ? 1 : 0;
}
