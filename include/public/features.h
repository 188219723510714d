/*
 * Feature bits reported by xen_version(XENVER_get_features) in 32-bit
 * submaps.  A PV Linux 6.1 guest panics unless submap 0 has
 * XENFEAT_mmu_pt_update_preserve_ad and XENFEAT_gnttab_map_avail_bits, and
 * must not be told XENFEAT_writable_page_tables or
 * XENFEAT_auto_translated_physmap.
 *
 * Bit numbers are upstream facts; append only.
 */
#ifndef XEN_PUBLIC_FEATURES_H
#define XEN_PUBLIC_FEATURES_H

#define XENFEAT_writable_page_tables        0 /* translated guests only */
#define XENFEAT_writable_descriptor_tables  1
#define XENFEAT_auto_translated_physmap     2
#define XENFEAT_supervisor_mode_kernel      3
#define XENFEAT_pae_pgdir_above_4gb         4
#define XENFEAT_mmu_pt_update_preserve_ad   5 /* MMU_PT_UPDATE_PRESERVE_AD works */
#define XENFEAT_highmem_assist              6 /* MMUEXT_CLEAR_PAGE/COPY_PAGE work */
#define XENFEAT_gnttab_map_avail_bits       7 /* GNTMAP_guest_avail_mask honoured */
#define XENFEAT_hvm_callback_vector         8
#define XENFEAT_hvm_safe_pvclock            9
#define XENFEAT_hvm_pirqs                  10
#define XENFEAT_dom0                       11 /* this hypervisor can run a dom0 */
#define XENFEAT_grant_map_identity         12 /* retired (ARM) */
#define XENFEAT_memory_op_vnode_supported  13
#define XENFEAT_ARM_SMCCC_supported        14
#define XENFEAT_linux_rsdp_unrestricted    15
#define XENFEAT_not_direct_mapped          16
#define XENFEAT_direct_mapped              17

/* How many 32-bit submaps exist. */
#define XENFEAT_NR_SUBMAPS 1

#endif /* XEN_PUBLIC_FEATURES_H */
