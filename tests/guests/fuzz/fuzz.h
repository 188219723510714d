/*
 * The hypercall fuzzer (tests/guests/fuzz.c and this directory): shared
 * types.  One `struct fuzz_cpu` per vCPU holds its random stream, its own
 * argument pages and its counters; the frame pools are shared, so vCPUs
 * race on the same frames on purpose.
 */
#ifndef FUZZ_FUZZ_H
#define FUZZ_FUZZ_H

#include "guest.h"
#include "public/dom0_op.h"
#include "public/physdev.h"

#define FUZZ_ARG_PAGES 4            /* per vCPU; a guard page follows */
#define FUZZ_LOOSE_PER_CPU 64       /* unmapped frames each vCPU manages */
#define FUZZ_OTHER_FRAMES 32        /* frames given to the other domain */
#define FUZZ_BATCH_MAX 64           /* mmu/mmuext/multicall entries */
#define FUZZ_NR_MAX 64              /* hypercall numbers counted */

/* ---- Random numbers: xorshift64*, one stream per vCPU --------------------- */
struct fuzz_rng {
    uint64_t s;
};
uint64_t rng_next(struct fuzz_rng *r);
static inline uint64_t rng_below(struct fuzz_rng *r, uint64_t n)
{
    return n ? rng_next(r) % n : 0;
}
static inline int rng_chance(struct fuzz_rng *r, unsigned int percent)
{
    return rng_below(r, 100) < percent;
}

/* ---- The run ------------------------------------------------------------ */
struct fuzz_call {                  /* what was issued, for reports */
    uint64_t nr, a[5];
    long rc;
};

struct fuzz_cpu {
    unsigned int id;
    struct fuzz_rng rng;
    uint8_t *arg;                   /* FUZZ_ARG_PAGES pages, then a guard */
    uint64_t calls, target_calls, deadline_tsc;
    uint64_t counts[FUZZ_NR_MAX], ok[FUZZ_NR_MAX];
    unsigned int recovered, restore_failures, refused_hostile_failures;
    int vcpu_info_moved;            /* register_vcpu_info succeeded here */
    struct fuzz_call last[8];       /* ring of the last calls */
    unsigned int last_pos;
    struct recover_point rp;
    size_t arg_used;                /* bump allocator over c->arg */
    int arena_full;                 /* this call's buffers ran out */
    uint8_t *trash;                 /* a page handed out when they do */
    unsigned int dirty;             /* DIRTY_*: what restore_state() must redo */
    uint64_t arg_pte[FUZZ_ARG_PAGES + 1];   /* our mappings of arg + guard */
    uint8_t *sink;                  /* a page the hypervisor may write into */
    uint8_t *scratch;               /* where gen_ptr()'s "any buffer" points:
                                     * never the argument pages, whose later
                                     * contents an output would rewrite */
    unsigned int hostile_accepted;  /* must-refuse updates that succeeded */
    /* The top-level multicall as built (the hypervisor rewrites an
     * entry's arguments when it continues it), for op_after() per entry. */
    struct multicall_entry mc_snap[16];
    uint64_t mc_list;               /* where the entries were issued from */
    unsigned int mc_n;              /* 0: none to look at */
    /* Loose frames: ours, never mapped; given back and re-populated. */
    uint64_t loose_pfn[FUZZ_LOOSE_PER_CPU];
    volatile uint64_t loose_mfn[FUZZ_LOOSE_PER_CPU]; /* ~0: given back */
};

struct fuzz_config {
    uint64_t seed, calls, seconds;
    unsigned int vcpus;
    int trace;                      /* print every call before issuing it */
    int known;                      /* 1: ignore the known-bug exclusions */
};

extern struct fuzz_config fuzz_cfg;
extern struct fuzz_cpu fuzz_cpus[SMP_MAX_CPUS];
extern uint64_t fuzz_tsc_per_ms;

/* ---- Frames and values (gen.c) ----------------------------------------- */
struct fuzz_world {
    unsigned long max_mfn;
    unsigned long region_pages;     /* PFNs mapped by the initial region */
    uint64_t pt_mfn[4][8];          /* our live tables by level-1, a few each */
    unsigned int nr_pt[4];
    uint64_t pt_free_slot[4][16];   /* machine addresses of empty entries */
    unsigned int nr_free_slot[4];   /*   in live L2..L4 (index level-1) */
    uint64_t xen_mfn[8];            /* shared_info, grant frames: DOMID_XEN */
    unsigned int nr_xen;
    uint64_t xen_owned[8];          /* frames getframeinfo says DOMID_XEN owns */
    unsigned int nr_xen_owned;
    unsigned int nr_vcpus;          /* dom0's vCPUs, fuzzing or not */
    domid_t other;                  /* the other domain, or DOMID_INVALID */
    volatile uint64_t other_mfn[FUZZ_OTHER_FRAMES];
};
extern struct fuzz_world world;

