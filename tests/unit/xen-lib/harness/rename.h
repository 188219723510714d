/* Forced into every hypervisor source built for the host tests (gcc
 * -include): gives the hypervisor's library functions names of their own,
 * so the test binary holds both them and the C library, and a test calls
 * exactly the implementation it means to. */
#ifndef XEN_LIB_TEST_RENAME_H
#define XEN_LIB_TEST_RENAME_H

#define memset    xen_memset
#define memcpy    xen_memcpy
#define memmove   xen_memmove
#define memcmp    xen_memcmp
#define strlen    xen_strlen
#define strnlen   xen_strnlen
#define strcmp    xen_strcmp
#define strncmp   xen_strncmp
#define strchr    xen_strchr
#define strrchr   xen_strrchr
#define strlcpy   xen_strlcpy
#define strlcat   xen_strlcat
#define vsnprintf xen_vsnprintf
#define snprintf  xen_snprintf

#endif
