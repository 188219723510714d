/*
 * dom0_op.h - the control interface between dom0's toolstack and the
 * hypervisor.
 *
 * This is OUR interface.  It uses hypercall slot 36, which upstream Xen
 * calls "domctl", but neither the layouts nor the command numbers below
 * follow upstream's domctl: Linux never interprets this hypercall (privcmd
 * passes it through untouched), so the only parties to this contract are
 * our hypervisor and our libxc.  docs/dom0_op.md is the prose reference.
 *
 * Calling convention: hypercall __HYPERVISOR_dom0_op with one argument, the
 * guest-virtual address of a struct xen_dom0_op.  Only a privileged domain
 * may call it.  The hypervisor copies the whole struct in, checks the
 * header, runs the command and, on success, copies the whole struct back.
 *
 * Rules every command follows:
 *  - Fields are fixed-width and naturally aligned; the layout is the same
 *    for every compiler on x86-64.  "IN" fields are read by the hypervisor,
 *    "OUT" fields written by it (valid only when the call returns 0).
 *  - Every field named pad* / reserved* is IN and must be zero, and so must
 *    the unused tail of the union; otherwise the call fails with -EINVAL.
 *    That keeps them free for later use without a version bump.
 *  - Flag words come with a _MASK; a set bit outside it gives -EINVAL.
 *  - Buffers are passed as xen_dom0_handle_t: a 64-bit guest-virtual
 *    address in the caller's address space, never a pointer type, so the
 *    layout does not depend on the compiler's pointer size.
 *  - Domain ids are 16 bits; ids at or above 0x7FF0 (DOMID_FIRST_RESERVED)
 *    never name an ordinary domain and give -EINVAL unless a command says
 *    otherwise.
 */
#ifndef XEN_PUBLIC_DOM0_OP_H
#define XEN_PUBLIC_DOM0_OP_H

#include <stdint.h>

#include "xen.h"            /* domid_t, DOMID_* */
#include "arch-x86_64.h"    /* struct vcpu_guest_context */

#define __HYPERVISOR_dom0_op 36

/*
 * Interface version.  Tools and hypervisor must agree exactly.
 *
 * Bump rule: increment by one whenever any existing command changes its
 * struct layout, the meaning of a field or flag, or its errno contract,
 * and whenever a command number is retired (numbers are never reused).
 * Adding a new command at an unused number, or giving meaning to a field
 * that was "pad, must be zero", does NOT need a bump: an older hypervisor
 * answers -ENOSYS / -EINVAL to those on its own.
 *
 * On a mismatch the hypervisor fails the call with XEN_DOM0_EVERSION,
 * does nothing else, and writes its own version into interface_version
 * (the only field copied back) so the tools can report both numbers.
 */
#define XEN_DOM0_OP_INTERFACE_VERSION 3
/* History: 1 -> 2: readlog numbers log LINES, not bytes (start_seq,
 * next_seq, lost and head_seq count lines; nr_bytes still counts bytes).
 * 2 -> 3: setvcpuaffinity keeps the mask as the vCPU's hard affinity and
 * takes the caller's own vCPUs (no more EBUSY); weight and cap of
 * setschedparams are enforced. */

/*
 * Errno values (negated in the return value).  These are the Linux/Xen
 * x86 numbers.  EPROTO is reserved for the version mismatch above and no
 * command returns it for any other reason, so seeing it always means
 * "tools and hypervisor were built from different interface versions".
 */
#define XEN_DOM0_EPERM    1   /* caller is not a privileged domain        */
#define XEN_DOM0_ENOENT   2   /* named vCPU (or counter) does not exist    */
#define XEN_DOM0_ESRCH    3   /* no domain with that id                    */
#define XEN_DOM0_EAGAIN  11   /* try again (destroy still in progress)     */
#define XEN_DOM0_ENOMEM  12   /* hypervisor out of memory                  */
#define XEN_DOM0_EFAULT  14   /* a handle (or the op itself) is unreadable */
#define XEN_DOM0_EBUSY   16   /* domain in the wrong state for the command */
#define XEN_DOM0_EEXIST  17   /* requested domid already in use            */
#define XEN_DOM0_EINVAL  22   /* malformed request                         */
#define XEN_DOM0_ENOSPC  28   /* no free domain id                         */
#define XEN_DOM0_ENOSYS  38   /* unknown command                           */
#define XEN_DOM0_EVERSION 71  /* EPROTO: interface_version mismatch        */

