/* hv_xc_vif.h: domU network interfaces through dom0's xen-netback and a
 * bridge (hv_xc_vif.c). */
#ifndef XEND_HV_XC_VIF_H
#define XEND_HV_XC_VIF_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct hv_vif;

#define VIF_LIST_MAX	32


/* The bridge exists (created if not) and is up.  0, or -1 with err. */
int	 vif_bridge_ensure(const char *bridge, char *err, size_t len);
/* The loop's timer that finishes hotplugs and detaches; also picks up
 * vifs a previous xend left without their hotplug. */
int	 vif_start_events(struct event_base *);
/* One vif of a running domain (devid: vif-N); its MAC into mac_out. */
int	 vif_add(uint32_t domid, const uint8_t handle[16], uint32_t devid,
	     const char *spec, char *mac_out, size_t mac_len, char *err,
	     size_t len);
/* Every `vif` entry of a new domain, devids 0..n-1; 0, or -1 with err
 * (and nothing left behind). */
int	 vif_attach_all(uint32_t domid, const uint8_t handle[16],
	     char *const *specs, size_t n, char *err, size_t len);
int	 vif_exists(uint32_t domid, uint32_t devid);
/* Start removing one vif from a running guest (it closes, then the
 * nodes go). */
int	 vif_detach(uint32_t domid, uint32_t devid, char *err, size_t len);
int	 vif_list(uint32_t domid, struct hv_vif *, size_t max, size_t *n);
int	 vif_find_mac(uint32_t domid, const char *mac, uint32_t *devid);
/* The guest is gone: its backend directory and pending work. */
void	 vif_detach_all(uint32_t domid);

/* hv_xc_vif_fw.c: nftables.  Only ips (a vif's ip=) may leave vifD.N;
 * 0, or -1 with err. */
int	 vif_fw_apply(uint32_t domid, uint32_t devid, const char *ips,
	     char *err, size_t len);
void	 vif_fw_remove(uint32_t domid, uint32_t devid);	/* that vif's */
void	 vif_fw_forget(uint32_t domid);			/* the domain's */
/* NAT from bridge to dom0's uplink unless mode is "off". */
void	 vif_nat_setup(const char *mode, const char *bridge);

#endif
