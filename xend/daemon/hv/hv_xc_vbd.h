/* hv_xc_vbd.h: domU disks through dom0's xen-blkback (hv_xc_vbd.c). */
#ifndef XEND_HV_XC_VBD_H
#define XEND_HV_XC_VBD_H

#include <stddef.h>
#include <stdint.h>

/* Before building: is the entry's target there and usable?  0, or -1
 * with err. */
int	 vbd_check(const char *spec, char *err, size_t len);
/* Set up every `disk` entry of a new domain: loop devices and xenstore
 * nodes.  0, or -1 with err (and nothing left behind). */
int	 vbd_attach_all(uint32_t domid, char *const *specs, size_t n,
	     char *err, size_t len);
/* Remove a domain's disks: backend nodes, loop devices. */
void	 vbd_detach_all(uint32_t domid);

#endif
