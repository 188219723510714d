#!/bin/sh
# `make run`: boot the ISO in QEMU (TCG) with the serial console on this
# terminal.  Quit with Ctrl-a x.  RUN_MEM, RUN_SMP and RUN_TIMEOUT (seconds,
# 0 = none) come from the Makefile, and so do dom0's devices
# (docs/dom0-disk.md): RUN_DISK, a sparse raw image created once with
# RUN_DISK_SIZE and kept (empty: no disk), on virtio-blk-pci; a
# virtio-net-pci NIC on QEMU's user network with host 127.0.0.1:RUN_FWD_PORT
# forwarded to dom0's RUN_FWD_GUEST_PORT.  Both devices interrupt by
# MSI-X, or by legacy INTx (vectors=0) with RUN_DEV_IRQ=intx.
#
# `run-qemu.sh --disk IMAGE` (make run DOM0=disk) boots IMAGE instead, a
# disk with its own boot loader (make image: Debian with minixen, GRUB on
# the disk), as the machine's only disk on virtio-blk-pci; RUN_DISK does
# not apply (the image keeps its own state).
here=$(dirname "$0")
. "$here/qemu-common.sh"
boot_disk=
if [ "$1" = --disk ]; then
    boot_disk=$2
    [ -s "$boot_disk" ] || { echo "run-qemu: no disk image $boot_disk (make image)" >&2; exit 2; }
fi
iso=$1
mem=${RUN_MEM:-2G}
smp=${RUN_SMP:-2}
disk=${RUN_DISK-}
fwd=${RUN_FWD_PORT:-18080}
fwd_guest=${RUN_FWD_GUEST_PORT:-8080}
case $fwd$fwd_guest in
    *[!0-9]*) echo "run-qemu: RUN_FWD_PORT and RUN_FWD_GUEST_PORT must be port numbers" >&2; exit 2 ;;
esac
case ${RUN_DEV_IRQ:-msix} in
    msix) irq= ;;
    intx) irq=,vectors=0 ;;
    *) echo "run-qemu: RUN_DEV_IRQ must be msix or intx" >&2; exit 2 ;;
esac
devices=
media="-cdrom $iso"
if [ -n "$boot_disk" ]; then
    echo "Booting the disk image $boot_disk (its GRUB, then minixen and Debian as dom0)"
    media=
    disk=
    devices="-drive file=$boot_disk,format=raw,if=none,id=root,cache=writeback
             -device virtio-blk-pci,drive=root,bootindex=0$irq"
fi
if [ -n "$disk" ]; then
    if [ ! -e "$disk" ]; then
        mkdir -p "$(dirname "$disk")"
        truncate -s "${RUN_DISK_SIZE:-8G}" "$disk" || exit 1
        echo "Created dom0's state disk $disk (${RUN_DISK_SIZE:-8G}, sparse): dom0 formats it at boot."
    fi
    echo "dom0's state disk: $disk (delete it, or make distclean, to start afresh)"
    # -boot order=d: the CD first, before the BIOS tries the data disk.
    devices="-boot order=d -drive file=$disk,format=raw,if=none,id=state,cache=writeback
             -device virtio-blk-pci,drive=state$irq"
fi
echo "dom0's network: QEMU user net, host 127.0.0.1:$fwd -> dom0 port $fwd_guest"
devices="$devices -netdev user,id=net0,hostfwd=tcp:127.0.0.1:$fwd-:$fwd_guest
         -device virtio-net-pci,netdev=net0$irq,romfile="
echo "Booting ${boot_disk:-$iso} in QEMU ($mem, $smp CPUs, -cpu $QEMU_CPU).  Quit: Ctrl-a x"
# shellcheck disable=SC2086  # $media and $devices are lists of arguments
set -- $QEMU -machine pc $QEMU_ACCEL_PCI -cpu "$QEMU_CPU" -m "$mem" -smp "$smp" \
    -nographic -no-reboot -serial mon:stdio $media $QEMU_DEBUG_EXIT $devices
if [ "${RUN_TIMEOUT:-0}" != 0 ]; then
    timeout --foreground "$RUN_TIMEOUT" "$@"
else
    "$@"
fi
rc=$?
case $rc in
    0|$QEMU_STATUS_PASS) echo "QEMU exited: the system powered off." ; exit 0 ;;
    $QEMU_STATUS_PANIC) echo "QEMU exited: the hypervisor panicked (see above)." ;;
    124) echo "QEMU stopped after RUN_TIMEOUT=${RUN_TIMEOUT}s." ;;
    *) echo "QEMU exited with status $rc." ;;
esac
exit $rc
