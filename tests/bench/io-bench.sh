#!/bin/bash
# Port I/O from a PV guest kernel, through the TSS I/O bitmap and through
# the emulator (docs/dom0-hardware.md, "The fast path"): the dom0_hw test
# kernel (tests/guests/dom0_hw.c) times 2,000 inb of a port dom0 may use
# (QEMU's fw_cfg data port) with the bitmap on, then with it off (an I/O
# breakpoint armed on another port makes every access trap, as every
# access did before the bitmap), and prints one "BENCH: io" line per
# boot, in TSC cycles.  Figures only; its PASS/FAIL lines are suite 50's.
. "$(dirname "$0")/../lib/qemu-boot.sh"
make -s -C "$ROOT" xen >/dev/null && make -s -C "$ROOT/tests/guests" >/dev/null || exit 1
XEN_CMDLINE="console=com1 debug_exit dom0_console=tagged dom0_mem=64M" \
DOM0_KERNEL="$ROOT/build/guests/dom0_hw.elf" \
    sh "$ROOT/scripts/mkiso.sh" "$ROOT/build/boot" "$BOOTDIR/iobench.iso" || exit 1
for run in 1 2 3; do
    timeout 300 $QEMU -machine pc -cpu "$QEMU_CPU" -m 512M -smp 2 -nographic \
        -no-reboot -monitor none -serial "file:$BOOTDIR/iobench.log" \
        -cdrom "$BOOTDIR/iobench.iso" $QEMU_DEBUG_EXIT </dev/null >/dev/null 2>&1
    sed -n "s/^.*(d0) BENCH: io: /io run $run: /p" "$BOOTDIR/iobench.log"
done
