/*
 * misc: multicall, vm_assist, callback_op, debug registers,
 * update_descriptor on bad frames, console_io errors, sched_op yield and
 * unknown hypercall numbers.
 */
#include "guest.h"

static void test_multicall(void)
{
    static struct multicall_entry mc[5];
    static struct xen_extraversion extra;
    long version = hv_xen_version(XENVER_version, NULL);
    long rc;

    memset(mc, 0, sizeof(mc));
    mc[0].op = __HYPERVISOR_xen_version;
    mc[0].args[0] = XENVER_version;
    mc[1].op = __HYPERVISOR_xen_version;
    mc[1].args[0] = XENVER_extraversion;
    mc[1].args[1] = BAD_PTR_HV;
    mc[2].op = __HYPERVISOR_xen_version;
    mc[2].args[0] = XENVER_pagesize;
    mc[3].op = 63; /* no such hypercall */
    mc[4].op = __HYPERVISOR_xen_version;
    mc[4].args[0] = XENVER_extraversion;
    mc[4].args[1] = (uint64_t)&extra;
    for (int i = 0; i < 5; i++)
        mc[i].result = 0x5555;

    rc = hypercall2(__HYPERVISOR_multicall, (uint64_t)mc, 5);
    CHECK_EQ(rc, 0, "multicall of 5 entries with failures inside returns 0");
    CHECK_EQ(mc[0].result, version, "multicall entry 0 (xen_version) result");
    CHECK_EQ(mc[1].result, -EFAULT, "multicall entry 1 (bad pointer) result -EFAULT");
    CHECK_EQ(mc[2].result, 4096, "multicall entry 2 (pagesize) result");
    CHECK_EQ(mc[3].result, -ENOSYS, "multicall entry 3 (unknown op) result -ENOSYS");
    CHECK_EQ(mc[4].result, 0, "multicall entry 4 runs after failures");

    CHECK_EQ(hypercall2(__HYPERVISOR_multicall, (uint64_t)mc, 0), 0, "multicall of 0 entries returns 0");
    CHECK_EQ(hypercall2(__HYPERVISOR_multicall, BAD_PTR_HV, 2), -EFAULT,
             "multicall with a hypervisor-address list is -EFAULT");
    CHECK_EQ(hypercall2(__HYPERVISOR_multicall, BAD_PTR_NONCANON, 1), -EFAULT,
             "multicall with a non-canonical list is -EFAULT");

    /* Results must not be written into a read-only list. */
    CHECK_EQ(hypercall2(__HYPERVISOR_multicall, MACH2PHYS_VIRT_START, 1), -EFAULT,
             "multicall with the read-only M2P as list is -EFAULT");
}

static void test_vm_assist(void)
{
    CHECK_EQ(hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0,
             "vm_assist enable writable_pagetables returns 0");
    CHECK_EQ(hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag), 0,
             "vm_assist enable runstate_update_flag returns 0");
    CHECK_EQ(hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_disable, VMASST_TYPE_runstate_update_flag), 0,
             "vm_assist disable runstate_update_flag returns 0");
    CHECK_EQ(hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, 31), -EINVAL,
             "vm_assist of type 31 is -EINVAL");
    CHECK_EQ(hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, 1000), -EINVAL,
             "vm_assist of type 1000 is -EINVAL");
    CHECK_EQ(hypercall2(__HYPERVISOR_vm_assist, 7, VMASST_TYPE_writable_pagetables), -ENOSYS,
             "vm_assist command 7 is -ENOSYS");
}

