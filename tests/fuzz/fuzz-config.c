/*
 * fuzz-config.c: libFuzzer harness for the configuration parser, through
 * both schemas (domain configs and xend.conf).  Any error must be a
 * "file:line:col: ..." sentence.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_warnings w = { NULL, 0 };
	struct xend_conf xc;
	struct domcfg dc;
	char *err = NULL;

	if (domcfg_parse("f.cfg", (const char *)data, size, &dc, &w,
	    &err) == 0)
		domcfg_free(&dc);
	else {
		if (err == NULL || strncmp(err, "f.cfg:", 6) != 0)
			abort();
		free(err);
	}
	cfg_warnings_free(&w);
	err = NULL;
	xendconf_defaults(&xc);
	if (xendconf_parse("x.conf", (const char *)data, size, &xc,
	    &err) != 0) {
		if (err == NULL || strncmp(err, "x.conf:", 7) != 0)
			abort();
		free(err);
	}
	xendconf_free(&xc);
	return 0;
}
