/*
 * ELF notes a PV kernel carries (owner "Xen", in a PT_NOTE segment) to
 * tell the domain builder how to load it.
 *
 * A numeric note is 4 or 8 bytes, as its descsz says; a string note is
 * NUL-terminated.  Type numbers are upstream facts; append only.  Values
 * in the comments are what Debian's Linux 6.1 image carries.
 */
#ifndef XEN_PUBLIC_ELFNOTE_H
#define XEN_PUBLIC_ELFNOTE_H

#define XEN_ELFNOTE_OWNER "Xen" /* the note name, NUL included in namesz */

#define XEN_ELFNOTE_INFO                0 /* string: NAME=VALUE */
#define XEN_ELFNOTE_ENTRY               1 /* number: entry virtual address */
#define XEN_ELFNOTE_HYPERCALL_PAGE      2 /* number: VA to fill with call stubs (absent in 6.1) */
#define XEN_ELFNOTE_VIRT_BASE           3 /* number: VA of pseudo-physical 0 */
#define XEN_ELFNOTE_PADDR_OFFSET        4 /* number: VA = paddr + VIRT_BASE - PADDR_OFFSET */
#define XEN_ELFNOTE_XEN_VERSION         5 /* string: "xen-3.0" */
#define XEN_ELFNOTE_GUEST_OS            6 /* string: "linux" */
#define XEN_ELFNOTE_GUEST_VERSION       7 /* string */
#define XEN_ELFNOTE_LOADER              8 /* string: "generic" */
#define XEN_ELFNOTE_PAE_MODE            9 /* string: "yes" */
#define XEN_ELFNOTE_FEATURES           10 /* string: '|'-separated, '!' = required */
#define XEN_ELFNOTE_BSD_SYMTAB         11 /* string */
#define XEN_ELFNOTE_HV_START_LOW       12 /* number: lowest VA the kernel cedes */
#define XEN_ELFNOTE_L1_MFN_VALID       13 /* two numbers: mask, value */
#define XEN_ELFNOTE_SUSPEND_CANCEL     14 /* number: 1 = handles cancelled suspend */
#define XEN_ELFNOTE_INIT_P2M           15 /* number: VA where the p2m may be mapped */
#define XEN_ELFNOTE_MOD_START_PFN      16 /* number: 1 = initrd may be passed as a PFN */
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17 /* number: XENFEAT_* bitmap */
#define XEN_ELFNOTE_PHYS32_ENTRY       18 /* number: PVH entry (not used for PV) */

#define XEN_ELFNOTE_MAX XEN_ELFNOTE_PHYS32_ENTRY

#endif /* XEN_PUBLIC_ELFNOTE_H */
