#!/bin/bash
# Suite 85-linux-domu: the operator's first hour.  Boots our hypervisor
# with Debian's dom0 as `make run` does (2 GiB machine, dom0_mem=512M) and
# dom0_test=linux-domu: /init starts xend, then tests/linux-domu/linux-domu
# runs `xenctl create /etc/xen/debian.cfg` (Debian's own bzImage and the
# domU initramfs from linux-xen), waits for the guest's shell prompt,
# destroys it, creates it again with domu_test=poweroff-after-boot and
# checks it ends with reason poweroff, then creates it a third time and
# stops it with `xenctl shutdown` (xenstore).  Its lines come back here as
# "PASS: linux-domu: ..."; it prints create -> prompt seconds (measured,
# not asserted).  The boot must end in a clean poweroff.
#
# Env: LINUX_DOMU_TIMEOUT (600 s for the whole QEMU run).
# Logs: build/tests/dom0/linux-domu.*.

cd "$(dirname "$0")/../.." || exit 2
. tests/dom0/boot-lib.sh

TIMEOUT=${LINUX_DOMU_TIMEOUT:-600}
XEN_OPTS="console=com1 debug_exit dom0_mem=512M"
failed=0
pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; failed=1; }

# The hypervisor, libxc and xend, the dom0 test script (into dom0-root),
# then linux-xen: the domU kit and dom0's initramfs that carries it all.
mk=$D0_DIR/linux-domu-make.log
if make -s -C "$D0_ROOT" xen tools >"$mk" 2>&1 &&
   make -s -C tests/linux-domu >>"$mk" 2>&1 &&
   make -s -C "$D0_ROOT" guests >>"$mk" 2>&1; then
    pass "linux-domu: build"
else
    fail "linux-domu: build" "see $mk"
    tail -n 20 "$mk"
    exit 1
fi

# The host side of the kit: the domU initramfs holds what the guest needs.
list=$(zcat build/linux/initrd-domu.img | cpio -it --quiet 2>/dev/null)
missing=
for f in init bin/busybox bin/sh sbin/poweroff etc/profile etc/hostname; do
    echo "$list" | grep -qx "$f" || missing="$missing $f"
done
for m in xen-blkfront xen-netfront; do
    echo "$list" | grep -q "/$m.ko$" || missing="$missing $m.ko"
done
if [ -z "$missing" ]; then
    pass "linux-domu: initrd-domu.img layout"
else
    fail "linux-domu: initrd-domu.img layout" "missing:$missing"
fi

name=linux-domu
d0_iso $name "console=hvc0 earlyprintk=xen dom0_test=linux-domu" "$XEN_OPTS" ||
    { fail "linux-domu: iso" "mkiso failed"; exit 1; }
QEMU_CPU=max D0_QEMU_ARGS="-m 2G -smp 2" d0_boot $name "$TIMEOUT"
log=$D0_DIR/$name.log
echo "linux-domu boot: $(d0_rc_text "$D0_RC") (log: $log)"

sed -n -E 's/^(PASS|FAIL): /\1: linux-domu: /p; s/^INFO: /INFO: /p; /^  [a-zA-Z.]+\| /p' "$log"
grep -q '^FAIL: ' "$log" && failed=1
for t in "xend running" "the domU kit is in dom0" "xenctl create /etc/xen/debian.cfg" \
         "xenctl list shows debian" "banner and shell prompt" \
         "the banner says Linux runs under Xen" "xen-blkfront and xen-netfront loaded" \
         "still running at the prompt" "xenctl destroy debian" "memory returned" \
         "xenctl create again after destroy" \
         "the guest ran busybox poweroff" "the domain ended with reason poweroff" \
         "destroyed after poweroff" "xenctl create /etc/xen/debian.cfg a third time" \
         "xenctl shutdown" "xend still running"; do
    grep -Eq "^(PASS|FAIL): $t" "$log" ||
        fail "linux-domu: $t" "no result line from dom0 (it stopped before this check)"
done

done_line=$(grep -a -m1 '^DOM0-TEST-DONE' "$log")
if [ "$done_line" = "DOM0-TEST-DONE rc=0" ]; then
    pass "linux-domu: DOM0-TEST-DONE rc=0"
else
    fail "linux-domu: DOM0-TEST-DONE rc=0" "${done_line:-no DOM0-TEST-DONE line}"
fi
if [ "$D0_RC" = "$QEMU_STATUS_PASS" ]; then
    pass "linux-domu: clean poweroff (QEMU status 33)"
else
    fail "linux-domu: clean poweroff" "$(d0_rc_text "$D0_RC")"
    tail -n 30 "$log" | sed 's/^/  serial| /'
fi
echo "linux-domu: QEMU ran $(awk -v a="$D0_T0" -v b="$D0_T1" 'BEGIN { printf "%.0f", b - a }') s"

[ "$failed" = 0 ]
