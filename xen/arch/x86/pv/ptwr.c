/*
 * Writable page tables: a guest kernel that enabled
 * VMASST_TYPE_writable_pagetables may store to its own page-table pages
 * (which are mapped read-only) as if they were writable.  The write faults;
 * we decode the instruction (pv/emul-pte.c), turn its store into validated
 * entry updates (pv_update_entry, the same path as mmu_update) and step
 * over it.  Sub-word stores are merged into the full 8-byte entry.
 *
 * A 16-byte cmpxchg16b covers two entries; each is updated atomically, the
 * pair is not (Linux never writes entries that way).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <xen/domain-page.h>
#include <xen/perfc.h>
#include <asm/regs.h>
#include <asm/pv-mm.h>
#include <public/xen.h>

#define PFEC_PRESENT  (1u << 0)
#define PFEC_WRITE    (1u << 1)
#define PFEC_RSVD     (1u << 3)
#define PFEC_INSN     (1u << 4)

struct ptwr_ctx {
    struct page_info *pg;       /* the page-table frame written */
    unsigned int level;
    unsigned long page_va;      /* where the guest sees it */
    struct domain *d;
};

/* The entry-relative position of [addr, addr+bytes), or -EFAULT when it is
 * outside the page or not naturally aligned. */
static int locate(const struct ptwr_ctx *c, unsigned long addr,
                  unsigned int bytes, unsigned int *off)
{
    unsigned long o = addr - c->page_va;

    if ( addr < c->page_va || o >= PAGE_SIZE || o + bytes > PAGE_SIZE ||
         (o & (bytes - 1)) )
        return -EFAULT;
    *off = o;
    return 0;
}

static int ptwr_read(void *ctx, unsigned long addr, void *buf,
                     unsigned int bytes)
{
    struct ptwr_ctx *c = ctx;
    unsigned int off;

    if ( locate(c, addr, bytes, &off) )
        return -EFAULT;
    memcpy(buf, (uint8_t *)page_to_virt(c->pg) + off, bytes);
    return 0;
}

/* Compare-and-update of 1..8 bytes inside entry idx. */
static int ptwr_cmpxchg_entry(struct ptwr_ctx *c, unsigned int idx,
                              unsigned int shift, unsigned int bytes,
                              uint64_t *old, uint64_t new)
{
    const pte_t *table = page_to_virt(c->pg);
    uint64_t mask = bytes == 8 ? ~0UL : ((1UL << (bytes * 8)) - 1) << shift;

    for ( ;; )
    {
        pte_t cur = __atomic_load_n(&table[idx], __ATOMIC_ACQUIRE);
        pte_t merged;
        int rc;

        if ( ((cur & mask) >> shift) != (*old & (mask >> shift)) )
        {
            *old = (cur & mask) >> shift;
            return -EAGAIN;
        }
        merged = (cur & ~mask) | ((new << shift) & mask);
        rc = pv_update_entry(c->pg, c->level, idx, merged, c->d, &cur, false);
        if ( rc != -EAGAIN )
            return rc;
        /* The MMU set Accessed/Dirty meanwhile: compare again. */
    }
}

static int ptwr_cmpxchg(void *ctx, unsigned long addr, void *old,
                        const void *new, unsigned int bytes)
{
    struct ptwr_ctx *c = ctx;
    unsigned int off;
    uint64_t o[2] = { 0, 0 }, n[2] = { 0, 0 };
    int rc;

    if ( locate(c, addr, bytes, &off) )
        return -EFAULT;
    memcpy(o, old, bytes);
    memcpy(n, new, bytes);
    if ( bytes <= 8 )
    {
        rc = ptwr_cmpxchg_entry(c, off / 8, (off % 8) * 8, bytes, &o[0], n[0]);
        memcpy(old, o, bytes);
        return rc;
    }
    for ( unsigned int i = 0; i < 2; i++ )
    {
        rc = ptwr_cmpxchg_entry(c, off / 8 + i, 0, 8, &o[i], n[i]);
        if ( rc == -EAGAIN )
        {
            const pte_t *table = page_to_virt(c->pg);

            o[0] = table[off / 8];
            o[1] = table[off / 8 + 1];
            memcpy(old, o, 16);
        }
        if ( rc )
            return rc;
    }
    return 0;
}

static const struct pte_emul_ops ptwr_ops = {
    .read = ptwr_read,
    .cmpxchg = ptwr_cmpxchg,
};

/* Fetch up to 15 instruction bytes, fewer when the next page is absent. */
static unsigned int fetch_insn(unsigned long rip, uint8_t *buf)
{
    unsigned int n = 0;

    for ( ; n < 15; n++ )
        if ( copy_from_guest(&buf[n], rip + n, 1) )
            break;
    return n;
}

int pv_ptwr_fault(struct cpu_regs *regs, unsigned long addr,
                  unsigned int error_code)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    struct ptwr_ctx c;
    const pte_t *l1;
    uint8_t insn[15];
    unsigned int idx, n, level;
    enum pte_emul_result res;
    pte_t pte;
    mfn_t l1_mfn;

    if ( !(d->arch.vm_assist & (1UL << VMASST_TYPE_writable_pagetables)) )
        return 0;
    if ( (error_code & (PFEC_PRESENT | PFEC_WRITE)) !=
         (PFEC_PRESENT | PFEC_WRITE) ||
         (error_code & (PFEC_RSVD | PFEC_INSN)) )
        return 0;

    /* Which frame does the faulting address map, and how? */
    if ( pv_walk_to_l1(pv_current_root(v), addr, &l1_mfn, &idx) )
        return 0;
    l1 = page_to_virt(mfn_to_page(l1_mfn));
    pte = __atomic_load_n(&l1[idx], __ATOMIC_ACQUIRE);
    if ( !(pte & _PAGE_PRESENT) || (pte & _PAGE_RW) )
        return 0;
    c.pg = get_page_from_mfn((pte & PTE_ADDR_MASK) >> PAGE_SHIFT, d);
    if ( c.pg == NULL )
        return 0;
    level = pgt_table_level(c.pg->type_info);
    if ( level == 0 || page_type_count(c.pg) == 0 )
    {
        put_page(c.pg);
        return 0;
    }
    c.level = level;
    c.page_va = addr & PAGE_MASK;
    c.d = d;

    n = fetch_insn(regs->rip, insn);
    res = n ? pte_emulate(regs, insn, n, &ptwr_ops, &c) : PTE_EMUL_UNHANDLED;
    put_page(c.pg);
    if ( res == PTE_EMUL_REFUSED || res == PTE_EMUL_UNHANDLED )
    {
        printk(XENLOG_DEBUG "ptwr: d%u rip %#lx addr %#lx: %s\n",
               d->domain_id, (unsigned long)regs->rip, addr,
               res == PTE_EMUL_REFUSED ? "write refused" : "not emulated");
        return 0;
    }
    perfc_incr(PERFC_ptwr_emulations);
    current->domain->stats.ptwr_emulations++;
    return 1;   /* done, or re-executed after losing races */
}