/* A 64-bit guest-virtual address of a caller buffer. */
typedef uint64_t xen_dom0_handle_t;

/* Command numbers.  0 is never valid.  Retired numbers stay retired. */
#define XEN_DOM0_createdomain        1
#define XEN_DOM0_destroydomain       2
#define XEN_DOM0_pausedomain         3
#define XEN_DOM0_unpausedomain       4
#define XEN_DOM0_getdomaininfo       5
#define XEN_DOM0_getdomaininfolist   6
#define XEN_DOM0_setmaxmem           7
#define XEN_DOM0_getvcpucontext      8
#define XEN_DOM0_setvcpucontext      9
#define XEN_DOM0_setvcpuaffinity    10
#define XEN_DOM0_getvcpuinfo        11
#define XEN_DOM0_getschedparams     12
#define XEN_DOM0_setschedparams     13
#define XEN_DOM0_getaccounting      14
#define XEN_DOM0_readlog            15
#define XEN_DOM0_getframeinfo       16
#define XEN_DOM0_getperfcounters    17
#define XEN_DOM0_physinfo           18
#define XEN_DOM0_resumedomain       19  /* struct xen_dom0_domain */
#define XEN_DOM0_getvcpuaffinity    20  /* struct xen_dom0_vcpuaffinity */
#define XEN_DOM0_copyframes         25

/* Size of the per-command union; every command struct fits in it. */
#define XEN_DOM0_OP_PAYLOAD_SIZE   128

/* Limits the hypervisor enforces with -EINVAL. */
#define XEN_DOM0_MAX_VCPUS             128   /* per domain                  */
#define XEN_DOM0_INFOLIST_MAX         1024   /* entries per getdomaininfolist */
#define XEN_DOM0_CPUMAP_MAX_BITS      4096   /* setvcpuaffinity map size    */
#define XEN_DOM0_HYPERCALL_COUNTERS_MAX 256  /* getaccounting counter array */
#define XEN_DOM0_READLOG_MAX       (1u << 20) /* bytes per readlog call     */
#define XEN_DOM0_FRAMEINFO_MAX        1024   /* frames per getframeinfo     */
#define XEN_DOM0_PERFC_MAX            1024   /* entries per getperfcounters */
#define XEN_DOM0_SCHED_WEIGHT_MAX    65535
#define XEN_DOM0_COPYFRAMES_MAX       1024   /* frames per copyframes       */

/* ------------------------------------------------------------------ */
/* createdomain: make an empty, paused domain.
 *
 * The domain starts with no memory (tot_pages 0), max_vcpus vCPUs that are
 * all down, and a limit of max_pages pages; the builder then populates it
 * with XENMEM_populate_physmap, loads vCPU 0 with setvcpucontext and
 * unpauses it.  domid IN: a specific id below DOMID_FIRST_RESERVED, or
 * DOMID_INVALID to let the hypervisor choose: the first free id after the
 * last one it chose, round robin below DOMID_FIRST_RESERVED (never 0).
 */
#define XEN_DOM0_CDF_privileged   (1u << 0)  /* may use dom0_op itself     */
#define XEN_DOM0_CDF_MASK         0x00000001u

struct xen_dom0_createdomain {
    uint16_t domid;          /* IN: wanted id or DOMID_INVALID; OUT: id   */
    uint16_t pad0;
    uint32_t flags;          /* IN: XEN_DOM0_CDF_*                         */
    uint64_t max_pages;      /* IN: memory limit in 4 KiB pages, > 0      */
    uint32_t max_vcpus;      /* IN: 1..XEN_DOM0_MAX_VCPUS                  */
    uint32_t pad1;
    uint8_t  handle[16];     /* IN: opaque UUID, echoed by getdomaininfo   */
};

/* destroydomain, pausedomain, unpausedomain: only a domain id. */
struct xen_dom0_domain {
    uint16_t domid;          /* IN                                          */
    uint16_t pad0;
    uint32_t pad1;
};

