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
. "$(dirname "$0")/guest-bench-lib.sh"
guest_bench sched sched "console=com1 debug_exit dom0_console=tagged dom0_mem=64M dom0_max_vcpus=4" 2 240 \
    -e "s/^.*(d0) weights /fairness: weights /p" \
    -e "s/^.*(d0) INFO: wake latency /wake latency /p" \
    -e "s/^.*(d0) INFO: context switch /context switch /p" \
    -e "s/^.*(d0) DONE: /test kernel DONE: /p"
