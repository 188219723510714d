/*
 * hv.h: everything xend asks of the hypervisor, behind one small interface.
 *
 * Two backends implement it: hv_xc.c talks to the real hypervisor through
 * libxc (only works inside dom0); tests/unit/xend/hv_sim.c is an
 * in-process simulation linked only into the test daemon xend-sim and the
 * unit tests.  The rest of xend never knows which it has.
 *
 * Every operation returns 0 or a negative errno, and on failure leaves a
 * sentence for the user in hv_errmsg() ("domain building is not supported
 * by the xc backend yet").  Memory is in KiB throughout.
 */
#ifndef XEND_HV_H
#define XEND_HV_H

#include <stddef.h>
#include <stdint.h>

struct xend_conf;

enum hv_state {
	HV_RUNNING,
	HV_PAUSED,
	HV_SHUTDOWN,	/* stopped; see shutdown_reason */
	HV_DYING,	/* being torn down */
};

/* Why a domain stopped; numbers as in Xen's public sched.h. */
enum hv_shutdown_reason {
	HV_SHUTDOWN_POWEROFF = 0,
	HV_SHUTDOWN_REBOOT = 1,
	HV_SHUTDOWN_SUSPEND = 2,
	HV_SHUTDOWN_CRASH = 3,
	HV_SHUTDOWN_WATCHDOG = 4,
};

struct hv_counters {
	uint64_t	hypercalls;
	uint64_t	events;		/* event-channel notifications */
	uint64_t	page_faults;
};

struct hv_dominfo {
	uint32_t	domid;
	enum hv_state	state;
	int		shutdown_reason;	/* when state == HV_SHUTDOWN */
	uint8_t		handle[16];		/* the toolstack's UUID */
	uint64_t	mem_kib;		/* currently allocated */
	uint64_t	maxmem_kib;		/* hard limit */
	uint64_t	target_kib;		/* balloon target */
	uint32_t	vcpus;			/* built (maxvcpus) */
	uint32_t	online_vcpus;		/* up now (not VCPUOP_down) */
	uint64_t	cpu_ns;			/* total over all vCPUs */
	struct hv_counters counters;
};

struct hv_physinfo {
	uint64_t	total_kib;
	uint64_t	free_kib;
	uint32_t	cpus;
	char		version[64];
	char		boot_id[40];	/* changes when the hypervisor reboots */
};

/* What to create: the result of domain building (later: a loaded image). */
struct hv_build {
	uint8_t		handle[16];
	uint64_t	mem_kib;
	uint64_t	maxmem_kib;
	uint32_t	vcpus;		/* vCPUs built (the config's maxvcpus) */
	uint32_t	online_vcpus;	/* asked online at boot; 0: all */
	const char	*kernel;
	const char	*ramdisk;
	const char	*cmdline;
	const char	*name;		/* for the xenstore home, may be NULL */
	char *const	*disks;		/* `disk` entries (diskcfg.c) */
	size_t		 ndisks;
	char *const	*vifs;		/* `vif` entries (vifcfg.c) */
	size_t		 nvifs;
};

/* One network interface of a domain (xenctl network-list). */
struct hv_vif {
	uint32_t	devid;		/* vif-N in the guest */
	char		mac[18];
	char		bridge[16];
	char		state[8];	/* the backend's xenbus state */
	char		hotplug[16];	/* connected, error, or "-" */
	char		ifname[16];	/* vifD.N in dom0 */
};

/* One of a domain's disks as its backend set it up (block-list). */
struct hv_vbd {
	char		vdev[8];	/* xvda.. */
	uint32_t	devid;		/* xenbus id: 51712 for xvda */
	char		target[900];	/* image file or block device */
	char		node[32];	/* what blkback opens: /dev/loopN */
	int		writable, cdrom, phy;
	int		state;		/* backend xenbus state, -1 unknown */
};

/* One line of the hypervisor log with its sequence number. */
typedef void (*hv_log_cb)(void *arg, uint64_t seq, const char *line);

struct hv;

