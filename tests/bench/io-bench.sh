#!/bin/bash
# Port I/O from a PV guest kernel, through the TSS I/O bitmap and through
# the emulator (docs/dom0-hardware.md, "The fast path"): the dom0_hw test
# kernel (tests/guests/dom0_hw.c) times 2,000 inb of a port dom0 may use
# (QEMU's fw_cfg data port) with the bitmap on, then with it off (an I/O
# breakpoint armed on another port makes every access trap, as every
# access did before the bitmap), and prints one "BENCH: io" line per
# boot, in TSC cycles.  Figures only; its PASS/FAIL lines are suite 50's.
. "$(dirname "$0")/../lib/qemu-boot.sh"
. "$(dirname "$0")/guest-bench-lib.sh"
guest_bench io dom0_hw "console=com1 debug_exit dom0_console=tagged dom0_mem=64M" 3 300 \
    -e "s/^.*(d0) BENCH: io: //p"
