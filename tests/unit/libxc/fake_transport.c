/*
 * fake_transport.c - the recording test double behind libxc's unit tests.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_transport.h"

#define MAX_LIVE 64

static pthread_mutex_t fake_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { void *p; size_t len; } live[MAX_LIVE];

int fake_is_hbuf(const void *p, size_t len)
{
    const char *c = p;
    int i, found = 0;

    pthread_mutex_lock(&fake_lock);
    for (i = 0; i < MAX_LIVE; i++) {
        const char *b = live[i].p;

        if (b && c >= b && c + len <= b + live[i].len)
            found = 1;
    }
    pthread_mutex_unlock(&fake_lock);
    return found;
}

static int fake_dev_open(void *ctx, enum xc_device dev)
{
    struct fake *f = ctx;

    if ((unsigned)dev > XC_DEV_GNTDEV)
        return -EINVAL;
    if (f->open_error[dev])
        return f->open_error[dev];
    f->nr_opens++;
    return FAKE_FD_PRIVCMD + (int)dev;
}

static void fake_dev_close(void *ctx, int fd)
{
    struct fake *f = ctx;

    (void)fd;
    f->nr_closes++;
}

static long privcmd_hypercall(struct fake *f, struct xc_privcmd_hypercall *c)
{
    struct xen_dom0_op *op;

    pthread_mutex_lock(&fake_lock);
    f->nr_hypercalls++;
    f->last_call = *c;
    pthread_mutex_unlock(&fake_lock);
    if (c->op != __HYPERVISOR_dom0_op)
        return f->hypercall ? f->hypercall(f, c) : -ENOSYS;

    op = (struct xen_dom0_op *)(uintptr_t)c->arg[0];
    if (!fake_is_hbuf(op, sizeof(*op))) {
        f->bad_buffer = 1;
        return -EFAULT;
    }
    pthread_mutex_lock(&fake_lock);
    f->last_op = *op;
    pthread_mutex_unlock(&fake_lock);
    return f->dom0_op ? f->dom0_op(f, op) : -ENOSYS;
}

static long fake_dev_ioctl(void *ctx, int fd, unsigned long req, void *arg)
{
    struct fake *f = ctx;
    size_t size = (req >> 16) & 0x3fff;

    if (req == XC_IOCTL_PRIVCMD_HYPERCALL) {
        if (fd != FAKE_FD_PRIVCMD)
            return -ENOTTY;
        return privcmd_hypercall(f, arg);
    }
    pthread_mutex_lock(&fake_lock);
    f->nr_ioctls++;
    f->last_req = req;
    f->last_fd = fd;
    memcpy(f->last_arg, arg, size < sizeof(f->last_arg) ? size
                                                        : sizeof(f->last_arg));
    pthread_mutex_unlock(&fake_lock);

    if (req == XC_IOCTL_PRIVCMD_MMAPBATCH_V2) {
        struct xc_privcmd_mmapbatch_v2 *b = arg;
        unsigned int i;

        for (i = 0; i < b->num; i++)
            b->err[i] = i < 8 ? f->mmapbatch_errs[i] : 0;
    }
    if (req == XC_IOCTL_GNTDEV_MAP_GRANT_REF && f->ioctl_result >= 0)
        ((struct xc_gntdev_map_grant_ref *)arg)->index = 0x5000;
    if (req == XC_IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR && f->ioctl_result >= 0) {
        struct xc_gntdev_get_offset_for_vaddr *q = arg;

        q->offset = 0x5000;
        q->count = 2;
    }
    return f->ioctl_result;
}

static long fake_dev_read(void *ctx, int fd, void *buf, size_t len)
{
    struct fake *f = ctx;

    if (fd != FAKE_FD_EVTCHN || len < sizeof(uint32_t))
        return -EINVAL;
    if (f->nr_pending == 0)
        return f->read_error ? f->read_error : -EAGAIN;
    memcpy(buf, &f->pending_ports[0], sizeof(uint32_t));
    memmove(f->pending_ports, f->pending_ports + 1,
            --f->nr_pending * sizeof(uint32_t));
    return sizeof(uint32_t);
}

static long fake_dev_write(void *ctx, int fd, const void *buf, size_t len)
{
    struct fake *f = ctx;

    if (fd != FAKE_FD_EVTCHN || len % sizeof(uint32_t))
        return -EINVAL;
    if (f->nr_written < 8)
        memcpy(&f->written_ports[f->nr_written++], buf, sizeof(uint32_t));
    return (long)len;
}

static int fake_dev_mmap(void *ctx, int fd, size_t len, int prot,
                         off_t offset, void **addr)
{
    struct fake *f = ctx;

    (void)fd; (void)prot; (void)offset;
    *addr = calloc(1, len);
    if (!*addr)
        return -ENOMEM;
    f->live_maps++;
    return 0;
}

static int fake_dev_munmap(void *ctx, void *addr, size_t len)
{
    struct fake *f = ctx;

    (void)len;
    free(addr);
    f->live_maps--;
    return 0;
}

static void *fake_buf_alloc(void *ctx, size_t len)
{
    struct fake *f = ctx;
    void *p;
    int i;

    if (f->fail_buf_alloc || len % XC_PAGE_SIZE)
        return NULL;
    p = aligned_alloc(XC_PAGE_SIZE, len);
    if (!p)
        return NULL;
    memset(p, 0xA5, len);           /* libxc must not rely on zeroed memory */
    pthread_mutex_lock(&fake_lock);
    for (i = 0; i < MAX_LIVE && live[i].p; i++)
        ;
    if (i == MAX_LIVE) {
        pthread_mutex_unlock(&fake_lock);
        free(p);
        return NULL;
    }
    live[i].p = p;
    live[i].len = len;
    f->live_bufs++;
    pthread_mutex_unlock(&fake_lock);
    return p;
}

static void fake_buf_free(void *ctx, void *buf, size_t len)
{
    struct fake *f = ctx;
    int i;

    pthread_mutex_lock(&fake_lock);
    for (i = 0; i < MAX_LIVE; i++)
        if (live[i].p == buf && live[i].len == len) {
            live[i].p = NULL;
            f->live_bufs--;
        }
    pthread_mutex_unlock(&fake_lock);
    free(buf);
}

static void fake_destroy(void *ctx)
{
    struct fake *f = ctx;

    f->destroyed = 1;
}

const struct xc_transport_ops fake_ops = {
    .name = "fake",
    .dev_open = fake_dev_open,
    .dev_close = fake_dev_close,
    .dev_ioctl = fake_dev_ioctl,
    .dev_read = fake_dev_read,
    .dev_write = fake_dev_write,
    .dev_mmap = fake_dev_mmap,
    .dev_munmap = fake_dev_munmap,
    .buf_alloc = fake_buf_alloc,
    .buf_free = fake_buf_free,
    .destroy = fake_destroy,
};

xc_interface *fake_open(struct fake *f)
{
    xc_interface *h;

    memset(f, 0, sizeof(*f));
    h = xc_interface_open_transport(&fake_ops, f);
    if (!h) {
        printf("FAIL: libxc/fake_open: %s\n", xc_open_error());
        exit(1);
    }
    return h;
}