struct hv_ops {
	const char *name;
	int	(*open)(struct hv *, const struct xend_conf *);
	void	(*close)(struct hv *);
	int	(*physinfo)(struct hv *, struct hv_physinfo *);
	/* Fills up to max entries, sorted by domid; *n is the total count. */
	int	(*list)(struct hv *, struct hv_dominfo *, size_t max, size_t *n);
	int	(*info)(struct hv *, uint32_t, struct hv_dominfo *);
	int	(*create)(struct hv *, const struct hv_build *, uint32_t *);
	int	(*destroy)(struct hv *, uint32_t);
	int	(*pause)(struct hv *, uint32_t);
	int	(*unpause)(struct hv *, uint32_t);
	int	(*shutdown)(struct hv *, uint32_t, enum hv_shutdown_reason);
	int	(*set_maxmem)(struct hv *, uint32_t, uint64_t kib);
	int	(*set_target)(struct hv *, uint32_t, uint64_t kib);
	/* The least memory the guest says it needs (its xenstore
	 * memory/min_kib), or -ENOENT; optional. */
	int	(*guest_min)(struct hv *, uint32_t, uint64_t *kib);
	/* Does the guest listen for shutdown requests (its xenstore
	 * control/feature-poweroff)?  1 or 0; optional (NULL: it does). */
	int	(*poweroff_ready)(struct hv *, uint32_t);
	/*
	 * Deliver every log line with seq >= from, oldest first.  *next is
	 * the seq the following call should ask for; *lost counts lines
	 * that were overwritten in the ring before they could be read.
	 */
	int	(*log_read)(struct hv *, uint64_t from, hv_log_cb, void *,
		    uint64_t *next, uint64_t *lost);
	/* Read a domain's console output from offset; -ENOTSUP if unable. */
	int	(*console_read)(struct hv *, uint32_t, uint64_t off, char *buf,
		    size_t len, size_t *got);
	/* Queue console input for the guest; *put says how much fitted. */
	int	(*console_write)(struct hv *, uint32_t, const char *data,
		    size_t len, size_t *put);
	/*
	 * Optional: a descriptor that turns readable when a guest has
	 * written to its console, and the call that takes the output in
	 * and makes the descriptor quiet again (console.c then pulls at
	 * once instead of on its next timer tick).  NULL: timer only.
	 */
	int	(*console_fd)(struct hv *);
	int	(*console_poll)(struct hv *);	/* -1: the fd is broken */
	/*
	 * Optional: xend has taken in all a domain that is gone printed
	 * (console.c keeps it in NAME.log): the backend may drop its own
	 * copy (the xc backend's LOG_DIR/console-DOMID.log), which would
	 * otherwise pile up as domain ids go round.  Never for a domain
	 * that still exists.
	 */
	void	(*console_release)(struct hv *, uint32_t);
	/*
	 * save_domain: the domain's state into path, with blob (xend's own
	 * record of it, see cmd-save.c) stored alongside; the domain is
	 * left paused.  restore_domain: a new running domain from path;
	 * *blob gets the stored blob (malloc'd, the caller frees it).
	 */
	int	(*save_domain)(struct hv *, uint32_t, const char *path,
		    const char *blob);
	int	(*restore_domain)(struct hv *, const char *path,
		    const uint8_t handle[16], uint32_t *, char **blob);
	/*
	 * The UUID of the domain a save file holds, from its first bytes
	 * (cheap: xend asks on its loop before the restore job starts):
	 * 1 and uuid set, 0 if the file carries none (older formats), or
	 * -errno with the reason.  NULL: 0.
	 */
	int	(*save_file_uuid)(struct hv *, const char *path,
		    uint8_t uuid[16]);
	/*
	 * save_ext: save_domain with HV_SAVE_* flags.  HV_SAVE_SUSPEND: the
	 * guest was asked to suspend (control/shutdown = suspend); wait up
	 * to timeout_s for it to stop with SHUTDOWN_suspend, then save; on
	 * a failure after it suspended it is resumed (its suspend returns
	 * 1).  HV_SAVE_CHECKPOINT: after a good save the domain runs on.
	 * guest_id is recorded in the file.  NULL: the hv.c wrapper does
	 * the non-cooperative kinds with save_domain (+ unpause).
	 */
	int	(*save_ext)(struct hv *, uint32_t, const char *path,
		    const char *blob, unsigned flags, unsigned timeout_s,
		    const char *guest_id);
	/* A domain stopped by its own suspend runs on (suspend returns 1). */
	int	(*resume)(struct hv *, uint32_t);
	/* Ask the guest to suspend (cancel: take it back); -ENOTSUP if it
	 * does not advertise suspend support: save it without its help. */
	int	(*suspend_request)(struct hv *, uint32_t, int cancel);
	/*
	 * The scheduler (docs/scheduler.md): a domain's weight (1..65535)
	 * and cap (0 = none, else percent of one CPU); a vCPU's hard
	 * affinity as a CPU mask (bit n = CPU n; CPUs 0..63).  NULL: the
	 * hv.c wrappers answer -ENOTSUP.
	 */
	int	(*sched_get)(struct hv *, uint32_t, uint32_t *weight,
		    uint32_t *cap);
	int	(*sched_set)(struct hv *, uint32_t, uint32_t weight,
		    uint32_t cap);
	int	(*vcpu_affinity_get)(struct hv *, uint32_t, uint32_t vcpu,
		    uint64_t *mask);
	int	(*vcpu_affinity_set)(struct hv *, uint32_t, uint32_t vcpu,
		    uint64_t mask);
	/*
	 * Networks (hv_xc_vif.c): add a vif from a `vif` entry to a
	 * running domain as vif-N, N the lowest free, (*devid, its MAC in
	 * mac); remove one (its guest closes it, then it goes); list them.
	 * NULL: -ENOTSUP.
	 */
	int	(*vif_attach)(struct hv *, uint32_t, const uint8_t handle[16],
		    const char *spec, uint32_t *devid, char *mac, size_t len);
	int	(*vif_detach)(struct hv *, uint32_t, uint32_t devid);
	int	(*vif_list)(struct hv *, uint32_t, struct hv_vif *, size_t max,
		    size_t *n);
	/*
	 * vCPU hotplug (docs/scheduler.md): ask the guest to have vCPUs
	 * 0..online-1 up and the others down (xc: xenstore
	 * cpu/N/availability, which Linux's xen cpu_hotplug watches).  The
	 * guest does the VCPUOP_up/down itself; info's online_vcpus shows
	 * when it has.  NULL: -ENOTSUP.
	 */
	int	(*vcpu_set)(struct hv *, uint32_t, uint32_t online);
	/*
	 * Disks of a running domain (docs/devices.md): attach one `disk`
	 * entry (diskcfg.c syntax), detach one by vdev ("xvdb"), list them.
	 * NULL: the hv.c wrappers answer -ENOTSUP.
	 */
	int	(*block_attach)(struct hv *, uint32_t, const char *spec);
	/* Ask the guest to close the disk and remove it once it has: 0 with
	 * *waiting 0 when it is gone, or with *waiting the frontend's xenbus
	 * state while the guest has not closed it yet (ask again); force
	 * removes it at once. */
	int	(*block_detach)(struct hv *, uint32_t, const char *vdev,
		    int force, int *waiting);
	int	(*block_list)(struct hv *, uint32_t, struct hv_vbd *,
		    size_t max, size_t *n);
	/* Job handles (see hv_job_open below). */
	int	(*job_open)(struct hv *job, struct hv *main);
	void	(*job_close)(struct hv *main, struct hv *job);
};

