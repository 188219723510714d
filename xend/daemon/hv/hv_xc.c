/*
 * hv_xc.c: the real hypervisor, through libxc.  Only works inside dom0
 * (libxc needs /dev/xen/privcmd); on any other machine opening it fails
 * with a sentence that points at --backend=sim.
 *
 * create builds a PV domU with libxc's domain builder (xc_dom_build_pv)
 * and hands its console ring to the console service (hv_xc_console.c),
 * which copies the guest's output into a per-domain log.
 *
 * With xenstore = 1 in xend.conf each domU also gets a xenstore ring
 * served by xend itself (xs_ring.c, docs/xenstore.md); shutdown and
 * balloon targets go through it.  Domains built without one refuse
 * both plainly.  save/restore go through libxc's xc_domain_save and
 * xc_domain_restore (docs/save-restore.md).
 *
 * This file opens the backend and builds, restores and attaches domains;
 * hv_xc_tune.c changes a running domain's memory and scheduling,
 * hv_xc_save.c saves (hv_xc_priv.h is what they share).
 *
 * Log sequence numbers are the hypervisor's own line numbers (xc_readlog,
 * dom0_op interface version 2): consecutive, counted from the hypervisor's
 * boot, so they stay valid across xend restarts.  The hypervisor hands
 * out whole lines only.
 */
#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xenctrl.h>

#include "config.h"
#include "hv.h"
#include "hv_xc_console.h"
#include "hv_xc_persist.h"
#include "hv_xc_priv.h"
#include "hv_xc_features.h"
#include "hv_xc_vbd.h"
#include "hv_xc_vif.h"
#include "log.h"
#include "xmalloc.h"
#include "xs.h"

#define XC_LOG_CHUNK	(64 * 1024)
#define XC_LIST_BATCH	256

int
xc_fail_hv(struct hv *hv, const char *what)
{
	xc_interface *xch = hv->priv;
	int err = xc_last_errno(xch);

	if (err == 0)
		err = EIO;
	if (what == NULL)
		return hv_fail(hv, err, "%s", xc_last_error(xch));
	return hv_fail(hv, err, "%s: %s", what, xc_last_error(xch));
}

/*
 * A guest restored from a cooperative save gets a fresh xenstore home,
 * but Linux writes control/feature-suspend only once, at boot (its
 * resume path re-registers its watches, it does not advertise again).
 * Without the node the next save would think the guest cannot suspend
 * and fall back to a non-cooperative save, which walks start_info's
 * boot-time address that Linux has long unmapped.  The guest proved it
 * suspends (the file says so), so say it for it, as it did at boot.
 */
static void
readvertise_suspend(uint32_t domid)
{
	char path[80];
	int e;

	snprintf(path, sizeof path,
	    "/local/domain/%u/control/feature-suspend", domid);
	if ((e = xs_ring_write(path, "1")) != 0)
		log_warnx("domain %u: cannot write control/feature-suspend "
		    "(%s): its next save will be non-cooperative", domid,
		    strerror(e));
}

/*
 * A new domain's connections to what the loop serves: its start_info VA
 * (for a later save), its console and its xenstore ring.  On the main
 * handle they are attached at once; on a job handle (worker thread) they
 * are noted in jobdata and attached by xc_job_close on the loop, because
 * the console and xenstore services belong to the loop.
 */

/*
 * cpu/N/availability = online (N < online) or offline, for every vCPU
 * the domain was built with: what Linux's drivers/xen/cpu_hotplug.c
 * reads at start and watches after, bringing vCPUs up (VCPUOP_up) or
 * taking them down (VCPUOP_down) to match.
 */
static int
write_availability(uint32_t domid, uint32_t max, uint32_t online)
{
	char path[80];
	uint32_t v;
	int e;

	for (v = 0; v < max; v++) {
		snprintf(path, sizeof path,
		    "/local/domain/%u/cpu/%u/availability", domid, v);
		if ((e = xs_ring_write(path, v < online ? "online" :
		    "offline")) != 0)
			return e;
	}
	return 0;
}

/* The domains xcp_resume attached again at start (vbd_resume asks). */
#define XC_RESUMED_MAX	256
static uint32_t xc_resumed_ids[XC_RESUMED_MAX];
static size_t xc_nresumed;

static int
xc_resumed(uint32_t domid)
{
	size_t i;

	for (i = 0; i < xc_nresumed; i++)
		if (xc_resumed_ids[i] == domid)
			return 1;
	return 0;
}

