/*
 * The PV memory-management core: page types, validated page-table
 * updates, writable page tables, the M2P table and TLB flushes.
 * docs/page-types.md explains the rules; this header is the API.
 *
 * type_info of a frame (struct page_info):
 *
 *   bits 63:60  PGT_* type the frame is used as
 *   bit  59     PGT_validated: contents checked for that type
 *   bit  58     PGT_pinned: a pin (MMUEXT_PIN_*) holds one type reference
 *   bits 31:0   type count: how many holders rely on the type
 *
 * A frame changes type only while its type count is 0.  Page-table types
 * are validated on the 0 -> 1 transition and devalidated (every reference
 * their entries hold is dropped) on 1 -> 0, after which the type reads
 * PGT_none.  Writable and descriptor types keep their type at count 0, so
 * that leaving "writable" can be recognised (it needs a TLB flush).
 *
 * Every type reference is taken by someone who already holds a general
 * reference (get_page) on the frame.
 *
 * All type changes and validated entry updates are serialised by one lock
 * (pt_lock in mm.c): simple, and correct with any number of CPUs.
 */
#ifndef X86_PV_MM_H
#define X86_PV_MM_H

#include <xen/types.h>
#include <xen/mm.h>
#include <xen/grant_table.h>
#include <xen/hypercall.h>
#include <asm/page.h>
#include <asm/pv-types.h>

struct domain;
struct vcpu;
struct cpu_regs;

/* The type_info encoding (PGT_*) and page_type() & co: asm/pv-types.h. */

/* ---- The guest's part of an L4 ---- */

#define L4_HV_FIRST_SLOT    256     /* slots 256-271: the hypervisor's */
#define L4_HV_LAST_SLOT     271
#define L4_M2P_SLOT         256     /* the guest-readable M2P lives here */

static inline bool l4_slot_is_hypervisor(unsigned int slot)
{
    return slot >= L4_HV_FIRST_SLOT && slot <= L4_HV_LAST_SLOT;
}

/* ---- Page types (mm.c) ---- */

/* Take a type reference: 0, or -EINVAL (the frame is in use as another
 * type, or its contents fail validation), -EBUSY (count would overflow). */
int get_page_type(struct page_info *pg, unsigned long type);
void put_page_type(struct page_info *pg);
/* get_page then get_page_type; undoes the first if the second fails. */
int get_page_and_type(struct page_info *pg, struct domain *d,
                      unsigned long type);
void put_page_and_type(struct page_info *pg);

/* Pin a table of d at 'level' (1..4): one general and one type reference
 * kept until unpin.  -EINVAL (not d's, wrong type, validation, or already
 * pinned: Xen's answer to MMUEXT_PIN_* on a pinned table). */
int pv_pin_table(struct domain *d, mfn_t mfn, unsigned int level);
int pv_unpin_table(struct domain *d, mfn_t mfn);

/*
 * Make l4 the vCPU's kernel (user == false) or user base pointer: takes a
 * general + L4 type reference on it and drops the one on the previous
 * table.  l4 == 0 clears the user pointer (not allowed for the kernel
 * one).  Reloads CR3 when v is running here.  0 or -EINVAL.
 */
int pv_set_guest_table(struct vcpu *v, mfn_t l4, bool user);
/*
 * Replace both base pointers at once (loading a whole vCPU context): the
 * caller hands over a general + L4 type reference it already took on l4
 * and on l4u (0: no user table); those of the old tables are dropped.
 * Cannot fail, so a context is either applied entirely or not at all.
 */
void pv_install_guest_tables(struct vcpu *v, mfn_t l4, mfn_t l4u);
/* Drop both base-pointer references (vCPU teardown). */
void pv_release_guest_tables(struct vcpu *v);
/* Domain teardown: unpin everything d pinned, so that every page-table
 * type reference of d is gone.  vCPU tables must be released first. */
void pv_relinquish_page_tables(struct domain *d);

/*
 * A validated update of entry 'idx' of page-table frame pg (which must be
 * of type PGT_level(level), referenced by the caller).  val is checked and
 * referenced as an entry of that level, with frames owned by pg_owner (or
 * the table's owner).  When 'expect' is non-NULL the update happens only if
 * the entry still equals *expect (else -EAGAIN and *expect = the current
 * value).  preserve_ad keeps the old Accessed/Dirty bits.  0 or -errno.
 */
