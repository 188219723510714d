/*
 * xenctrl.h - libxc, the C library dom0 tools use to control the hypervisor.
 *
 * Conventions for every function here:
 *  - Success returns 0 (or a documented non-negative value); failure
 *    returns -1 (or NULL) with errno set, and records a one-line message
 *    on the handle, readable with xc_last_error().  The library never
 *    exits and never prints.
 *  - Arguments are checked before any hypercall: NULL buffers, zero or
 *    oversized counts and reserved domain ids fail with EINVAL.
 *  - Domain ids are passed as uint32_t; valid ordinary ids are below
 *    XC_DOMID_FIRST_RESERVED.  Memory is counted in 4 KiB pages.
 *  - A handle may be shared by threads: every call uses its own buffers,
 *    and the last-error record is protected by a mutex.
 *  - If the tools and the hypervisor were built from different dom0_op
 *    interface versions, every dom0_op-based call fails with EPROTO and a
 *    message naming both versions.
 *
 * Hypercall buffers, foreign mappings, event channels and grant maps go
 * through Linux's /dev/xen/{privcmd,hypercall,evtchn,gntdev}; see
 * xc_transport.h for the table that stands behind a handle.
 */
#ifndef XENCTRL_H
#define XENCTRL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vcpu_guest_context;          /* include/public/arch-x86_64.h */

typedef struct xc_interface xc_interface;
typedef struct xc_evtchn    xc_evtchn;
typedef struct xc_gnttab    xc_gnttab;

#define XC_PAGE_SHIFT            12
#define XC_PAGE_SIZE             (1u << XC_PAGE_SHIFT)
#define XC_KIB_TO_PAGES(kib)     ((uint64_t)(kib) >> (XC_PAGE_SHIFT - 10))
#define XC_PAGES_TO_KIB(pages)   ((uint64_t)(pages) << (XC_PAGE_SHIFT - 10))

#define XC_DOMID_FIRST_RESERVED  0x7FF0u
#define XC_DOMID_SELF            0x7FF0u
#define XC_DOMID_ANY             0x7FF4u   /* createdomain: hypervisor picks */

/* ---- Handles and errors ------------------------------------------- */

/* Open the real transport (/dev/xen/privcmd).  NULL + errno on failure;
 * xc_open_error() then describes it (e.g. ENOENT: not running on Xen or
 * the xen-privcmd module is not loaded). */
xc_interface *xc_interface_open(void);

/* The message for the calling thread's last failed xc_interface_open*. */
const char *xc_open_error(void);

/* Fails with EBUSY while event-channel or grant handles opened from h are
 * still open (close those first); otherwise frees h. */
int xc_interface_close(xc_interface *h);

/* Last failure on h, from any thread: message ("" if none) and errno.  The
 * returned string is a per-thread copy, valid until this thread calls
 * xc_last_error again. */
const char *xc_last_error(xc_interface *h);
int xc_last_errno(xc_interface *h);
void xc_clear_last_error(xc_interface *h);

/* ---- Domains (dom0_op) -------------------------------------------- */

#define XC_DOMCREATE_PRIVILEGED  (1u << 0)

typedef struct xc_domain_create_args {
    uint32_t domid;          /* wanted id, or XC_DOMID_ANY                */
    uint32_t flags;          /* XC_DOMCREATE_*                            */
    uint64_t max_pages;      /* memory limit; the domain starts empty     */
    uint32_t max_vcpus;      /* 1..128                                    */
    uint8_t  handle[16];     /* UUID, reported back by getinfo            */
} xc_domain_create_args_t;

/* Creates a paused, empty domain and stores its id in *domid. */
int xc_domain_create(xc_interface *h, const xc_domain_create_args_t *args,
                     uint32_t *domid);
/* Retries internally while the hypervisor answers EAGAIN (teardown in
 * progress), up to a bounded number of attempts. */
int xc_domain_destroy(xc_interface *h, uint32_t domid);
int xc_domain_pause(xc_interface *h, uint32_t domid);
int xc_domain_unpause(xc_interface *h, uint32_t domid);