/* The loop's handle (xc_attach runs on the loop, without one). */
static xc_interface *xc_main;

static void
xc_attach(struct xc_new *n)
{
	char err[200];
	int e;

	if (n->resume && xc_nresumed < XC_RESUMED_MAX)
		xc_resumed_ids[xc_nresumed++] = n->domid;

	xc_si_remember(n->domid, n->start_info_va);
	if (hvcons_attach(n->domid, n->console_port, n->console_mfn,
	    n->resume, err, sizeof err) != 0)
		log_warnx("domain %u runs without a console: %s", n->domid,
		    err);
	if (n->store_mfn != 0 && xs_ring_attach(n->domid, n->store_port,
	    n->store_mfn, n->name[0] ? n->name : "domU", n->kib, n->resume,
	    err, sizeof err) != 0)
		log_warnx("domain %u runs without xenstore: %s", n->domid, err);
	else if (n->store_mfn != 0 && !n->resume && n->can_suspend)
		readvertise_suspend(n->domid);
	else if (n->store_mfn != 0 && !n->resume && n->max_vcpus > 0 &&
	    (e = write_availability(n->domid, n->max_vcpus,
	    n->online_vcpus)) != 0)
		log_warnx("domain %u: cannot write its cpu/N/availability "
		    "(%s): all %u vCPUs stay online", n->domid, strerror(e),
		    n->max_vcpus);
	/* The images were checked before the build; what can still fail
	 * here (no free loop device) leaves the guest without that disk. */
	if (n->ndisks > 0 && vbd_attach_all(n->domid, n->disks, n->ndisks,
	    err, sizeof err) != 0)
		log_warnx("domain %u runs without its disks: %s", n->domid,
		    err);
	while (n->ndisks > 0)
		free(n->disks[--n->ndisks]);
	free(n->disks);
	n->disks = NULL;
	if (n->nvifs > 0 && vif_attach_all(n->domid, n->handle, n->vifs,
	    n->nvifs, err, sizeof err) != 0)
		log_warnx("domain %u runs without its networks: %s", n->domid,
		    err);
	while (n->nvifs > 0)
		free(n->vifs[--n->nvifs]);
	free(n->vifs);
	n->vifs = NULL;
	if (n->features[0] != '\0' && n->store_mfn != 0)
		xcf_apply(n->domid, n->features);
	if (n->unpause && xc_domain_unpause(xc_main, n->domid) != 0)
		log_warnx("domain %u stays paused after its restore: %s",
		    n->domid, xc_last_error(xc_main));
	/* On disk, so a restarted xend attaches again (hv_xc_persist.c);
	 * the disks are kept apart (hv_xc_vbd_keep.c). */
	xcp_add(n);
}

static void
xc_attach_or_defer(struct hv *hv, struct xc_new *n)
{
	struct xc_new *pending = hv->jobdata;

	if (pending == NULL) {
		xc_attach(n);
		return;
	}
	*pending = *n;
	pending->valid = 1;
}

/* Give new domains a store ring (the xenstore setting, and it works). */
static int xc_want_store;

