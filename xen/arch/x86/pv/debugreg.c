/*
 * A PV vCPU's debug registers: set_debugreg / get_debugreg (hypercalls 8
 * and 9), the emulated `mov %drN` of the guest kernel, #DB delivery and
 * the lazy context switch.
 *
 * The rules are Xen's (docs/guest-abi.md, "ABI corners"):
 *  - DR0-3 must hold addresses the guest may access, never hypervisor
 *    ones (-EPERM), so no breakpoint can ever match hypervisor code or
 *    data of our own;
 *  - DR6/DR7: the upper 32 bits are reserved (-EINVAL); DR6 reads with
 *    its reserved-one bits set and bit 12 clear, DR7 with bit 10 set and
 *    bits 11, 12, 14, 15 clear; DR7.GD is refused (-EPERM);
 *  - an I/O breakpoint (R/W = 10b) needs the guest's virtual CR4.DE
 *    (-EPERM otherwise); its enable bits are kept aside (dr7_emul) and
 *    never reach the hardware;
 *  - DR4/DR5 alias DR6/DR7 unless CR4.DE, when they are -ENODEV (#UD for
 *    the emulated mov); any other number is -ENODEV.
 * The hardware DR0-3/DR6/DR7 hold a vCPU's values only while it runs
 * with a DR7 that enables something; switching away from such a vCPU
 * clears DR7, switching to one loads them all.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <asm/pv.h>
#include <asm/io-bitmap.h>

#define DR6_DEFAULT     0xffff0ff0UL
#define DR6_ZEROS       0x00001000UL        /* bit 12 reads as 0 */
#define DR7_DEFAULT     0x00000400UL
#define DR7_ZEROS       0x0000d800UL        /* bits 11, 12, 14, 15 */
#define DR7_GD          0x00002000UL
#define DR7_ACTIVE      0x000000ffUL        /* L0-3, G0-3 */
#define DR_RW_IO        2u