typedef struct xc_dominfo {
    uint32_t domid;
    bool     dying, shutdown, paused, blocked, running, privileged;
    uint32_t shutdown_reason;    /* SHUTDOWN_* (sched.h), if shutdown      */
    uint64_t tot_pages;
    uint64_t max_pages;
    uint64_t shared_info_frame;
    uint64_t cpu_time_ns;
    uint32_t nr_online_vcpus;
    uint32_t max_vcpu_id;
    uint8_t  handle[16];
} xc_dominfo_t;

/* Exactly domain `domid`; ESRCH if it does not exist. */
int xc_domain_getinfo(xc_interface *h, uint32_t domid, xc_dominfo_t *info);

/* Up to max (1..1024) existing domains with id >= first_domid, ascending.
 * Returns how many were stored (0 if none), or -1. */
int xc_domain_getinfolist(xc_interface *h, uint32_t first_domid,
                          unsigned int max, xc_dominfo_t *info);

int xc_domain_setmaxmem(xc_interface *h, uint32_t domid, uint64_t max_pages);

/* The domain must be paused for setcontext (or the vCPU never started). */
int xc_vcpu_getcontext(xc_interface *h, uint32_t domid, uint32_t vcpu,
                       struct vcpu_guest_context *ctxt);
int xc_vcpu_setcontext(xc_interface *h, uint32_t domid, uint32_t vcpu,
                       const struct vcpu_guest_context *ctxt);

/* cpumap: bit n of byte n/8 = physical CPU n; nr_bits 1..4096.  The
 * mask is the vCPU's hard affinity: it runs only there from then on. */
int xc_vcpu_setaffinity(xc_interface *h, uint32_t domid, uint32_t vcpu,
                        const uint8_t *cpumap, unsigned int nr_bits);
/* The mask back, nr_bits bits of it into cpumap ((nr_bits + 7) / 8
 * bytes). */
int xc_vcpu_getaffinity(xc_interface *h, uint32_t domid, uint32_t vcpu,
                        uint8_t *cpumap, unsigned int nr_bits);

typedef struct xc_vcpuinfo {
    bool     online, blocked, running;
    uint32_t cpu;                /* physical CPU it is on or last ran on   */
    uint64_t cpu_time_ns;
} xc_vcpuinfo_t;

int xc_vcpu_getinfo(xc_interface *h, uint32_t domid, uint32_t vcpu,
                    xc_vcpuinfo_t *info);

#define XC_SCHED_CREDIT      1
#define XC_SCHED_WEIGHT_MAX  65535

typedef struct xc_sched_params {
    uint32_t sched_id;   /* OUT of xc_sched_get; ignored by xc_sched_set   */
    uint32_t weight;     /* 1..XC_SCHED_WEIGHT_MAX                        */
    uint32_t cap;        /* 0 = none, else percent of one CPU (enforced)  */
} xc_sched_params_t;

int xc_sched_get(xc_interface *h, uint32_t domid, xc_sched_params_t *p);
int xc_sched_set(xc_interface *h, uint32_t domid, const xc_sched_params_t *p);

typedef struct xc_accounting {
    uint64_t cpu_time_ns;
    uint64_t hypercalls;
    uint64_t events_sent;
    uint64_t events_delivered;
    uint64_t exceptions_bounced;
    uint64_t page_faults;
    uint64_t ptwr_emulations;
    uint64_t mmu_updates;
    uint32_t nr_hypercalls_kept;     /* size of the per-number table      */
} xc_accounting_t;

/* counts may be NULL with nr_counts 0; otherwise counts[n] receives the
 * number of calls to hypercall n, for n < nr_counts (<= 256). */
int xc_domain_get_accounting(xc_interface *h, uint32_t domid,
                             xc_accounting_t *acct,
                             uint64_t *counts, unsigned int nr_counts);

