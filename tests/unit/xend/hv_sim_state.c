/*
 * hv_sim_state.c: the simulated hypervisor's state file, so that like a
 * real hypervisor it outlives a restart of xend: written whole to
 * PATH.tmp and renamed after every change, read back strictly at open.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "hv.h"
#include "hv_sim.h"
#include "xmalloc.h"

int
sim_save_state(struct hv *hv)
{
	struct sim *s = hv->priv;
	char tmp[4200];
	FILE *f;
	size_t i;
	int k;

	snprintf(tmp, sizeof tmp, "%s.tmp", s->state_path);
	if ((f = fopen(tmp, "w")) == NULL)
		return hv_fail(hv, errno, "cannot write %s: %s", tmp,
		    strerror(errno));
	fprintf(f, "%s\nboot %s %" PRId64 "\nnext_domid %u\nnext_seq %" PRIu64
	    "\n", SIM_STATE_MAGIC, s->boot_id, s->boot_ns, s->next_domid,
	    s->next_seq);
	for (i = 0; i < s->ndoms; i++) {
		struct sim_dom *d = &s->doms[i];
		fprintf(f, "dom %u %d %d ", d->domid, (int)d->state, d->reason);
		for (k = 0; k < 16; k++)
			fprintf(f, "%02x", d->handle[k]);
		fprintf(f, " %" PRIu64 " %" PRIu64 " %" PRIu64 " %u %" PRIu64
		    " %" PRId64 " %u %" PRIu64 "\n", d->mem_kib, d->maxmem_kib,
		    d->target_kib, d->vcpus, d->cpu_ns_base, d->run_since,
		    d->load, d->balloon_kibps);
		fprintf(f, "sched %u %u %u\n", d->domid, d->weight, d->cap);
		if (d->online != d->vcpus)
			fprintf(f, "online %u %u\n", d->domid, d->online);
		for (k = 0; k < SIM_MAX_VCPUS; k++)
			if (d->affinity[k] != 0)
				fprintf(f, "pin %u %d %" PRIx64 "\n", d->domid,
				    k, d->affinity[k]);
	}
	for (i = 0; i < s->nlog; i++)
		fprintf(f, "log %" PRIu64 " %s\n", s->log[i].seq,
		    s->log[i].text);
	if (fflush(f) != 0 || ferror(f)) {
		fclose(f);
		unlink(tmp);
		return hv_fail(hv, EIO, "cannot write %s", tmp);
	}
	fclose(f);
	if (rename(tmp, s->state_path) != 0)
		return hv_fail(hv, errno, "cannot rename %s: %s", tmp,
		    strerror(errno));
	return 0;
}

static int
parse_handle(const char *hex, uint8_t *h)
{
	int k;
	unsigned v;

	if (strlen(hex) != 32)
		return -1;
	for (k = 0; k < 16; k++) {
		if (sscanf(hex + 2 * k, "%2x", &v) != 1)
			return -1;
		h[k] = (uint8_t)v;
	}
	return 0;
}

int
sim_load_state(struct hv *hv, FILE *f)
{
	struct sim *s = hv->priv;
	char line[1024], hex[64];
	int lineno = 0, st, n, nf;
	struct sim_dom d;
	uint64_t seq;

	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (lineno == 1) {
			if (strcmp(line, SIM_STATE_MAGIC) != 0)
				goto bad;
			continue;
		}
		if (sscanf(line, "boot %39s %" SCNd64, s->boot_id,
		    &s->boot_ns) == 2)
			continue;
		if (sscanf(line, "next_domid %u", &s->next_domid) == 1)
			continue;
		if (sscanf(line, "next_seq %" SCNu64, &s->next_seq) == 1)
			continue;
		memset(&d, 0, sizeof d);
		if (strncmp(line, "dom ", 4) == 0) {
			if ((nf = sscanf(line, "dom %u %d %d %63s %" SCNu64 " %"
			    SCNu64
			    " %" SCNu64 " %u %" SCNu64 " %" SCNd64 " %u %"
			    SCNu64, &d.domid, &st, &d.reason, hex,
			    &d.mem_kib, &d.maxmem_kib, &d.target_kib,
			    &d.vcpus, &d.cpu_ns_base, &d.run_since, &d.load,
			    &d.balloon_kibps)) < 11 ||
			    parse_handle(hex, d.handle) != 0 || st < 0 ||
			    st > HV_DYING)
				goto bad;
			d.state = (enum hv_state)st;
			if (nf == 11)
				d.balloon_kibps = SIM_BALLOON_INSTANT;
			d.balloon_since = sim_now_ns();
			d.weight = SIM_WEIGHT_DEFAULT;
			d.online = d.vcpus;
			s->doms = xreallocarray(s->doms, s->ndoms + 1,
			    sizeof *s->doms);
			s->doms[s->ndoms++] = d;
			continue;
		}
		/* sched/pin/online lines follow their domain's dom line
		 * (files written before them have none: weight 256, no
		 * pins, every vCPU online). */
		if (strncmp(line, "sched ", 6) == 0 ||
		    strncmp(line, "pin ", 4) == 0 ||
		    strncmp(line, "online ", 7) == 0) {
			struct sim_dom *last = s->ndoms ?
			    &s->doms[s->ndoms - 1] : NULL;
			unsigned id, a, b;
			uint64_t m;

			if (last == NULL)
				goto bad;
			if (sscanf(line, "sched %u %u %u", &id, &a, &b) == 3 &&
			    id == last->domid && a >= 1 && a <= 65535) {
				last->weight = a;
				last->cap = b;
				continue;
			}
			if (sscanf(line, "online %u %u", &id, &a) == 2 &&
			    id == last->domid && a >= 1 && a <= last->vcpus) {
				last->online = a;
				continue;
			}
			if (sscanf(line, "pin %u %u %" SCNx64, &id, &a, &m) ==
			    3 && id == last->domid && a < SIM_MAX_VCPUS) {
				last->affinity[a] = m;
				continue;
			}
			goto bad;
		}
		if (sscanf(line, "log %" SCNu64 " %n", &seq, &n) == 1) {
			s->log = xreallocarray(s->log, s->nlog + 1,
			    sizeof *s->log);
			s->log[s->nlog].seq = seq;
			s->log[s->nlog].text = xstrdup(line + n);
			s->log_bytes += strlen(line + n) + 1;
			s->nlog++;
			continue;
		}
		goto bad;
	}
	if (lineno == 0)
		goto bad;
	return 0;
bad:
	return hv_fail(hv, EINVAL, "%s:%d: corrupt simulator state (delete "
	    "the file to boot a fresh simulated hypervisor)", s->state_path,
	    lineno);
}
