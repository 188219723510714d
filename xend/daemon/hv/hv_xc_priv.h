/*
 * hv_xc_priv.h: what the files of the xc backend share (hv_xc.c: open,
 * create, restore and the ops table; hv_xc_tune.c: memory and
 * scheduling; hv_xc_save.c: saves).  The xc backend's functions end in
 * _hv: libxc owns the plain xc_ names (its own xc_fail among them).
 */
#ifndef XEND_HV_XC_PRIV_H
#define XEND_HV_XC_PRIV_H

#include <stdint.h>

#include "hv.h"

/* The error of the last libxc call that failed: "what: libxc's
 * message", its errno (EIO if it set none).  Returns hv_fail's value.
 * what NULL: libxc's message alone.  libxc names the dom0_op or step
 * that failed, and xend's caller says what it was doing (xerr_from), so
 * a backend that named the operation again made "pausing: pause:
 * pausedomain: ..." (docs/xend.md, "Error messages"). */
int	 xc_fail_hv(struct hv *, const char *what);
int	 xc_shutdown_hv(struct hv *, uint32_t domid, enum hv_shutdown_reason);

/* hv_xc_tune.c */
int	 xc_set_maxmem_hv(struct hv *, uint32_t domid, uint64_t kib);
int	 xc_set_target_hv(struct hv *, uint32_t domid, uint64_t kib);
int	 xc_guest_min_hv(struct hv *, uint32_t domid, uint64_t *kib);
int	 xc_sched_get_hv(struct hv *, uint32_t domid, uint32_t *weight,
	     uint32_t *cap);
int	 xc_sched_set_hv(struct hv *, uint32_t domid, uint32_t weight,
	     uint32_t cap);
int	 xc_affinity_get_hv(struct hv *, uint32_t domid, uint32_t vcpu,
	     uint64_t *mask);
int	 xc_affinity_set_hv(struct hv *, uint32_t domid, uint32_t vcpu,
	     uint64_t mask);

/* hv_xc_save.c */
/* A new domain's start_info VA, which a later save needs. */
void	 xc_si_remember(uint32_t domid, uint64_t va);
/* Like xc_fail_hv, for libxc's save/restore messages, which already
 * name the operation. */
int	 xc_sr_fail(struct hv *, const char *what);
int	 xc_save_domain_hv(struct hv *, uint32_t domid, const char *path,
	     const char *blob);
int	 xc_save_ext_hv(struct hv *, uint32_t domid, const char *path,
	     const char *blob, unsigned flags, unsigned timeout_s,
	     const char *guest_id);
int	 xc_suspend_request_hv(struct hv *, uint32_t domid, int cancel);
int	 xc_resume_hv(struct hv *, uint32_t domid);

#endif