typedef struct xc_readlog_result {
    uint32_t nr_bytes;   /* bytes stored in buf (not NUL-terminated)      */
    uint64_t next_seq;   /* pass as start_seq next time                   */
    uint64_t lost;       /* lines overwritten before we could read them   */
    uint64_t head_seq;   /* next_seq == head_seq: nothing more right now  */
} xc_readlog_result_t;

/* Reads whole hypervisor log lines from line number start_seq (0 = the
 * first line since boot) into buf; size 1..1 MiB. */
int xc_readlog(xc_interface *h, uint64_t start_seq, char *buf, uint32_t size,
               xc_readlog_result_t *res);

#define XC_FRAME_NONE      0
#define XC_FRAME_L1        1
#define XC_FRAME_L2        2
#define XC_FRAME_L3        3
#define XC_FRAME_L4        4
#define XC_FRAME_SEGDESC   5
#define XC_FRAME_WRITABLE  6

typedef struct xc_frameinfo {
    uint32_t owner;      /* domid, 0x7FF2 (hypervisor) or 0x7FF4 (none)  */
    uint32_t type;       /* XC_FRAME_*                                    */
    bool     pinned;
} xc_frameinfo_t;

/* Any nr >= 1 (split into batches internally); info has nr entries. */
int xc_get_frameinfo(xc_interface *h, const uint64_t *mfns, unsigned int nr,
                     xc_frameinfo_t *info);

#define XC_PERFC_NAME_LEN 40

typedef struct xc_perfc {
    uint32_t id;
    char     name[XC_PERFC_NAME_LEN];
    uint64_t value;
} xc_perfc_t;

/* Number of hypervisor performance counters, or -1. */
int xc_perf_counter_count(xc_interface *h);
/* Fills up to max entries (names and values); returns how many, or -1.
 * reset: zero the hypervisor's counters after reading them. */
int xc_perf_counters(xc_interface *h, xc_perfc_t *out, unsigned int max,
                     bool reset);

typedef struct xc_physinfo {
    uint32_t nr_cpus;
    uint32_t cpu_khz;
    uint64_t total_pages;
    uint64_t free_pages;
    uint32_t xen_major, xen_minor;
    uint32_t max_vcpus;
    uint32_t sched_id;
    uint32_t max_domid;
} xc_physinfo_t;

int xc_physinfo(xc_interface *h, xc_physinfo_t *info);

/* ---- Memory (memory_op) ------------------------------------------- */

/* Each returns the number of extents processed (may be fewer than asked
 * if the hypervisor ran out), or -1.  extents has nr_extents entries:
 * increase: OUT machine frames; decrease: IN frames to free;
 * populate: IN guest pfns, OUT machine frames. */
long xc_domain_increase_reservation(xc_interface *h, uint32_t domid,
                                    unsigned long nr_extents,
                                    unsigned int extent_order,
                                    uint64_t *extents);
long xc_domain_decrease_reservation(xc_interface *h, uint32_t domid,
                                    unsigned long nr_extents,
                                    unsigned int extent_order,
                                    const uint64_t *extents);
long xc_domain_populate_physmap(xc_interface *h, uint32_t domid,
                                unsigned long nr_extents,
                                unsigned int extent_order,
                                uint64_t *extents);
/* As above but all-or-nothing from the caller's view: a short count is
 * turned into -1 with errno ENOMEM. */
int xc_domain_populate_physmap_exact(xc_interface *h, uint32_t domid,
                                     unsigned long nr_extents,
                                     unsigned int extent_order,
                                     uint64_t *extents);

int xc_domain_current_reservation(xc_interface *h, uint32_t domid,
                                  uint64_t *pages);
int xc_domain_maximum_gpfn(xc_interface *h, uint32_t domid, uint64_t *gpfn);
int xc_maximum_ram_page(xc_interface *h, uint64_t *mfn);

/* ---- Hypervisor version (xen_version) ----------------------------- */

#define XC_EXTRAVERSION_LEN   16
#define XC_CAPABILITIES_LEN 1024

