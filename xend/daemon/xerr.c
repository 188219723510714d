/*
 * xerr.c: errors for clients: a protocol code and a sentence.  Every part
 * of the daemon fills them (cmd, domain, peer), so they live apart from
 * all of those.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

/* Pure: safe on the worker thread with a job's handle.  A backend
 * message that already starts with "what: " is not given the prefix a
 * second time (a new user once read "create: create: ..."). */
int
xerr_from(struct xerr *e, const struct hv *hv, int rc, const char *what)
{
	const char *msg = hv_errmsg(hv);
	size_t n = strlen(what);
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
	while (strncmp(msg, what, n) == 0 && strncmp(msg + n, ": ", 2) == 0)
		msg += n + 2;
	return xerr_set(e, code, "%s: %s", what, msg);
}
