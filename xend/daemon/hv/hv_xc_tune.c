/*
 * hv_xc_tune.c: the xc backend's operations that change what a running
 * domain has: its memory (the hypervisor's maxmem, the balloon target
 * passed through xenstore or dom0's sysfs, the least the guest says it
 * needs) and its scheduling (weight and cap, vCPU affinity).  vCPU
 * hotplug stays with create in hv_xc.c: both write cpu/N/availability.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>

#include "hv.h"
#include "hv_xc_priv.h"
#include "xs.h"

int
xc_set_maxmem_hv(struct hv *hv, uint32_t domid, uint64_t kib)
{
	if (xc_domain_setmaxmem(hv->priv, domid, XC_KIB_TO_PAGES(kib)) != 0)
		return xc_fail_hv(hv, NULL);
	return 0;
}

/* ---- The scheduler: weight and cap, vCPU affinity ---- */

int
xc_sched_get_hv(struct hv *hv, uint32_t domid, uint32_t *weight,
    uint32_t *cap)
{
	xc_sched_params_t p;

	if (xc_sched_get(hv->priv, domid, &p) != 0)
		return xc_fail_hv(hv, NULL);
	*weight = p.weight;
	*cap = p.cap;
	return 0;
}

int
xc_sched_set_hv(struct hv *hv, uint32_t domid, uint32_t weight, uint32_t cap)
{
	xc_sched_params_t p = { .weight = weight, .cap = cap };

	if (xc_sched_set(hv->priv, domid, &p) != 0)
		return xc_fail_hv(hv, NULL);
	return 0;
}

int
xc_affinity_get_hv(struct hv *hv, uint32_t domid, uint32_t vcpu,
    uint64_t *mask)
{
	uint8_t map[8];
	int i;

	if (xc_vcpu_getaffinity(hv->priv, domid, vcpu, map, 64) != 0)
		return xc_fail_hv(hv, NULL);
	*mask = 0;
	for (i = 0; i < 8; i++)
		*mask |= (uint64_t)map[i] << (8 * i);
	return 0;
}

int
xc_affinity_set_hv(struct hv *hv, uint32_t domid, uint32_t vcpu,
    uint64_t mask)
{
	uint8_t map[8];
	int i;

	for (i = 0; i < 8; i++)
		map[i] = (uint8_t)(mask >> (8 * i));
	if (xc_vcpu_setaffinity(hv->priv, domid, vcpu, map, 64) != 0)
		return xc_fail_hv(hv, NULL);
	return 0;
}


#define DOM0_TARGET_KB \
	"/sys/devices/system/xen_memory/xen_memory0/target_kb"

int
xc_set_target_hv(struct hv *hv, uint32_t domid, uint64_t kib)
{
	char path[64], val[32];
	FILE *f;
	int e;

	/*
	 * Domain-0's balloon driver takes the target through sysfs: xend
	 * runs in dom0, and that works whether or not its kernel's xenbus
	 * could join xend's store.
	 */
	if (domid == 0) {
		if ((f = fopen(DOM0_TARGET_KB, "w")) == NULL)
			return hv_fail(hv, errno, "Domain-0's balloon driver: "
			    "%s: %s (is CONFIG_XEN_BALLOON in dom0's "
			    "kernel?)", DOM0_TARGET_KB, strerror(errno));
		fprintf(f, "%llu\n", (unsigned long long)kib);
		if (fclose(f) != 0)
			return hv_fail(hv, errno, "Domain-0's balloon driver: "
			    "writing %s: %s", DOM0_TARGET_KB, strerror(errno));
		return 0;
	}
	if (!xs_ring_has(domid))
		return hv_fail(hv, ENOTSUP, "balloon targets are passed "
		    "through xenstore, and domain %u has no xenstore "
		    "ring (it was built with xenstore = 0 in xend.conf, or "
		    "by an earlier xend)", domid);
	snprintf(path, sizeof path, "/local/domain/%u/memory/target", domid);
	snprintf(val, sizeof val, "%llu", (unsigned long long)kib);
	if ((e = xs_ring_write(path, val)) != 0)
		return hv_fail(hv, e, "writing %s: %s", path, strerror(e));
	return 0;
}

/* A guest may publish the least memory it needs in memory/min_kib. */
int
xc_guest_min_hv(struct hv *hv, uint32_t domid, uint64_t *kib)
{
	char path[64], val[32], *end;
	int e;

	(void)hv;
	snprintf(path, sizeof path, "/local/domain/%u/memory/min_kib", domid);
	if (domid == 0 || !xs_ring_has(domid) ||
	    (e = xs_ring_read(path, val, sizeof val)) != 0)
		return -ENOENT;
	errno = 0;
	*kib = strtoull(val, &end, 10);
	if (errno != 0 || end == val || *end != '\0')
		return -ENOENT;
	(void)e;
	return 0;
}
