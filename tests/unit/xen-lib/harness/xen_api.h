/* The hypervisor library's interface as the tests see it: the real headers
 * under the xen_ names of rename.h, with the renames dropped again so that
 * the rest of a test file reaches the host C library under the usual
 * names. */
#ifndef XEN_LIB_TEST_API_H
#define XEN_LIB_TEST_API_H

#include "rename.h"
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/param.h>
#include <xen/symbols.h>

#undef memset
#undef memcpy
#undef memmove
#undef memcmp
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr
#undef strlcpy
#undef strlcat
#undef vsnprintf
#undef snprintf

#endif
