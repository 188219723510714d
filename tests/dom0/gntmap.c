/*
 * gntmap DOMID REF - map a grant through Linux's /dev/xen/gntdev (libxc's
 * xc_gnttab_map_grant_ref), check the granter's pattern (byte i =
 * i * 7 + 3, as tests/guests/granter.c writes it), write a marker word
 * (0x600df00d) at offset 0 and unmap.  Exits 0 when all of that worked,
 * 1 with the reason otherwise (the grant may not be there yet: callers
 * retry), 2 on bad arguments.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "xenctrl.h"

#define MARKER 0x600df00du

static int usage(void)
{
    fprintf(stderr, "usage: gntmap DOMID REF\n");
    return 2;
}

int main(int argc, char **argv)
{
    xc_interface *xc;
    xc_gnttab *xcg;
    volatile uint8_t *p;
    unsigned long domid, ref;
    unsigned int bad = 0;
    char *end;
    int rc = 1;

    if (argc != 3)
        return usage();
    domid = strtoul(argv[1], &end, 0);
    if (*end || domid >= 0x7ff0)
        return usage();
    ref = strtoul(argv[2], &end, 0);
    if (*end || ref > 0xffffffffUL)
        return usage();
    xc = xc_interface_open();
    if (!xc) {
        fprintf(stderr, "gntmap: %s\n", xc_open_error());
        return 1;
    }
    xcg = xc_gnttab_open(xc);
    if (!xcg) {
        fprintf(stderr, "gntmap: %s\n", xc_last_error(xc));
        goto out;
    }
    p = xc_gnttab_map_grant_ref(xcg, domid, ref, PROT_READ | PROT_WRITE);
    if (!p) {
        fprintf(stderr, "gntmap: map d%lu ref %lu: %s\n", domid, ref,
                xc_last_error(xc));
        goto close;
    }
    for (unsigned int i = 4; i < 4096; i++)
        if (p[i] != (uint8_t)(i * 7 + 3))
            bad++;
    if (bad) {
        fprintf(stderr, "gntmap: %u bytes differ from the pattern\n", bad);
    } else {
        *(volatile uint32_t *)p = MARKER;
        printf("gntmap: d%lu ref %lu mapped, pattern ok, marker written\n",
               domid, ref);
        rc = 0;
    }
    if (xc_gnttab_unmap(xcg, (void *)p, 1) < 0) {
        fprintf(stderr, "gntmap: unmap: %s\n", xc_last_error(xc));
        rc = 1;
    }
close:
    xc_gnttab_close(xcg);
out:
    xc_interface_close(xc);
    return rc;
}
