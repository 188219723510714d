/*
 * fuzz-elf.c: libFuzzer harness for libxc's PV kernel ELF loader
 * (xc_dom_elf.c): parse the input as a kernel image and, if it is
 * accepted, load its segments into memory of the size the parser says
 * the image needs, as the domain builder does.  Whatever the parser
 * accepts must load without touching memory outside that region.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xc_dom_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Larger images are fine but would only make the fuzzer slow. */
#define LOAD_MAX	(64u << 20)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xc_dom_kernel k;
	uint8_t *img, *dest;
	char err[256];
	uint64_t need;

	/* The parser keeps a pointer to the image: give it a copy it may
	 * own, as xc_dom_kernel_load does. */
	if ((img = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(img, data, size);
	memset(&k, 0, sizeof k);
	err[0] = '\0';
	if (xc_dom_elf_parse(&k, img, size, err, sizeof err) != 0) {
		if (err[0] == '\0')
			abort();	/* a refusal always says why */
		free(img);
		return 0;
	}
	if (k.info.load_end <= k.info.load_start)
		abort();
	need = k.info.load_end;
	if (need <= LOAD_MAX && (dest = malloc(need)) != NULL) {
		if (xc_dom_elf_load(&k, dest, need, err, sizeof err) != 0)
			abort();	/* parse accepted what load refuses */
		free(dest);
	}
	free(img);
	return 0;
}
