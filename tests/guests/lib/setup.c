/*
 * Common preparation for test kernels beyond hello: map shared_info,
 * install the trap table, register the event callbacks.  Each step is
 * reported as a case; a failed step aborts the kernel, since everything
 * after it would fail for the same reason.
 */
#include "guest.h"

void setup(unsigned int what)
{
    long rc;

    if (what & (SETUP_SHARED_INFO | SETUP_EVENTS)) {
        rc = shared_info_map();
        if (rc)
            test_abort("setup: map shared_info", "update_va_mapping(shared_info %#lx) = %ld",
                       (unsigned long)start_info->shared_info, rc);
    }
    if (what & (SETUP_TRAPS | SETUP_EVENTS)) {
        rc = traps_init();
        if (rc)
            test_abort("setup: set_trap_table", "returned %ld", rc);
    }
    if (what & SETUP_EVENTS) {
        rc = events_init();
        if (rc)
            test_abort("setup: register event callbacks", "callback_op returned %ld", rc);
    }
}