/* ------------------------------------------------------------------ */
/* Domain information, one record per domain (72 bytes). */
#define XEN_DOMINF_dying       (1u << 0)  /* being destroyed               */
#define XEN_DOMINF_shutdown    (1u << 1)  /* shut down; see shutdown_reason */
#define XEN_DOMINF_paused      (1u << 2)  /* paused by the toolstack        */
#define XEN_DOMINF_blocked     (1u << 3)  /* every online vCPU is blocked   */
#define XEN_DOMINF_running     (1u << 4)  /* some vCPU is on a CPU now      */
#define XEN_DOMINF_privileged  (1u << 5)  /* created with CDF_privileged    */
#define XEN_DOMINF_MASK        0x0000003fu

struct xen_dom0_domaininfo {
    uint16_t domid;             /* OUT                                     */
    uint16_t pad0;
    uint32_t flags;             /* OUT: XEN_DOMINF_*                       */
    uint64_t tot_pages;         /* OUT: pages the domain owns now          */
    uint64_t max_pages;         /* OUT: its limit                          */
    uint64_t shared_info_frame; /* OUT: MFN of its shared_info page        */
    uint64_t cpu_time_ns;       /* OUT: sum over its vCPUs                 */
    uint32_t nr_online_vcpus;   /* OUT                                     */
    uint32_t max_vcpu_id;       /* OUT: max_vcpus - 1                      */
    uint8_t  handle[16];        /* OUT: as given to createdomain           */
    uint32_t shutdown_reason;   /* OUT: SHUTDOWN_* if flags has shutdown   */
    uint32_t pad1;
};

/* getdomaininfo: exactly the domain named (no "next domain" search). */
struct xen_dom0_getdomaininfo {
    uint16_t domid;                    /* IN                                */
    uint16_t pad0;
    uint32_t pad1;
    struct xen_dom0_domaininfo info;   /* OUT                               */
};

/*
 * getdomaininfolist: the existing domains with id >= first_domid, in
 * increasing id order, at most max_entries of them, written as an array
 * of struct xen_dom0_domaininfo to buffer.  To walk every domain, start at
 * 0 and continue from (last returned domid + 1) while nr_entries ==
 * max_entries.
 */
struct xen_dom0_getdomaininfolist {
    uint16_t first_domid;      /* IN                                        */
    uint16_t pad0;
    uint32_t max_entries;      /* IN: 1..XEN_DOM0_INFOLIST_MAX               */
    xen_dom0_handle_t buffer;  /* IN: struct xen_dom0_domaininfo[max]       */
    uint32_t nr_entries;       /* OUT: records written                      */
    uint32_t pad1;
};

/* setmaxmem: change the page limit; may be below tot_pages (the domain
 * then cannot grow until it has given pages back). */
struct xen_dom0_setmaxmem {
    uint16_t domid;          /* IN                                          */
    uint16_t pad0;
    uint32_t pad1;
    uint64_t max_pages;      /* IN: > 0 and <= the machine's total pages     */
};

/* ------------------------------------------------------------------ */
/*
 * getvcpucontext / setvcpucontext: copy one vCPU's register state, as a
 * struct vcpu_guest_context (arch-x86_64.h), to or from ctxt.  size must
 * equal sizeof(struct vcpu_guest_context) so that a layout disagreement is
 * caught rather than silently misread.  set needs the domain paused (or
 * the vCPU never brought up) and validates the context like
 * VCPUOP_initialise does; VGCF_online in ctxt.flags brings the vCPU up.
 */
struct xen_dom0_vcpucontext {
    uint16_t domid;          /* IN                                          */
    uint16_t pad0;
    uint32_t vcpu;           /* IN: 0..max_vcpu_id                          */
    xen_dom0_handle_t ctxt;  /* IN: struct vcpu_guest_context (get: OUT data) */
    uint32_t size;           /* IN: sizeof(struct vcpu_guest_context)       */
    uint32_t pad1;
};

/* setvcpuaffinity: cpumap is a little-endian bitmap of nr_bits bits,
 * (nr_bits + 7) / 8 bytes; bit n = physical CPU n.  Bits for CPUs that do
 * not exist are ignored, but at least one existing CPU must be set.  The
 * vCPU runs only on the CPUs of the mask from then on (hard affinity); a
 * vCPU running elsewhere moves at its next deschedule.
 * getvcpuaffinity (20): writes the mask into cpumap, nr_bits bits. */
struct xen_dom0_vcpuaffinity {
    uint16_t domid;          /* IN                                          */
    uint16_t pad0;
    uint32_t vcpu;           /* IN                                          */
    xen_dom0_handle_t cpumap;/* IN                                          */
    uint32_t nr_bits;        /* IN: 1..XEN_DOM0_CPUMAP_MAX_BITS              */
    uint32_t pad1;
};