int xc_version(xc_interface *h, uint32_t *major, uint32_t *minor);
int xc_version_extra(xc_interface *h, char buf[XC_EXTRAVERSION_LEN]);
int xc_version_capabilities(xc_interface *h, char buf[XC_CAPABILITIES_LEN]);
int xc_version_features(xc_interface *h, uint32_t submap_idx,
                        uint32_t *submap);

/* ---- Event channels ------------------------------------------------ */

/* Hypercall: a new unbound port in `domid` that `remote_domid` may bind
 * (the toolstack's store/console ports).  Returns the port, or -1. */
int xc_evtchn_alloc_unbound(xc_interface *h, uint32_t domid,
                            uint32_t remote_domid);

/* /dev/xen/evtchn: ports bound here belong to this handle and are closed
 * with it.  Errors are recorded on the parent xc_interface. */
xc_evtchn *xc_evtchn_open(xc_interface *h);
int xc_evtchn_close(xc_evtchn *xce);
/* A descriptor that polls readable when xc_evtchn_pending has a port. */
int xc_evtchn_fd(xc_evtchn *xce);
/* Each returns the local port, or -1. */
int xc_evtchn_bind_interdomain(xc_evtchn *xce, uint32_t domid,
                               uint32_t remote_port);
int xc_evtchn_bind_unbound_port(xc_evtchn *xce, uint32_t remote_domid);
int xc_evtchn_bind_virq(xc_evtchn *xce, uint32_t virq);
int xc_evtchn_notify(xc_evtchn *xce, uint32_t port);
int xc_evtchn_unbind(xc_evtchn *xce, uint32_t port);
/* Next port that fired, or -1 (errno EAGAIN if the descriptor is
 * non-blocking and none is pending).  The port stays masked until
 * xc_evtchn_unmask. */
int xc_evtchn_pending(xc_evtchn *xce);
int xc_evtchn_unmask(xc_evtchn *xce, uint32_t port);

/* ---- Grant tables (/dev/xen/gntdev) -------------------------------- */

xc_gnttab *xc_gnttab_open(xc_interface *h);
int xc_gnttab_close(xc_gnttab *xcg);
/* Maps count (1..1024) grants, page i = refs[i] of domids[i], as one
 * contiguous region.  prot: PROT_READ or PROT_READ|PROT_WRITE. */
void *xc_gnttab_map_grant_refs(xc_gnttab *xcg, unsigned int count,
                               const uint32_t *domids, const uint32_t *refs,
                               int prot);
void *xc_gnttab_map_grant_ref(xc_gnttab *xcg, uint32_t domid, uint32_t ref,
                              int prot);
int xc_gnttab_unmap(xc_gnttab *xcg, void *addr, unsigned int count);

/* ---- Foreign memory (/dev/xen/privcmd) ----------------------------- */

/* Maps num (1..2^20) machine frames of domid as one region.  errs[i]
 * receives 0 or a negative errno for page i; the region is returned even
 * if some pages failed (they fault with SIGBUS when touched), so callers
 * must check errs.  NULL + errno only if nothing could be mapped. */
void *xc_map_foreign_bulk(xc_interface *h, uint32_t domid, int prot,
                          const uint64_t *mfns, int *errs, unsigned int num);
/* Like bulk, but fails (and unmaps) if any page failed. */
void *xc_map_foreign_pages(xc_interface *h, uint32_t domid, int prot,
                           const uint64_t *mfns, unsigned int num);
int xc_unmap_foreign(xc_interface *h, void *addr, unsigned int num);

/* ---- PV domain builder (xc_dom_*.c) -------------------------------- */

#define XC_DOM_CMDLINE_MAX  1024          /* bytes, NUL included          */
#define XC_DOM_KERNEL_MAX   (256u << 20)  /* decompressed kernel, bytes   */
#define XC_DOM_RAMDISK_MAX  (1u << 30)

