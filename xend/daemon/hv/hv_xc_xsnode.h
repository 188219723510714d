/* hv_xc_xsnode.h: writing one node of a device directory in the store
 * xend hosts (hv_xc_xsnode.c), shared by the disk and vif backends. */
#ifndef XEND_HV_XC_XSNODE_H
#define XEND_HV_XC_XSNODE_H

/* Write dir/key = val through the ring transport; 0, or an errno
 * (already logged with the path, so a caller may OR several results and
 * test once). */
int	 xsnode_put(const char *dir, const char *key, const char *val);
/* The same with an unsigned number in decimal. */
int	 xsnode_put_u(const char *dir, const char *key, unsigned long v);

#endif
