#!/bin/bash
# Cost of the basic PV transitions, measured inside a guest kernel
# (tests/guests/pvbench.c) with its own pvclock: a null hypercall and an
# empty console write.  Figures only.
. "$(dirname "$0")/../lib/qemu-boot.sh"
make -s -C "$ROOT" xen >/dev/null && make -s -C "$ROOT/tests/guests" >/dev/null || exit 1
XEN_CMDLINE="console=com1 debug_exit dom0_console=tagged dom0_mem=64M" \
DOM0_KERNEL="$ROOT/build/guests/pvbench.elf" \
    sh "$ROOT/scripts/mkiso.sh" "$ROOT/build/boot" "$BOOTDIR/pvbench.iso" || exit 1
for run in 1 2 3; do
    timeout 60 $QEMU -machine pc -cpu "$QEMU_CPU" -m 512M -smp 2 -nographic \
        -no-reboot -monitor none -serial "file:$BOOTDIR/pvbench.log" \
        -cdrom "$BOOTDIR/pvbench.iso" $QEMU_DEBUG_EXIT </dev/null >/dev/null 2>&1
    sed -n "s/^.*(d0) BENCH: /pv run $run: /p" "$BOOTDIR/pvbench.log"
done
