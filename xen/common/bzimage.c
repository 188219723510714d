/* The bzImage setup header and payload, for the dom0 builder (see
 * xen/include/xen/bzimage.h; the header's layout, shared with libxc and the
 * kernel build, is xen/bzimage-layout.h). */
#include <xen/bzimage.h>
#include <xen/bzimage-layout.h>
#include <xen/errno.h>
#include <xen/inflate.h>
#include <xen/lib.h>
#include <xen/unxz.h>

#define SIZE_WORD          4

static uint32_t le32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint16_t le16(const uint8_t *p)
{
    return p[0] | (p[1] << 8);
}

bool bzimage_probe(const void *img, size_t len)
{
    const uint8_t *p = img;

    return len >= HDR_MAGIC + 4 && le16(p + HDR_BOOT_FLAG) == BOOT_FLAG_VALUE &&
           !memcmp(p + HDR_MAGIC, "HdrS", 4);
}

const char *bzimage_format_name(enum bzimage_format f)
{
    return f == BZ_FORMAT_XZ ? "xz" : "gzip";
}

int bzimage_payload(const void *img, size_t len, struct bzimage_payload *p,
                    const char **why)
{
    const uint8_t *b = img;
    uint64_t pm_start, off, plen;

    if ( !bzimage_probe(img, len) )
    {
        *why = "no bzImage setup header";
        return -EINVAL;
    }
    if ( len < HDR_END )
    {
        *why = "truncated inside the setup header";
        return -EINVAL;
    }
    p->version = le16(b + HDR_VERSION);
    if ( p->version < PROTOCOL_PAYLOAD )
    {
        *why = "boot protocol before 2.08 gives no payload location";
        return -EOPNOTSUPP;
    }
    pm_start = bzimage_pm_start(b);
    off = le32(b + HDR_PAYLOAD_OFFSET);
    plen = le32(b + HDR_PAYLOAD_LENGTH);
    if ( pm_start + off + plen > len )
    {
        *why = "payload lies beyond the end of the image";
        return -EINVAL;
    }
    if ( plen < 2 * SIZE_WORD )
    {
        *why = "payload too short";
        return -EINVAL;
    }
    p->data = b + pm_start + off;
    p->size = le32(p->data + plen - SIZE_WORD);
    if ( p->data[0] == 0x1f && p->data[1] == 0x8b )
    {
        p->format = BZ_FORMAT_GZIP;
        p->len = plen;                  /* the size word is gzip's ISIZE */
    }
    else if ( plen >= XZ_MAGIC_LEN + SIZE_WORD &&
              !memcmp(p->data, xz_magic, XZ_MAGIC_LEN) )
    {
        p->format = BZ_FORMAT_XZ;
        p->len = plen - SIZE_WORD;
    }
    else
    {
        *why = "payload compression is neither gzip nor xz";
        return -EOPNOTSUPP;
    }
    if ( p->size == 0 )
    {
        *why = "payload announces an empty kernel";
        return -EINVAL;
    }
    return 0;
}

int bzimage_decode(const struct bzimage_payload *p, void *out,
                   size_t out_cap, size_t *out_len)
{
    size_t got;
    int rc;

    if ( p->format == BZ_FORMAT_XZ )
        rc = unxz(p->data, p->len, out, out_cap, &got);
    else
        rc = gunzip(p->data, p->len, out, out_cap, &got);
    if ( rc )
        return rc;
    if ( got != p->size )
        return -EINVAL;                 /* the size word disagrees */
    *out_len = got;
    return 0;
}
