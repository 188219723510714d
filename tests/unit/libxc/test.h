/*
 * test.h - the tiny harness the libxc unit tests share: a test is a
 * function returning NULL on success or a reason string on failure.
 */
#ifndef LIBXC_TEST_H
#define LIBXC_TEST_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fake_transport.h"

typedef const char *(*test_fn)(void);

struct test_case {
    const char *name;
    test_fn fn;
};

extern char test_why[256];

#define EXPECT(cond)                                                        \
    do {                                                                    \
        if (!(cond)) {                                                      \
            snprintf(test_why, sizeof(test_why), "%s:%d: expected %s",      \
                     __FILE__, __LINE__, #cond);                            \
            return test_why;                                                \
        }                                                                   \
    } while (0)

/* A call that libxc must refuse with EINVAL before reaching the fake. */
#define EXPECT_REFUSED(f, call)                                             \
    do {                                                                    \
        unsigned int before_ = (f)->nr_hypercalls + (f)->nr_ioctls;         \
        errno = 0;                                                          \
        EXPECT((call) == -1);                                               \
        EXPECT(errno == EINVAL);                                            \
        EXPECT((f)->nr_hypercalls + (f)->nr_ioctls == before_);             \
    } while (0)

#define EXPECT_REFUSED_NULL(f, call)                                        \
    do {                                                                    \
        unsigned int before_ = (f)->nr_hypercalls + (f)->nr_ioctls;         \
        errno = 0;                                                          \
        EXPECT((call) == NULL);                                             \
        EXPECT(errno == EINVAL);                                            \
        EXPECT((f)->nr_hypercalls + (f)->nr_ioctls == before_);             \
    } while (0)

/* Each test file exports a NULL-terminated table. */
extern const struct test_case dom0_op_tests[];
extern const struct test_case hypervisor_tests[];
extern const struct test_case memory_tests[];
extern const struct test_case device_tests[];

#endif /* LIBXC_TEST_H */
