/*
 * test.h - what the libxc unit tests share: the fake transport, and the
 * shared harness (tests/unit/harness), which runs each case forked; a
 * failed CHECK ends the case.
 */
#ifndef LIBXC_TEST_H
#define LIBXC_TEST_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fake_transport.h"
#include "runner.h"

/* A call that libxc must refuse with EINVAL before reaching the fake. */
#define CHECK_REFUSED(f, call)                                             \
    do {                                                                    \
        unsigned int before_ = (f)->nr_hypercalls + (f)->nr_ioctls;         \
        errno = 0;                                                          \
        CHECK((call) == -1);                                                \
        CHECK(errno == EINVAL);                                             \
        CHECK((f)->nr_hypercalls + (f)->nr_ioctls == before_);              \
    } while (0)

#define CHECK_REFUSED_NULL(f, call)                                        \
    do {                                                                    \
        unsigned int before_ = (f)->nr_hypercalls + (f)->nr_ioctls;         \
        errno = 0;                                                          \
        CHECK((call) == NULL);                                              \
        CHECK(errno == EINVAL);                                             \
        CHECK((f)->nr_hypercalls + (f)->nr_ioctls == before_);              \
    } while (0)

/* Each test file exports a NULL-terminated table. */
extern const struct test_case dom0_op_tests[];
extern const struct test_case hypervisor_tests[];
extern const struct test_case memory_tests[];
extern const struct test_case device_tests[];
extern const struct test_case savefile_tests[];
extern const struct test_case identity_tests[];

#endif /* LIBXC_TEST_H */