/* What a kernel file says about itself (its ELF image and Xen notes). */
typedef struct xc_dom_kernel_info {
    uint64_t entry;            /* ENTRY note: virtual entry point          */
    uint64_t virt_base;        /* VIRT_BASE: VA of pseudo-physical 0       */
    uint64_t paddr_offset;     /* PADDR_OFFSET (0 if absent)               */
    uint64_t hypercall_page;   /* HYPERCALL_PAGE VA, 0 if absent           */
    uint64_t load_start;       /* lowest pseudo-physical byte loaded       */
    uint64_t load_end;         /* one past the highest                     */
    uint64_t image_bytes;      /* ELF file size after decompression        */
    uint32_t features_required;/* XENFEAT_* bits marked '!' in FEATURES    */
    bool     mod_start_pfn;    /* may receive the ramdisk unmapped, by PFN */
    bool     gzipped;          /* the file was gzip-compressed             */
    char     guest_os[32];
    char     xen_version[16];
} xc_dom_kernel_info_t;

/* Read and check a PV kernel without touching the hypervisor (works on
 * any machine: the toolstack and tests use it to reject bad kernels
 * early).  Fails with ENOENT/EACCES (file), EFBIG (too large), ENOEXEC
 * (not a usable PV ELF kernel), with the reason on the handle. */
int xc_dom_probe_kernel(xc_interface *h, const char *path,
                        xc_dom_kernel_info_t *info);

typedef struct xc_dom_config {
    const char *kernel;        /* path of a PV ELF kernel, may be gzip'd   */
    const char *ramdisk;       /* path, or NULL                            */
    const char *cmdline;       /* NULL = empty; < XC_DOM_CMDLINE_MAX bytes  */
    uint64_t mem_pages;        /* memory the domain starts with            */
    uint64_t max_pages;        /* its limit, >= mem_pages (0: mem_pages)   */
    uint32_t vcpus;            /* 1..128; vCPU 0 is started                */
    uint32_t domid;            /* wanted id, or XC_DOMID_ANY               */
    uint8_t  handle[16];       /* UUID                                     */
    bool     start_paused;     /* leave it paused after building           */
    bool     with_store;       /* give it a xenstore ring page and port    */
} xc_dom_config_t;

typedef struct xc_dom_result {
    uint32_t domid;
    uint32_t console_port;     /* the domain's console port, bindable by 0 */
    uint64_t console_mfn;      /* its console ring (struct xencons_interface) */
    uint64_t nr_pages;
    uint64_t entry;
    uint64_t start_info_va;
    uint64_t l4_mfn;
    uint32_t store_port;       /* with_store: its store port, bindable by 0 */
    uint64_t store_mfn;        /* with_store: its ring (xenstore_domain_interface) */
} xc_dom_result_t;

/* Build a PV domU and start it: create the domain, give it memory, load
 * the kernel and ramdisk, lay out the start-of-day state the PV ABI fixes
 * (p2m list, start_info, console page, bootstrap page tables, stack),
 * pin its page tables, load vCPU 0 and unpause it.  On any failure the
 * half-built domain is destroyed and the handle says which step failed. */
int xc_dom_build_pv(xc_interface *h, const xc_dom_config_t *cfg,
                    xc_dom_result_t *out);

/* ---- Save / restore of a paused PV domU (xc_save.c, xc_restore.c) -- */

/*
 * The save file (docs/save-restore.md), all little-endian: a header, then
 * records {u32 type, u32 reserved 0, u64 length, payload}, ending with an
 * END record.  Frame numbers inside the file are the domain's PFNs, never
 * machine frames, so a file restores on any host.
 */
#define XC_SAVE_MAGIC      "XCPVSAVE"          /* 8 bytes, no NUL        */
#define XC_SAVE_VERSION    4                   /* writes 4, reads 1..4   */
#define XC_SAVE_VERSION_MIN 1
#define XC_SAVE_MAX_PAGES  (1ull << 22)        /* 16 GiB: sanity bound   */

typedef struct xc_save_header {
    char     magic[8];
    uint32_t version;
    uint32_t nr_vcpus;
    uint64_t nr_pages;
    uint64_t start_info_pfn;
    uint64_t start_info_va;                    /* where the guest sees it */
    uint64_t flags;                            /* XC_SAVE_F_*            */
} xc_save_header_t;