/* A slow operation's progress: done out of total (units are the
 * backend's: pages, steps). */
typedef void (*hv_progress_cb)(void *arg, uint64_t done, uint64_t total);

struct hv {
	const struct hv_ops *ops;
	void		*priv;
	void		*jobdata;	/* backend's state of a job handle */
	hv_progress_cb	 progress;	/* job handles: where progress goes */
	void		*progress_arg;
	char		 errmsg[256];
	/* A sentence for the user about an operation that succeeded (a
	 * restored guest whose kernel is not its config's); "" if none.
	 * Set by restore_domain on a job handle, read by its job. */
	char		 warnmsg[512];
};

/* Open the backend named in conf->backend ("sim" or "xc"). */
struct hv *hv_open(const struct xend_conf *, char **cause);
void	 hv_close(struct hv *);
const char *hv_name(const struct hv *);
const char *hv_errmsg(const struct hv *);
/* Backends record why an operation failed. */
int	 hv_fail(struct hv *, int err, const char *fmt, ...)
	     __attribute__((format(printf, 3, 4)));
const char *hv_state_name(enum hv_state);
const char *hv_reason_name(int);

int	 hv_physinfo(struct hv *, struct hv_physinfo *);
int	 hv_list(struct hv *, struct hv_dominfo *, size_t, size_t *);
int	 hv_info(struct hv *, uint32_t, struct hv_dominfo *);
int	 hv_create(struct hv *, const struct hv_build *, uint32_t *);
int	 hv_destroy(struct hv *, uint32_t);
int	 hv_pause(struct hv *, uint32_t);
int	 hv_unpause(struct hv *, uint32_t);
int	 hv_shutdown(struct hv *, uint32_t, enum hv_shutdown_reason);
int	 hv_set_maxmem(struct hv *, uint32_t, uint64_t);
int	 hv_set_target(struct hv *, uint32_t, uint64_t);
int	 hv_guest_min(struct hv *, uint32_t, uint64_t *);
int	 hv_poweroff_ready(struct hv *, uint32_t);
int	 hv_vif_attach(struct hv *, uint32_t, const uint8_t handle[16],
	     const char *spec, uint32_t *devid, char *mac, size_t len);