/* getvcpuinfo */
struct xen_dom0_vcpuinfo {
    uint16_t domid;          /* IN                                          */
    uint16_t pad0;
    uint32_t vcpu;           /* IN                                          */
    uint8_t  online;         /* OUT: 1 if up                                */
    uint8_t  blocked;        /* OUT: 1 if waiting for an event              */
    uint8_t  running;        /* OUT: 1 if on a physical CPU now             */
    uint8_t  pad1;
    uint32_t cpu;            /* OUT: physical CPU it runs or last ran on    */
    uint64_t cpu_time_ns;    /* OUT: time spent running                     */
};

/* ------------------------------------------------------------------ */
/* getschedparams / setschedparams for the credit-style scheduler.
 * weight: relative share, 1..XEN_DOM0_SCHED_WEIGHT_MAX (default 256).
 * cap: 0 = uncapped, else the most CPU the domain may use, in percent of
 * one physical CPU (100 = one full CPU), at most 100 * nr_cpus. */
#define XEN_SCHEDULER_CREDIT  1

struct xen_dom0_schedparams {
    uint16_t domid;          /* IN                                          */
    uint16_t pad0;
    uint32_t sched_id;       /* get: OUT XEN_SCHEDULER_*; set: ignored    */
    uint32_t weight;         /* get: OUT, set: IN                           */
    uint32_t cap;            /* get: OUT, set: IN                           */
};

/*
 * getaccounting: per-domain counters since the domain was created.  If
 * nr_hypercall_counts > 0, hypercall_counts receives that many uint64_t
 * counters, entry n = calls of hypercall number n (entries beyond what the
 * hypervisor keeps are written as 0).  nr_hypercall_counts 0 with a zero
 * handle skips the array.  nr_hypercalls_kept tells the caller how many
 * hypercall numbers the hypervisor counts.
 */
struct xen_dom0_getaccounting {
    uint16_t domid;                   /* IN                                 */
    uint16_t pad0;
    uint32_t nr_hypercall_counts;     /* IN: 0..XEN_DOM0_HYPERCALL_COUNTERS_MAX */
    xen_dom0_handle_t hypercall_counts; /* IN: uint64_t[nr_hypercall_counts] */
    uint32_t nr_hypercalls_kept;      /* OUT                                */
    uint32_t pad1;
    uint64_t cpu_time_ns;             /* OUT                                */
    uint64_t hypercalls;              /* OUT: total, every number           */
    uint64_t events_sent;             /* OUT: EVTCHNOP_send by this domain  */
    uint64_t events_delivered;        /* OUT: upcalls injected into it      */
    uint64_t exceptions_bounced;      /* OUT: faults/traps reflected to it  */
    uint64_t page_faults;             /* OUT: #PF bounced to it             */
    uint64_t ptwr_emulations;         /* OUT: page-table writes emulated    */
    uint64_t mmu_updates;             /* OUT: mmu_update entries applied    */
};

/*
 * readlog: incremental read of the hypervisor's log ring.
 *
 * The log is a sequence of lines, each ending in '\n'.  Every line ever
 * logged has a sequence number: 0 for the first line after boot, counting
 * up, never reset.  The ring keeps only the most recent lines.  The caller
 * asks for lines from start_seq; if some of them were already overwritten,
 * the hypervisor starts at the oldest line it still has and reports how
 * many lines were skipped in lost.  It copies as many whole lines as fit in
 * size bytes (nr_bytes) and sets next_seq to the number to pass next time.
 * A line longer than the whole buffer is delivered cut to size bytes and
 * counts as read, so every call makes progress.  head_seq is the number
 * the next line will get, so next_seq == head_seq means the reader has
 * caught up.  A start_seq beyond head_seq (e.g. saved across a hypervisor
 * reboot) gives -EINVAL; restart from 0.
 */
#define XEN_DOM0_READLOG_MASK 0x00000000u   /* no flags defined yet */

