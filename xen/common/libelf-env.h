/* What xen/common/libelf.c needs from its surroundings, and where it gets
 * it: memcpy, memset, memcmp, strlen and the errno values ENOEXEC, EINVAL,
 * ENOENT, EOPNOTSUPP.  The hypervisor is built freestanding and has them
 * in its own small library; libxc and the host unit tests (hosted) take
 * the C library's.  The values agree: both are Linux's numbers.  Nothing
 * else may be added here without adding it to both sides (the xen-elf unit
 * tests check the freestanding object's undefined symbols). */
#ifndef XEN_COMMON_LIBELF_ENV_H
#define XEN_COMMON_LIBELF_ENV_H

#if __STDC_HOSTED__
#include <errno.h>
#include <string.h>
#else
#include <xen/errno.h>
#include <xen/lib.h>
#endif

#endif /* XEN_COMMON_LIBELF_ENV_H */
