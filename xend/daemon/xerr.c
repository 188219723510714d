/*
 * xerr.c: errors for clients: a protocol code and a sentence.  Every part
 * of the daemon fills them (cmd, domain, peer), so they live apart from
 * all of those.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "xend.h"

int
xerr_set(struct xerr *e, int code, const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

int
xerr_from_hv(struct xerr *e, int rc, const char *what)
{
	return xerr_from(e, xend->hv, rc, what);
}

/* Pure: safe on the worker thread with a job's handle. */
int
xerr_from(struct xerr *e, const struct hv *hv, int rc, const char *what)
{
	int code;

	switch (-rc) {
	case ESRCH:	code = XE_NO_DOMAIN; break;
	case ENOMEM:	code = XE_NO_MEMORY; break;
	case ENOTSUP:
	case ENOSYS:	code = XE_UNSUPPORTED; break;
	case EPERM:	code = XE_DOM0; break;
	case EINVAL:	code = XE_STATE; break;
	default:	code = XE_BACKEND; break;
	}
	return xerr_set(e, code, "%s: %s", what, hv_errmsg(hv));
}