int pv_update_entry(struct page_info *pg, unsigned int level,
                    unsigned int idx, pte_t val, struct domain *pg_owner,
                    pte_t *expect, bool preserve_ad);

/* update_va_mapping: the entry mapping va in the tables rooted at root
 * (d's current one), walked and updated under the page-table lock.
 * -EINVAL when va is not mapped down to a validated L1 of d; otherwise as
 * pv_update_entry. */
int pv_update_va_entry(mfn_t root, unsigned long va, pte_t val,
                       struct domain *d, struct domain *pg_owner);

/* A grant mapping's entry (pv/grant-pte.c): like pv_update_entry on the
 * L1 frame pg, but val may name a frame of 'granter' even when the
 * table's owner is not privileged.  The entry takes the references any L1
 * entry takes, so a guest that later overwrites it drops exactly those;
 * the grant code holds its own on top.  0, -EAGAIN (expect differs) or
 * -EINVAL / -EPERM. */
int pv_update_grant_entry(struct page_info *pg, unsigned int idx, pte_t val,
                          struct domain *granter, pte_t *expect);

/* mmu_update's MMU_NORMAL_PT_UPDATE on any frame: a validated update when
 * pg is in use as a page table (any level), otherwise a plain write that
 * needs the frame to be mappable writable.  0 or -errno. */
int pv_update_any_entry(struct page_info *pg, unsigned int idx, pte_t val,
                        struct domain *pg_owner, bool preserve_ad);

/* Is a new entry acceptable at 'level' for a table of d?  (flag checks
 * only; reference checks happen on update) */
int pv_check_entry_flags(const struct domain *d, unsigned int level,
                         pte_t val);

/* The page-table lock, for code that must see counts hold still (the
 * audit). */
void pv_mm_lock(void);
void pv_mm_unlock(void);

/* The L1 entry that maps va in the page tables rooted at l4 (which must be
 * validated): its table's frame and index.  -EFAULT when va is not mapped
 * down to an L1 (or is in the hypervisor's range). */
int pv_walk_to_l1(mfn_t l4, unsigned long va, mfn_t *l1_mfn,
                  unsigned int *idx);

/* The root the vCPU currently runs on (kernel or user table). */
mfn_t pv_current_root(const struct vcpu *v);

/* The CPU has NX (set by m2p_init); without it the bit is stripped. */
extern bool pv_nx_supported;
/* Physical address width (CPUID 0x80000008), set by m2p_init. */
extern unsigned int pv_paddr_bits;

/* ---- Descriptor pages (pv/descriptor.c) ---- */

/*
 * The only way a frame becomes a GDT frame, for every path (set_gdt,
 * VCPUOP_initialise, setvcpucontext, restore): takes a general and a
 * PGT_seg_desc_page type reference on each of d's frames and checks (and
 * fixes up) every descriptor in it.  All or nothing: 0, or -EINVAL with no
 * reference kept.  _put drops what _get took.
 */
int pv_gdt_frames_get(struct domain *d, const mfn_t *mfns,
                      unsigned int frames);
void pv_gdt_frames_put(const mfn_t *mfns, unsigned int frames);

/* Is mfn a frame the privileged domain may map without reference counting
 * (MMIO, firmware, the first MiB)?  The audit asks the same as validation. */
bool pv_mfn_is_io(mfn_t mfn);

/* ---- M2P (pv/mm-m2p.c) ---- */

void m2p_init(void);
void set_gpfn_from_mfn(mfn_t mfn, unsigned long pfn);
unsigned long get_gpfn_from_mfn(mfn_t mfn);       /* ~0UL when unknown */
/* Frames the table covers ([0, m2p_nr_frames())) and its guest range. */
unsigned long m2p_nr_frames(void);
unsigned long m2p_guest_va_end(void);
/* The MFN backing 2 MiB chunk i of the table, INVALID_MFN past the end. */
mfn_t m2p_chunk_mfn(unsigned long i);
/* The hypervisor's L4 entries for slots 256-271 of every guest L4. */
pte_t pv_hypervisor_l4e(unsigned int slot);

