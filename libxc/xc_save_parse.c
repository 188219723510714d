/*
 * xc_save_parse.c - read and check a whole save file (xc_save.c's format)
 * held in memory, before xc_restore.c creates anything.  On its own so it
 * can be fed any buffer: by restore, and by tests/fuzz/fuzz-savefile.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "xc_private.h"
#include "xc_save_image.h"

#define PAGE         XC_PAGE_SIZE
#define V3_FIXED     24          /* PAGE_DATA: first, count|codec, check */

static int bad(xc_interface *h, const char *path, const char *why,
               unsigned long long at)
{
    return xc_fail(h, EINVAL, "restore: %s is not a usable save file: %s "
                   "(at byte %llu)", path, why, at);
}

/* The magic and a version this libxc reads (the same words for the
 * full check and for xc_save_file_uuid). */
static int check_magic_version(xc_interface *h, const char *path,
                               const xc_save_header_t *hdr)
{
    char why[96];

    if (memcmp(hdr->magic, XC_SAVE_MAGIC, 8) != 0)
        return bad(h, path, "wrong magic", 0);
    if (hdr->version >= XC_SAVE_VERSION_MIN &&
        hdr->version <= XC_SAVE_VERSION)
        return 0;
    snprintf(why, sizeof(why), "format version %u, this libxc reads "
             "versions %u to %u", hdr->version, XC_SAVE_VERSION_MIN,
             XC_SAVE_VERSION);
    return bad(h, path, why, 8);
}

int xc_save_file_uuid(xc_interface *h, const char *path, uint8_t uuid[16])
{
    /* The header, then the first record's header and a UUID. */
    uint8_t head[sizeof(xc_save_header_t) + 16 + 16];
    const size_t rec = sizeof(xc_save_header_t);
    xc_save_header_t hdr;
    uint32_t type;
    uint64_t rlen;
    ssize_t got;
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return xc_fail(h, errno, "restore: cannot open %s: %s", path,
                       strerror(errno));
    got = pread(fd, head, sizeof(head), 0);
    close(fd);
    if (got < 0)
        return xc_fail(h, EIO, "restore: cannot read %s", path);
    if ((size_t)got < sizeof(hdr))
        return bad(h, path, "shorter than its header", (size_t)got);
    memcpy(&hdr, head, sizeof(hdr));
    if (check_magic_version(h, path, &hdr) < 0)
        return -1;
    if (hdr.version < 4)
        return 0;
    memcpy(&type, head + rec, 4);
    memcpy(&rlen, head + rec + 8, 8);
    if ((size_t)got < sizeof(head) || type != XC_SAVE_REC_DOMAIN ||
        rlen != 16)
        return bad(h, path, "a version 4 file must begin with its domain "
                   "record", rec);
    memcpy(uuid, head + rec + 16, 16);
    return 1;
}

void xc_save_ck_update(struct xc_save_ck *c, const void *p, size_t len)
{
    const uint8_t *q = p;
    uint64_t a = c->a, b = c->b, w;
    size_t i;

    /* memcpy: the data may sit at any offset of a file. */
    for (i = 0; i < len / 8; i++) {
        memcpy(&w, q + i * 8, 8);
        a += w;
        b += a;
    }
    c->a = a;
    c->b = b;
}

uint64_t xc_save_ck_final(const struct xc_save_ck *c)
{
    return c->a ^ (c->b << 1 | c->b >> 63);
}

/* The checksum of a decoded PAGE_DATA record: its pages, its bitmap. */
static uint64_t page_check(const struct xc_save_prec *r, const uint8_t *pages)
{
    struct xc_save_ck ck = { 0, 0 };

    xc_save_ck_update(&ck, pages, (size_t)r->present * PAGE);
    xc_save_ck_update(&ck, r->bitmap, ((size_t)r->count + 63) / 64 * 8);
    return xc_save_ck_final(&ck);
}

int xc_save_prec_decode(xc_interface *h, const struct xc_save_prec *r,
                        uint8_t *out)
{
    size_t n = (size_t)r->present * PAGE;
    int rc;

    /* A record whose pages are all zero has no data, whatever its codec
     * (the saver compresses nothing then): LZ4 refuses to decode an empty
     * block, which made every LZ4 save of a Linux guest unrestorable. */
    if (r->present == 0)
        rc = r->len == 0 ? 0 : -1;
    else if (r->codec == XC_SAVE_CODEC_ZLIB_V1) {
        uLongf got = n;

        rc = uncompress(out, &got, r->data, r->len) == Z_OK && got == n ?
             0 : -1;
    } else
        rc = xc_save_codec_decompress(r->codec, r->data, r->len, out, n);
    if (rc < 0)
        return xc_fail(h, EINVAL, "restore: page data for pfn %llu..%llu "
                       "does not decode", (unsigned long long)r->first,
                       (unsigned long long)(r->first + r->count - 1));
    return 0;
}

