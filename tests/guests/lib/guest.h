/*
 * Everything a test kernel needs, in one include: the public ABI headers
 * (never redefined here), hypercall wrappers and the small runtime in this
 * directory.  A test kernel defines test_main(); the runtime calls it and
 * then reports DONE and shuts the domain down.
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "public/xen.h"
#include "public/callback.h"
#include "public/elfnote.h"
#include "public/event_channel.h"
#include "public/features.h"
#include "public/grant_table.h"
#include "public/memory.h"
#include "public/physdev.h"
#include "public/sched.h"
#include "public/vcpu.h"
#include "public/version.h"

#include "errno.h"
#include "hypercall.h"
#include "console.h"
#include "test.h"
#include "pv.h"
#include "traps.h"
#include "events.h"
#include "pvclock.h"
#include "smp.h"

#endif /* GUEST_GUEST_H */
