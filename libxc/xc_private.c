/*
 * xc_private.c - handle lifetime, error recording, hypercall buffers and
 * the privcmd hypercall path shared by every libxc wrapper.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xc_private.h"
#include "xc_linux_abi.h"

/* xc_interface_open* has no handle to hang a message on when it fails. */
static __thread char open_error[XC_ERRMSG_LEN];
/* xc_last_error hands out a per-thread copy so another thread's failure
 * cannot rewrite the string while the caller reads it. */
static __thread char last_error_copy[XC_ERRMSG_LEN];

static void record(xc_interface *h, int err, const char *fmt, va_list ap)
{
    char msg[XC_ERRMSG_LEN];

    vsnprintf(msg, sizeof(msg), fmt, ap);
    pthread_mutex_lock(&h->lock);
    h->last_errno = err;
    memcpy(h->last_msg, msg, sizeof(msg));
    pthread_mutex_unlock(&h->lock);
    errno = err;
}

int xc_fail(xc_interface *h, int err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    record(h, err, fmt, ap);
    va_end(ap);
    return -1;
}

void *xc_fail_null(xc_interface *h, int err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    record(h, err, fmt, ap);
    va_end(ap);
    return NULL;
}

int xc_check_domid(xc_interface *h, const char *what, uint32_t domid)
{
    if (domid >= DOMID_FIRST_RESERVED)
        return xc_fail(h, EINVAL, "%s: domid %u is not an ordinary domain "
                       "(must be below %u)", what, domid,
                       (unsigned)DOMID_FIRST_RESERVED);
    return 0;
}

void xc_set_open_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(open_error, sizeof(open_error), fmt, ap);
    va_end(ap);
}

const char *xc_open_error(void)
{
    return open_error;
}

const char *xc_last_error(xc_interface *h)
{
    if (!h)
        return "no libxc handle";
    pthread_mutex_lock(&h->lock);
    memcpy(last_error_copy, h->last_msg, sizeof(last_error_copy));
    pthread_mutex_unlock(&h->lock);
    return last_error_copy;
}

void xc_set_progress(xc_interface *h, xc_progress_fn *fn, void *arg)
{
    h->progress = fn;
    h->progress_arg = arg;
}

void xc_report_progress(xc_interface *h, uint64_t done, uint64_t total)
{
    if (h->progress)
        h->progress(h->progress_arg, done, total);
}

int xc_last_errno(xc_interface *h)
{
    int err;

    if (!h)
        return EINVAL;
    pthread_mutex_lock(&h->lock);
    err = h->last_errno;
    pthread_mutex_unlock(&h->lock);
    return err;
}

void xc_clear_last_error(xc_interface *h)
{
    if (!h)
        return;
    pthread_mutex_lock(&h->lock);
    h->last_errno = 0;
    h->last_msg[0] = '\0';
    pthread_mutex_unlock(&h->lock);
}

static int ops_complete(const struct xc_transport_ops *ops)
{
    return ops->dev_open && ops->dev_close && ops->dev_ioctl &&
           ops->dev_read && ops->dev_write && ops->dev_mmap &&
           ops->dev_munmap && ops->buf_alloc && ops->buf_free;
}

xc_interface *xc_interface_open_transport(const struct xc_transport_ops *ops,
                                          void *ctx)
{
    xc_interface *h;
    int fd;

    open_error[0] = '\0';
    if (!ops || !ops_complete(ops)) {
        snprintf(open_error, sizeof(open_error),
                 "xc_interface_open: transport table is missing or incomplete");
        if (ops && ops->destroy)
            ops->destroy(ctx);
        errno = EINVAL;
        return NULL;
    }
    fd = ops->dev_open(ctx, XC_DEV_PRIVCMD);
    if (fd < 0) {
        snprintf(open_error, sizeof(open_error),
                 "xc_interface_open: %s transport cannot open the privcmd "
                 "device: %s", ops->name ? ops->name : "unnamed",
                 strerror(-fd));
        if (ops->destroy)
            ops->destroy(ctx);
        errno = -fd;
        return NULL;
    }
    h = calloc(1, sizeof(*h));
    if (!h) {
        ops->dev_close(ctx, fd);
        if (ops->destroy)
            ops->destroy(ctx);
        snprintf(open_error, sizeof(open_error),
                 "xc_interface_open: out of memory");
        errno = ENOMEM;
        return NULL;
    }
    h->ops = ops;
    h->ctx = ctx;
    h->privcmd_fd = fd;
    pthread_mutex_init(&h->lock, NULL);
    return h;
}

int xc_interface_close(xc_interface *h)
{
    unsigned int children;

    if (!h) {
        errno = EINVAL;
        return -1;
    }
    pthread_mutex_lock(&h->lock);
    children = h->nr_children;
    pthread_mutex_unlock(&h->lock);
    if (children)
        return xc_fail(h, EBUSY, "xc_interface_close: %u event-channel/grant "
                       "handle(s) opened from this handle are still open",
                       children);
    h->ops->dev_close(h->ctx, h->privcmd_fd);
    if (h->ops->destroy)
        h->ops->destroy(h->ctx);
    pthread_mutex_destroy(&h->lock);
    free(h);
    return 0;
}

void xc_child_get(xc_interface *h)
{
    pthread_mutex_lock(&h->lock);
    h->nr_children++;
    pthread_mutex_unlock(&h->lock);
}

void xc_child_put(xc_interface *h)
{
    pthread_mutex_lock(&h->lock);
    h->nr_children--;
    pthread_mutex_unlock(&h->lock);
}

int xc_hbuf_alloc(xc_interface *h, struct xc_hbuf *b, size_t size)
{
    size_t len = (size + XC_PAGE_SIZE - 1) & ~(size_t)(XC_PAGE_SIZE - 1);

    if (len == 0)
        len = XC_PAGE_SIZE;
    b->p = h->ops->buf_alloc(h->ctx, len);
    if (!b->p) {
        b->len = 0;
        return xc_fail(h, ENOMEM, "cannot allocate a %zu-byte hypercall "
                       "buffer", len);
    }
    b->len = len;
    memset(b->p, 0, len);
    return 0;
}

void xc_hbuf_free(xc_interface *h, struct xc_hbuf *b)
{
    if (b->p)
        h->ops->buf_free(h->ctx, b->p, b->len);
    b->p = NULL;
    b->len = 0;
}

long xc_hypercall(xc_interface *h, uint64_t op, uint64_t a0, uint64_t a1,
                  uint64_t a2, uint64_t a3, uint64_t a4)
{
    struct xc_privcmd_hypercall call = {
        .op = op, .arg = { a0, a1, a2, a3, a4 },
    };

    return h->ops->dev_ioctl(h->ctx, h->privcmd_fd,
                             XC_IOCTL_PRIVCMD_HYPERCALL, &call);
}
