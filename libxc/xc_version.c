/*
 * xc_version.c - xen_version wrappers: version number, extra version
 * string, capability string and feature submaps.
 */
#include <errno.h>
#include <string.h>

#include "xc_private.h"
#include "public/version.h"

_Static_assert(XC_EXTRAVERSION_LEN == sizeof(struct xen_extraversion),
               "xenctrl.h extraversion length disagrees with version.h");
_Static_assert(XC_CAPABILITIES_LEN == sizeof(struct xen_capabilities_info),
               "xenctrl.h capabilities length disagrees with version.h");

static long version_call(xc_interface *h, unsigned int cmd,
                         const char *what, struct xc_hbuf *arg)
{
    long rc = xc_hypercall(h, __HYPERVISOR_xen_version, cmd,
                           arg ? xc_hbuf_va(arg) : 0, 0, 0, 0);

    if (rc < 0)
        return xc_fail(h, (int)-rc, "xen_version %s: %s", what,
                       strerror((int)-rc));
    return rc;
}

int xc_version(xc_interface *h, uint32_t *major, uint32_t *minor)
{
    long rc;

    if (!major || !minor)
        return xc_fail(h, EINVAL, "xen_version version: NULL result");
    rc = version_call(h, XENVER_version, "version", NULL);
    if (rc < 0)
        return -1;
    *major = (uint32_t)((unsigned long)rc >> 16);
    *minor = (uint32_t)rc & 0xffff;
    return 0;
}

/* Fetch a fixed-size string and make sure it ends inside its array. */
static int version_string(xc_interface *h, unsigned int cmd, const char *what,
                          char *out, size_t len)
{
    struct xc_hbuf buf;

    if (!out)
        return xc_fail(h, EINVAL, "xen_version %s: NULL buffer", what);
    if (xc_hbuf_alloc(h, &buf, len) < 0)
        return -1;
    if (version_call(h, cmd, what, &buf) < 0) {
        xc_hbuf_free(h, &buf);
        return -1;
    }
    memcpy(out, buf.p, len);
    out[len - 1] = '\0';
    xc_hbuf_free(h, &buf);
    return 0;
}

int xc_version_extra(xc_interface *h, char buf[XC_EXTRAVERSION_LEN])
{
    return version_string(h, XENVER_extraversion, "extraversion", buf,
                          XC_EXTRAVERSION_LEN);
}

int xc_version_capabilities(xc_interface *h, char buf[XC_CAPABILITIES_LEN])
{
    return version_string(h, XENVER_capabilities, "capabilities", buf,
                          XC_CAPABILITIES_LEN);
}

int xc_version_features(xc_interface *h, uint32_t submap_idx,
                        uint32_t *submap)
{
    struct xc_hbuf buf;
    struct xen_feature_info *fi;

    if (!submap)
        return xc_fail(h, EINVAL, "xen_version get_features: NULL result");
    if (xc_hbuf_alloc(h, &buf, sizeof(*fi)) < 0)
        return -1;
    fi = buf.p;
    fi->submap_idx = submap_idx;
    if (version_call(h, XENVER_get_features, "get_features", &buf) < 0) {
        xc_hbuf_free(h, &buf);
        return -1;
    }
    *submap = fi->submap;
    xc_hbuf_free(h, &buf);
    return 0;
}
