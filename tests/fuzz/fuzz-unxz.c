/*
 * fuzz-unxz.c: libFuzzer harness for the hypervisor's .xz decoder
 * (xen/common/unxz.c, lzma2.c, xz-bcj.c) and bzImage reader (bzimage.c),
 * compiled for the host as the unit tests do.  The input is decoded as a
 * .xz file into an exactly-sized 256 KiB buffer; when that works, the
 * result must come back identical with exactly its own size of output
 * space, and one byte less must be -ENOSPC.  Every refusal must be one of
 * the documented errors.  The same bytes are also offered as a bzImage.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xen/bzimage.h>
#include <xen/unxz.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The hypervisor's allocator, on the host's. */
void *xmalloc_bytes(size_t size);
void xfree(void *p);
void *xmalloc_bytes(size_t size) { return malloc(size); }
void xfree(void *p) { free(p); }

#define OUT_MAX (256u << 10)

static int documented(int rc)
{
    return rc == 0 || rc == -EINVAL || rc == -ENOSPC || rc == -EILSEQ ||
           rc == -EOPNOTSUPP;
}

static void check_unxz(const uint8_t *in, size_t size)
{
    uint8_t *out = malloc(OUT_MAX), *again;
    size_t n = 0, m = 0;
    int rc = unxz(in, size, out, OUT_MAX, &n);

    if ( !documented(rc) || (rc == 0 && n > OUT_MAX) )
        abort();
    if ( rc == 0 )
    {
        again = malloc(n ? n : 1);
        if ( unxz(in, size, again, n, &m) != 0 || m != n ||
             memcmp(again, out, n) )
            abort();                /* exact room must be enough */
        if ( n && unxz(in, size, again, n - 1, &m) != -ENOSPC )
            abort();                /* and one byte less too little */
        free(again);
    }
    free(out);
}

static void check_bzimage(const uint8_t *in, size_t size)
{
    struct bzimage_payload pl;
    const char *why = NULL;
    uint8_t *out;
    size_t n;
    int rc;

    if ( !bzimage_probe(in, size) )
        return;
    rc = bzimage_payload(in, size, &pl, &why);
    if ( rc )
    {
        if ( !why || !why[0] || (rc != -EINVAL && rc != -EOPNOTSUPP) )
            abort();                /* a refusal says why */
        return;
    }
    if ( pl.data < in || pl.data + pl.len > in + size || pl.size == 0 )
        abort();
    if ( pl.size > OUT_MAX )
        return;
    out = malloc(pl.size);
    rc = bzimage_decode(&pl, out, pl.size, &n);
    if ( !documented(rc) || (rc == 0 && n != pl.size) )
        abort();
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact copy, so reads past the end are caught. */
    uint8_t *in = malloc(size ? size : 1);

    memcpy(in, data, size);
    check_unxz(in, size);
    check_bzimage(in, size);
    free(in);
    return 0;
}
