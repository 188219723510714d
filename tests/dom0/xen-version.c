/*
 * xen-version - ask the hypervisor for its version from dom0.
 *
 * Issues xen_version(XENVER_version) and xen_version(XENVER_extraversion)
 * through libxc, i.e. through Linux's /dev/xen/privcmd hypercall ioctl,
 * and prints "Xen version MAJOR.MINOR EXTRA" (e.g. "Xen version
 * 4.17-mini").  Exits 1 with the reason when any step fails, so a test
 * can tell "no privcmd" from "hypercall refused".
 */
#include <stdio.h>
#include <string.h>

#include "xenctrl.h"

static int usage(void)
{
    fprintf(stderr, "usage: xen-version\n"
            "prints the running hypervisor's version (needs dom0 and "
            "/dev/xen/privcmd)\n");
    return 2;
}

int main(int argc, char **argv)
{
    xc_interface *xc;
    uint32_t major, minor;
    char extra[XC_EXTRAVERSION_LEN];
    int rc = 1;

    (void)argv;
    if (argc != 1)
        return usage();
    xc = xc_interface_open();
    if (!xc) {
        fprintf(stderr, "xen-version: %s\n", xc_open_error());
        return 1;
    }
    if (xc_version(xc, &major, &minor) < 0)
        fprintf(stderr, "xen-version: %s\n", xc_last_error(xc));
    else if (xc_version_extra(xc, extra) < 0)
        fprintf(stderr, "xen-version: %s\n", xc_last_error(xc));
    else if (major == 0 && minor == 0)
        /* Version 0.0 is what a zeroed or missing reply looks like. */
        fprintf(stderr, "xen-version: hypervisor reported version 0.0\n");
    else {
        printf("Xen version %u.%u%s\n", major, minor, extra);
        rc = 0;
    }
    xc_interface_close(xc);
    return rc;
}