struct xen_dom0_readlog {
    uint64_t start_seq;        /* IN: line number                           */
    xen_dom0_handle_t buffer;  /* IN: receives the bytes                    */
    uint32_t size;             /* IN: buffer size, 1..XEN_DOM0_READLOG_MAX   */
    uint32_t flags;            /* IN: XEN_DOM0_READLOG_MASK bits only       */
    uint32_t nr_bytes;         /* OUT: bytes copied                         */
    uint32_t pad0;
    uint64_t next_seq;         /* OUT: line number to ask for next          */
    uint64_t lost;             /* OUT: lines skipped because of wrap        */
    uint64_t head_seq;         /* OUT: number the next logged line will get */
};

/*
 * getframeinfo: for each machine frame in mfns (uint64_t[nr_frames]),
 * report who owns it and what it is used as, into info
 * (struct xen_dom0_frameinfo[nr_frames]).  A frame beyond the end of
 * memory or free reports owner DOMID_INVALID, type NONE.  Frames owned by
 * the hypervisor report DOMID_XEN.  Per-frame problems never fail the call.
 */
#define XEN_DOM0_FRAME_NONE      0  /* ordinary page, no special type       */
#define XEN_DOM0_FRAME_L1        1  /* validated page table, level 1..4     */
#define XEN_DOM0_FRAME_L2        2
#define XEN_DOM0_FRAME_L3        3
#define XEN_DOM0_FRAME_L4        4
#define XEN_DOM0_FRAME_SEGDESC   5  /* in use as a GDT or LDT page          */
#define XEN_DOM0_FRAME_WRITABLE  6  /* mapped writable somewhere            */

#define XEN_DOM0_FRAMEF_pinned   (1u << 0)  /* type pinned by the guest     */

struct xen_dom0_frameinfo {
    uint16_t owner;          /* domid, DOMID_XEN or DOMID_INVALID           */
    uint8_t  type;           /* XEN_DOM0_FRAME_*                            */
    uint8_t  flags;          /* XEN_DOM0_FRAMEF_*                           */
};

struct xen_dom0_getframeinfo {
    uint32_t nr_frames;       /* IN: 1..XEN_DOM0_FRAMEINFO_MAX               */
    uint32_t pad0;
    xen_dom0_handle_t mfns;   /* IN: uint64_t[nr_frames]                     */
    xen_dom0_handle_t info;   /* IN: struct xen_dom0_frameinfo[nr_frames]    */
};

/*
 * getperfcounters: hypervisor-wide event counters, identified by a small
 * integer id that stays fixed while the hypervisor runs.  query NAMES
 * fills buffer with struct xen_dom0_perfc_name, query VALUES with struct
 * xen_dom0_perfc_value, starting from counter index first (entries past
 * the last counter are not written).  max_entries 0 with a zero buffer
 * only reports nr_total.  Flag RESET (VALUES only, else -EINVAL) zeroes
 * every counter after this call's values are copied out; with
 * max_entries 0 it just resets.
 */
#define XEN_DOM0_PERFC_QUERY_NAMES   0
#define XEN_DOM0_PERFC_QUERY_VALUES  1
#define XEN_DOM0_PERFC_RESET         (1u << 0)
#define XEN_DOM0_PERFC_MASK          0x00000001u
#define XEN_DOM0_PERFC_NAME_LEN      40    /* NUL-terminated, NUL-padded */

struct xen_dom0_perfc_name {
    uint32_t id;
    uint32_t pad0;
    char     name[XEN_DOM0_PERFC_NAME_LEN];
};

struct xen_dom0_perfc_value {
    uint32_t id;
    uint32_t pad0;
    uint64_t value;
};

struct xen_dom0_getperfcounters {
    uint32_t query;            /* IN: XEN_DOM0_PERFC_QUERY_*                */
    uint32_t flags;            /* IN: XEN_DOM0_PERFC_*                      */
    uint32_t first;            /* IN: index of the first counter wanted     */
    uint32_t max_entries;      /* IN: 0..XEN_DOM0_PERFC_MAX                  */
    xen_dom0_handle_t buffer;  /* IN                                        */
    uint32_t nr_entries;       /* OUT: entries written                      */
    uint32_t nr_total;         /* OUT: counters that exist                  */
};

