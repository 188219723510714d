#!/bin/sh
# `make run`: boot the ISO in QEMU (TCG) with the serial console on this
# terminal.  Quit with Ctrl-a x.  RUN_MEM, RUN_SMP and RUN_TIMEOUT (seconds,
# 0 = none) come from the Makefile.
here=$(dirname "$0")
. "$here/qemu-common.sh"
iso=$1
mem=${RUN_MEM:-2G}
smp=${RUN_SMP:-2}
echo "Booting $iso in QEMU ($mem, $smp CPUs, -cpu $QEMU_CPU).  Quit: Ctrl-a x"
set -- $QEMU -machine pc -cpu "$QEMU_CPU" -m "$mem" -smp "$smp" \
    -nographic -no-reboot -serial mon:stdio -cdrom "$iso" $QEMU_DEBUG_EXIT
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