enum xc_save_rec {
    XC_SAVE_REC_END = 0,
    XC_SAVE_REC_P2M_FRAMES = 1, /* u64 PFNs of the guest's own p2m list  */
    XC_SAVE_REC_VCPU = 2,       /* u32 vcpu, u32 0, vcpu_guest_context   */
    XC_SAVE_REC_TYPES = 3,      /* one byte per PFN: type | 0x80 pinned  */
    XC_SAVE_REC_PAGES = 4,      /* u64 first pfn, u64 count, zlib data   */
    XC_SAVE_REC_TOOLSTACK = 5,  /* opaque bytes of the caller (xend)     */
    XC_SAVE_REC_GUEST_ID = 6,   /* v2: the guest kernel's identity, text */
    XC_SAVE_REC_PAGE_DATA = 7,  /* v3: u64 first pfn, u32 count, u32 codec,
                                   a bitmap of the count pages that are not
                                   all zero (u64 words), then those pages'
                                   data, encoded with codec (XC_SAVE_CODEC_*) */
    XC_SAVE_REC_ABI = 8,        /* v3: xc_save_abi_t: what the file needs */
    XC_SAVE_REC_DOMAIN = 9,     /* v4, required, the first record: the
                                   domain's UUID (16 bytes), so a restore
                                   gives it back its identity (and the
                                   default MACs derived from it) */
};
/* Page-data codecs (format 3). */
enum xc_save_codec {
    XC_SAVE_CODEC_NONE = 0,
    XC_SAVE_CODEC_LZ4 = 1,
    XC_SAVE_CODEC_ZSTD = 2,     /* level 1 */
    XC_SAVE_CODEC_COUNT
};
#define XC_SAVE_DATA_MAX_PAGES 4096   /* pages per PAGE_DATA record */

/* The ABI record: the hypervisor the file was saved on and the layouts it
 * depends on.  Restore refuses a file whose vCPU context or page size
 * differs, whose guest ABI (first word of caps, e.g. "xen-3.0-x86_64")
 * the running hypervisor does not offer, or whose hypervisor major
 * version is newer than the running one. */
typedef struct xc_save_abi {
    uint32_t hv_major, hv_minor;
    uint32_t vcpu_context_size;
    uint32_t page_size;
    char     caps[64];          /* the saving hypervisor's capabilities */
} xc_save_abi_t;
/* Header flags (version 2). */
#define XC_SAVE_F_SUSPENDED 1ull   /* the guest suspended itself (SHUTDOWN_
                                      suspend): its start_info rings were
                                      PFNs already, it resumes through its
                                      own resume path */
#define XC_SAVE_F_MASK      1ull
#define XC_SAVE_GUEST_ID_MAX 1024
#define XC_SAVE_TOOLSTACK_MAX  (1u << 20)

/* A page-table entry that pointed at the domain's shared_info page is
 * saved with this frame number and re-pointed on restore. */
#define XC_SAVE_PFN_SHINFO  0xFFFFFFFFFull
#define XC_SAVE_TYPE_PINNED 0x80

/* Pause domain `domid` and save it to `path` (written via path.tmp +
 * rename, so a failed save leaves no file).  start_info_va: the VA of its
 * start_info page (xc_dom_result_t.start_info_va) - the p2m is found
 * through it and the guest's page tables, and every frame is checked to
 * be the domain's own.  toolstack (<= XC_SAVE_TOOLSTACK_MAX bytes) is
 * stored as given.  On success the domain is left paused (the caller
 * destroys it); on failure it runs again unless it was paused before. */
int xc_domain_save(xc_interface *h, uint32_t domid, uint64_t start_info_va,
                   const void *toolstack, size_t toolstack_len,
                   const char *path);

/*
 * The same with options.  With `suspended` the domain must have shut down
 * with SHUTDOWN_suspend (a cooperative suspend): start_info is the frame
 * the guest passed in rdx (start_info_va is only recorded), its console
 * and store frames are PFNs already (the guest converted them).  Either
 * way the p2m comes from shared_info's pfn_to_mfn_frame_list_list when
 * the guest published one, else through start_info.  guest_id (text, may
 * be NULL) is recorded.  The file is fsync'd, renamed, and its directory
 * fsync'd before 0 is returned.
 */
