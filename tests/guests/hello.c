/*
 * hello: the smallest test kernel.  It needs only console_io, xen_version
 * and sched_op(shutdown) from the hypervisor: no shared_info mapping, no
 * trap table, no events.  If this one fails, start looking at the domain
 * builder and the SYSCALL hypercall path.
 */
#include "guest.h"

void test_main(void)
{
    static const char greeting[] = "hello from the test kernel\n";
    long rc, version;

    /* The very first hypercall: write one raw line. */
    rc = hv_console_write(greeting, sizeof(greeting) - 1);
    CHECK(rc >= 0, "console_io write returns >= 0");

    version = hv_xen_version(XENVER_version, NULL);
    if (version > 0)
        test_pass("xen_version(XENVER_version) returns major<<16|minor");
    else
        test_fail("xen_version(XENVER_version) returns major<<16|minor",
                  "returned %ld", version);
    printf("hypervisor version %ld.%ld\n", version >> 16, version & 0xffff);

    /* Registers the ABI says survive a hypercall must survive it. */
    {
        uint64_t rbx, r12, r15;
        asm volatile("mov $0x1111, %%rbx\n\tmov $0x2222, %%r12\n\t"
                     "mov $0x3333, %%r15\n\t"
                     "push %%rcx\n\tpush %%r11\n\tsyscall\n\tpop %%r11\n\tpop %%rcx\n\t"
                     "mov %%rbx, %0\n\tmov %%r12, %1\n\tmov %%r15, %2"
                     : "=r"(rbx), "=r"(r12), "=r"(r15)
                     : "a"((uint64_t)__HYPERVISOR_xen_version), "D"(0UL), "S"(0UL)
                     : "rbx", "r12", "r15", "rdx", "r10", "r8", "memory", "cc");
        CHECK(rbx == 0x1111 && r12 == 0x2222 && r15 == 0x3333,
              "rbx/r12/r15 preserved across a hypercall");
    }

    CHECK(start_info != NULL, "rsi at entry points at start_info");
    CHECK(console_last_rc >= 0, "printf lines reach console_io");
}
