#!/bin/bash
# Suite: the hypervisor's event channels, vCPU operations, sched_op and
# guest time (xen/common/event_channel.c, vcpu_op.c, sched_op.c,
# xen/arch/x86/guest-time.c), tested on the host.  Builds
# tests/unit/xen-events (plain and ASan+UBSan) and runs every case in both,
# then compiles the same files with the hypervisor's own flags and checks
# that they reach nothing outside the hypervisor.

SUITE_PREFIX="xen-events/"
. "$(dirname "$0")/../lib/suite.sh"
out=$BUILD/tests/xen-events

unit_build xen-events tests/unit/xen-events || exit 1

# 900 s per program: a watchdog above the slowest case's own (see
# harness.c), not a speed limit.
run_units "$out" 900 40 xen-events-tests xen-events-tests-asan

# The hypervisor build of the same files (its Makefile, its flags).
hv=$out/hv
objs=""
for src in common/event_channel.c common/event_channel_op.c common/event_fifo.c \
           common/vcpu_op.c \
           common/sched_op.c \
           arch/x86/guest-time.c; do
    objs="$objs $hv/xen/$src.o"
done
if make -C xen BUILD="$hv" $objs >"$out/hv-build.log" 2>&1; then
    pass hypervisor-flags-build
else
    fail hypervisor-flags-build "$(grep -m3 error "$out/hv-build.log")"
fi

# Everything they call must be the hypervisor's own: the scheduler, timers,
# guest access, memory, time and console.  Anything else would be a libc
# or compiler-runtime call that cannot link into the image.
allowed=" memset memcpy memcmp printk spin_lock spin_unlock
 vcpu_wake vcpu_start vcpu_block vcpu_yield raise_schedule domain_shutdown domain_lookup
 domain_lookup_for domain_get domain_put
 domain_list domlist_lock current
 init_timer set_timer stop_timer kill_timer
 copy_from_guest copy_to_guest copy_from_guest_index guest_range_ok
 xmalloc_bytes xzalloc_bytes xfree xmalloc_array_bytes xzalloc_array_bytes
 get_page_from_mfn put_page cpu_kick scale_delta tsc_scale boot_tsc
 get_page_and_type put_page_and_type mfn_in_frame_table
 get_s_time arch_pirq_bind arch_pirq_unbind opt_timer_trace timer_trace_record "
# (and each other).  arch_pirq_*: the physical-IRQ hooks of arch-hooks.h;
# opt_timer_trace, timer_trace_record: its trace hook (path_trace).
for obj in $objs; do
    [ -f "$obj" ] && allowed="$allowed $(nm --defined-only "$obj" | awk 'NF == 3 { print $3 }' | tr '\n' ' ') "
done
stray=""
for obj in $objs; do
    [ -f "$obj" ] || continue
    for sym in $(nm -u "$obj" | awk '{ print $2 }'); do
        [[ $allowed == *" $sym"[[:space:]]* ]] || stray="$stray $(basename "$obj"):$sym"
    done
done
if [ -z "$stray" ] && [ -f "$hv/xen/common/event_channel.c.o" ]; then
    pass hypervisor-undefined-symbols
else
    fail hypervisor-undefined-symbols "unexpected:$stray"
fi

exit $failed