static int
xc_open_hv(struct hv *hv, const struct xend_conf *conf)
{
	xc_interface *xch;

	(void)conf;
	if ((xch = xc_interface_open()) == NULL)
		return hv_fail(hv, errno, "cannot open the hypervisor "
		    "interface: %s (the xc backend only works inside dom0; "
		    "on a development host use --backend=sim)",
		    xc_open_error());
	hv->priv = xch;
	xc_main = xch;
	/* Without consoles domains still build and run: warn, go on. */
	if (hvcons_init(xch, conf != NULL ? conf->log_dir : NULL,
	    hv->errmsg, sizeof hv->errmsg) != 0)
		log_warnx("domain consoles unavailable: %s", hv->errmsg);
	hv->errmsg[0] = '\0';
	xc_want_store = conf != NULL && conf->xenstore;
	if (xc_want_store && xs_ring_init(xch, hv->errmsg,
	    sizeof hv->errmsg) != 0) {
		log_warnx("xenstore unavailable: %s", hv->errmsg);
		xc_want_store = 0;
	}
	/* Domain 0's kernel joins the store for its backend drivers;
	 * without it guests still run, only without disks.  After a
	 * restart of xend it gets its watches and nodes back (the state
	 * files' prefix is needed first). */
	if (conf != NULL && conf->db_path != NULL)
		xs_ring_state_prefix(conf->db_path);
	hv->errmsg[0] = '\0';
	if (xc_want_store && xs_ring_attach_dom0(hv->errmsg,
	    sizeof hv->errmsg) != 0)
		log_warnx("Domain-0's kernel is not connected to xenstore "
		    "(no backend drivers for guests): %s", hv->errmsg);
	else if (xc_want_store) {
		log_info("xenstore: Domain-0's kernel connected");
		/* The default bridge, there before any guest needs it (an
		 * operator can give it an address at once). */
		if (vif_bridge_ensure(VIFCFG_BRIDGE_DEFAULT, hv->errmsg,
		    sizeof hv->errmsg) != 0)
			log_warnx("network: %s (guests' vifs will fail)",
			    hv->errmsg);
		else
			vif_nat_setup(conf != NULL ? conf->nat : NULL,
			    VIFCFG_BRIDGE_DEFAULT);
	}
	hv->errmsg[0] = '\0';
	/* Domains an earlier xend built and attached: attach again. */
	if (conf != NULL && conf->db_path != NULL) {
		xs_ring_state_prefix(conf->db_path);
		xcp_init(conf->db_path);
		xcp_resume(xch, xc_attach);
	}
	/* Disks of domains that died while no xend ran are released now;
	 * those of the domains just re-attached stay theirs. */
	vbd_resume(conf != NULL ? conf->db_path : NULL, xc_resumed);
	return 0;
}

static void
xc_close_hv(struct hv *hv)
{
	xs_ring_fini();
	hvcons_fini();
	if (hv->priv != NULL)
		xc_interface_close(hv->priv);
	hv->priv = NULL;
}

/* dom0 reboots whenever the hypervisor does, so its boot id serves. */
static void
read_boot_id(char *out, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");

	snprintf(out, len, "unknown");
	if (f == NULL)
		return;
	if (fgets(out, (int)len, f) == NULL)
		snprintf(out, len, "unknown");
	out[strcspn(out, "\n")] = '\0';
	fclose(f);
}

static int
xc_physinfo_hv(struct hv *hv, struct hv_physinfo *pi)
{
	xc_physinfo_t xp;

	memset(pi, 0, sizeof *pi);
	if (xc_physinfo(hv->priv, &xp) != 0)
		return xc_fail_hv(hv, NULL);
	pi->total_kib = XC_PAGES_TO_KIB(xp.total_pages);
	pi->free_kib = XC_PAGES_TO_KIB(xp.free_pages);
	pi->cpus = xp.nr_cpus;
	snprintf(pi->version, sizeof pi->version, "%u.%u", xp.xen_major,
	    xp.xen_minor);
	read_boot_id(pi->boot_id, sizeof pi->boot_id);
	return 0;
}

static void
convert(struct hv *hv, const xc_dominfo_t *x, struct hv_dominfo *d)
{
	xc_accounting_t acct;

	memset(d, 0, sizeof *d);
	d->domid = x->domid;
	if (x->dying)
		d->state = HV_DYING;
	else if (x->shutdown)
		d->state = HV_SHUTDOWN;
	else if (x->paused)
		d->state = HV_PAUSED;
	else
		d->state = HV_RUNNING;
	d->shutdown_reason = (int)x->shutdown_reason;
	memcpy(d->handle, x->handle, sizeof d->handle);
	d->mem_kib = XC_PAGES_TO_KIB(x->tot_pages);
	d->maxmem_kib = XC_PAGES_TO_KIB(x->max_pages);
	d->target_kib = d->mem_kib;	/* the target lives in xenstore */
	d->vcpus = x->max_vcpu_id + 1;
	d->online_vcpus = x->nr_online_vcpus;
	d->cpu_ns = x->cpu_time_ns;
	if (xc_domain_get_accounting(hv->priv, x->domid, &acct, NULL, 0) == 0) {
		d->counters.hypercalls = acct.hypercalls;
		d->counters.events = acct.events_sent;
		d->counters.page_faults = acct.page_faults;
	}
}

