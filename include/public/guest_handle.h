/*
 * Guest handles: how a pointer into guest memory travels inside an ABI
 * structure.
 *
 * On x86_64 a handle is eight bytes, exactly like a C pointer, and that is
 * all the guest (Linux) sees.  We still wrap it so the two sides cannot
 * confuse it with a pointer they may dereference: the guest or a dom0 tool
 * fills `.p` with its own pointer, while the hypervisor reads `.va`, a guest
 * virtual address that it must validate and copy through before use.
 */
#ifndef XEN_PUBLIC_GUEST_HANDLE_H
#define XEN_PUBLIC_GUEST_HANDLE_H

#include <stdint.h>

/* Declare a handle type for `type`; the typedef is xen_guest_handle_NAME_t. */
#define DEFINE_XEN_GUEST_HANDLE_NAMED(name, type)                            \
    typedef union                                                            \
    {                                                                        \
        type *p;                                                             \
        uint64_t va;                                                         \
    } xen_guest_handle_##name##_t

#define DEFINE_XEN_GUEST_HANDLE(type) DEFINE_XEN_GUEST_HANDLE_NAMED(type, type)
#define DEFINE_XEN_GUEST_HANDLE_STRUCT(tag)                                  \
    DEFINE_XEN_GUEST_HANDLE_NAMED(tag, struct tag)

/* The type of a handle field, e.g. XEN_GUEST_HANDLE(xen_pfn_t) frame_list. */
#define XEN_GUEST_HANDLE(name) xen_guest_handle_##name##_t

/* Guest/tool side: point a handle at a local buffer (NULL is allowed). */
#define set_xen_guest_handle(hnd, ptr) ((hnd).p = (ptr))

/* Hypervisor side: the raw guest virtual address held by a handle. */
#define guest_handle_va(hnd)      ((hnd).va)
#define guest_handle_is_null(hnd) ((hnd).va == 0)

/* Handles for the scalar types that ABI structures point at. */
DEFINE_XEN_GUEST_HANDLE(void);
DEFINE_XEN_GUEST_HANDLE(char);
DEFINE_XEN_GUEST_HANDLE_NAMED(uchar, unsigned char);
DEFINE_XEN_GUEST_HANDLE(int);
DEFINE_XEN_GUEST_HANDLE_NAMED(uint, unsigned int);
DEFINE_XEN_GUEST_HANDLE(uint8_t);
DEFINE_XEN_GUEST_HANDLE(uint32_t);
DEFINE_XEN_GUEST_HANDLE(uint64_t);

#endif /* XEN_PUBLIC_GUEST_HANDLE_H */
