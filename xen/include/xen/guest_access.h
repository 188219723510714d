/*
 * Reading and writing guest memory from a hypercall.
 *
 * While a PV vCPU is in the hypervisor its own page tables stay loaded, so
 * a guest pointer is a virtual address in the current address space.  These
 * copies refuse any range that touches the hypervisor's part of the address
 * space or is non-canonical, and turn a page fault on the guest's side into
 * -EFAULT instead of a hypervisor crash.  Never dereference a guest pointer
 * any other way.
 */
#ifndef XEN_GUEST_ACCESS_H
#define XEN_GUEST_ACCESS_H

#include <xen/types.h>

/* Is [va, va+len) a range a guest may name? (no wrap, canonical, outside
 * the hypervisor area) */
bool guest_range_ok(uint64_t va, size_t len);

/* 0, or -EFAULT (nothing or part of the data was copied). */
int copy_from_guest(void *dst, uint64_t guest_va, size_t len);
int copy_to_guest(uint64_t guest_va, const void *src, size_t len);
/* Zero guest memory. */
int clear_guest(uint64_t guest_va, size_t len);

/* Element i of a guest array of 'size'-byte elements, with the index
 * multiplication checked. */
int copy_from_guest_index(void *dst, uint64_t guest_va, size_t i, size_t size);
int copy_to_guest_index(uint64_t guest_va, size_t i, const void *src,
                        size_t size);

#endif /* XEN_GUEST_ACCESS_H */