static int
xc_list_hv(struct hv *hv, struct hv_dominfo *out, size_t max, size_t *n)
{
	xc_dominfo_t batch[XC_LIST_BATCH];
	uint32_t first = 0;
	size_t total = 0;
	int got, i;

	hvcons_pump();
	for (;;) {
		got = xc_domain_getinfolist(hv->priv, first, XC_LIST_BATCH,
		    batch);
		if (got < 0)
			return xc_fail_hv(hv, NULL);
		for (i = 0; i < got; i++, total++)
			if (total < max)
				convert(hv, &batch[i], &out[total]);
		if (got < XC_LIST_BATCH)
			break;
		first = batch[got - 1].domid + 1;
	}
	*n = total;
	return 0;
}

static int
xc_info_hv(struct hv *hv, uint32_t domid, struct hv_dominfo *d)
{
	xc_dominfo_t x;

	if (xc_domain_getinfo(hv->priv, domid, &x) != 0)
		return xc_fail_hv(hv, NULL);
	convert(hv, &x, d);
	return 0;
}

static int
xc_create_hv(struct hv *hv, const struct hv_build *b, uint32_t *domid)
{
	xc_dom_config_t cfg;
	xc_dom_result_t res;
	struct xc_new n;
	char err[300];
	size_t i;

	memset(&cfg, 0, sizeof cfg);
	cfg.kernel = b->kernel;
	cfg.ramdisk = b->ramdisk;
	cfg.cmdline = b->cmdline;
	cfg.mem_pages = XC_KIB_TO_PAGES(b->mem_kib);
	cfg.max_pages = XC_KIB_TO_PAGES(b->maxmem_kib);
	cfg.vcpus = b->vcpus;
	cfg.domid = XC_DOMID_ANY;
	memcpy(cfg.handle, b->handle, sizeof cfg.handle);
	cfg.with_store = xc_want_store;
	if (b->ndisks > 0 && !xc_want_store)
		return hv_fail(hv, ENOTSUP, "disks need xenstore (xenstore = 1 "
		    "in xend.conf)");
	for (i = 0; i < b->ndisks; i++)
		if (vbd_check(b->disks[i], err, sizeof err) != 0)
			return hv_fail(hv, EINVAL, "disk: %s", err);
	if (b->nvifs > 0 && !xc_want_store)
		return hv_fail(hv, ENOTSUP, "networks need xenstore "
		    "(xenstore = 1 in xend.conf)");
	if (xc_dom_build_pv(hv->priv, &cfg, &res) != 0)
		return xc_fail_hv(hv, NULL);
	*domid = res.domid;
	log_info("built domain %u: %llu pages, entry %#llx, console port %u "
	    "frame %#llx", res.domid, (unsigned long long)res.nr_pages,
	    (unsigned long long)res.entry, res.console_port,
	    (unsigned long long)res.console_mfn);
	memset(&n, 0, sizeof n);
	n.domid = res.domid;
	memcpy(n.handle, b->handle, sizeof n.handle);
	n.start_info_va = res.start_info_va;
	n.console_port = res.console_port;
	n.console_mfn = res.console_mfn;
	n.store_port = res.store_port;
	n.store_mfn = res.store_mfn;
	snprintf(n.name, sizeof n.name, "%s", b->name != NULL ? b->name : "");
	n.kib = b->mem_kib;
	n.max_vcpus = b->vcpus;
	n.online_vcpus = b->online_vcpus > 0 ? b->online_vcpus : b->vcpus;
	if (b->ndisks > 0) {
		n.disks = xcalloc(b->ndisks, sizeof *n.disks);
		for (i = 0; i < b->ndisks; i++)
			n.disks[i] = xstrdup(b->disks[i]);
		n.ndisks = b->ndisks;
	}
	if (b->nvifs > 0) {
		n.vifs = xcalloc(b->nvifs, sizeof *n.vifs);
		for (i = 0; i < b->nvifs; i++)
			n.vifs[i] = xstrdup(b->vifs[i]);
		n.nvifs = b->nvifs;
	}
	xc_attach_or_defer(hv, &n);
	return 0;
}

static int
xc_destroy_hv(struct hv *hv, uint32_t domid)
{
	vbd_detach_all(domid);
	vif_detach_all(domid);
	xs_ring_detach(domid);
	hvcons_detach(domid);
	xcp_remove(domid);
	if (xc_domain_destroy(hv->priv, domid) != 0)
		return xc_fail_hv(hv, NULL);
	return 0;
}

static int
xc_pause_hv(struct hv *hv, uint32_t domid)
{
	if (xc_domain_pause(hv->priv, domid) != 0)
		return xc_fail_hv(hv, NULL);
	return 0;
}

