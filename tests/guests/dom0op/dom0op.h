/* Between the dom0op test kernel's files (dom0op.c, dom0op/log.c,
 * dom0op/frames.c). */
#ifndef DOM0OP_TEST_H
#define DOM0OP_TEST_H

#include <stdint.h>
#include "public/dom0_op.h"

#define EPROTO 71

/* The request every call uses; clear() zeroes it; call(cmd) issues cmd
 * with what op.u holds, stamped with our interface version. */
extern struct xen_dom0_op op;
long call(uint32_t cmd);
void clear(void);

/* dom0op/log.c */
void test_readlog(void);
void test_perfc(void);

/* dom0op/frames.c */
void test_copyframes(void);

#endif /* DOM0OP_TEST_H */