#define read_dr(n) ({ unsigned long v_;                                     \
    __asm__ __volatile__("mov %%db" #n ", %0" : "=r"(v_)); v_; })
#define write_dr(n, v) \
    __asm__ __volatile__("mov %0, %%db" #n :: "r"((unsigned long)(v)))

/* The vCPU's DR6/DR7 as the guest reads them (0 in debugreg[] is "never
 * written": the architectural reset value). */
static unsigned long vcpu_dr6(const struct vcpu *v)
{
    return v->arch.debugreg[6] ? v->arch.debugreg[6] : DR6_DEFAULT;
}

static unsigned long vcpu_dr7(const struct vcpu *v)
{
    return v->arch.debugreg[7] ? v->arch.debugreg[7] : DR7_DEFAULT;
}

static bool dr7_active(const struct vcpu *v)
{
    return v->arch.debugreg[7] & DR7_ACTIVE;
}

static void load_debugregs(const struct vcpu *v)
{
    write_dr(0, v->arch.debugreg[0]);
    write_dr(1, v->arch.debugreg[1]);
    write_dr(2, v->arch.debugreg[2]);
    write_dr(3, v->arch.debugreg[3]);
    write_dr(6, vcpu_dr6(v));
    write_dr(7, vcpu_dr7(v));
}

/* Leaving v (for another vCPU or idle): no breakpoint may stay armed, and
 * no status bit of v's may show up in the next vCPU's #DB. */
void pv_debugregs_switch_from(const struct vcpu *v)
{
    if ( dr7_active(v) )
        write_dr(7, DR7_DEFAULT);
    if ( dr7_active(v) || vcpu_dr6(v) != DR6_DEFAULT )
        write_dr(6, DR6_DEFAULT);
}

void pv_debugregs_switch_to(const struct vcpu *v)
{
    if ( dr7_active(v) )
        load_debugregs(v);
}

/* The register a number names: DR4 and DR5 are DR6 and DR7 unless the
 * guest set CR4.DE, when they do not exist (-ENODEV, as any number past
 * 7).  For both directions, so they cannot disagree. */
static int dr_number(const struct vcpu *v, unsigned int reg)
{
    if ( reg == 4 || reg == 5 )
        return v->arch.cr4_de ? -ENODEV : (int)reg + 2;
    return reg <= 7 ? (int)reg : -ENODEV;
}

long pv_set_debugreg(struct vcpu *v, unsigned int reg, unsigned long val)
{
    bool running = v == current;
    int n = dr_number(v, reg);

    switch ( n )
    {
    case 0: case 1: case 2: case 3:
        if ( !guest_range_ok(val, sizeof(long)) )
            return -EPERM;
        v->arch.debugreg[reg] = val;
        if ( running )
        {
            switch ( reg )
            {
            case 0: write_dr(0, val); break;
            case 1: write_dr(1, val); break;
            case 2: write_dr(2, val); break;
            default: write_dr(3, val); break;
            }
        }
        return 0;

    case 6:
        if ( val != (uint32_t)val )
            return -EINVAL;
        val = (val | DR6_DEFAULT) & ~DR6_ZEROS;
        v->arch.debugreg[6] = val;
        if ( running )
            write_dr(6, val);
        return 0;

    case 7:
    {
        uint32_t io = 0;

        if ( val != (uint32_t)val )
            return -EINVAL;
        val = (val & ~DR7_ZEROS) | DR7_DEFAULT;
        if ( val & DR7_GD )
            return -EPERM;
        if ( val & DR7_ACTIVE )
        {
            for ( unsigned int i = 0; i < 4; i++ )
            {
                if ( ((val >> (16 + 4 * i)) & 3) != DR_RW_IO )
                    continue;
                if ( !v->arch.cr4_de )
                    return -EPERM;
                io |= val & (3u << (2 * i));
            }
            /* DR7 was inactive: the other registers are not loaded. */
            if ( running && !dr7_active(v) )
                load_debugregs(v);
        }
        val &= ~(unsigned long)io;
        v->arch.dr7_emul = io;
        v->arch.debugreg[7] = val;
        if ( running )
        {
            write_dr(7, val);
            io_bitmap_sync(v);  /* armed I/O breakpoints need traps */
        }
        return 0;
    }

    default:
        return -ENODEV;
    }
}

long pv_get_debugreg(const struct vcpu *v, unsigned int reg,
                     unsigned long *val)
{
    int n = dr_number(v, reg);

    switch ( n )
    {
    case 0: case 1: case 2: case 3:
        *val = v->arch.debugreg[reg];
        return 0;
    case 6:
        *val = vcpu_dr6(v);
        return 0;
    case 7:
        *val = vcpu_dr7(v) | v->arch.dr7_emul;
        return 0;
    default:
        return -ENODEV;
    }
}

HYPERCALL(set_debugreg)
{
    if ( a1 > 7 )
        return -ENODEV;
    return pv_set_debugreg(current, (unsigned int)a1, a2);
}

HYPERCALL(get_debugreg)
{
    unsigned long val;

    if ( a1 > 7 || pv_get_debugreg(current, (unsigned int)a1, &val) )
        return -ENODEV;
    return (long)val;
}

/*
 * #DB.  From the guest: fold the hardware DR6 into the vCPU's (status
 * bits accumulate, as on hardware) and bounce #DB; the guest reads DR6
 * with get_debugreg(6).  From the hypervisor: only a data breakpoint the
 * guest set on its own memory, hit by a copy to or from the guest, can
 * get here (DR0-3 never hold hypervisor addresses, and the gates and
 * SYSCALL clear TF): it is a trap, so count it and carry on.
 */
unsigned long hypervisor_db_ignored;

/* Which enabled I/O breakpoints (DR7 R/W = 10b, CR4.DE) an emulated
 * access to [port, port + bytes) hits: a mask of B0-B3. */
unsigned int pv_io_breakpoints(const struct vcpu *v, unsigned int port,
                               unsigned int bytes)
{
    static const unsigned int len[4] = { 1, 2, 8, 4 };
    unsigned int match = 0;

    if ( !v->arch.cr4_de )
        return 0;
    for ( unsigned int i = 0; i < 4; i++ )
    {
        uint64_t start = v->arch.debugreg[i];
        unsigned int width = len[(vcpu_dr7(v) >> (18 + 4 * i)) & 3];

        if ( !(v->arch.dr7_emul & (3u << (2 * i))) )
            continue;
        if ( start < port + bytes && start + width > port )
            match |= 1u << i;
    }
    return match;
}

/* After an emulated instruction: a hit I/O breakpoint or a pending single
 * step (RFLAGS.TF) is a #DB trap, with the cause in DR6. */
void pv_emulated_debug(struct cpu_regs *r, unsigned int match)
{
    struct vcpu *v = current;

    if ( r->rflags & (1UL << 8) )
        match |= 1u << 14;                  /* BS */
    if ( !match )
        return;
    v->arch.debugreg[6] = vcpu_dr6(v) | match;
    pv_inject_exception(r, 1, 0);
}

void pv_debug_trap(struct cpu_regs *r, bool from_guest)
{
    unsigned long dr6 = read_dr(6);
    struct vcpu *v = current;

    write_dr(6, DR6_DEFAULT);
    if ( !from_guest )
    {
        /* Counted, not printed: the copy that hit it may run under a lock
         * printk needs. */
        hypervisor_db_ignored++;
        return;
    }
    if ( !v->is_idle )
    {
        unsigned long cur = vcpu_dr6(v);

        cur |= dr6 & ~DR6_DEFAULT;
        cur &= dr6 | ~DR6_DEFAULT;
        v->arch.debugreg[6] = cur;
    }
    pv_inject_exception(r, 1, 0);
}

/* A whole context's debug registers (setvcpucontext, VCPUOP_initialise):
 * DR0-3 must be guest addresses; DR6/DR7 go through the same rules. */
int pv_debugregs_check(const uint64_t dr[8])
{
    for ( unsigned int i = 0; i < 4; i++ )
        if ( !guest_range_ok(dr[i], sizeof(long)) )
            return -EINVAL;
    if ( dr[6] != (uint32_t)dr[6] || dr[7] != (uint32_t)dr[7] ||
         (dr[7] & DR7_GD) )
        return -EINVAL;
    return 0;
}

void pv_debugregs_load_context(struct vcpu *v, const uint64_t dr[8])
{
    /* I/O breakpoints need CR4.DE, which a new context does not have. */
    uint64_t dr7 = (dr[7] & ~DR7_ZEROS) | DR7_DEFAULT;

    for ( unsigned int i = 0; i < 4; i++ )
        v->arch.debugreg[i] = dr[i];
    v->arch.debugreg[4] = v->arch.debugreg[5] = 0;
    v->arch.debugreg[6] = (dr[6] | DR6_DEFAULT) & ~DR6_ZEROS;
    for ( unsigned int i = 0; i < 4; i++ )
        if ( ((dr7 >> (16 + 4 * i)) & 3) == DR_RW_IO )
            dr7 &= ~(3UL << (2 * i));
    v->arch.debugreg[7] = dr7;
    v->arch.dr7_emul = 0;
    v->arch.cr4_de = false;
}
