/*
 * hv_sim.h: what the simulator's two files (hv_sim.c, hv_sim_save.c)
 * share.  Test builds only, like the simulator itself.
 */
#ifndef XEND_HV_SIM_H
#define XEND_HV_SIM_H

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "hv.h"

#define SIM_STATE_MAGIC		"xend-sim-state 1"
#define SIM_SAVE_MAGIC		"xend-sim-save 2"	/* + the uuid line */
#define SIM_SAVE_MAGIC_V1	"xend-sim-save 1"	/* still read */
/* Largest blob a sim save file may carry (xend's are a few KiB). */
#define SIM_BLOB_MAX		(1024 * 1024)
/* What the simulated hypervisor keeps for itself. */
#define SIM_HV_RESERVED_KIB	(16 * 1024)
/* vCPUs per domain whose affinity the simulator keeps (as the real
 * hypervisor's per-domain limit). */
#define SIM_MAX_VCPUS		128
#define SIM_WEIGHT_DEFAULT	256

struct sim_dom {
	uint32_t	 domid;
	enum hv_state	 state;
	int		 reason;
	uint8_t		 handle[16];
	uint64_t	 mem_kib, maxmem_kib, target_kib;
	uint32_t	 vcpus;
	/* Up now: the build's online_vcpus (vcpus = 2, maxvcpus = 4 boots
	 * with 2), as a guest that brought up what it was asked reports. */
	uint32_t	 online;
	uint64_t	 cpu_ns_base;	/* CPU time up to run_since */
	int64_t		 run_since;	/* ns; 0 while not running */
	uint32_t	 load;		/* per-mille busy per vCPU */
	/*
	 * The guest's balloon driver: KiB per second it moves towards its
	 * target (SIM_BALLOON_INSTANT: at once; 0: it ignores targets),
	 * from the kernel command line's "sim_balloon=refuse|KIBPS".
	 */
	uint64_t	 balloon_kibps;
	int64_t		 balloon_since;	/* ns of the last step */
	uint64_t	 min_kib;	/* "sim_min=KIB": its published floor */
	/* "sim_shutdown=ignore": never acts on a shutdown request (host-
	 * shutdown's timeout).  Not in the state file: a restarted xend
	 * finds it obedient. */
	int		 deaf;
	/* The scheduler's settings (hv_sim_sched.c): weight, cap, and each
	 * vCPU's affinity mask (0 there: every CPU, the default). */
	uint32_t	 weight, cap;
	uint64_t	 affinity[SIM_MAX_VCPUS];
};
#define SIM_BALLOON_INSTANT	UINT64_MAX

struct sim_logline {
	uint64_t	 seq;
	char		*text;
};

struct sim {
	pthread_mutex_t	 lock;		/* over everything below */
	unsigned	 delay_ms;	/* XEND_SIM_DELAY_MS */
	char		*state_path;
	uint64_t	 total_kib;
	uint32_t	 cpus;
	size_t		 log_cap;	/* bytes of text the ring holds */
	char		 boot_id[40];
	int64_t		 boot_ns;
	struct sim_dom	*doms;
	size_t		 ndoms;
	uint32_t	 next_domid;
	struct sim_logline *log;
	size_t		 nlog, log_bytes;
	uint64_t	 next_seq;
};

/* hv_sim_vbd.c: domain disks. */
int	 sim_block_attach(struct hv *, uint32_t, const char *spec);
int	 sim_block_detach(struct hv *, uint32_t, const char *vdev, int force,
	     int *waiting);
int	 sim_block_list(struct hv *, uint32_t, struct hv_vbd *, size_t,
	     size_t *);
void	 sim_block_forget(uint32_t domid);

/* hv_sim_vif.c: domain networks, and a new domain's devices. */
int	 sim_vif_attach(struct hv *, uint32_t, const uint8_t handle[16],
	     const char *spec, uint32_t *devid, char *mac, size_t len);
int	 sim_vif_detach(struct hv *, uint32_t, uint32_t devid);
int	 sim_vif_list(struct hv *, uint32_t, struct hv_vif *, size_t,
	     size_t *);
void	 sim_vif_forget(uint32_t domid);
void	 sim_devices_attach(struct hv *, uint32_t, const uint8_t handle[16],
	     char *const *disks, size_t ndisks, char *const *vifs,
	     size_t nvifs);
void	 sim_restore_devices(struct hv *, uint32_t, const uint8_t handle[16],
	     const char *blob);

/* hv_sim.c; callers hold s->lock except for sim_slow. */
void	 sim_dom_set_state(struct sim_dom *, enum hv_state);
void	 sim_log(struct sim *, const char *fmt, ...)
	     __attribute__((format(printf, 2, 3)));
int	 sim_save_state(struct hv *);
/* hv_sim_state.c: read the state file at open (0, or -1 with hv's error
 * set); hv_sim.c: the wall clock in ns. */
int	 sim_load_state(struct hv *, FILE *);
int64_t	 sim_now_ns(void);
int	 sim_need_domu(struct hv *, uint32_t domid, struct sim_dom **);
int	 sim_create_locked(struct hv *, const struct hv_build *, uint32_t *);
/* hv_sim_console.c: consoles (the caller holds s->lock for boot and
 * resumed; the hv operations take it themselves). */
void	 sim_console_boot(struct sim *, uint32_t domid, const struct hv_build *);
void	 sim_console_resumed(struct sim *, uint32_t domid);
int	 sim_console_read(struct hv *, uint32_t, uint64_t off, char *buf,
	     size_t len, size_t *got);
int	 sim_console_write(struct hv *, uint32_t, const char *data,
	     size_t len, size_t *put);
void	 sim_console_release(struct hv *, uint32_t);
void	 sim_slow(struct hv *);

/* hv_sim_sched.c: the scheduler operations (take s->lock themselves). */
int	 sim_sched_get(struct hv *, uint32_t, uint32_t *, uint32_t *);
int	 sim_sched_set(struct hv *, uint32_t, uint32_t, uint32_t);
int	 sim_affinity_get(struct hv *, uint32_t, uint32_t, uint64_t *);
int	 sim_affinity_set(struct hv *, uint32_t, uint32_t, uint64_t);
struct sim_dom *sim_find_dom(struct sim *, uint32_t domid);

/* hv_sim_save.c */
int	 sim_save(struct hv *, uint32_t domid, const char *path,
	     const char *blob);
int	 sim_save_file_uuid(struct hv *, const char *path, uint8_t uuid[16]);
int	 sim_restore(struct hv *, const char *path, const uint8_t handle[16],
	     uint32_t *domid, char **blob);

#endif