static int
xc_unpause_hv(struct hv *hv, uint32_t domid)
{
	if (xc_domain_unpause(hv->priv, domid) != 0)
		return xc_fail_hv(hv, NULL);
	return 0;
}

int
xc_shutdown_hv(struct hv *hv, uint32_t domid, enum hv_shutdown_reason why)
{
	char path[64];
	int e;

	if (!xs_ring_has(domid))
		return hv_fail(hv, ENOTSUP, "asking a guest to shut down needs "
		    "xenstore, and domain %u has no xenstore connection "
		    "(xenstore = 1 in xend.conf; meanwhile use destroy)", domid);
	snprintf(path, sizeof path, "/local/domain/%u/control/shutdown",
	    domid);
	if ((e = xs_ring_write(path, why == HV_SHUTDOWN_REBOOT ? "reboot" :
	    why == HV_SHUTDOWN_SUSPEND ? "suspend" : "poweroff")) != 0)
		return hv_fail(hv, e, "writing %s: %s", path, strerror(e));
	return 0;
}

/* ---- vCPU hotplug ---- */

static int
xc_vcpu_set_hv(struct hv *hv, uint32_t domid, uint32_t online)
{
	xc_dominfo_t x;
	int e;

	if (domid == 0)
		return hv_fail(hv, ENOTSUP, "Domain-0's vCPUs are set from "
		    "inside it (/sys/devices/system/cpu/cpuN/online)");
	if (!xs_ring_has(domid))
		return hv_fail(hv, ENOTSUP, "vCPU hotplug goes through "
		    "xenstore, and domain %u has no xenstore connection "
		    "(xenstore = 1 in xend.conf)", domid);
	if (xc_domain_getinfo(hv->priv, domid, &x) != 0)
		return xc_fail_hv(hv, NULL);
	if (online == 0 || online > x.max_vcpu_id + 1)
		return hv_fail(hv, EINVAL, "domain %u has vCPUs 0-%u: cannot "
		    "have %u online", domid, x.max_vcpu_id, online);
	if ((e = write_availability(domid, x.max_vcpu_id + 1, online)) != 0)
		return hv_fail(hv, e, "writing cpu/N/availability: %s",
		    strerror(e));
	return 0;
}

/* Linux writes control/feature-poweroff = 1 once its shutdown watch is
 * set up; before that (or never, for a guest without xenbus) a request
 * would go unheard. */
static int
xc_poweroff_ready_hv(struct hv *hv, uint32_t domid)
{
	char path[80], val[16];

	(void)hv;
	snprintf(path, sizeof path,
	    "/local/domain/%u/control/feature-poweroff", domid);
	return xs_ring_has(domid) && xs_ring_read(path, val, sizeof val) == 0 &&
	    strcmp(val, "1") == 0;
}

static int
xc_log_read_hv(struct hv *hv, uint64_t from, hv_log_cb cb, void *arg,
    uint64_t *next, uint64_t *lost)
{
	char *buf = xmalloc(XC_LOG_CHUNK + 1), *p, *end, *nl;
	xc_readlog_result_t res;
	uint64_t seq = from;
	int rc = 0;

	*lost = 0;
	for (;;) {
		if (xc_readlog(hv->priv, seq, buf, XC_LOG_CHUNK, &res) != 0) {
			rc = xc_fail_hv(hv, NULL);
			break;
		}
		*lost += res.lost;
		seq += res.lost;	/* the number of the first line we got */
		end = buf + res.nr_bytes;
		*end = '\0';
		/* A line without '\n' was cut by the hypervisor to fit the
		 * buffer: it still counts as one line. */
		for (p = buf; p < end && seq < res.next_seq; seq++) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			*nl = '\0';
			cb(arg, seq, p);
			p = nl + 1;
		}
		seq = res.next_seq;
		if (res.next_seq >= res.head_seq || res.nr_bytes == 0)
			break;
	}
	*next = seq;
	free(buf);
	return rc;
}

static int
xc_console_hv(struct hv *hv, uint32_t domid, uint64_t off, char *buf,
    size_t len, size_t *got)
{
	char err[200];
	int rc = hvcons_read(domid, off, buf, len, got, err, sizeof err);

	return rc != 0 ? hv_fail(hv, -rc, "console: %s", err) : 0;
}

