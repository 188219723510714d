/*
 * Port I/O a PV guest kernel executes (in/out #GP in ring 3; emul-priv.c
 * decodes them and checks the virtual IOPL).  Xen's two-step rule: the
 * vIOPL decides whether the instruction faults in the guest; then the
 * domain's port permissions (io-perm.c) decide whether it reaches the
 * machine.  A port the domain does not have reads as all ones and writes
 * to it are dropped, as on a bus with nothing there, so a guest probing
 * the machine learns nothing and breaks nothing.  Writes to the ACPI
 * power registers (PM1 control, the reset register) are dropped too: the
 * hypervisor powers off and resets the machine itself.
 *
 * Only what traps comes here: ports a domain may use directly are opened
 * in the TSS I/O bitmap for its kernel mode (io-bitmap.c); the perf
 * counter io_emulated counts the rest.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/io.h>
#include <asm/io-perm.h>
#include <asm/pv.h>
#include <asm/pci-conf.h>
#include <xen/guest_access.h>
#include <xen/perfc.h>

#define RFLAGS_DF (1UL << 10)

uint32_t pv_io_read(struct domain *d, unsigned int port,
                    unsigned int bytes)
{
    if ( !io_ports_permitted(d, port, bytes) )
        return bytes == 1 ? 0xff : bytes == 2 ? 0xffff : 0xffffffffu;
    if ( pci_conf_is_port(port, bytes) )
        return pci_conf_guest_read(d, port, bytes);
    switch ( bytes )
    {
    case 1: return inb(port);
    case 2: return inw(port);
    default: return inl(port);
    }
}

void pv_io_write(struct domain *d, unsigned int port,
                 unsigned int bytes, uint32_t val)
{
    if ( !io_ports_permitted(d, port, bytes) )
        return;
    if ( io_port_write_is_hypervisors(port, bytes) )
    {
        /* Linux's own poweroff writes PM1 control once, SLP_TYP without
         * SLP_EN, before asking the hypervisor: inert, dropped quietly
         * (Xen lets it reach the chipset, where it does nothing).  Any
         * other is logged, but only the first few: a hostile domain
         * could write in a loop. */
        if ( io_power_write_is_inert(port, bytes, val) )
            return;
        if ( d->arch.power_writes_dropped++ < 4 )
            printk(XENLOG_INFO "d%u: %u-byte write of %#x to port %#x "
                   "dropped (ACPI power control: the hypervisor's)\n",
                   d->domain_id, bytes, val, port);
        return;
    }
    if ( pci_conf_is_port(port, bytes) )
    {
        pci_conf_guest_write(d, port, bytes, val);
        return;
    }
    switch ( bytes )
    {
    case 1: outb(port, val); break;
    case 2: outw(port, val); break;
    default: outl(port, val); break;
    }
}

/*
 * ins/outs (opcodes 0x6c-0x6f), with or without rep: port dx, the buffer
 * at rdi (ins, ES: no override in 64-bit mode) or rsi (outs; an FS or GS
 * override is refused, #GP, as no PV kernel uses one), stepped by the
 * element size downwards when RFLAGS.DF is set, rcx counting down with
 * rep; the address size (67h) masks all three to 32 bits.  Every element
 * goes through pv_io_read/pv_io_write, so the port rules are those of a
 * single in/out, and every guest memory access through the checked
 * copies: a buffer the guest may not touch (unmapped, read-only, the
 * hypervisor's) is a #PF at that address with the registers showing the
 * elements done, as on hardware.  At most STRING_IO_BATCH elements per
 * trap: the instruction is left to run again for the rest, so a huge rcx
 * cannot hold the CPU (softirqs run between the traps).
 */
#define STRING_IO_BATCH 1024

int pv_emulate_string_io(struct cpu_regs *r, const struct string_io *s,
                         unsigned int *dbg)
{
    struct vcpu *v = current;
    unsigned int bytes = s->bytes;
    uint64_t mask = s->addr32 ? 0xffffffffUL : ~0UL;
    uint64_t count = s->rep ? (r->rcx & mask) : 1;
    uint64_t *ptr = s->out ? &r->rsi : &r->rdi;
    uint64_t step = (r->rflags & RFLAGS_DF) ? -(uint64_t)bytes : bytes;
    unsigned int port = (uint16_t)r->rdx;

    if ( s->out && s->fs_gs )
        return STRING_IO_REFUSED;
    for ( unsigned int n = 0; n < STRING_IO_BATCH && count; n++ )
    {
        uint64_t addr = *ptr & mask;
        uint32_t val = 0;

        if ( s->out )
        {
            if ( copy_from_guest(&val, addr, bytes) )
                goto fault;
            pv_io_write(v->domain, port, bytes, val);
        }
        else
        {
            val = pv_io_read(v->domain, port, bytes);
            if ( copy_to_guest(addr, &val, bytes) )
                goto fault;
        }
        *dbg |= pv_io_breakpoints(v, port, bytes);
        *ptr = (addr + step) & mask;
        count--;
        if ( s->rep )
            r->rcx = count;     /* ecx with 67h: zero-extended, as rsi */
        continue;

    fault:
        v->vcpu_info->arch.cr2 = addr;
        pv_inject_exception(r, 14, (s->out ? 0 : 2) |
                                   (v->arch.kernel_mode ? 0 : 4));
        return STRING_IO_FAULTED;
    }
    if ( count )
        return STRING_IO_AGAIN;
    r->rip += s->len;
    return STRING_IO_DONE;
}