int xc_domain_save_ext(xc_interface *h, uint32_t domid, uint64_t start_info_va,
                       bool suspended, const char *guest_id,
                       const void *toolstack, size_t toolstack_len,
                       const char *path);

/* Codec of the page data the next saves on h write (XC_SAVE_CODEC_*;
 * default none: all-zero pages are never written, whatever the codec). */
int xc_save_set_codec(xc_interface *h, unsigned codec);
/* "none", "lz4", "zstd" <-> XC_SAVE_CODEC_* (NULL / -1 if unknown). */
const char *xc_save_codec_name(unsigned codec);
int xc_save_codec_parse(const char *name);
/* Where the last save or restore on h spent its time, one line of text
 * ("" before the first). */
const char *xc_save_timing(xc_interface *h);

/*
 * Progress of a long operation on h (xc_domain_save*, xc_domain_restore):
 * fn(arg, done, total) is called from the calling thread as pages are
 * done (total: the domain's pages), at least at the end.  NULL turns it
 * off.  Per handle: a handle used by one thread at a time reports to it.
 */
typedef void xc_progress_fn(void *arg, uint64_t done, uint64_t total);
void xc_set_progress(xc_interface *h, xc_progress_fn *fn, void *arg);

/* A domain that suspended itself runs on where it stopped; its suspend
 * hypercall returns 1 (cancelled).  For checkpoints and failed saves. */
int xc_domain_resume(xc_interface *h, uint32_t domid);

/* The domain builder keeps the last bzImage it unpacked (its kernel,
 * decompressed) for the next build from the same file: this frees it. */
void xc_dom_kernel_cache_drop(void);

typedef struct xc_restore_result {
    uint32_t domid;
    uint32_t console_port, store_port;   /* new, bindable by dom0        */
    uint64_t console_mfn, store_mfn;     /* new machine frames (store 0:  */
    uint64_t nr_pages;                   /*   the domain had none)        */
    uint64_t start_info_va;
    char    *guest_id;                   /* malloc'd, or NULL (version 1)  */
    uint32_t version, nr_vcpus;          /* of the file                   */
    char    *toolstack;                  /* malloc'd, NUL-terminated copy */
    size_t   toolstack_len;              /*   of the saved bytes; free it */
    bool     suspended;                  /* saved after the guest suspended
                                          * itself: it resumes through its
                                          * own resume path, still able to
                                          * suspend (its control/shutdown
                                          * watch comes back with it)    */
    char     warning[512];               /* "" or a sentence for the user:
                                          * the saved guest's kernel is not
                                          * the one its config now names
                                          * (docs/save-restore.md)       */
} xc_restore_result_t;

/* Check the whole file, then create a domain from it (domid: wanted id or
 * XC_DOMID_ANY; handle: its UUID, NULL for zeroes) and leave it paused if
 * `paused`, else running.  A bad file fails with EINVAL (what is wrong on
 * the handle) before anything is created; a later failure destroys the
 * half-made domain. */
int xc_domain_restore(xc_interface *h, const char *path, uint32_t domid,
                      const uint8_t *handle, bool paused,
                      xc_restore_result_t *out);

/*
 * The UUID of the domain saved in path, read from the file's first bytes
 * only (the header and the DOMAIN record) so a toolstack can decide what
 * the restored domain is called before the slow restore: 1 and uuid set
 * (a version 4 file), 0 (versions 1 to 3 carry none: the caller picks a
 * new one), or -1 with the reason on h (not a save file, a version this
 * libxc does not read, a version 4 file without its DOMAIN record first).
 * xc_domain_restore checks the whole file again.
 */
int xc_save_file_uuid(xc_interface *h, const char *path, uint8_t uuid[16]);

#ifdef __cplusplus
}
#endif

#endif /* XENCTRL_H */
