/*
 * config.h: the xl.cfg-style configuration language and the two schemas
 * that use it: domain configs (domcfg.c) and the daemon's own xend.conf
 * (xendconf.c).  Shared by xend and xenctl so a bad file is reported, as
 * file:line:column, before anything is sent to the daemon.
 *
 * Syntax:   key = value        one per line, or separated by ';'
 *           # comment          to end of line
 * Values:   "string" (escapes \\ \" \n \t)  'string' (no escapes)
 *           12345 (decimal, no sign)         [ value, value, ... ]
 */
#ifndef XEND_CONFIG_H
#define XEND_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define CFG_TEXT_MAX	(32 * 1024)	/* bytes; a config rides in one request */

enum cfg_type { CFG_STRING, CFG_NUMBER, CFG_LIST };

struct cfg_value {
	enum cfg_type	 type;
	int		 line, col;
	char		*str;		/* CFG_STRING */
	uint64_t	 num;		/* CFG_NUMBER */
	struct cfg_value *items;	/* CFG_LIST: strings and numbers */
	size_t		 nitems;
};

struct cfg_setting {
	char		*key;
	int		 line, col;
	struct cfg_value value;
};

struct cfg_file {
	char		*path;
	struct cfg_setting *settings;
	size_t		 n;
};

/* Warnings collected while reading a file (unknown keys and the like). */
struct cfg_warnings {
	char		**msgs;
	size_t		 n;
};

/* Parse text; on error returns -1 and an allocated "path:line:col: ..." */
int	 cfg_parse(const char *path, const char *text, size_t len,
	     struct cfg_file *, char **error);
void	 cfg_free(struct cfg_file *);
/* Read a whole file (at most CFG_TEXT_MAX bytes).  -1 with *error
 * ("cannot read PATH: why") and errno: the file's, or EFBIG when it is
 * too large (a file that is there but is no config). */
int	 cfg_read_file(const char *path, char **text, size_t *len,
	     char **error);

