/*
 * hv_xc_xsnode.c: one node of a backend or frontend directory written into
 * the store xend hosts.  The disk (hv_xc_vbd.c) and vif (hv_xc_vif.c)
 * backends each write a dozen such nodes per device and check only that
 * all of them went in, so a failure is logged here, where the path is
 * known, and the caller sees just the errno.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hv_xc_xsnode.h"
#include "log.h"
#include "xs.h"

int
xsnode_put(const char *dir, const char *key, const char *val)
{
	char path[512];
	int e;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, key) >=
	    sizeof path) {
		log_warnx("xenstore write %s/%s: path too long", dir, key);
		return ENAMETOOLONG;
	}
	if ((e = xs_ring_write(path, val)) != 0)
		log_warnx("xenstore write %s: %s", path, strerror(e));
	return e;
}

int
xsnode_put_u(const char *dir, const char *key, unsigned long v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%lu", v);
	return xsnode_put(dir, key, buf);
}
