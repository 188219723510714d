#!/bin/bash
# Boot speed of the hypervisor alone: seconds from QEMU start to QEMU exit
# (GRUB included) with boot_test=pass, which ends the machine right after
# boot, and the hypervisor's own view: the timestamp of its "Running boot
# test" line, i.e. its time from entry to the end of boot.  Three runs each.
. "$(dirname "$0")/../lib/qemu-boot.sh"
make -s -C "$ROOT" xen >/dev/null || exit 1
boot_image bench "console=com1 debug_exit boot_test=pass"
for smp in 1 2 4; do
    for run in 1 2 3; do
        t0=$(date +%s.%N)
        boot_run bench 60 -m 2G -smp $smp
        t1=$(date +%s.%N)
        inside=$(sed -n "s/.*\[ *\([0-9.]*\)\] Running boot test.*/\1/p" "$BOOTDIR/bench.log")
        printf 'boot -smp %d run %d: QEMU start to exit %.2f s; hypervisor boot %s s\n' \
            "$smp" "$run" "$(echo "$t1 - $t0" | bc)" "${inside:-?}"
    done
done
