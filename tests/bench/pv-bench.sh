#!/bin/bash
# Cost of the basic PV transitions, measured inside a guest kernel
# (tests/guests/pvbench.c) with its own pvclock: a null hypercall and an
# empty console write.  Figures only.
. "$(dirname "$0")/../lib/qemu-boot.sh"
. "$(dirname "$0")/guest-bench-lib.sh"
guest_bench pv pvbench "console=com1 debug_exit dom0_console=tagged dom0_mem=64M" 3 60 \
    -e "s/^.*(d0) BENCH: //p"