/* physinfo: the machine as the hypervisor sees it. */
struct xen_dom0_physinfo {
    uint32_t nr_cpus;          /* OUT: physical CPUs online                 */
    uint32_t cpu_khz;          /* OUT: TSC frequency                        */
    uint64_t total_pages;      /* OUT: RAM the hypervisor manages           */
    uint64_t free_pages;       /* OUT: not owned by anyone                  */
    uint32_t xen_major;        /* OUT: same as XENVER_version               */
    uint32_t xen_minor;
    uint32_t max_vcpus;        /* OUT: per-domain limit it enforces         */
    uint32_t sched_id;         /* OUT: XEN_SCHEDULER_*                      */
    uint16_t max_domid;        /* OUT: highest id createdomain will use     */
    uint16_t pad0;
    uint32_t pad1;
};

/*
 * copyframes: copy whole frames of domain domid to or from the caller,
 * without mapping them (save and restore move a guest's memory this way).
 * mfns: uint64_t[nr_frames], each owned by domid; buffer: nr_frames * 4096
 * bytes, frame i at i * 4096; zero_map: 0 or uint8_t[nr_frames].
 * Read (flags 0): each frame is copied to the buffer, except that with a
 * zero_map an all-zero frame is not copied and its byte is set to 1 (0
 * for the others); nr_zero (OUT) counts those.  Write
 * (XEN_DOM0_COPYF_write): each frame gets the buffer's bytes, or zeroes
 * when its zero_map byte is non-zero; a frame in use as a page table or
 * descriptor table is refused (-EBUSY), so nothing validated is changed
 * behind the hypervisor's back.  -EINVAL: nr_frames 0 or too many, a
 * frame not domid's; -EFAULT: a bad buffer.  Frames before the failing
 * one have been copied.
 */
#define XEN_DOM0_COPYF_write   (1u << 0)
#define XEN_DOM0_COPYF_MASK    0x00000001u

struct xen_dom0_copyframes {
    uint16_t domid;            /* IN                                        */
    uint16_t pad0;
    uint32_t flags;            /* IN: XEN_DOM0_COPYF_*                      */
    uint32_t nr_frames;        /* IN: 1..XEN_DOM0_COPYFRAMES_MAX            */
    uint32_t nr_zero;          /* OUT (read with zero_map): frames all zero */
    xen_dom0_handle_t mfns;    /* IN: uint64_t[nr_frames]                   */
    xen_dom0_handle_t buffer;  /* IN/OUT: nr_frames * 4096 bytes            */
    xen_dom0_handle_t zero_map; /* 0, or uint8_t[nr_frames] (see above)     */
};

/* ------------------------------------------------------------------ */
struct xen_dom0_op {
    uint32_t cmd;                /* IN: XEN_DOM0_*                          */
    uint32_t interface_version;  /* IN: XEN_DOM0_OP_INTERFACE_VERSION;
                                    OUT on -EPROTO: the hypervisor's own   */
    union {
        /* First, so that `struct xen_dom0_op op = { 0 }` zeroes all 128
         * bytes (C initialises only a union's first member). */
        uint8_t pad[XEN_DOM0_OP_PAYLOAD_SIZE];
        struct xen_dom0_createdomain      createdomain;
        struct xen_dom0_domain            domain;  /* destroy/pause/unpause */
        struct xen_dom0_getdomaininfo     getdomaininfo;
        struct xen_dom0_getdomaininfolist getdomaininfolist;
        struct xen_dom0_setmaxmem         setmaxmem;
        struct xen_dom0_vcpucontext       vcpucontext;
        struct xen_dom0_vcpuaffinity      vcpuaffinity;
        struct xen_dom0_vcpuinfo          vcpuinfo;
        struct xen_dom0_schedparams       schedparams;
        struct xen_dom0_getaccounting     getaccounting;
        struct xen_dom0_readlog           readlog;
        struct xen_dom0_getframeinfo      getframeinfo;
        struct xen_dom0_getperfcounters   getperfcounters;
        struct xen_dom0_physinfo          physinfo;
        struct xen_dom0_copyframes        copyframes;
    } u;
};

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(sizeof(struct xen_dom0_op) == 8 + XEN_DOM0_OP_PAYLOAD_SIZE,
               "a command struct outgrew the dom0_op union");
_Static_assert(sizeof(struct xen_dom0_domaininfo) == 72,
               "domaininfo layout changed: bump the interface version");
_Static_assert(sizeof(struct xen_dom0_frameinfo) == 4,
               "frameinfo layout changed: bump the interface version");
_Static_assert(sizeof(struct xen_dom0_perfc_name) == 48,
               "perfc_name layout changed: bump the interface version");
#endif

#endif /* XEN_PUBLIC_DOM0_OP_H */
