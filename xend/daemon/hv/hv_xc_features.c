/*
 * hv_xc_features.c: the guest's control/feature-* nodes across a save.
 *
 * Linux writes control/feature-poweroff, -reboot, -suspend, -sysrq (and
 * an HVM guest -s3/-s4) once, at boot, and its resume path does not
 * write them again.  A restored guest gets a fresh xenstore home, so
 * without help it would lose them: `xenctl shutdown` would then think it
 * cannot power off, a second save would fall back to non-cooperative.
 * So as the guest is asked to suspend, the nodes it advertises are
 * noted; the save job puts them in the save file, in front of xend's
 * blob as one line "\001xc-features NAME=VALUE,...\n" (files without it
 * restore as before); restore takes the line off again and writes the
 * nodes once the guest's store is there.  The file is untrusted: only
 * the names below, values of at most 8 characters [0-9a-z], are kept.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv_xc_features.h"
#include "log.h"
#include "xmalloc.h"
#include "xs.h"

static const char *const names[] = {
	"feature-poweroff", "feature-reboot", "feature-suspend",
	"feature-sysrq", "feature-s3", "feature-s4",
};
#define NNAMES		(sizeof names / sizeof names[0])
#define MARK		"\001xc-features "
#define NOTES_MAX	16

/* Noted on the loop, read by the save job on its worker thread. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	uint32_t	domid;
	char		text[XCF_TEXT_MAX];
} notes[NOTES_MAX];
static size_t nnotes;

static int
value_ok(const char *v)
{
	size_t n = strlen(v);

	return n > 0 && n <= 8 && strspn(v, "0123456789abcdefghijklmnopqrstu"
	    "vwxyz") == n;
}

void
xcf_snapshot(uint32_t domid)
{
	char path[96], val[16], text[XCF_TEXT_MAX];
	size_t i, n = 0, slot;

	text[0] = '\0';
	for (i = 0; i < NNAMES; i++) {
		snprintf(path, sizeof path, "/local/domain/%u/control/%s",
		    domid, names[i]);
		if (xs_ring_read(path, val, sizeof val) != 0 || !value_ok(val))
			continue;
		n += (size_t)snprintf(text + n, sizeof text - n, "%s%s=%s",
		    n > 0 ? "," : "", names[i], val);
	}
	pthread_mutex_lock(&lock);
	for (slot = 0; slot < nnotes && notes[slot].domid != domid; slot++)
		;
	if (slot == nnotes) {
		if (nnotes == NOTES_MAX)
			slot = 0;	/* a stale note of a long-gone save */
		else
			nnotes++;
	}
	notes[slot].domid = domid;
	memcpy(notes[slot].text, text, sizeof text);
	pthread_mutex_unlock(&lock);
}

char *
xcf_wrap_blob(uint32_t domid, const char *blob)
{
	char text[XCF_TEXT_MAX] = "", *out;
	size_t i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < nnotes; i++)
		if (notes[i].domid == domid) {
			memcpy(text, notes[i].text, sizeof text);
			notes[i] = notes[--nnotes];
			break;
		}
	pthread_mutex_unlock(&lock);
	if (text[0] == '\0')
		return xstrdup(blob);
	xasprintf(&out, "%s%s\n%s", MARK, text, blob);
	return out;
}

/* Keep only NAME=VALUE entries with a known name and a sane value. */
static void
filter(const char *in, char *out, size_t len)
{
	char buf[XCF_TEXT_MAX], *tok, *save = NULL, *eq;
	size_t i, n = 0;

	out[0] = '\0';
	snprintf(buf, sizeof buf, "%s", in);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((eq = strchr(tok, '=')) == NULL)
			continue;
		*eq++ = '\0';
		for (i = 0; i < NNAMES && strcmp(tok, names[i]) != 0; i++)
			;
		if (i == NNAMES || !value_ok(eq) || n >= len)
			continue;
		n += (size_t)snprintf(out + n, len - n, "%s%s=%s",
		    n > 0 ? "," : "", tok, eq);
	}
	if (n >= len)
		out[0] = '\0';
}

void
xcf_unwrap_blob(char *blob, char *text, size_t len)
{
	char *nl;

	text[0] = '\0';
	if (strncmp(blob, MARK, strlen(MARK)) != 0)
		return;
	if ((nl = strchr(blob, '\n')) == NULL) {
		blob[0] = '\0';		/* all mark, no blob: restore says */
		return;
	}
	*nl = '\0';
	if (strlen(blob + strlen(MARK)) < XCF_TEXT_MAX)
		filter(blob + strlen(MARK), text, len);
	memmove(blob, nl + 1, strlen(nl + 1) + 1);
}

void
xcf_apply(uint32_t domid, const char *text)
{
	char buf[XCF_TEXT_MAX], path[96], *tok, *save = NULL, *eq;
	int e;

	snprintf(buf, sizeof buf, "%s", text);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((eq = strchr(tok, '=')) == NULL)
			continue;
		*eq++ = '\0';
		snprintf(path, sizeof path, "/local/domain/%u/control/%s",
		    domid, tok);
		if ((e = xs_ring_write(path, eq)) != 0)
			log_warnx("domain %u: cannot write control/%s (%s)",
			    domid, tok, strerror(e));
	}
	if (text[0] != '\0')
		log_info("domain %u: control/ %s carried over from its save",
		    domid, text);
}
