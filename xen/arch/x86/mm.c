/*
 * Page types for PV guests: which frames may be page tables, how their
 * entries are checked and referenced, pinning, vCPU base pointers, and the
 * one primitive every page-table write goes through (pv_update_entry).
 *
 * The invariant all of this protects: a frame the MMU walks as a page
 * table (type L1..L4 with a non-zero type count) has only entries that
 * were checked, each holding a reference on what it points to, and no
 * writable mapping of it exists anywhere (a writable mapping holds a
 * PGT_writable_page type reference, and a frame has one type at a time).
 * So a guest can change its page tables only through the hypervisor.
 *
 * Everything that changes a type or a validated entry runs under pt_lock.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/domain-page.h>
#include <asm/bootinfo.h>
#include <asm/page.h>
#include <asm/flushtlb.h>
#include <asm/pv-mm.h>
#include <asm/io-perm.h>

static DEFINE_SPINLOCK(pt_lock);
/* While pv_update_grant_entry runs (pt_lock held): the granting domain
 * whose frame the entry may name although the table's owner is not
 * privileged. */
static struct domain *grant_granter;

/* pv-linear-pt (default on, as Xen): accept read-only L2/L3/L4 entries
 * that name a table of their own level ("linear page tables"). */
bool opt_pv_linear_pt = true;
boolean_param("pv-linear-pt", opt_pv_linear_pt);

/* Cleared at boot when the CPU has no NX (the bit would be reserved). */
bool pv_nx_supported = true;
/* The CPU's physical address width (m2p_init reads it); address bits at
 * or above it are reserved in page-table entries. */
unsigned int pv_paddr_bits = 36;

#define PTE_AVAIL_LOW   (7UL << 9)
#define PTE_AVAIL_HIGH  (0x7ffUL << 52)
#define PTE_PAT_L1      0x080UL         /* bit 7 of an L1 entry is PAT */
#define PTE_CACHE_L1    (_PAGE_PWT | _PAGE_PCD | PTE_PAT_L1)

/* Flag bits a guest may set, per level (the address bits are separate). */
#define L1_GUEST_FLAGS  (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER |           \
                         _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL |     \
                         _PAGE_NX | PTE_AVAIL_LOW | PTE_AVAIL_HIGH)
#define LN_GUEST_FLAGS  (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER |           \
                         _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX |         \
                         PTE_AVAIL_LOW | PTE_AVAIL_HIGH)

static void pt_lock_acquire(void)
{
    /* Whoever holds the lock may be waiting for this CPU to flush. */
    while ( !spin_trylock(&pt_lock) )
    {
        flush_tlb_poll();
        cpu_relax();
    }
}

static void pt_lock_release(void)
{
    spin_unlock(&pt_lock);
}

void pv_mm_lock(void)
{
    pt_lock_acquire();
}

void pv_mm_unlock(void)
{
    pt_lock_release();
}

/* Base pointers: 0 (and INVALID_MFN, which some callers use) mean none. */
static inline bool base_set(mfn_t m)
{
    return m != 0 && m != INVALID_MFN;
}

static inline pte_t *table_of(struct page_info *pg)
{
    return page_to_virt(pg);
}