static unsigned popcount_bytes(const uint8_t *b, unsigned nbits)
{
    unsigned i, n = 0;

    for (i = 0; i < nbits; i++)
        n += (b[i / 8] >> (i % 8)) & 1;
    return n;
}

/* Describe one page record (type PAGES or PAGE_DATA) in r, or say what
 * is wrong with it; seen: the pages earlier records held. */
static const char *page_record(const struct xc_save_image *im, uint32_t type,
                               const uint8_t *p, uint64_t rlen,
                               const uint8_t *seen, struct xc_save_prec *r)
{
    uint64_t first, n, nw, i;

    memset(r, 0, sizeof(*r));
    if (type == XC_SAVE_REC_PAGES) {
        if (im->hdr.version >= 3)
            return "zlib page record in a version 3 file";
        if (rlen < 16)
            return "page record too short";
        memcpy(&first, p, 8);
        memcpy(&n, p + 8, 8);
        r->codec = XC_SAVE_CODEC_ZLIB_V1;
        r->data = p + 16;
        r->len = rlen - 16;
    } else {
        uint64_t cc;

        if (im->hdr.version < 3)
            return "page-data record in a version 1 or 2 file";
        if (rlen < V3_FIXED)
            return "page record too short";
        memcpy(&first, p, 8);
        memcpy(&cc, p + 8, 8);
        n = (uint32_t)cc;
        r->codec = (uint32_t)(cc >> 32);
        if (r->codec >= XC_SAVE_CODEC_COUNT)
            return "unknown page codec";
        nw = (n + 63) / 64;
        if (rlen - V3_FIXED < nw * 8)
            return "page bitmap cut off";
        r->bitmap = p + V3_FIXED;
        r->data = p + V3_FIXED + nw * 8;
        r->len = rlen - V3_FIXED - nw * 8;
    }
    if (n == 0 || n > XC_SAVE_REC_MAX_PAGES || first >= im->hdr.nr_pages ||
        n > im->hdr.nr_pages - first)
        return "page record outside the domain";
    for (i = 0; i < n; i++)
        if (seen[first + i])
            return "a page comes twice";
    r->first = first;
    r->count = (uint32_t)n;
    r->present = r->bitmap ? popcount_bytes(r->bitmap, (unsigned)n) :
                 (uint32_t)n;
    /* Bits past count must be clear: one reading of a file only. */
    if (r->bitmap && n % 64) {
        uint64_t last;

        memcpy(&last, r->bitmap + n / 64 * 8, 8);
        if (last >> (n % 64))
            return "page bitmap has bits past its pages";
    }
    if (r->codec == XC_SAVE_CODEC_NONE && r->len != (uint64_t)r->present * PAGE)
        return "page data length does not match its bitmap";
    return NULL;
}

/* Restore needs to know before writing pages whether the guest had a
 * store ring (to give it a port): read it from start_info's page. */
static void note_start_info(struct xc_save_image *im,
                            const struct xc_save_prec *r, const uint8_t *pages)
{
    uint64_t sip = im->hdr.start_info_pfn, i, k = 0;
    struct start_info si;

    if (sip < r->first || sip >= r->first + r->count)
        return;
    for (i = 0; i < sip - r->first; i++)
        if (!r->bitmap || (r->bitmap[i / 8] >> (i % 8) & 1))
            k++;
    if (r->bitmap && !(r->bitmap[i / 8] >> (i % 8) & 1))
        return;                 /* all zero: no store ring */
    memcpy(&si, pages + k * PAGE, sizeof(si));
    im->start_info_store = si.store_mfn;
}

static int add_rec(struct xc_save_image *im, const struct xc_save_prec *r)
{
    if (im->nr_recs == im->cap_recs) {
        size_t cap = im->cap_recs ? im->cap_recs * 2 : 64;
        void *m = realloc(im->recs, cap * sizeof(*im->recs));

        if (!m)
            return -1;
        im->recs = m;
        im->cap_recs = cap;
    }
    im->recs[im->nr_recs++] = *r;
    return 0;
}