static void test_callback_op(void)
{
    struct callback_register cb = {
        .type = CALLBACKTYPE_event, .flags = CALLBACKF_mask_events,
        .address = (uint64_t)event_callback_entry,
    };

    CHECK_EQ(hv_callback_op(CALLBACKOP_register, &cb), 0, "callback_op register event returns 0");
    cb.type = CALLBACKTYPE_syscall;
    CHECK_EQ(hv_callback_op(CALLBACKOP_register, &cb), 0, "callback_op register syscall returns 0");
    cb.type = CALLBACKTYPE_event;
    cb.address = BAD_PTR_NONCANON;
    CHECK_EQ(hv_callback_op(CALLBACKOP_register, &cb), -EINVAL,
             "callback_op register with a non-canonical address is -EINVAL");
    cb.address = (uint64_t)event_callback_entry;
    cb.type = 1000;
    /* An unknown callback type is -ENOSYS, as in Xen's register_callback. */
    CHECK_EQ(hv_callback_op(CALLBACKOP_register, &cb), -ENOSYS,
             "callback_op register type 1000 is -ENOSYS");
    CHECK_EQ(hv_callback_op(CALLBACKOP_register, (void *)BAD_PTR_HV), -EFAULT,
             "callback_op with a bad pointer is -EFAULT");
    CHECK_EQ(hv_callback_op(9, &cb), -ENOSYS, "callback_op command 9 is -ENOSYS");
    /* Put the real one back. */
    CHECK_EQ(events_init(), 0, "event and failsafe callbacks re-registered");
}

static void test_debugregs(void)
{
    uint64_t addr = (uint64_t)&test_debugregs;
    long dr6;

    CHECK_EQ(hypercall2(__HYPERVISOR_set_debugreg, 0, addr), 0, "set_debugreg(0, kernel address) returns 0");
    CHECK_EQ(hypercall1(__HYPERVISOR_get_debugreg, 0), (long)addr, "get_debugreg(0) returns it");
    CHECK_EQ(hypercall2(__HYPERVISOR_set_debugreg, 3, 0x1000), 0, "set_debugreg(3, 0x1000) returns 0");
    CHECK_EQ(hypercall1(__HYPERVISOR_get_debugreg, 3), 0x1000, "get_debugreg(3) returns it");
    CHECK_ERR(hypercall2(__HYPERVISOR_set_debugreg, 1, HYPERVISOR_VIRT_START),
              "set_debugreg(1, hypervisor address) fails");
    CHECK_ERR(hypercall2(__HYPERVISOR_set_debugreg, 2, BAD_PTR_NONCANON),
              "set_debugreg(2, non-canonical) fails");
    dr6 = hypercall1(__HYPERVISOR_get_debugreg, 6);
    CHECK_EQ(dr6 & 0xffff0ff0, 0xffff0ff0, "DR6 reads with its reserved bits set");
    CHECK_EQ(hypercall1(__HYPERVISOR_get_debugreg, 7) & 0x400, 0x400, "DR7 bit 10 reads as 1");
    CHECK_EQ(hypercall2(__HYPERVISOR_set_debugreg, 7, 0x400), 0, "set_debugreg(7, 0x400) returns 0");
    CHECK_EQ(hypercall2(__HYPERVISOR_set_debugreg, 8, 0), -ENODEV, "set_debugreg(8) is -ENODEV (as Xen)");
    CHECK_EQ(hypercall1(__HYPERVISOR_get_debugreg, 8), -ENODEV, "get_debugreg(8) is -ENODEV");
    CHECK_EQ(hypercall1(__HYPERVISOR_get_debugreg, 1000), -ENODEV, "get_debugreg(1000) is -ENODEV");
    hypercall2(__HYPERVISOR_set_debugreg, 0, 0);
    hypercall2(__HYPERVISOR_set_debugreg, 3, 0);
}

static void test_update_descriptor(void)
{
    uint64_t desc = 0x00cffa000000ffffUL; /* flat 32-bit code, DPL 3 */

    CHECK_ERR(hypercall2(__HYPERVISOR_update_descriptor, (~0UL >> 12) << 12, desc),
              "update_descriptor on a nonexistent frame fails");
    CHECK_ERR(hypercall2(__HYPERVISOR_update_descriptor,
                         (virt_to_mfn((void *)start_info->pt_base) << 12) + 8, desc),
              "update_descriptor on a page-table frame fails");
    CHECK_ERR(hypercall2(__HYPERVISOR_update_descriptor, (p2m[0] << 12) + 3, desc),
              "update_descriptor at a misaligned address fails");
}