int	 hv_vif_detach(struct hv *, uint32_t, uint32_t devid);
int	 hv_vif_list(struct hv *, uint32_t, struct hv_vif *, size_t, size_t *);
int	 hv_log_read(struct hv *, uint64_t, hv_log_cb, void *, uint64_t *,
	     uint64_t *);
int	 hv_console_read(struct hv *, uint32_t, uint64_t, char *, size_t,
	     size_t *);
int	 hv_console_write(struct hv *, uint32_t, const char *, size_t,
	     size_t *);
int	 hv_console_fd(struct hv *);		/* -1: none */
int	 hv_console_poll(struct hv *);	/* -1: stop watching the fd */
void	 hv_console_release(struct hv *, uint32_t);
int	 hv_save_domain(struct hv *, uint32_t, const char *, const char *);
#define HV_SAVE_SUSPEND		0x1
#define HV_SAVE_CHECKPOINT	0x2
/* The page codec (xend_compress_code: 0 none, 1 lz4, 2 zstd). */
#define HV_SAVE_CODEC(c)	((unsigned)(c) << 8)
#define HV_SAVE_CODEC_OF(f)	(((f) >> 8) & 0xf)
int	 hv_save_ext(struct hv *, uint32_t, const char *, const char *,
	     unsigned flags, unsigned timeout_s, const char *guest_id);
int	 hv_resume(struct hv *, uint32_t);
int	 hv_suspend_request(struct hv *, uint32_t, int cancel);
int	 hv_block_attach(struct hv *, uint32_t, const char *spec);
int	 hv_block_detach(struct hv *, uint32_t, const char *vdev, int force,
	     int *waiting);
int	 hv_block_list(struct hv *, uint32_t, struct hv_vbd *, size_t,
	     size_t *);
int	 hv_restore_domain(struct hv *, const char *, const uint8_t[16],
	     uint32_t *, char **);
int	 hv_save_file_uuid(struct hv *, const char *, uint8_t[16]);
int	 hv_sched_get(struct hv *, uint32_t, uint32_t *weight, uint32_t *cap);
int	 hv_sched_set(struct hv *, uint32_t, uint32_t weight, uint32_t cap);
int	 hv_vcpu_affinity_get(struct hv *, uint32_t, uint32_t, uint64_t *);
int	 hv_vcpu_affinity_set(struct hv *, uint32_t, uint32_t, uint64_t);
int	 hv_vcpu_set(struct hv *, uint32_t, uint32_t online);

/*
 * Job handles.  The slow operations (create, save_domain, restore_domain)
 * run on xend's worker thread (daemon/job.c) while the event loop goes on
 * using the main handle.  The worker never touches the main handle: it
 * gets a job handle of its own from hv_job_open, on the loop, before the
 * job starts (its own errmsg; xc: its own libxc handle; sim: the shared
 * simulator state behind the simulator's lock), and calls only those
 * three operations on it, and physinfo (a create waits for memory
 * autoballoon asked Domain-0 to free).  hv_job_close, back on the loop
 * after the job,
 * lets the backend finish what belongs to the loop's side (xc: attaching
 * a new domain's console and xenstore ring, which the loop serves) and
 * frees the handle.
 */
struct hv *hv_job_open(struct hv *, hv_progress_cb, void *arg, char **cause);
void	 hv_job_close(struct hv *main, struct hv *job);
/* Backends report progress of a slow operation (no-op without a sink). */
void	 hv_progress(struct hv *, uint64_t done, uint64_t total);

/* The backends this program was linked with, NULL-terminated. */
extern const struct hv_ops *const hv_backends[];
extern const struct hv_ops hv_sim_ops;	/* test builds only */
#ifdef HAVE_XC
extern const struct hv_ops hv_xc_ops;
struct xc_interface;
/* An xc backend on a handle opened elsewhere (tests: a fake transport). */
struct hv *hv_xc_wrap(struct xc_interface *);
#endif

#endif
