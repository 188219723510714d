#!/bin/bash
# Suite 50: the PV test kernels of tests/guests/, each booted as dom0 under
# the hypervisor in QEMU.  Every kernel is built and its ELF checked against
# the builder contract (docs/guest-tests.md); only the kernels listed in
# tests/guests/ENABLED are booted.  Each guest case comes out as
# "PASS: guest-NAME: case"; a boot that does not end in a dom0 poweroff
# (QEMU status 33) with a DONE line is a failure of its own.
. "$(dirname "$0")/../lib/guest-boot.sh"

make -s -C "$ROOT" xen >/dev/null || { fail guests-xen-build "make xen failed"; exit 1; }
if guest_build; then
    pass "guests: test kernels build with -Werror"
else
    fail "guests: test kernels build" "see $BOOTDIR/guests-build.log"
    tail -n 20 "$BOOTDIR/guests-build.log"
    exit 1
fi

for c in "$ROOT"/tests/guests/*.c; do
    guest_check_elf "$(basename "$c" .c)"
done

while read -r name opts; do
    guest_boot "$name" "$opts"
done < <(guest_enabled)

[ "$FAILED" -eq 0 ]