static void
xc_console_release_hv(struct hv *hv, uint32_t domid)
{
	(void)hv;
	hvcons_release(domid);
}

static int
xc_console_fd_hv(struct hv *hv)
{
	(void)hv;
	return hvcons_fd();
}

static int
xc_console_poll_hv(struct hv *hv)
{
	(void)hv;
	return hvcons_pump();
}

static int
xc_console_write_hv(struct hv *hv, uint32_t domid, const char *data,
    size_t len, size_t *put)
{
	int rc = hvcons_write(domid, data, len, put);

	return rc != 0 ? hv_fail(hv, -rc, "domain %u has no console "
	    "served by this xend", domid) : 0;
}

/* The blob's first two lines: name and memory in KiB (cmd-save.c). */
static void
blob_name_mem(const char *blob, char *name, size_t len, uint64_t *kib)
{
	const char *nl = strchr(blob, '\n');
	size_t n = nl ? (size_t)(nl - blob) : strlen(blob);

	if (n >= len)
		n = len - 1;
	memcpy(name, blob, n);
	name[n] = '\0';
	*kib = nl ? strtoull(nl + 1, NULL, 10) : 0;
}

/*
 * The disks and vifs of the config in the blob, then those hot-attached
 * to it (hotblob_devices), for xc_attach to set up again as at create;
 * the resumed guest's blkfront and netfront reconnect to them.  The
 * config was checked when the domain was created; if it no longer parses
 * the guest comes back without devices, and says so.
 */
static void
restore_add(void *arg, const char *kind, const char *spec)
{
	struct xc_new *n = arg;
	char ***v = strcmp(kind, "disk") == 0 ? &n->disks : &n->vifs;
	size_t *nv = strcmp(kind, "disk") == 0 ? &n->ndisks : &n->nvifs;

	*v = xreallocarray(*v, *nv + 1, sizeof **v);
	(*v)[(*nv)++] = xstrdup(spec);
}

static void
restore_devices(const char *blob, struct xc_new *n)
{
	char *err;

	if (hotblob_devices(blob, restore_add, n, &err) != 0) {
		log_warnx("restore: the saved config does not parse (%s); the "
		    "domain comes back without its disks and vifs", err);
		free(err);
	}
}

static int
xc_save_file_uuid_hv(struct hv *hv, const char *path, uint8_t uuid[16])
{
	int rc = xc_save_file_uuid(hv->priv, path, uuid);

	return rc < 0 ? xc_sr_fail(hv, "restore") : rc;
}

static int
xc_restore_domain_hv(struct hv *hv, const char *path,
    const uint8_t handle[16], uint32_t *domid, char **blob)
{
	xc_restore_result_t res;
	struct xc_new n;

	/* Paused: xc_attach starts it once its disks' and vifs' nodes are
	 * there, before its resumed blkfront and netfront look for them. */
	if (xc_domain_restore(hv->priv, path, XC_DOMID_ANY, handle, true,
	    &res) != 0)
		return xc_sr_fail(hv, "restore");
	*domid = res.domid;
	*blob = res.toolstack != NULL ? res.toolstack : xstrdup("");
	snprintf(hv->warnmsg, sizeof hv->warnmsg, "%s", res.warning);
	if (res.warning[0] != '\0')
		log_warnx("restore: %s", res.warning);
	memset(&n, 0, sizeof n);
	xcf_unwrap_blob(*blob, n.features, sizeof n.features);
	restore_devices(*blob, &n);
	n.unpause = 1;
	log_info("restored domain %u from %s: %llu pages, console port %u: "
	    "%s", res.domid, path, (unsigned long long)res.nr_pages,
	    res.console_port, xc_save_timing(hv->priv));
	n.domid = res.domid;
	memcpy(n.handle, handle, sizeof n.handle);
	n.start_info_va = res.start_info_va;
	n.console_port = res.console_port;
	n.console_mfn = res.console_mfn;
	n.store_port = res.store_port;
	n.store_mfn = res.store_mfn;
	n.can_suspend = res.suspended;
	blob_name_mem(*blob, n.name, sizeof n.name, &n.kib);
	xc_attach_or_defer(hv, &n);
	return 0;
}

/*
 * A job handle has a libxc handle of its own (its own privcmd descriptor
 * and error state), so the worker never shares one with the loop.  The
 * start_info table is read by a save job and written only here, on the
 * loop, between jobs (jobs run one at a time), so it needs no lock.
 */
