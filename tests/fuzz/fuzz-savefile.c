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
	uint64_t i;

	memset(&im, 0, sizeof im);
	last_msg[0] = '\0';
	if (xc_save_parse(NULL, "fuzz.save", data, size, &im) == 0) {
		if (im.hdr.nr_pages == 0 || im.mem == NULL ||
		    im.types == NULL || im.p2m_frames == NULL ||
		    im.vcpu == NULL)
			abort();
		for (i = 0; i < im.nr_p2m_frames; i++)
			if (im.p2m_frames[i] >= im.hdr.nr_pages)
				abort();
		/* Restore reads every page: they must all be there. */
		for (i = 0; i < im.hdr.nr_pages; i++)
			im.mem[i * XC_PAGE_SIZE] ^= im.types[i];
	} else if (last_msg[0] == '\0')
		abort();	/* a refusal always says why */
	xc_save_image_free(&im);
	return 0;
}