/* Helpers for schemas: each formats "path:line:col: <what>". */
char	*cfg_error_at(const struct cfg_file *, int line, int col,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	 cfg_warn_at(struct cfg_warnings *, const struct cfg_file *, int line,
	     int col, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void	 cfg_warnings_free(struct cfg_warnings *);
int	 cfg_want_string(const struct cfg_file *, const struct cfg_setting *,
	     char **out, char **error);
int	 cfg_want_number(const struct cfg_file *, const struct cfg_setting *,
	     uint64_t min, uint64_t max, uint64_t *out, char **error);

/* ---- domain configs (domcfg.c) ---- */

enum dom_action {
	ACT_DESTROY,
	ACT_RESTART,
	ACT_PRESERVE,
	ACT_RENAME_RESTART,
};

#define DOM_NAME_MAX	63
#define DOM_VCPUS_MAX	128
#define DOM_MAXVCPUS_MAX 8	/* hot-pluggable vCPUs (maxvcpus) */
#define DOM_MEMORY_MAX	(UINT64_C(1) << 24)	/* MiB: 16 TiB */

struct domcfg {
	char		*name;
	char		*kernel;
	char		*ramdisk;	/* NULL if none */
	char		*cmdline;	/* built from root/extra if not given */
	uint64_t	 memory_mib;
	uint64_t	 maxmem_mib;
	uint32_t	 vcpus;		/* online at boot */
	uint32_t	 maxvcpus;	/* built; vcpus..maxvcpus hot-plug
					   (xenctl vcpu-set); = vcpus if
					   not given */
	enum dom_action	 on_poweroff, on_reboot, on_crash;
	/* The scheduler (docs/scheduler.md); applied when it is created. */
	uint32_t	 cpu_weight;	/* 1..65535; default 256 */
	uint32_t	 cap;		/* % of one CPU, 0 = none */
	uint64_t	 cpus;		/* every vCPU's affinity; all bits:
					   any CPU (default) */
	char		**disks;	/* `disk` entries, checked */
	size_t		 ndisks;
	char		**vifs;		/* `vif` entries, checked (vifcfg.c) */
	size_t		 nvifs;
};

/* ---- one `disk` entry (diskcfg.c) ---- */

#define DISKCFG_SPEC_MAX	1024
#define DISKCFG_MAX		16

struct diskcfg {
	char		 target[900];	/* image file or block device */
	char		 vdev[8];	/* xvda.. */
	uint32_t	 devid;		/* xenbus id: 51712 for xvda */
	int		 writable;
	int		 phy;		/* a block device, not a file */
	int		 cdrom;		/* device-type cdrom (read-only) */
};

/* 0, or -1 with err saying what is wrong with spec. */
int	 diskcfg_parse(const char *spec, struct diskcfg *, char *err,
	     size_t len);
/* xvda..xvdz -> xenbus id (51712 for xvda); 0, or -1 for anything else. */
int	 diskcfg_vdev_id(const char *vdev, uint32_t *devid);

/* ---- one `vif` entry (vifcfg.c) ---- */

#define VIFCFG_SPEC_MAX		512
#define VIFCFG_MAX		8
#define VIFCFG_BRIDGE_DEFAULT	"xenbr0"

struct vifcfg {
	uint8_t		 mac[6];
	int		 mac_set;	/* 0: vifcfg_default_mac at attach */
	char		 bridge[16];	/* an interface name (IFNAMSIZ) */
	char		 ip[256];	/* space-separated IPv4, or "" */
	char		 rate[64];	/* as written, or "" (later QoS) */
	uint64_t	 rate_bytes;	/* per rate_usec; 0: unlimited */
	uint64_t	 rate_usec;
};

/* 0, or -1 with err saying what is wrong with spec ('' is all
 * defaults). */
int	 vifcfg_parse(const char *spec, struct vifcfg *, char *err,
	     size_t len);
/* The MAC of a vif given none: 00:16:3e (Xen's OUI) and three bytes
 * hashed from the domain's handle and the device id, so the same domain
 * gets the same address every time it starts. */
void	 vifcfg_default_mac(const uint8_t handle[16], uint32_t devid,
	     uint8_t mac[6]);
/* "aa:bb:cc:dd:ee:ff" into out (at least 18 bytes). */
void	 vifcfg_mac_str(const uint8_t mac[6], char *out, size_t len);
/* Parse "aa:bb:cc:dd:ee:ff"; 0 or -1 with err. */
int	 vifcfg_parse_mac(const char *s, uint8_t mac[6], char *err,
	     size_t len);

/* ---- hot-attached devices in a save file's blob (hotblob.c) ---- */

/* May spec be kept on one line (no control characters)?  1 or 0. */
int	 hotblob_spec_ok(const char *spec);
/* blob (freed) with one more "#xend-hot KIND SPEC" line; the new blob. */
char	*hotblob_append(char *blob, const char *kind, const char *spec);
typedef void (*hotblob_fn)(void *arg, const char *kind, const char *spec);
/* Call fn for each trailer entry of config text (in order), cut the
 * trailer off text; the number of entries. */
size_t	 hotblob_split(char *text, hotblob_fn fn, void *arg);
/* Every device of a save blob ("NAME\nMEM\nPATH\nCONFIG", cmd-save.c):
 * the config's disks and vifs, then its hot-attached trailer, each given
 * to fn(arg, "disk" or "vif", spec) in that order, as a restore sets them
 * up (a blob without a config has none).  0; -1 when its config does not
 * parse (*error says why; the caller frees it), with fn never called. */
int	 hotblob_devices(const char *blob, hotblob_fn fn, void *arg,
	     char **error);

int	 domcfg_parse(const char *path, const char *text, size_t len,
	     struct domcfg *, struct cfg_warnings *, char **error);
void	 domcfg_free(struct domcfg *);
const char *domcfg_action_name(enum dom_action);
/* Is this usable as a domain name?  NULL if yes, else why not. */
const char *domcfg_check_name(const char *);

/* ---- xend.conf (xendconf.c) ---- */

struct xend_conf {
	char		*socket_path;
	char		*db_path;
	char		*backend;	/* "sim" or "xc" */
	uint64_t	 sample_interval_ms;
	uint64_t	 sample_retention_ms;	/* raw samples; 0 = forever */
	char		*log_dir;
	/* simulated hypervisor (backend = "sim") */
	char		*sim_state;	/* NULL: next to db_path */
	uint64_t	 sim_memory_mib;
	uint64_t	 sim_cpus;
	uint64_t	 sim_log_size;	/* bytes of log ring */
	uint64_t	 xenstore;	/* xc: give new domUs a xenstore ring */
	char		*nat;		/* "auto": NAT xenbr0 to the uplink; "off" */
	uint64_t	 sim_dom0_memory_mib;
	/* memory (docs/xend.md "Memory") */
	uint64_t	 autoballoon;	/* shrink dom0 to make room */
	uint64_t	 mem_floor_mib;	/* mem-set below needs --force */
	uint64_t	 dom0_min_mib;	/* autoballoon leaves dom0 this */
	uint64_t	 balloon_wait_ms; /* create waits for freed memory */
	uint64_t	 suspend_timeout;	/* s a save waits for a suspend */
	/* dom0 going down (docs/xend.md "Host shutdown") */
	uint64_t	 host_shutdown_save;	/* 1: save domUs, 0: shut down */
	uint64_t	 host_shutdown_timeout_ms;	/* then destroy */
	/* xenstore quotas per domain (xs.h, docs/xenstore.md) */
	uint64_t	 xs_quota_nodes, xs_quota_value_size, xs_quota_bytes;
	uint64_t	 xs_quota_watches, xs_quota_transactions;
	uint64_t	 xs_quota_perms;
	char		*save_compress;	/* none, lz4, zstd: save files' pages */
	/* web console (docs/web-console.md); off unless http = yes */
	uint64_t	 http;
	char		*http_listen;	/* "ADDR:PORT"; loopback by default */
	char		*http_root;	/* the page and chart assets */
	char		*http_token_file; /* NULL: "http-token" beside db_path */
	char		*http_password_hash; /* crypt(3) hash; NULL: token */
};

#define XEND_CONF_DEFAULT	"/etc/xend.conf"

void	 xendconf_defaults(struct xend_conf *);
/* A save-file codec name ("none", "lz4", "zstd") as libxc's number
 * (XC_SAVE_CODEC_*, HV_SAVE_CODEC), or -1. */
int	 xend_compress_code(const char *);
int	 xendconf_parse(const char *path, const char *text, size_t len,
	     struct xend_conf *, char **error);
void	 xendconf_free(struct xend_conf *);

#endif