/* libxc's progress of a save or restore, passed on to the job's sink
 * (hv_progress: progress items to the client that asked). */
static void
xc_job_progress(void *arg, uint64_t done, uint64_t total)
{
	hv_progress(arg, done, total);
}

static int
xc_job_open(struct hv *job, struct hv *main)
{
	(void)main;
	if ((job->priv = xc_interface_open()) == NULL)
		return hv_fail(job, errno, "cannot open the hypervisor "
		    "interface: %s", xc_open_error());
	xc_set_progress(job->priv, xc_job_progress, job);
	job->jobdata = xcalloc(1, sizeof(struct xc_new));
	return 0;
}

static void
xc_job_close(struct hv *main, struct hv *job)
{
	struct xc_new *pending = job->jobdata;

	(void)main;
	if (pending != NULL && pending->valid)
		xc_attach(pending);
	free(pending);
	job->jobdata = NULL;
	if (job->priv != NULL)
		xc_interface_close(job->priv);
	job->priv = NULL;
}

struct hv *
hv_xc_wrap(xc_interface *xch)
{
	struct hv *hv = xcalloc(1, sizeof *hv);

	hv->ops = &hv_xc_ops;
	hv->priv = xch;
	return hv;
}

/* Networks of a running domain (hv_xc_vif.c); devids vif-0.. */
static int
xc_vif_attach_hv(struct hv *hv, uint32_t domid, const uint8_t handle[16],
    const char *spec, uint32_t *devid, char *mac, size_t len)
{
	char err[300];
	uint32_t id;

	for (id = 0; id < VIF_LIST_MAX && vif_exists(domid, id); id++)
		;
	if (id == VIF_LIST_MAX)
		return hv_fail(hv, ENOSPC, "domain %u has %d vifs already",
		    domid, VIF_LIST_MAX);
	if (vif_add(domid, handle, id, spec, mac, len, err, sizeof err) != 0)
		return hv_fail(hv, EINVAL, "%s", err);
	*devid = id;
	return 0;
}

static int
xc_vif_detach_hv(struct hv *hv, uint32_t domid, uint32_t devid)
{
	char err[200];

	if (vif_detach(domid, devid, err, sizeof err) != 0)
		return hv_fail(hv, ENOENT, "%s", err);
	return 0;
}

static int
xc_vif_list_hv(struct hv *hv, uint32_t domid, struct hv_vif *v, size_t max,
    size_t *n)
{
	(void)hv;
	return vif_list(domid, v, max, n);
}

const struct hv_ops hv_xc_ops = {
	.name = "xc",
	.open = xc_open_hv,
	.close = xc_close_hv,
	.physinfo = xc_physinfo_hv,
	.list = xc_list_hv,
	.info = xc_info_hv,
	.create = xc_create_hv,
	.destroy = xc_destroy_hv,
	.pause = xc_pause_hv,
	.unpause = xc_unpause_hv,
	.shutdown = xc_shutdown_hv,
	.set_maxmem = xc_set_maxmem_hv,
	.set_target = xc_set_target_hv,
	.guest_min = xc_guest_min_hv,
	.poweroff_ready = xc_poweroff_ready_hv,
	.log_read = xc_log_read_hv,
	.console_read = xc_console_hv,
	.console_write = xc_console_write_hv,
	.console_fd = xc_console_fd_hv,
	.console_poll = xc_console_poll_hv,
	.console_release = xc_console_release_hv,
	.save_domain = xc_save_domain_hv,
	.save_ext = xc_save_ext_hv,
	.resume = xc_resume_hv,
	.suspend_request = xc_suspend_request_hv,
	.restore_domain = xc_restore_domain_hv,
	.save_file_uuid = xc_save_file_uuid_hv,
	.block_attach = xc_block_attach_hv,
	.block_detach = xc_block_detach_hv,
	.block_list = xc_block_list_hv,
	.sched_get = xc_sched_get_hv,
	.sched_set = xc_sched_set_hv,
	.vcpu_affinity_get = xc_affinity_get_hv,
	.vcpu_affinity_set = xc_affinity_set_hv,
	.vif_attach = xc_vif_attach_hv,
	.vif_detach = xc_vif_detach_hv,
	.vif_list = xc_vif_list_hv,
	.vcpu_set = xc_vcpu_set_hv,
	.job_open = xc_job_open,
	.job_close = xc_job_close,
};
