/*
 * xc_save_parse.c - read and check a whole save file (xc_save.c's format)
 * held in memory, before xc_restore.c creates anything.  On its own so it
 * can be fed any buffer: by restore, and by tests/fuzz/fuzz-savefile.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "xc_private.h"
#include "xc_save_image.h"

#define PAGE         XC_PAGE_SIZE
/* zlib's best compression ratio (deflate's limit is 1032:1). */
#define ZLIB_BEST_RATIO  1032

static int bad(xc_interface *h, const char *path, const char *why,
               unsigned long long at)
{
    return xc_fail(h, EINVAL, "restore: %s is not a usable save file: %s "
                   "(at byte %llu)", path, why, at);
}

int xc_save_parse(xc_interface *h, const char *path, const uint8_t *buf,
                  size_t len, struct xc_save_image *im)
{
    size_t off = sizeof(im->hdr);
    uint8_t *seen;
    uint64_t i;
    int ended = 0, have_types = 0;

    if (len < sizeof(im->hdr))
        return bad(h, path, "shorter than its header", len);
    memcpy(&im->hdr, buf, sizeof(im->hdr));
    if (memcmp(im->hdr.magic, XC_SAVE_MAGIC, 8) != 0)
        return bad(h, path, "wrong magic", 0);
    if (im->hdr.version < XC_SAVE_VERSION_MIN ||
        im->hdr.version > XC_SAVE_VERSION) {
        char why[96];

        snprintf(why, sizeof(why), "format version %u, this libxc reads "
                 "versions %u to %u", im->hdr.version, XC_SAVE_VERSION_MIN,
                 XC_SAVE_VERSION);
        return bad(h, path, why, 8);
    }
    if (im->hdr.nr_pages == 0 || im->hdr.nr_pages > XC_SAVE_MAX_PAGES ||
        im->hdr.nr_vcpus == 0 || im->hdr.nr_vcpus > 128 ||
        im->hdr.start_info_pfn >= im->hdr.nr_pages ||
        (im->hdr.flags & ~(im->hdr.version >= 2 ? XC_SAVE_F_MASK : 0)))
        return bad(h, path, "header values out of range", 8);
    /*
     * Every page comes in a zlib record, and zlib shrinks at best about
     * 1032:1; a file too short to hold that many pages is refused before
     * memory for them is allocated (the header alone once asked for
     * gigabytes: found by tests/fuzz/fuzz-savefile).
     */
    if ((len - sizeof(im->hdr)) < im->hdr.nr_pages * PAGE / ZLIB_BEST_RATIO)
        return bad(h, path, "too short for its page count", 24);
    im->mem = calloc(im->hdr.nr_pages, PAGE);
    im->types = calloc(im->hdr.nr_pages, 1);
    im->vcpu = calloc(im->hdr.nr_vcpus, sizeof(*im->vcpu));
    seen = calloc(im->hdr.nr_pages, 1);
    if (!im->mem || !im->types || !im->vcpu || !seen) {
        free(seen);
        return xc_fail(h, ENOMEM, "restore: out of memory");
    }
    while (!ended) {
        uint32_t type;
        uint64_t rlen;
        const uint8_t *p;

        if (len - off < 16) {
            bad(h, path, "truncated (record header cut off)", off);
            goto fail;
        }
        memcpy(&type, buf + off, 4);
        memcpy(&rlen, buf + off + 8, 8);
        off += 16;
        if (rlen > len - off) {
            bad(h, path, "truncated (record longer than the rest)", off);
            goto fail;
        }
        p = buf + off;
        switch (type) {
        case XC_SAVE_REC_END:
            ended = 1;
            break;
        case XC_SAVE_REC_P2M_FRAMES:
            if (rlen % 8 || rlen / 8 != (im->hdr.nr_pages * 8 + PAGE - 1) /
                PAGE || im->p2m_frames) {
                bad(h, path, "bad p2m frame record", off);
                goto fail;
            }
            im->nr_p2m_frames = rlen / 8;
            im->p2m_frames = malloc(rlen);
            if (!im->p2m_frames) {
                xc_fail(h, ENOMEM, "restore: out of memory");
                goto fail;
            }
            memcpy(im->p2m_frames, p, rlen);
            for (i = 0; i < im->nr_p2m_frames; i++)
                if (im->p2m_frames[i] >= im->hdr.nr_pages) {
                    bad(h, path, "p2m frame beyond the domain", off);
                    goto fail;
                }
            break;
        case XC_SAVE_REC_VCPU: {
            uint32_t v;
            if (rlen != 8 + sizeof(struct vcpu_guest_context)) {
                bad(h, path, "bad vCPU record size", off);
                goto fail;
            }
            memcpy(&v, p, 4);
            if (v >= im->hdr.nr_vcpus) {
                bad(h, path, "vCPU number out of range", off);
                goto fail;
            }
            memcpy(&im->vcpu[v], p + 8, sizeof(im->vcpu[v]));
            break;
        }
        case XC_SAVE_REC_TOOLSTACK:
            if (rlen > XC_SAVE_TOOLSTACK_MAX || im->toolstack) {
                bad(h, path, "bad toolstack record", off);
                goto fail;
            }
            im->toolstack = malloc(rlen + 1);
            if (!im->toolstack) {
                xc_fail(h, ENOMEM, "restore: out of memory");
                goto fail;
            }
            memcpy(im->toolstack, p, rlen);
            im->toolstack[rlen] = '\0';
            im->toolstack_len = rlen;
            break;
        case XC_SAVE_REC_GUEST_ID:
            if (im->hdr.version < 2 || rlen > XC_SAVE_GUEST_ID_MAX ||
                im->guest_id || memchr(p, 0, rlen)) {
                bad(h, path, "bad guest identity record", off);
                goto fail;
            }
            im->guest_id = strndup((const char *)p, rlen);
            if (!im->guest_id) {
                xc_fail(h, ENOMEM, "restore: out of memory");
                goto fail;
            }
            break;
        case XC_SAVE_REC_TYPES:
            if (rlen != im->hdr.nr_pages) {
                bad(h, path, "bad page-type record size", off);
                goto fail;
            }
            memcpy(im->types, p, rlen);
            have_types = 1;
            break;
        case XC_SAVE_REC_PAGES: {
            uint64_t first, n;
            uLongf out;
            if (rlen < 16) {
                bad(h, path, "page record too short", off);
                goto fail;
            }
            memcpy(&first, p, 8);
            memcpy(&n, p + 8, 8);
            if (n == 0 || first >= im->hdr.nr_pages ||
                n > im->hdr.nr_pages - first) {
                bad(h, path, "page record outside the domain", off);
                goto fail;
            }
            out = n * PAGE;
            if (uncompress(im->mem + first * PAGE, &out, p + 16,
                           rlen - 16) != Z_OK || out != n * PAGE) {
                bad(h, path, "page data does not decompress", off);
                goto fail;
            }
            memset(seen + first, 1, n);
            break;
        }
        default:
            bad(h, path, "unknown record type", off - 16);
            goto fail;
        }
        off += rlen;
    }
    if (off != len) {
        bad(h, path, "data after the end record", off);
        goto fail;
    }
    for (i = 0; i < im->hdr.nr_pages; i++)
        if (!seen[i]) {
            bad(h, path, "some pages are missing", off);
            goto fail;
        }
    if (!have_types || !im->p2m_frames || !(im->vcpu[0].flags & VGCF_online)) {
        bad(h, path, "a required record is missing", off);
        goto fail;
    }
    free(seen);
    return 0;
fail:
    free(seen);
    return -1;
}


void xc_save_image_free(struct xc_save_image *im)
{
    free(im->guest_id);
    free(im->toolstack);
    free(im->mem);
    free(im->types);
    free(im->p2m_frames);
    free(im->vcpu);
    free(im->new_p2m);
    memset(im, 0, sizeof(*im));
}
