/*
 * hv_xc_persist.h: what the xc backend knows of a running domain that the
 * hypervisor does not tell it again, kept on disk so a restarted xend
 * (even after kill -9) re-attaches to it (hv_xc_persist.c).
 */
#ifndef XEND_HV_XC_PERSIST_H
#define XEND_HV_XC_PERSIST_H

#include <stdint.h>

struct xc_interface;

/* A domain's connections: start_info VA (for saves), console and store
 * rings and ports, and what its xenstore home is introduced with. */
struct xc_new {
	int		 valid;
	int		 resume;	/* attaching again after a restart */
	uint32_t	 domid;
	uint8_t		 handle[16];
	uint64_t	 start_info_va;
	uint32_t	 console_port, store_port;
	uint64_t	 console_mfn, store_mfn;
	char		 name[128];
	uint64_t	 kib;
	char		**disks;	/* copies, freed by xc_attach; never saved */
	size_t		 ndisks;
	char		**vifs;		/* the same for `vif` entries */
	size_t		 nvifs;
	/* Restored from a cooperative save (not kept on disk: only a new
	 * attach needs it, and a restarted xend's xenstore keeps the node
	 * written for it). */
	int		 can_suspend;
	/* A new build (not kept on disk either): vCPUs built and asked
	 * online, for its xenstore cpu/N/availability; 0: write none. */
	uint32_t	 max_vcpus, online_vcpus;
	/* Restored: the guest's control/feature-* nodes from the file
	 * (hv_xc_features.c), and start it once attached. */
	char		 features[256];
	int		 unpause;
};

/* The file is PATH (xend's database path) + ".xc-domains". */
void	 xcp_init(const char *db_path);
void	 xcp_add(const struct xc_new *);
void	 xcp_remove(uint32_t domid);
/* For each kept domain the hypervisor still runs (same domid and
 * handle), attach(n) with n->resume set; the others are forgotten. */
void	 xcp_resume(struct xc_interface *, void (*attach)(struct xc_new *));

#endif
