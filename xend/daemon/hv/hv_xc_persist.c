/*
 * hv_xc_persist.c: the xc backend's per-domain connections on disk.
 *
 * The builder tells xend where a new domain's start_info, console ring
 * and store ring are and which ports they use; the hypervisor does not
 * say again.  Kept only in memory, they died with xend, and a restarted
 * xend could not show a running domU's console, talk to its xenstore or
 * save it.  So each attach and detach rewrites a small file beside the
 * database (written to .tmp, fsynced, renamed: whole or old, never
 * half), and xc_open_hv re-attaches every domain in it that the
 * hypervisor still runs under the same domid and handle.  A domain that
 * died meanwhile, or whose domid now names another, is dropped.
 *
 * One line a domain: "dom DOMID HANDLE SI_VA CONS_PORT CONS_MFN
 * STORE_PORT STORE_MFN KIB NAME" (handle in hex; NAME last, no spaces:
 * config names are [A-Za-z0-9_.-]).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xenctrl.h>

#include "hv_xc_persist.h"
#include "log.h"
#include "xmalloc.h"

#define XCP_MAX		256

static struct {
	char		*path;
	struct xc_new	 e[XCP_MAX];
	size_t		 n;
} xcp;

static void
save(void)
{
	char tmp[4200];
	FILE *f;
	size_t i;
	int k;

	if (xcp.path == NULL)
		return;
	snprintf(tmp, sizeof tmp, "%s.tmp", xcp.path);
	if ((f = fopen(tmp, "w")) == NULL) {
		log_warnx("%s: %s: a restarted xend will not find its "
		    "domains' consoles", tmp, strerror(errno));
		return;
	}
	for (i = 0; i < xcp.n; i++) {
		const struct xc_new *n = &xcp.e[i];

		fprintf(f, "dom %u ", n->domid);
		for (k = 0; k < 16; k++)
			fprintf(f, "%02x", n->handle[k]);
		fprintf(f, " %" PRIx64 " %u %" PRIx64 " %u %" PRIx64 " %" PRIu64
		    " %s\n", n->start_info_va, n->console_port, n->console_mfn,
		    n->store_port, n->store_mfn, n->kib,
		    n->name[0] ? n->name : "-");
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0 ||
	    rename(tmp, xcp.path) != 0)
		log_warnx("%s: %s", xcp.path, strerror(errno));
}

static int
parse(const char *line, struct xc_new *n)
{
	char hex[64], name[128];
	unsigned k, b;

	memset(n, 0, sizeof *n);
	if (sscanf(line, "dom %u %63s %" SCNx64 " %u %" SCNx64 " %u %" SCNx64
	    " %" SCNu64 " %127s", &n->domid, hex, &n->start_info_va,
	    &n->console_port, &n->console_mfn, &n->store_port, &n->store_mfn,
	    &n->kib, name) != 9 || strlen(hex) != 32)
		return -1;
	for (k = 0; k < 16; k++) {
		if (sscanf(hex + 2 * k, "%2x", &b) != 1)
			return -1;
		n->handle[k] = (uint8_t)b;
	}
	snprintf(n->name, sizeof n->name, "%s", strcmp(name, "-") ? name : "");
	return 0;
}

void
xcp_init(const char *db_path)
{
	char line[512];
	FILE *f;

	free(xcp.path);
	xcp.n = 0;
	if (db_path == NULL) {
		xcp.path = NULL;
		return;
	}
	xasprintf(&xcp.path, "%s.xc-domains", db_path);
	if ((f = fopen(xcp.path, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL && xcp.n < XCP_MAX)
		if (parse(line, &xcp.e[xcp.n]) == 0)
			xcp.n++;
		else
			log_warnx("%s: a line that does not parse, ignored",
			    xcp.path);
	fclose(f);
}

void
xcp_add(const struct xc_new *n)
{
	size_t i;

	for (i = 0; i < xcp.n; i++)
		if (xcp.e[i].domid == n->domid)
			break;
	if (i == XCP_MAX)
		return;
	xcp.e[i] = *n;
	xcp.e[i].valid = xcp.e[i].resume = 0;
	xcp.e[i].disks = NULL;	/* the caller's, and not kept */
	xcp.e[i].ndisks = 0;
	xcp.e[i].vifs = NULL;
	xcp.e[i].nvifs = 0;
	if (i == xcp.n)
		xcp.n++;
	save();
}

void
xcp_remove(uint32_t domid)
{
	size_t i;

	for (i = 0; i < xcp.n; i++)
		if (xcp.e[i].domid == domid) {
			xcp.e[i] = xcp.e[--xcp.n];
			save();
			return;
		}
}

void
xcp_resume(xc_interface *xch, void (*attach)(struct xc_new *))
{
	struct xc_new keep[XCP_MAX];
	xc_dominfo_t x;
	size_t i, n = 0;

	for (i = 0; i < xcp.n; i++) {
		if (xc_domain_getinfo(xch, xcp.e[i].domid, &x) != 0 ||
		    x.domid != xcp.e[i].domid || x.dying ||
		    memcmp(x.handle, xcp.e[i].handle, 16) != 0) {
			log_info("domain %u (%s) is gone: its connections "
			    "forgotten", xcp.e[i].domid, xcp.e[i].name);
			continue;
		}
		keep[n] = xcp.e[i];
		keep[n].resume = 1;
		n++;
	}
	xcp.n = 0;
	for (i = 0; i < n; i++) {
		log_info("domain %u (%s): attaching again to its console and "
		    "xenstore", keep[i].domid, keep[i].name);
		attach(&keep[i]);	/* xcp_add()s it back */
	}
	save();
}
