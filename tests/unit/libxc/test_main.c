/*
 * test_main.c - runs every libxc unit test, each in its own child, and
 * prints one PASS:/FAIL:/SKIP: line per case; exits non-zero if any failed.
 */
#include "test.h"

int main(int argc, char **argv)
{
    static const struct test_group groups[] = {
        { "dom0_op", dom0_op_tests }, { "hypervisor", hypervisor_tests },
        { "memory", memory_tests }, { "devices", device_tests },
        { "savefile", savefile_tests },
        { "identity", identity_tests },
        { NULL, NULL },
    };
    static const struct test_suite suite = {
        .name = "libxc", .groups = groups, .timeout_s = 30,
    };

    return run_suite(&suite, argc, argv);
}
