/*
 * xc_private.h - what libxc's source files share: the handle, error
 * recording, hypercall-safe buffers and the hypercall entry points.
 */
#ifndef XC_PRIVATE_H
#define XC_PRIVATE_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "xenctrl.h"
#include "xc_transport.h"

#include "public/xen.h"
#include "public/dom0_op.h"

#define XC_ERRMSG_LEN 256

struct xc_interface {
    const struct xc_transport_ops *ops;
    void *ctx;
    int privcmd_fd;
    /* Progress sink of long operations (xc_set_progress); used only by
     * the thread running them. */
    xc_progress_fn *progress;
    void *progress_arg;
    /* Save/restore settings and report (xc_save_set_codec,
     * xc_save_timing); like progress, the running thread's. */
    unsigned save_codec;
    char sr_timing[256];

    /* Everything below is shared between threads and guarded by lock. */
    pthread_mutex_t lock;
    int last_errno;
    char last_msg[XC_ERRMSG_LEN];
    unsigned int nr_children;       /* open xc_evtchn / xc_gnttab handles */
};

/*
 * Record a failure on h and set errno; returns -1 so callers can write
 * `return xc_fail(h, EINVAL, "...")`.  err must be a positive errno.
 */
int xc_fail(xc_interface *h, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same, for functions returning a pointer. */
void *xc_fail_null(xc_interface *h, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Report progress of a long operation to h's sink, if any. */
void xc_report_progress(xc_interface *h, uint64_t done, uint64_t total);

/* Save-file codecs (xc_save_codec.c). */
size_t xc_save_codec_bound(unsigned codec, size_t n);
size_t xc_save_codec_compress(unsigned codec, const void *src, size_t n,
                              void *dst, size_t cap);
int xc_save_codec_decompress(unsigned codec, const void *src, size_t slen,
                             void *dst, size_t n);

/* Replace the calling thread's xc_open_error() message. */
void xc_set_open_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* A domid that names an ordinary domain (not DOMID_SELF etc.). */
int xc_check_domid(xc_interface *h, const char *what, uint32_t domid);

/* Children (event-channel and grant handles) pin their parent open. */
void xc_child_get(xc_interface *h);
void xc_child_put(xc_interface *h);

/*
 * Hypercall-safe buffer: memory from the transport's buf_alloc, rounded up
 * to whole pages.  Each call allocates its own, so concurrent calls on one
 * handle never share a buffer.
 */
struct xc_hbuf {
    void *p;
    size_t len;
};
int xc_hbuf_alloc(xc_interface *h, struct xc_hbuf *b, size_t size);
void xc_hbuf_free(xc_interface *h, struct xc_hbuf *b);

/* dom0_op copyframes with kept buffers (xc_copyframes.c). */
#define XC_COPIER_FRAMES 48
struct xc_copier { struct xc_hbuf mfns, data, zero, op; };
int xc_copier_open(xc_interface *h, struct xc_copier *c);
void xc_copier_close(xc_interface *h, struct xc_copier *c);
int xc_copier_run(xc_interface *h, struct xc_copier *c, uint32_t domid,
                  bool write, const uint64_t *mfns, unsigned n);


/*
 * Issue hypercall `op` with up to five arguments through privcmd.  Returns
 * the hypervisor's non-negative result, or a negative errno (nothing is
 * recorded: the caller knows what the failure means).
 */
long xc_hypercall(xc_interface *h, uint64_t op, uint64_t a0, uint64_t a1,
                  uint64_t a2, uint64_t a3, uint64_t a4);

/* The address of a hypercall buffer as the hypervisor sees it. */
static inline uint64_t xc_hbuf_va(const struct xc_hbuf *b)
{
    return (uint64_t)(uintptr_t)b->p;
}

/*
 * The one path every dom0_op takes: fills cmd and interface_version,
 * bounces op through a hypercall buffer, issues __HYPERVISOR_dom0_op and
 * copies the result back.  On failure records a message of the form
 * "<what>: <meaning of errno>" (for EPROTO: both interface versions) and
 * returns -1.  what names the operation and its target for the message.
 */
int xc_dom0_op_kept(xc_interface *h, uint32_t cmd, struct xen_dom0_op *op,
                    struct xc_hbuf *hb, const char *what, bool free_it);
int xc_dom0_op(xc_interface *h, uint32_t cmd, struct xen_dom0_op *op,
               const char *what);

#endif /* XC_PRIVATE_H */