static inline mfn_t pte_mfn(pte_t e)
{
    return (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
}

static inline pte_t pte_read(const pte_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/* What the MMU gets for a guest entry: the guest kernel runs in ring 3,
 * so every present entry is user-accessible; kernel and user run on
 * different roots instead.  Global entries would survive the switch
 * between those roots, so they are not kept. */
static pte_t hw_entry(pte_t e, unsigned int level)
{
    if ( !(e & _PAGE_PRESENT) )
        return e;
    e |= _PAGE_USER;
    if ( level == 1 )
        e &= ~_PAGE_GLOBAL;
    if ( !pv_nx_supported )
        e &= ~_PAGE_NX;
    return e;
}

int pv_check_entry_flags(const struct domain *d, unsigned int level,
                         pte_t val)
{
    pte_t flags = val & ~PTE_ADDR_MASK;
    pte_t allowed;

    if ( !(val & _PAGE_PRESENT) )
        return 0;               /* not-present entries are the guest's */
    if ( level == 1 )
    {
        allowed = L1_GUEST_FLAGS;
        /* Cache attributes only for a domain that owns devices. */
        if ( d != NULL && d->is_privileged )
            allowed |= PTE_CACHE_L1;
    }
    else if ( level >= 2 && level <= 4 )
        allowed = LN_GUEST_FLAGS;
    else
        return -EINVAL;
    if ( (val & PTE_ADDR_MASK) >> pv_paddr_bits )
        return -EINVAL;             /* reserved address bits */
    return (flags & ~allowed) ? -EINVAL : 0;
}

/*
 * A frame the privileged domain may map without reference counting: MMIO
 * beyond RAM, firmware and device ranges, and the first MiB (BIOS data,
 * VGA, ROMs).  Hypervisor RAM (image, boot allocations, the heap) never
 * qualifies.
 */
bool pv_mfn_is_io(mfn_t mfn)
{
    paddr_t pa = (paddr_t)mfn << PAGE_SHIFT;

    if ( !mfn_in_frame_table(mfn) )
        return true;
    if ( (READ_ONCE(mfn_to_page(mfn)->count_info) & PGC_state_mask) !=
         PGC_state_reserved )
        return false;
    if ( pa < 0x100000 )
        return true;
    for ( unsigned int i = 0; i < boot_info.nr_mmap; i++ )
    {
        const struct boot_mmap_entry *m = &boot_info.mmap[i];

        if ( m->type == E820_RAM && pa >= m->addr && pa - m->addr < m->size )
            return false;
    }
    return true;
}

/* Is the frame reference-counted (an in-use frame in the frame table)? */
static bool mfn_is_tracked(mfn_t mfn)
{
    return mfn_in_frame_table(mfn) &&
           (READ_ONCE(mfn_to_page(mfn)->count_info) & PGC_state_mask) ==
           PGC_state_inuse;
}

static int get_page_type_locked(struct page_info *pg, unsigned long type);
static void put_page_type_locked(struct page_info *pg);

static void linear_add(struct page_info *pg, int delta)
{
    int n = pgt_linear_count(pg->type_info) + delta;

    pg->type_info = (pg->type_info & ~PGT_linear_mask) |
                    ((unsigned long)(uint16_t)n << PGT_linear_shift);
}

/*
 * Entry e of table ptpg (level 'level' >= 2) names pg, a table of the same
 * level: a linear entry.  Accepted, as Xen's rules since XSA-240, only if
 * the option is on, the entry is read-only, pg is a validated table of
 * that level, ptpg is not itself named by linear entries and pg holds
 * none.  Then pg gets a type reference (so it cannot be retyped) and both
 * counts move.  The caller holds a general reference on pg.
 */
static int get_linear_ref(pte_t e, unsigned int level, struct page_info *pg,
                          struct page_info *ptpg)
{
    unsigned long x = pg->type_info;
    int entries = pgt_linear_count(ptpg->type_info);
    int uses = pgt_linear_count(x);

    if ( !opt_pv_linear_pt || (e & _PAGE_RW) )
        return -EINVAL;
    if ( (x & (PGT_type_mask | PGT_validated)) !=
         (PGT_level(level) | PGT_validated) ||
         (x & PGT_count_mask) == PGT_count_mask )
        return -EINVAL;
    if ( entries < 0 || entries >= 0x7fff || uses > 0 || uses <= -0x7fff )
        return -EINVAL;
    pg->type_info = x + 1;
    linear_add(ptpg, 1);
    linear_add(pg, -1);
    return 0;
}

/*
 * Take the references entry e of a level-'level' table owned by d needs.
 * pg_owner: for an update, the domain whose frames the entry may name
 * besides d's own (NULL while validating a whole table).
 */
static int get_entry_ref(pte_t e, unsigned int level, struct domain *d,
                         struct domain *pg_owner, struct page_info *ptpg)
{
    struct page_info *pg;
    struct domain *owner;
    mfn_t mfn = pte_mfn(e);
    int rc;

    if ( !(e & _PAGE_PRESENT) )
        return 0;
    rc = pv_check_entry_flags(d, level, e);
    if ( rc )
        return rc;

    if ( level == 1 )
    {
        /* Untracked: I/O memory if the domain was given the frame
         * (io-perm.c); -EINVAL for a frame in its I/O range that is not
         * I/O memory (RAM the hypervisor holds, free frames); -EPERM for
         * anything outside its range (so every untracked frame for a
         * domain that was given none). */
        if ( !mfn_is_tracked(mfn) )
            return io_frame_permitted(d, mfn) ? 0 :
                   io_frame_in_range(d, mfn) ? -EINVAL : -EPERM;
        pg = mfn_to_page(mfn);
        owner = page_get_owner(pg);
        if ( owner == NULL )
            return -EINVAL;
        if ( owner != d )
        {
            /* Foreign frames: privileged domains only, and during an
             * update only from the domain the caller named. */
            if ( !(d->is_privileged || owner == grant_granter) ||
                 (pg_owner != NULL && owner != pg_owner) )
                return -EPERM;
        }
        if ( !get_page(pg, owner) )
            return -EINVAL;
        if ( e & _PAGE_RW )
        {
            rc = get_page_type_locked(pg, PGT_writable_page);
            if ( rc )
            {
                put_page(pg);
                return rc;
            }
        }
        return 0;
    }

    /* Upper levels point only at the same domain's next-level tables, or
     * (read-only) linearly at a table of their own level. */
    if ( !mfn_is_tracked(mfn) )
        return -EINVAL;
    pg = mfn_to_page(mfn);
    if ( pg == ptpg )
    {
        /* The table itself: no references (it would never be freed). */
        return (opt_pv_linear_pt && !(e & _PAGE_RW)) ? 0 : -EINVAL;
    }
    if ( !get_page(pg, d) )
        return -EINVAL;
    rc = get_page_type_locked(pg, PGT_level(level - 1));
    if ( rc == -EINVAL && ptpg != NULL &&
         (pg->type_info & PGT_type_mask) == PGT_level(level) )
        rc = get_linear_ref(e, level, pg, ptpg);
    if ( rc )
    {
        put_page(pg);
        return rc;
    }
    return 0;
}

/* Undo get_entry_ref for an entry of table ptpg accepted earlier. */
static void put_entry_ref(pte_t e, unsigned int level, struct page_info *ptpg)
{
    struct page_info *pg;
    mfn_t mfn = pte_mfn(e);

    if ( !(e & _PAGE_PRESENT) || !mfn_is_tracked(mfn) )
        return;     /* nothing, or an untracked I/O frame */
    pg = mfn_to_page(mfn);
    if ( level > 1 && pg == ptpg )
        return;     /* linear self-reference: took nothing */
    if ( level > 1 && (pg->type_info & PGT_type_mask) == PGT_level(level) )
    {
        linear_add(ptpg, -1);
        linear_add(pg, 1);
    }
    if ( level > 1 || (e & _PAGE_RW) )
        put_page_type_locked(pg);
    put_page(pg);
}

static bool slot_is_guest(unsigned int level, unsigned int i)
{
    return level != 4 || !l4_slot_is_hypervisor(i);
}

static void devalidate_table(struct page_info *pg, unsigned int level)
{
    pte_t *t = table_of(pg);

    for ( unsigned int i = 0; i < 512; i++ )
        if ( slot_is_guest(level, i) )
            put_entry_ref(pte_read(&t[i]), level, pg);
}

static int validate_table(struct page_info *pg, unsigned int level)
{
    struct domain *d = page_get_owner(pg);
    pte_t *t = table_of(pg);
    unsigned int i;
    int rc = 0;

    for ( i = 0; i < 512; i++ )
    {
        pte_t e;

        if ( !slot_is_guest(level, i) )
            continue;
        e = pte_read(&t[i]);
        rc = get_entry_ref(e, level, d, NULL, pg);
        if ( rc )
            break;
        if ( e & _PAGE_PRESENT )
            __atomic_store_n(&t[i], hw_entry(e, level), __ATOMIC_RELEASE);
    }
    if ( rc )
    {
        printk(XENLOG_DEBUG "mm: d%u mfn %#lx: L%u entry %u (%#lx) refused "
               "(%d)\n", d->domain_id, page_to_mfn(pg), level, i,
               (unsigned long)pte_read(&t[i]), rc);
        while ( i-- > 0 )
            if ( slot_is_guest(level, i) )
                put_entry_ref(pte_read(&t[i]), level, pg);
        return rc;
    }
    if ( level == 4 )
        for ( i = L4_HV_FIRST_SLOT; i <= L4_HV_LAST_SLOT; i++ )
            __atomic_store_n(&t[i], pv_hypervisor_l4e(i), __ATOMIC_RELEASE);
    return 0;
}

static int get_page_type_locked(struct page_info *pg, unsigned long type)
{
    unsigned long x = pg->type_info;
    unsigned long count = x & PGT_count_mask;
    unsigned long old_type = x & PGT_type_mask;
    unsigned int level = pgt_table_level(type);
    int rc;

    if ( count != 0 )
    {
        /* In use: only the same, fully validated type may be shared.  A
         * table being validated (not yet PGT_validated) refuses entries
         * that point back at it. */
        if ( old_type != type || !(x & PGT_validated) )
            return -EINVAL;
        if ( count == PGT_count_mask )
            return -EBUSY;
        pg->type_info = x + 1;
        return 0;
    }

    if ( old_type == type && (x & PGT_validated) )
    {
        pg->type_info = x + 1;
        return 0;
    }

    /* Hypervisor pages a guest may map are never tables or descriptors:
     * the hypervisor writes them. */
    if ( type != PGT_writable_page &&
         (READ_ONCE(pg->count_info) & PGC_xen_shared) )
        return -EINVAL;

    /* Leaving "writable": a CPU may still hold a writable TLB entry for the
     * frame from a mapping that is already gone. */
    if ( old_type == PGT_writable_page && type != PGT_writable_page )
        flush_tlb_mask(tlbflush_filter(pv_all_cpus(), pg->tlbflush_timestamp));

    if ( level == 0 )
    {
        pg->type_info = type | PGT_validated | 1;
        return 0;
    }

    pg->type_info = type | 1;           /* being validated */
    rc = validate_table(pg, level);
    if ( rc )
    {
        pg->type_info = PGT_none;
        return rc;
    }
    /* Keep the linear count validation built up (linear entries it
     * accepted): it is what keeps others from naming this table linearly. */
    pg->type_info = (pg->type_info & PGT_linear_mask) | type | PGT_validated | 1;
    return 0;
}

static void put_page_type_locked(struct page_info *pg)
{
    unsigned long x = pg->type_info;
    unsigned int level = pgt_table_level(x);

    if ( (x & PGT_count_mask) == 0 )
        panic("put_page_type: mfn %#lx has no type reference (type_info %#lx)",
              page_to_mfn(pg), x);
    if ( (x & PGT_count_mask) > 1 || level == 0 )
    {
        pg->type_info = x - 1;
        if ( (x & PGT_count_mask) == 1 )
            pg->tlbflush_timestamp = tlbflush_now();
        return;
    }
    if ( x & PGT_pinned )
        panic("put_page_type: mfn %#lx: last type reference of a pinned "
              "table", page_to_mfn(pg));
    /* Last reference to a table: nothing walks it any more. */
    /* Not validated: refuse new users meanwhile.  The linear count goes
     * back to 0 as the entries are dropped. */
    pg->type_info = (x & (PGT_type_mask | PGT_linear_mask)) | 1;
    devalidate_table(pg, level);
    pg->type_info = PGT_none;
}

int get_page_type(struct page_info *pg, unsigned long type)
{
    int rc;

    pt_lock_acquire();
    rc = get_page_type_locked(pg, type);
    pt_lock_release();
    return rc;
}

void put_page_type(struct page_info *pg)
{
    pt_lock_acquire();
    put_page_type_locked(pg);
    pt_lock_release();
}

int get_page_and_type(struct page_info *pg, struct domain *d,
                      unsigned long type)
{
    int rc;

    if ( !get_page(pg, d) )
        return -EINVAL;
    rc = get_page_type(pg, type);
    if ( rc )
        put_page(pg);
    return rc;
}

void put_page_and_type(struct page_info *pg)
{
    put_page_type(pg);
    put_page(pg);
}

/* ---- Pinning ---------------------------------------------------------- */

int pv_pin_table(struct domain *d, mfn_t mfn, unsigned int level)
{
    struct page_info *pg;
    int rc;

    if ( level < 1 || level > 4 )
        return -EINVAL;
    pg = get_page_from_mfn(mfn, d);
    if ( pg == NULL )
        return -EINVAL;
    pt_lock_acquire();
    rc = get_page_type_locked(pg, PGT_level(level));
    if ( rc == 0 && (pg->type_info & PGT_pinned) )
    {
        put_page_type_locked(pg);
        rc = -EINVAL;           /* already pinned (Xen says -EINVAL too) */
    }
    if ( rc == 0 )
        pg->type_info |= PGT_pinned;
    pt_lock_release();
    if ( rc )
        put_page(pg);
    return rc;
}

int pv_unpin_table(struct domain *d, mfn_t mfn)
{
    struct page_info *pg;

    if ( !mfn_in_frame_table(mfn) )
        return -EINVAL;
    pg = mfn_to_page(mfn);
    pt_lock_acquire();
    if ( page_get_owner(pg) != d || !(pg->type_info & PGT_pinned) )
    {
        pt_lock_release();
        return -EINVAL;
    }
    pg->type_info &= ~PGT_pinned;
    put_page_type_locked(pg);
    pt_lock_release();
    put_page(pg);       /* the pin's general reference */
    return 0;
}

void pv_relinquish_page_tables(struct domain *d)
{
    struct list_head *pos;

    pt_lock_acquire();
    spin_lock(&d->lock);
    list_for_each(pos, &d->page_list)
    {
        struct page_info *pg = list_entry(pos, struct page_info, list);

        if ( !(pg->type_info & PGT_pinned) )
            continue;
        pg->type_info &= ~PGT_pinned;
        put_page_type_locked(pg);
        /* Still allocated, so this never frees the frame. */
        put_page(pg);
    }
    spin_unlock(&d->lock);
    pt_lock_release();
}

/* ---- vCPU base pointers ----------------------------------------------- */

int pv_set_guest_table(struct vcpu *v, mfn_t l4, bool user)
{
    struct domain *d = v->domain;
    mfn_t old;
    int rc;

    if ( l4 == 0 )
    {
        if ( !user )
            return -EINVAL;
        old = v->arch.guest_table_user;
        v->arch.guest_table_user = 0;
    }
    else
    {
        if ( !mfn_in_frame_table(l4) )
            return -EINVAL;
        rc = get_page_and_type(mfn_to_page(l4), d, PGT_l4_page_table);
        if ( rc )
            return rc;
        if ( user )
        {
            old = v->arch.guest_table_user;
            v->arch.guest_table_user = l4;
        }
        else
        {
            old = v->arch.guest_table;
            v->arch.guest_table = l4;
        }
    }
    /* Never run on a table after dropping its reference. */
    pv_reload_cr3(v);
    if ( base_set(old) )
        put_page_and_type(mfn_to_page(old));
    return 0;
}

void pv_install_guest_tables(struct vcpu *v, mfn_t l4, mfn_t l4u)
{
    mfn_t k = v->arch.guest_table, u = v->arch.guest_table_user;

    v->arch.guest_table = l4;
    v->arch.guest_table_user = l4u;
    /* Never run on a table after dropping its reference. */
    pv_reload_cr3(v);
    if ( base_set(k) )
        put_page_and_type(mfn_to_page(k));
    if ( base_set(u) )
        put_page_and_type(mfn_to_page(u));
}

void pv_release_guest_tables(struct vcpu *v)
{
    mfn_t k = v->arch.guest_table, u = v->arch.guest_table_user;

    v->arch.guest_table = 0;
    v->arch.guest_table_user = 0;
    if ( base_set(k) )
        put_page_and_type(mfn_to_page(k));
    if ( base_set(u) )
        put_page_and_type(mfn_to_page(u));
}

mfn_t pv_current_root(const struct vcpu *v)
{
    if ( !v->arch.kernel_mode && base_set(v->arch.guest_table_user) )
        return v->arch.guest_table_user;
    return v->arch.guest_table;
}

/* ---- Entry updates ---------------------------------------------------- */

/* A validated update; pt_lock held, table referenced by the caller. */
static int update_entry_locked(struct page_info *pg, unsigned int level,
                               unsigned int idx, pte_t val,
                               struct domain *pg_owner, pte_t *expect,
                               bool preserve_ad)
{
    pte_t *slot = &table_of(pg)[idx];
    pte_t cur, nv;
    int rc;

    rc = get_entry_ref(val, level, page_get_owner(pg), pg_owner, pg);
    if ( rc )
        return rc;
    for ( ;; )
    {
        cur = pte_read(slot);
        if ( expect != NULL && cur != *expect )
        {
            *expect = cur;
            put_entry_ref(val, level, pg);
            return -EAGAIN;
        }
        nv = hw_entry(val, level);
        if ( preserve_ad && (nv & _PAGE_PRESENT) )
            nv |= cur & (_PAGE_ACCESSED | _PAGE_DIRTY);
        /* Only the MMU's Accessed/Dirty updates can race with us here. */
        if ( __atomic_compare_exchange_n(slot, &cur, nv, false,
                                         __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) )
            break;
    }
    put_entry_ref(cur, level, pg);
    return 0;
}

int pv_update_entry(struct page_info *pg, unsigned int level,
                    unsigned int idx, pte_t val, struct domain *pg_owner,
                    pte_t *expect, bool preserve_ad)
{
    unsigned long x;
    int rc;

    if ( idx >= 512 || level < 1 || level > 4 )
        return -EINVAL;
    if ( level == 4 && l4_slot_is_hypervisor(idx) )
        return -EPERM;
    pt_lock_acquire();
    x = pg->type_info;
    if ( (x & PGT_type_mask) != PGT_level(level) ||
         !(x & PGT_validated) || (x & PGT_count_mask) == 0 )
        rc = -EINVAL;
    else
        rc = update_entry_locked(pg, level, idx, val, pg_owner, expect,
                                 preserve_ad);
    pt_lock_release();
    return rc;
}

int pv_update_grant_entry(struct page_info *pg, unsigned int idx, pte_t val,
                          struct domain *granter, pte_t *expect)
{
    unsigned long x;
    int rc = -EINVAL;

    if ( idx >= 512 )
        return -EINVAL;
    pt_lock_acquire();
    x = pg->type_info;
    if ( (x & PGT_type_mask) == PGT_level(1) && (x & PGT_validated) &&
         (x & PGT_count_mask) != 0 )
    {
        grant_granter = granter;
        rc = update_entry_locked(pg, 1, idx, val, granter, expect, false);
        grant_granter = NULL;
    }
    pt_lock_release();
    return rc;
}

int pv_update_any_entry(struct page_info *pg, unsigned int idx, pte_t val,
                        struct domain *pg_owner, bool preserve_ad)
{
    unsigned long x;
    unsigned int level;
    int rc;

    if ( idx >= 512 )
        return -EINVAL;
    pt_lock_acquire();
    x = pg->type_info;
    level = pgt_table_level(x);
    if ( level != 0 && (x & PGT_count_mask) != 0 )
    {
        if ( !(x & PGT_validated) )
            rc = -EINVAL;
        else if ( level == 4 && l4_slot_is_hypervisor(idx) )
            rc = -EPERM;
        else
            rc = update_entry_locked(pg, level, idx, val, pg_owner, NULL,
                                     preserve_ad);
    }
    else
    {
        /* Not a page table now: an ordinary write, allowed on any frame
         * the caller could map writable. */
        rc = get_page_type_locked(pg, PGT_writable_page);
        if ( rc == 0 )
        {
            __atomic_store_n(&table_of(pg)[idx], val, __ATOMIC_RELEASE);
            put_page_type_locked(pg);
        }
    }
    pt_lock_release();
    return rc;
}

/*
 * update_va_mapping's write: the L1 entry mapping va under root, updated
 * as pv_update_entry would, with the walk done under pt_lock.  Holding
 * the lock from the walk on is what lets this go without taking and
 * dropping a general reference on the L1 (two atomic operations, a third
 * of the call under TCG, and the balloon makes one call per frame): every
 * entry on the path is validated and holds a type reference on the table
 * it names, validated entries change only under pt_lock, so the L1 keeps
 * its type, and the frame its owner, until we let go.
 */
int pv_update_va_entry(mfn_t root, unsigned long va, pte_t val,
                       struct domain *d, struct domain *pg_owner)
{
    struct page_info *pg;
    unsigned long x;
    unsigned int idx;
    mfn_t l1;
    int rc = -EINVAL;

    pt_lock_acquire();
    if ( pv_walk_to_l1(root, va, &l1, &idx) == 0 )
    {
        pg = mfn_to_page(l1);
        x = pg->type_info;
        /* A linear L2 entry makes the "L1" an L2: the type says so. */
        if ( page_get_owner(pg) == d &&
             (x & PGT_type_mask) == PGT_level(1) && (x & PGT_validated) &&
             (x & PGT_count_mask) != 0 )
            rc = update_entry_locked(pg, 1, idx, val, pg_owner, NULL, false);
    }
    pt_lock_release();
    return rc;
}

/* ---- Walking a validated hierarchy ------------------------------------ */

static bool va_is_guest(unsigned long va)
{
    /* Canonical, and outside the hypervisor's slots. */
    if ( (unsigned long)((long)(va << 16) >> 16) != va )
        return false;
    return va < HYPERVISOR_AREA_START || va >= HYPERVISOR_AREA_END;
}

int pv_walk_to_l1(mfn_t l4, unsigned long va, mfn_t *l1_mfn,
                  unsigned int *idx)
{
    static const unsigned int shifts[3] = { L4_SHIFT, L3_SHIFT, L2_SHIFT };
    mfn_t mfn = l4;

    if ( !va_is_guest(va) || l4 == 0 )
        return -EFAULT;
    for ( unsigned int i = 0; i < 3; i++ )
    {
        pte_t e;

        if ( !mfn_in_frame_table(mfn) )
            return -EFAULT;
        e = pte_read((pte_t *)page_to_virt(mfn_to_page(mfn)) +
                     PT_INDEX(va, shifts[i]));
        if ( !(e & _PAGE_PRESENT) || (e & _PAGE_PSE) )
            return -EFAULT;
        mfn = pte_mfn(e);
    }
    if ( !mfn_in_frame_table(mfn) )
        return -EFAULT;
    *l1_mfn = mfn;
    *idx = PT_INDEX(va, L1_SHIFT);
    return 0;
}
