/* hv_xc_vbd.h: domU disks through dom0's xen-blkback (hv_xc_vbd.c). */
#ifndef XEND_HV_XC_VBD_H
#define XEND_HV_XC_VBD_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* One disk xend set up for a domain. */
struct vbd_rec {
	uint32_t	 domid;
	struct diskcfg	 cfg;
	int		 loop;		/* /dev/loopN, or -1 (phy:) */
	char		 node[32];	/* /dev/loopN; "" for phy: */
	uint64_t	 owner;		/* backend's xend-owner token; 0:
					 * unknown (an older xend's record) */
	int		 closing;	/* block-detach asked the guest to
					 * close it (not kept on disk) */
};

/* Before building: is the entry's target there and usable?  0, or -1
 * with err. */
int	 vbd_check(const char *spec, char *err, size_t len);
/* Set up every `disk` entry of a new domain: loop devices and xenstore
 * nodes.  0, or -1 with err (and nothing left behind). */
int	 vbd_attach_all(uint32_t domid, char *const *specs, size_t n,
	     char *err, size_t len);
/* One more disk (block-attach): 0, or -1 with err, nothing left behind
 * and the domain's other disks untouched. */
int	 vbd_attach_one(uint32_t domid, const char *spec, char *err,
	     size_t len);
/* One disk by vdev (block-detach): the first call asks the guest to
 * close it (backend offline and Closing); it is removed once the guest's
 * frontend says Closed (or never connected), or at once with force.
 * 0 with *waiting 0 when removed, or the frontend's state while the
 * guest still has it; -1 with err for a vdev the domain lacks. */
int	 vbd_detach_one(uint32_t domid, const char *vdev, int force,
	     int *waiting, char *err, size_t len);
/* A domain's disks: how many it has; the first max copied to out. */
size_t	 vbd_list(uint32_t domid, struct vbd_rec *out, size_t max);
/* Remove a domain's disks: backend nodes, loop devices. */
void	 vbd_detach_all(uint32_t domid);
/* At start: take back the last xend's records (file beside db_path),
 * releasing those of domains that are no longer alive. */
void	 vbd_resume(const char *db_path, int (*alive)(uint32_t domid));

/* The xc backend's block_attach, block_detach, block_list (hv.h). */
struct hv;
struct hv_vbd;
int	 xc_block_attach_hv(struct hv *, uint32_t, const char *spec);
int	 xc_block_detach_hv(struct hv *, uint32_t, const char *vdev, int force,
	     int *waiting);
int	 xc_block_list_hv(struct hv *, uint32_t, struct hv_vbd *, size_t max,
	     size_t *n);

#endif
