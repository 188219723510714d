/*
 * fuzz-savefile.c: libFuzzer harness for libxc's save-file reader
 * (xc_save_parse, which xc_domain_restore runs on the whole file before
 * creating anything).  A file that parses must be self-consistent in the
 * ways restore then relies on; one that does not must say why.
 *
 * xc_fail is the only libxc function the parser calls; the harness
 * provides it (recording the message), so no hypervisor transport is
 * linked in.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xc_private.h"
#include "xc_save_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char last_msg[512];

int
xc_fail(xc_interface *h, int err, const char *fmt, ...)
{
	va_list ap;

	(void)h;
	va_start(ap, fmt);
	vsnprintf(last_msg, sizeof last_msg, fmt, ap);
	va_end(ap);
	errno = err;
	return -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xc_save_image im;
	uint64_t i, covered = 0;
	uint8_t *pages;
	size_t r;

	memset(&im, 0, sizeof im);
	last_msg[0] = '\0';
	if (xc_save_parse(NULL, "fuzz.save", data, size, &im) == 0) {
		if (im.hdr.nr_pages == 0 || im.types == NULL ||
		    im.p2m_frames == NULL || im.vcpu == NULL)
			abort();
		for (i = 0; i < im.nr_p2m_frames; i++)
			if (im.p2m_frames[i] >= im.hdr.nr_pages)
				abort();
		/* Restore decodes every record again into one record's
		 * worth of memory: each must fit and decode, and together
		 * they cover every page once. */
		pages = malloc((size_t)XC_SAVE_REC_MAX_PAGES * XC_PAGE_SIZE);
		if (pages == NULL)
			abort();
		for (r = 0; r < im.nr_recs; r++) {
			const struct xc_save_prec *p = &im.recs[r];

			if (p->count == 0 || p->count > XC_SAVE_REC_MAX_PAGES ||
			    p->present > p->count ||
			    p->first + p->count > im.hdr.nr_pages)
				abort();
			if (p->codec != XC_SAVE_CODEC_NONE &&
			    xc_save_prec_decode(NULL, p, pages) != 0)
				abort();
			covered += p->count;
		}
		free(pages);
		if (covered != im.hdr.nr_pages)
			abort();
	} else if (last_msg[0] == '\0')
		abort();	/* a refusal always says why */
	xc_save_image_free(&im);
	return 0;
}
