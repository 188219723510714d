/*
 * hv_xc_console.h: the console service of the xc backend (hv_xc_console.c):
 * domU console rings copied into per-domain log files.
 */
#ifndef XEND_HV_XC_CONSOLE_H
#define XEND_HV_XC_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

struct xc_interface;

/* Open /dev/xen/evtchn; logs go to log_dir/console-DOMID.log. */
int	 hvcons_init(struct xc_interface *, const char *log_dir, char *err,
	     size_t len);
void	 hvcons_fini(void);
/* Map the ring frame, bind the domain's port; 0 or -errno with err.
 * resume: a restarted xend attaching again (the log is kept). */
int	 hvcons_attach(uint32_t domid, uint32_t remote_port, uint64_t mfn,
	     int resume, char *err, size_t len);
/* Drain once more, then unbind and unmap (the log file stays). */
void	 hvcons_detach(uint32_t domid);
/* The domain is gone and xend has its output: remove its file. */
void	 hvcons_release(uint32_t domid);
/* Copy new output of every console into its log.  -1 when the event
 * descriptor failed (not "nothing pending"): it may stay readable. */
int	 hvcons_pump(void);
/* The event-channel descriptor that is readable while a console port
 * fired and hvcons_pump has not run since; -1 before hvcons_init. */
int	 hvcons_fd(void);
/* Log bytes from off; -ENOENT if the domain never had a console here. */
int	 hvcons_read(uint32_t domid, uint64_t off, char *buf, size_t len,
	     size_t *got, char *err, size_t errlen);
/* Queue input for the guest; *put says how much fitted. */
int	 hvcons_write(uint32_t domid, const char *data, size_t len,
	     size_t *put);

#endif
