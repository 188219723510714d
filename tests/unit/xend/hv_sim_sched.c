/*
 * hv_sim_sched.c: the simulated hypervisor's scheduler settings.  It
 * schedules nothing; it keeps weight, cap and affinity and refuses what
 * the real hypervisor refuses (dom0_op setschedparams and
 * setvcpuaffinity), so xend's commands meet the same errors on both
 * backends.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>

#include "hv.h"
#include "hv_sim.h"

static uint64_t
online_mask(const struct sim *s)
{
	return s->cpus >= 64 ? UINT64_MAX : (UINT64_C(1) << s->cpus) - 1;
}

static int
find_vcpu(struct hv *hv, uint32_t domid, uint32_t vcpu, struct sim_dom **dp)
{
	struct sim_dom *d = sim_find_dom(hv->priv, domid);

	if (d == NULL)
		return hv_fail(hv, ESRCH, "no domain with id %u", domid);
	if (vcpu >= d->vcpus || vcpu >= SIM_MAX_VCPUS)
		return hv_fail(hv, ENOENT, "domain %u has no vCPU %u", domid,
		    vcpu);
	*dp = d;
	return 0;
}

int
sim_sched_get(struct hv *hv, uint32_t domid, uint32_t *weight, uint32_t *cap)
{
	struct sim *s = hv->priv;
	struct sim_dom *d;
	int rc = 0;

	pthread_mutex_lock(&s->lock);
	if ((d = sim_find_dom(s, domid)) == NULL)
		rc = hv_fail(hv, ESRCH, "no domain with id %u", domid);
	else {
		*weight = d->weight;
		*cap = d->cap;
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int
sim_sched_set(struct hv *hv, uint32_t domid, uint32_t weight, uint32_t cap)
{
	struct sim *s = hv->priv;
	struct sim_dom *d;
	int rc;

	pthread_mutex_lock(&s->lock);
	if ((d = sim_find_dom(s, domid)) == NULL)
		rc = hv_fail(hv, ESRCH, "no domain with id %u", domid);
	else if (weight == 0 || weight > 65535)
		rc = hv_fail(hv, EINVAL, "setschedparams: weight %u is not in "
		    "1..65535", weight);
	else if (cap > 100 * s->cpus)
		rc = hv_fail(hv, EINVAL, "setschedparams: cap %u%% is more "
		    "than %u CPUs", cap, s->cpus);
	else {
		d->weight = weight;
		d->cap = cap;
		sim_log(s, "domain %u weight %u cap %u", domid, weight, cap);
		rc = sim_save_state(hv);
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int
sim_affinity_get(struct hv *hv, uint32_t domid, uint32_t vcpu, uint64_t *mask)
{
	struct sim *s = hv->priv;
	struct sim_dom *d;
	int rc;

	pthread_mutex_lock(&s->lock);
	if ((rc = find_vcpu(hv, domid, vcpu, &d)) == 0)
		*mask = (d->affinity[vcpu] ? d->affinity[vcpu] : UINT64_MAX) &
		    online_mask(s);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int
sim_affinity_set(struct hv *hv, uint32_t domid, uint32_t vcpu, uint64_t mask)
{
	struct sim *s = hv->priv;
	struct sim_dom *d;
	int rc;

	pthread_mutex_lock(&s->lock);
	if ((rc = find_vcpu(hv, domid, vcpu, &d)) != 0)
		goto out;
	mask &= online_mask(s);
	if (mask == 0) {
		rc = hv_fail(hv, EINVAL, "setvcpuaffinity: no CPU of the "
		    "mask exists");
		goto out;
	}
	d->affinity[vcpu] = mask == online_mask(s) ? 0 : mask;
	sim_log(s, "domain %u vCPU %u affinity %#" PRIx64, domid, vcpu, mask);
	rc = sim_save_state(hv);
out:
	pthread_mutex_unlock(&s->lock);
	return rc;
}
