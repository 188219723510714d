/*
 * A guest's own iretq under QEMU TCG with SMAP on.
 *
 * A PV guest kernel runs in ring 3 and may execute a native iretq there
 * (Linux's sync_core() does, an "iret to self").  On hardware the stack
 * pops of a CPL 3 iretq are user accesses.  QEMU's TCG performs them as
 * supervisor ("kernel" MMU index) accesses instead, so once the hypervisor
 * sets CR4.SMAP they fault on the guest's (user) stack: a #PF from guest
 * mode with the U bit clear, P set, on the stack the iretq pops.  No
 * genuine guest access looks like that (a ring-3 access always has U set;
 * the descriptor tables a ring-3 access may implicitly touch live in the
 * hypervisor's area).
 *
 * So that case is finished here: the five quadwords are read with
 * copy_from_guest (which opens a stac window) and the frame is loaded as a
 * same-privilege iretq would load it.  The CPU checks the result when the
 * hypervisor returns to the guest; a bad CS or SS there takes the bad_iret
 * path (failsafe callback) like any other unusable guest frame.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <asm/pv.h>
#include <asm/regs.h>
#include <asm/smap.h>

#define PFEC_PRESENT (1u << 0)
#define PFEC_USER    (1u << 2)
#define PFEC_INSN    (1u << 4)

/* RFLAGS bits a CPL 3 iretq may change when IOPL is 0: the arithmetic
 * flags, TF, DF, NT, RF, AC and ID; not IF, IOPL, VM, VIF, VIP. */
#define IRET_CPL3_FLAGS 0x254dd5UL

bool pv_finish_ring3_iretq(struct cpu_regs *r, unsigned long cr2, uint32_t ec)
{
    static bool said;
    uint8_t insn[2];
    uint64_t f[5];      /* RIP, CS, RFLAGS, RSP, SS */

    if ( !smap_enabled || (ec & (PFEC_USER | PFEC_INSN)) ||
         !(ec & PFEC_PRESENT) )
        return false;
    if ( cr2 < r->rsp || cr2 >= r->rsp + sizeof(f) )
        return false;
    if ( copy_from_guest(insn, r->rip, sizeof(insn)) ||
         insn[0] != 0x48 || insn[1] != 0xcf )
        return false;
    if ( copy_from_guest(f, r->rsp, sizeof(f)) )
        return false;           /* a real fault: the guest gets its #PF */
    if ( (f[1] & 3) != 3 || (f[4] & 3) != 3 )
        return false;           /* not a same-privilege return: let the
                                   guest see the fault it caused */
    if ( !said )
    {
        said = true;
        printk(XENLOG_INFO "d%u: finishing a ring-3 iretq the CPU faulted "
               "under SMAP (QEMU TCG behaviour; see pv/iretq-smap.c)\n",
               current->domain->domain_id);
    }
    r->rip = f[0];
    r->cs = (uint16_t)f[1];
    r->rflags = (r->rflags & ~IRET_CPL3_FLAGS) | (f[2] & IRET_CPL3_FLAGS);
    r->rsp = f[3];
    r->ss = (uint16_t)f[4];
    return true;
}
