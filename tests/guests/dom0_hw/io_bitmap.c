/*
 * dom0_hw/io_bitmap.c: the TSS I/O bitmap (xen/arch/x86/io-bitmap.c),
 * counted by the hypervisor's perf counter io_emulated: dom0's own port
 * (QEMU's fw_cfg) works without a trap, PCI configuration and the PIC
 * still trap; vIOPL 0 or an armed I/O breakpoint switch the bitmap off;
 * string I/O emulated on trapping ports; the "BENCH: io" line.
 */
#include "guest.h"
#include "io.h"
#include "perfc.h"
#include "dom0_hw.h"

static int io_emulated_id = -1;

/* The hypervisor's count of emulated port I/O instructions. */
static uint64_t io_emulated(void)
{
    return perfc_value(io_emulated_id);
}

/* QEMU's fw_cfg: selector 0 is the signature, read byte by byte. */
static void fw_cfg_select(uint16_t key)
{
    outw(0x510, key);
}

static int inb_faults(uint16_t port)
{
    uint8_t v;

    trap_reset();
    asm volatile("1: inb %1, %0\n2:\n\t" FIXUP_ENTRY("1b", "2b")
                 : "=a"(v) : "Nd"(port) : "memory");
    return trap_last.count ? (int)trap_last.vector : -1;
}

#define IO_LOOP 2000

/* Cycles of one inb from port, over IO_LOOP. */
static uint64_t inb_cycles(uint16_t port)
{
    uint64_t t0 = rdtsc();

    for (unsigned int i = 0; i < IO_LOOP; i++)
        (void)inb(port);
    return (rdtsc() - t0) / IO_LOOP;
}

