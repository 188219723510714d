/*
 * fake_transport.h - an in-process stand-in for the /dev/xen device nodes that records
 * every request libxc makes and answers with whatever the test scripted.
 * It checks the rules the real kernel and hypervisor would enforce (e.g.
 * hypercall arguments must live in buffers from buf_alloc).
 */
#ifndef FAKE_TRANSPORT_H
#define FAKE_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "xenctrl.h"
#include "xc_transport.h"
#include "xc_linux_abi.h"
#include "public/dom0_op.h"

#define FAKE_FD_PRIVCMD 100
#define FAKE_FD_EVTCHN  101
#define FAKE_FD_GNTDEV  102

struct fake {
    /* Scripted answers. */
    int open_error[3];                  /* -errno per enum xc_device, or 0 */
    /* dom0_op: may edit *op (OUT fields) and returns the hypercall value. */
    long (*dom0_op)(struct fake *f, struct xen_dom0_op *op);
    /* Any other hypercall. */
    long (*hypercall)(struct fake *f, const struct xc_privcmd_hypercall *c);
    long ioctl_result;                  /* for evtchn/gntdev/mmapbatch ioctls */
    int mmapbatch_errs[8];              /* copied into err[] (first 8 pages) */
    uint32_t pending_ports[8];          /* what evtchn read() returns, FIFO */
    unsigned int nr_pending;
    long read_error;                    /* -errno for read when none queued */
    int fail_buf_alloc;

    /* What libxc did. */
    unsigned int nr_hypercalls;
    unsigned int nr_ioctls;
    struct xc_privcmd_hypercall last_call;
    struct xen_dom0_op last_op;         /* as it arrived, before the answer */
    unsigned long last_req;
    int last_fd;
    _Alignas(8) unsigned char last_arg[64]; /* copy of the ioctl argument */
    uint32_t written_ports[8];
    unsigned int nr_written;
    int bad_buffer;                     /* an argument was not an hbuf */
    long live_bufs;                     /* buf_alloc minus buf_free */
    long live_maps;                     /* mmap minus munmap */
    unsigned int nr_opens, nr_closes;
    int destroyed;
};

extern const struct xc_transport_ops fake_ops;

/* Resets *f and opens a handle on it; aborts the test run on failure. */
xc_interface *fake_open(struct fake *f);

/* True if [p, p+len) lies inside one live buffer from buf_alloc. */
int fake_is_hbuf(const void *p, size_t len);

#endif /* FAKE_TRANSPORT_H */
