#!/bin/bash
# The scheduler, measured by the sched test kernel (tests/guests/sched.c,
# docs/scheduler.md) booted as dom0 with 4 vCPUs: the share two spinner
# domains at weights 256:512 on one CPU get (fairness), and the latency
# from an event to a blocked vCPU running (p50/p99), on an idle machine
# and next to two CPU hogs, and the cost of one event-driven switch
# between two vCPUs pinned to one CPU (ping-pong through event channels).
# Figures only; the test kernel's own checks are 50-guests'.  Each run
# says whether its DONE line came (a run cut short prints what it got).
. "$(dirname "$0")/../lib/qemu-boot.sh"
make -s -C "$ROOT" xen >/dev/null && make -s -C "$ROOT/tests/guests" >/dev/null || exit 1
XEN_CMDLINE="console=com1 debug_exit dom0_console=tagged dom0_mem=64M dom0_max_vcpus=4" \
DOM0_KERNEL="$ROOT/build/guests/sched.elf" \
    sh "$ROOT/scripts/mkiso.sh" "$ROOT/build/boot" "$BOOTDIR/schedbench.iso" || exit 1
for run in 1 2; do
    timeout 240 $QEMU -machine pc -cpu "$QEMU_CPU" -m 512M -smp 2 -nographic \
        -no-reboot -monitor none -serial "file:$BOOTDIR/schedbench.log" \
        -cdrom "$BOOTDIR/schedbench.iso" $QEMU_DEBUG_EXIT </dev/null >/dev/null 2>&1
    sed -n -e "s/^.*(d0) weights /sched run $run: fairness: weights /p" \
        -e "s/^.*(d0) INFO: wake latency /sched run $run: wake latency /p" \
        -e "s/^.*(d0) INFO: context switch /sched run $run: context switch /p" \
        -e "s/^.*(d0) DONE: /sched run $run: test kernel DONE: /p" \
        "$BOOTDIR/schedbench.log"
done