enum frame_kind {
    FR_LOOSE,       /* ours, unmapped: anything may happen to it */
    FR_LOOSE_ANY,   /* a loose frame of any vCPU (races) */
    FR_OWN_DATA,    /* ours, mapped RW in the initial region */
    FR_OWN_PT,      /* our live page tables */
    FR_OTHER,       /* the other domain's */
    FR_XEN,         /* shared_info, grant-table frames */
    FR_HV,          /* not ours, not shared: the hypervisor's or free */
    FR_BOUNDARY,    /* 0, max_mfn, max_mfn+1, ~0, 1<<52 ... */
    FR_NKINDS
};
uint64_t gen_frame(struct fuzz_cpu *c, enum frame_kind k);
uint64_t gen_frame_any(struct fuzz_cpu *c);           /* any kind */
uint64_t gen_frame_safe(struct fuzz_cpu *c);          /* never live own data/PT */
uint64_t gen_frame_writable(struct fuzz_cpu *c, uint64_t mfn); /* mfn, or a loose frame for shared_info */
uint64_t gen_pte(struct fuzz_cpu *c, uint64_t mfn);   /* flags around a frame */
uint64_t gen_va(struct fuzz_cpu *c);                  /* any VA class */
uint64_t gen_ptr(struct fuzz_cpu *c, size_t size);    /* a buffer pointer */
uint64_t gen_bad_ptr(struct fuzz_cpu *c, size_t size); /* one that cannot be used whole */
uint64_t gen_bound(struct fuzz_cpu *c);               /* boundary integers */
uint64_t gen_count(struct fuzz_cpu *c, unsigned int max_sane);
domid_t gen_domid(struct fuzz_cpu *c);
uint32_t gen_port(struct fuzz_cpu *c);
uint32_t gen_vcpu(struct fuzz_cpu *c);
int own_mfn(uint64_t mfn);
int is_loose(uint64_t mfn);
void world_init(void);

/* ---- Pools (pool.c) ----------------------------------------------------- */
void loose_init(void);
void loose_refill(struct fuzz_cpu *c);      /* re-populate given-back frames */
void loose_note_released(uint64_t mfn);
long other_domain_create(void);
void other_domain_destroy(void);
long dom0_op(struct xen_dom0_op *op, uint32_t cmd);

/* ---- Calls (ops.c) ------------------------------------------------------ */
#define DIRTY_TRAPS     (1u << 0)
#define DIRTY_CALLBACKS (1u << 1)
#define DIRTY_DEBUG     (1u << 2)
#define DIRTY_FPU       (1u << 3)
#define DIRTY_SEG       (1u << 4)
#define DIRTY_GDT       (1u << 5)
#define DIRTY_LDT       (1u << 6)
#define DIRTY_USERBASE  (1u << 7)
#define DIRTY_MAPPING   (1u << 8)
#define DIRTY_IOPL      (1u << 9)
#define DIRTY_TIMER     (1u << 10)
#define DIRTY_ALL       0x7ffu
/* Build one call into c->arg; returns 0 if it must not be issued. */
int op_build(struct fuzz_cpu *c, uint64_t *nr, uint64_t a[5], int in_multicall);
void op_after(struct fuzz_cpu *c, uint64_t nr, const uint64_t a[5], long rc);
void multicall_after(struct fuzz_cpu *c, const uint64_t a[5]);
int restore_state(struct fuzz_cpu *c);

/* ---- Grant tables (ops-grant.c) ---------------------------------------- */
void grant_init(void);                      /* our table, mapped; slot pages */
void grant_op_after(struct fuzz_cpu *c, const uint64_t a[5]);
void grant_cleanup(void);                   /* unmap what is left; coverage */

/* ---- Known-bug exclusions (exclusions.c) -------------------------------- */
enum known_bug {
    KB_VCPU_INFO_FRAME_RETYPED,
    KB_UNVALIDATED_GDT_FRAMES,
    KB_MULTICALL_WIDE_OP,
    KB_INITIALISE_NOT_IN_KERNEL,
    KB_CONCURRENT_DECREASE,
    KB_UNBOUNDED_MMU_BATCH,
    KB_BLOCK_NO_WAKEUP,
    KB_COUNT
};
/* True if shapes that trigger this known bug must be avoided this run. */
int known_excluded(enum known_bug b);
void known_print(void);

/* ---- After the run (after.c) ------------------------------------------- */
void after_checks(void);
uint64_t free_pages_now(void);
extern uint64_t fuzz_free_pages_before;

#endif /* FUZZ_FUZZ_H */