/* ---- TLB flushes (pv/mm-flush.c) ---- */

/* Flush all non-global TLB entries on every CPU in cpumask (the calling
 * CPU included when its bit is set); returns once all have done so. */
void flush_tlb_mask(uint64_t cpumask);
/* Invalidate one guest virtual address on every CPU in cpumask. */
void flush_tlb_one_mask(uint64_t cpumask, unsigned long va);
void flush_tlb_local_guest(void);
/* Serve a flush another CPU asked this one for; called by code that spins
 * (on pt_lock) so two CPUs never wait for each other. */
void flush_tlb_poll(void);
void flush_tlb_one_local(unsigned long va);
/* Write back and invalidate caches on the CPUs in cpumask. */
void flush_cache_mask(uint64_t cpumask);
/* Load CR3 for v if it is running on this CPU (kernel or user root per
 * its mode); no-op otherwise. */
void pv_reload_cr3(struct vcpu *v);
/* The physical CPUs that may hold TLB entries of d's vCPUs in vcpumask
 * (~0 = all of them). */
uint64_t pv_vcpumask_to_cpumask(const struct domain *d, uint64_t vcpumask);
/* Every online CPU. */
uint64_t pv_all_cpus(void);

/* ---- Hypercall bodies (pv/mm.c), with the vCPU explicit ---- */

long pv_mmu_update(struct vcpu *v, uint64_t reqs, unsigned long count,
                   uint64_t done_va, unsigned long foreigndom);
long pv_mmuext_op(struct vcpu *v, uint64_t ops, unsigned long count,
                  uint64_t done_va, unsigned long foreigndom);
long pv_update_va_mapping(struct vcpu *v, unsigned long va, uint64_t val,
                          unsigned long flags, struct domain *pg_owner);

/* pv_memory_op (xen/hypercall.h) and pv_grant_table_op
 * (xen/grant_table.h): common code's bodies, with the caller explicit. */

/* ---- The page-table write emulator (pv/emul-pte.c) ---- */

/*
 * Memory access for the emulator; addresses are guest linear addresses.
 * cmpxchg replaces 'bytes' bytes at addr with *new if they still equal
 * *old: 0; -EAGAIN when they differ (*old then holds the current bytes);
 * any other -errno refuses the write.  bytes is 1, 2, 4, 8 or 16.
 */
struct pte_emul_ops {
    int (*read)(void *ctx, unsigned long addr, void *buf, unsigned int bytes);
    int (*cmpxchg)(void *ctx, unsigned long addr, void *old, const void *new,
                   unsigned int bytes);
};

enum pte_emul_result {
    PTE_EMUL_DONE,          /* executed: registers, flags and RIP updated */
    PTE_EMUL_UNHANDLED,     /* not an instruction form we emulate */
    PTE_EMUL_REFUSED,       /* the memory access was refused */
    PTE_EMUL_RETRY,         /* kept losing races: nothing done, re-execute */
};

/* Emulate the write instruction at regs->rip, whose bytes are insn[0..len). */
enum pte_emul_result pte_emulate(struct cpu_regs *regs, const uint8_t *insn,
                                 unsigned int len,
                                 const struct pte_emul_ops *ops, void *ctx);

/* ---- Writable page tables (pv/ptwr.c) ---- */

/* #PF hook: 1 when the write fault was an emulated page-table write (RIP
 * advanced, registers updated), 0 to bounce the fault to the guest. */
int pv_ptwr_fault(struct cpu_regs *regs, unsigned long addr,
                  unsigned int error_code);

/* ---- Audit (pv/mm-audit.c) ---- */

/* Check d's counts against what its page tables, pins and vCPU base
 * pointers imply; prints each mismatch, returns how many. */
int mm_audit_domain(struct domain *d);
/* Run the audit if booted with mm_audit; for the domain shutdown path. */
void mm_audit_at_shutdown(struct domain *d);
/* References the hypervisor holds on a frame outside page tables (GDT
 * frames, vcpu_info): general count and type count.  Weak default: none.
 * Code that keeps such references provides the real one. */
unsigned long mm_audit_other_refs(const struct domain *d, mfn_t mfn,
                                  unsigned long *type_refs);

#endif /* X86_PV_MM_H */