int xc_save_parse(xc_interface *h, const char *path, const uint8_t *buf,
                  size_t len, struct xc_save_image *im)
{
    size_t off = sizeof(im->hdr);
    uint8_t *seen, *scratch;
    uint64_t i;
    int ended = 0, have_types = 0;

    if (len < sizeof(im->hdr))
        return bad(h, path, "shorter than its header", len);
    memcpy(&im->hdr, buf, sizeof(im->hdr));
    if (check_magic_version(h, path, &im->hdr) < 0)
        return -1;
    if (im->hdr.nr_pages == 0 || im->hdr.nr_pages > XC_SAVE_MAX_PAGES ||
        im->hdr.nr_vcpus == 0 || im->hdr.nr_vcpus > 128 ||
        im->hdr.start_info_pfn >= im->hdr.nr_pages ||
        (im->hdr.flags & ~(im->hdr.version >= 2 ? XC_SAVE_F_MASK : 0)))
        return bad(h, path, "header values out of range", 8);
    /*
     * Every file holds a type byte per page (the TYPES record): one too
     * short for that is refused before memory for its pages is allocated
     * (the header alone once asked for gigabytes: found by
     * tests/fuzz/fuzz-savefile).  What is allocated below is then at most
     * a few times the file's size, and the page data is never held whole.
     */
    if ((len - sizeof(im->hdr)) < im->hdr.nr_pages)
        return bad(h, path, "too short for its page count", 24);
    im->types = calloc(im->hdr.nr_pages, 1);
    im->vcpu = calloc(im->hdr.nr_vcpus, sizeof(*im->vcpu));
    seen = calloc(im->hdr.nr_pages, 1);
    scratch = malloc((size_t)XC_SAVE_REC_MAX_PAGES * PAGE);
    if (!im->types || !im->vcpu || !seen || !scratch) {
        free(seen);
        free(scratch);
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
        /* v4: the DOMAIN record comes first, so xc_save_file_uuid can
         * read it without reading the file. */
        if (im->hdr.version >= 4 && !im->have_domain &&
            type != XC_SAVE_REC_DOMAIN) {
            bad(h, path, "a version 4 file must begin with its domain "
                "record", off - 16);
            goto fail;
        }
        switch (type) {
        case XC_SAVE_REC_DOMAIN:
            if (im->hdr.version < 4 || rlen != sizeof(im->uuid) ||
                im->have_domain) {
                bad(h, path, "bad domain record", off);
                goto fail;
            }
            memcpy(im->uuid, p, sizeof(im->uuid));
            im->have_domain = 1;
            break;
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
        case XC_SAVE_REC_PAGES:
        case XC_SAVE_REC_PAGE_DATA: {
            struct xc_save_prec r;
            const char *why = page_record(im, type, p, rlen, seen, &r);
            const uint8_t *pages = r.data;
            uint64_t want;

            /* Raw data is checked where it lies; the rest decoded into
             * one record's worth of scratch, the hard cap. */
            if (!why && r.codec != XC_SAVE_CODEC_NONE) {
                if (xc_save_prec_decode(h, &r, scratch) < 0)
                    why = "page data does not decode";
                pages = scratch;
            }
            if (!why && type == XC_SAVE_REC_PAGE_DATA) {
                memcpy(&want, p + 16, 8);
                if (page_check(&r, pages) != want)
                    why = "page data checksum mismatch";
            }
            if (!why)
                note_start_info(im, &r, pages);
            if (why || add_rec(im, &r) < 0) {
                if (why)
                    bad(h, path, why, off);
                else
                    xc_fail(h, ENOMEM, "restore: out of memory");
                goto fail;
            }
            memset(seen + r.first, 1, r.count);
            break;
        }
        case XC_SAVE_REC_ABI:
            if (im->hdr.version < 3 || rlen != sizeof(im->abi) ||
                im->have_abi) {
                bad(h, path, "bad ABI record", off);
                goto fail;
            }
            memcpy(&im->abi, p, sizeof(im->abi));
            im->abi.caps[sizeof(im->abi.caps) - 1] = '\0';
            im->have_abi = 1;
            break;
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
    if (!have_types || !im->p2m_frames ||
        !(im->vcpu[0].flags & VGCF_online) ||
        (im->hdr.version >= 3 && !im->have_abi)) {
        bad(h, path, "a required record is missing", off);
        goto fail;
    }
    free(seen);
    free(scratch);
    return 0;
fail:
    free(seen);
    free(scratch);
    return -1;
}


void xc_save_image_free(struct xc_save_image *im)
{
    free(im->guest_id);
    free(im->toolstack);
    free(im->recs);
    free(im->types);
    free(im->p2m_frames);
    free(im->vcpu);
    free(im->new_p2m);
    memset(im, 0, sizeof(*im));
}