static void test_console(void)
{
    static char buf[64];

    CHECK_EQ(hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, 0, (uint64_t)buf), 0,
             "console_io write of 0 bytes returns 0");
    CHECK_EQ(hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, 16, BAD_PTR_HV), -EFAULT,
             "console_io write from a hypervisor address is -EFAULT");
    CHECK_EQ(hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, 16, BAD_PTR_NONCANON), -EFAULT,
             "console_io write from a non-canonical address is -EFAULT");
    CHECK(hypercall3(__HYPERVISOR_console_io, CONSOLEIO_read, sizeof(buf), (uint64_t)buf) >= 0,
          "console_io read by dom0 returns >= 0");
    /* Xen (and we) copy only when input is waiting.  The read above drained
     * the ring and the test boot's serial input is empty (-serial file:),
     * so nothing is waiting: 0, and the M2P is not touched. */
    CHECK_EQ(hypercall3(__HYPERVISOR_console_io, CONSOLEIO_read, sizeof(buf), BAD_PTR_M2P), 0,
             "console_io read into the read-only M2P with no input waiting returns 0");
    CHECK_EQ(hypercall3(__HYPERVISOR_console_io, 99, 0, 0), -ENOSYS, "console_io command 99 is -ENOSYS");
}

static void test_sched_and_unknown(void)
{
    static const unsigned long unknown[] = { 11, 43, 44, 45, 46, 47, 56, 63, 64, 255, 1UL << 20, ~0UL };
    unsigned int i;

    CHECK_EQ(hv_sched_op(SCHEDOP_yield, NULL), 0, "sched_op yield returns 0");
    CHECK_EQ(hv_sched_op(100, NULL), -ENOSYS, "sched_op 100 is -ENOSYS");
    CHECK_EQ(hv_sched_op(SCHEDOP_shutdown, (void *)BAD_PTR_HV), -EFAULT,
             "sched_op shutdown with a bad pointer is -EFAULT (and we live)");
    for (i = 0; i < ARRAY_SIZE(unknown); i++)
        CHECK_EQ(hypercall5(unknown[i], 1, 2, 3, 4, 5), -ENOSYS,
                 casename("hypercall %#lx is -ENOSYS", unknown[i]));
}

/* Registers the ABI says survive a hypercall: rbx rbp rsp r9 r12-r15. */
static void test_preserved_registers(void)
{
    uint64_t out[7];

    asm volatile("push %%rbp\n\t"
                 "mov $0x1b, %%rbx\n\tmov $0x1e, %%rbp\n\tmov $0x9, %%r9\n\t"
                 "mov $0xc, %%r12\n\tmov $0xd, %%r13\n\tmov $0xe, %%r14\n\tmov $0xf, %%r15\n\t"
                 "mov $17, %%eax\n\txor %%edi, %%edi\n\txor %%esi, %%esi\n\t"
                 "push %%rcx\n\tpush %%r11\n\tsyscall\n\tpop %%r11\n\tpop %%rcx\n\t"
                 "mov %%rbx, 0(%0)\n\tmov %%rbp, 8(%0)\n\tmov %%r9, 16(%0)\n\t"
                 "mov %%r12, 24(%0)\n\tmov %%r13, 32(%0)\n\tmov %%r14, 40(%0)\n\tmov %%r15, 48(%0)\n\t"
                 "pop %%rbp"
                 : : "c"(out)
                 : "rax", "rbx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13",
                   "r14", "r15", "memory", "cc");
    CHECK(out[0] == 0x1b && out[1] == 0x1e && out[2] == 0x9 && out[3] == 0xc &&
              out[4] == 0xd && out[5] == 0xe && out[6] == 0xf,
          "rbx, rbp, r9, r12-r15 survive a hypercall");
}

void test_main(void)
{
    setup(SETUP_EVENTS);
    test_multicall();
    test_vm_assist();
    test_callback_op();
    test_debugregs();
    test_update_descriptor();
    test_console();
    test_sched_and_unknown();
    test_preserved_registers();
}