void test_io_bitmap(void)
{
    char sig[8] = { 0 };
    uint32_t cfg[4] = { 0 };
    uint8_t bytes[4] = { 1, 2, 3, 4 };
    uint64_t c0, direct, emulated;
    void *p;
    unsigned long n;
    long rc;

    io_emulated_id = perfc_id("io_emulated", &rc);
    if (io_emulated_id < 0) {
        test_fail("the hypervisor has the perf counter io_emulated", "not found (rc %ld)", rc);
        return;
    }
    CHECK_EQ(hv_set_iopl(1), 0, "vIOPL 1 (Linux's dom0) for the bitmap checks");

    c0 = io_emulated();
    fw_cfg_select(0);
    for (unsigned int i = 0; i < 4; i++)
        sig[i] = (char)inb(0x511);
    CHECK(!strcmp(sig, "QEMU"), "fw_cfg (dom0's ports 0x510/0x511) answers QEMU's signature");
    CHECK_EQ(io_emulated() - c0, 0, "outw 0x510 and 4 inb 0x511 ran without a trap (io_emulated unchanged)");

    c0 = io_emulated();
    memset(sig, 0, sizeof(sig));
    fw_cfg_select(0);
    p = sig;
    n = 4;
    asm volatile("rep insb" : "+D"(p), "+c"(n) : "d"(0x511) : "memory");
    CHECK(!strcmp(sig, "QEMU") && n == 0, "rep insb from 0x511 reads the signature");
    CHECK_EQ(io_emulated() - c0, 0, "rep insb on dom0's port ran without a trap");

    c0 = io_emulated();
    outl(0xcf8, 0x80000000u);
    CHECK_EQ(inl(0xcfc) & 0xffff, 0x8086, "PCI configuration read of 00:00.0 through 0xcf8/0xcfc");
    CHECK_EQ(io_emulated() - c0, 2, "PCI configuration ports still trap (2 emulated)");
    c0 = io_emulated();
    CHECK_EQ(inb(0x21), 0xff, "the PIC's mask register reads all ones");
    CHECK_EQ(io_emulated() - c0, 1, "the PIC (the hypervisor's) traps, and is refused");

    /* String I/O on trapping ports: the emulator's. */
    c0 = io_emulated();
    outl(0xcf8, 0x80000000u);
    p = cfg;
    n = 4;
    asm volatile("rep insl" : "+D"(p), "+c"(n) : "d"(0xcfc) : "memory");
    CHECK(n == 0 && p == (void *)&cfg[4], "rep insl from 0xcfc: rcx 0, rdi past 4 dwords");
    CHECK((cfg[0] & 0xffff) == 0x8086 && cfg[3] == cfg[0], "rep insl: each dword is the host bridge's ID");
    CHECK_EQ(io_emulated() - c0, 2, "rep insl: one trap for the whole rep (plus the outl)");
    p = &bytes[3];
    n = 4;
    asm volatile("std; rep outsb; cld" : "+S"(p), "+c"(n) : "d"(0x21) : "memory", "cc");
    CHECK(n == 0 && (uintptr_t)p == (uintptr_t)bytes - 1, "rep outsb with DF set steps rsi downwards");
    CHECK_EQ(inb(0x21), 0xff, "rep outsb to the PIC was dropped");
    if (probe_read((void *)0x1000, &c0) == TRAP_PF) {
        trap_reset();
        p = (void *)0x1000;
        n = 2;
        outl(0xcf8, 0x80000000u);
        asm volatile("1: rep insl\n2:\n\t" FIXUP_ENTRY("1b", "2b")
                     : "+D"(p), "+c"(n) : "d"(0xcfc) : "memory");
        CHECK_EQ(trap_last.count, 1, "rep insl into an unmapped buffer traps once");
        CHECK_EQ(trap_last.vector, TRAP_PF, "  with #PF");
        CHECK_EQ(trap_last.cr2, 0x1000, "  at the buffer's address");
        CHECK_EQ(trap_last.error & 2, 2, "  as a write");
        CHECK(n == 2 && p == (void *)0x1000, "  with rcx and rdi as before the element");
    } else
        test_fail("rep insl into an unmapped buffer", "0x1000 is mapped in this kernel");

    /* vIOPL 0: kernel I/O is #GP again, bitmap or not. */
    CHECK_EQ(hv_set_iopl(0), 0, "vIOPL 0");
    CHECK_EQ(inb_faults(0x511), TRAP_GP, "with vIOPL 0 an inb of dom0's port is #GP (the bitmap is off)");
    CHECK_EQ(hv_set_iopl(1), 0, "vIOPL 1 again");
    CHECK_EQ(inb_faults(0x511), -1, "and the port works again");

    /* An armed I/O breakpoint (on port 0x80) switches the bitmap off:
     * every port traps, so the breakpoint is seen; this also measures the
     * emulated path on the very port the direct path uses. */
    direct = inb_cycles(0x511);
    asm volatile("mov %%cr4, %%rax; or $8, %%rax; mov %%rax, %%cr4" ::: "rax");
    CHECK_EQ(hypercall2(__HYPERVISOR_set_debugreg, 0, 0x80), 0, "DR0 = port 0x80");
    CHECK_EQ(hypercall2(__HYPERVISOR_set_debugreg, 7, 1 | (2UL << 16)), 0,
             "DR7: an I/O breakpoint on it (CR4.DE set)");
    c0 = io_emulated();
    emulated = inb_cycles(0x511);
    CHECK_EQ(io_emulated() - c0, IO_LOOP, "with an I/O breakpoint armed every inb of 0x511 traps");
    CHECK_EQ(hypercall2(__HYPERVISOR_set_debugreg, 7, 0x400), 0, "DR7 cleared");
    asm volatile("mov %%cr4, %%rax; and $~8, %%rax; mov %%rax, %%cr4" ::: "rax");
    c0 = io_emulated();
    (void)inb_cycles(0x511);
    CHECK_EQ(io_emulated() - c0, 0, "disarmed: the bitmap is back (no trap)");
    printf("BENCH: io: inb of a dom0 port: %lu cycles direct (TSS I/O bitmap), %lu emulated (trap), x%lu\n",
           direct, emulated, direct ? emulated / direct : 0);
}
