#!/bin/bash
# Suite 86-linux-save: save/restore of Debian's Linux as a domU.  Boots
# our hypervisor with Debian's dom0 (as 85-linux-domu) and
# dom0_test=linux-save: tests/linux-domu/linux-save creates
# /etc/xen/debian.cfg with a heartbeat, checkpoints it, saves and restores
# it (cooperative suspend), and checks the heartbeat goes on, the date,
# and no BUG/Oops on its console.  Lines come back as "PASS: linux-save:".
#
# Env: LINUX_SAVE_TIMEOUT (600 s for the whole QEMU run).
# Logs: build/tests/dom0/linux-save.*.

. "$(dirname "$0")/../lib/suite.sh"
. tests/dom0/boot-lib.sh

TIMEOUT=${LINUX_SAVE_TIMEOUT:-600}
XEN_OPTS="console=com1 debug_exit dom0_mem=512M"

# The hypervisor, libxc and xend, the dom0 test script (into dom0-root),
# then linux-xen: the domU kit and dom0's initramfs that carries it all.
mk=$D0_DIR/linux-save-make.log
if make -s -C "$D0_ROOT" xen tools >"$mk" 2>&1 &&
   make -s -C tests/linux-domu >>"$mk" 2>&1 &&
   make -s -C "$D0_ROOT" guests >>"$mk" 2>&1; then
    pass "linux-save: build"
else
    fail "linux-save: build" "see $mk"
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
    pass "linux-save: initrd-domu.img layout"
else
    fail "linux-save: initrd-domu.img layout" "missing:$missing"
fi

name=linux-save
d0_iso $name "console=hvc0 earlyprintk=xen dom0_test=linux-save" "$XEN_OPTS" ||
    { fail "linux-save: iso" "mkiso failed"; exit 1; }
QEMU_CPU=max D0_QEMU_ARGS="-m 2G -smp 2" d0_boot $name "$TIMEOUT"
log=$D0_DIR/$name.log
echo "linux-save boot: $(d0_rc_text "$D0_RC") (log: $log)"

sed -n -E 's/^(PASS|FAIL): /\1: linux-save: /p; s/^INFO: /INFO: /p; /^  [a-zA-Z.]+\| /p' "$log"
grep -q '^FAIL: ' "$log" && failed=1
for t in "xend running" "Linux domU up" "checkpoint 1: cooperative" "checkpoint 2: cooperative" \
         "checkpoint 1: Linux runs on" "checkpoint 2: Linux runs on" "save: " "restore: domain back" \
         "Linux resumed" "no BUG/Oops" "the guest's date agrees"; do
    grep -Eq "^(PASS|FAIL): $t" "$log" ||
        fail "linux-save: $t" "no result line from dom0 (it stopped before this check)"
done

done_line=$(grep -a -m1 '^DOM0-TEST-DONE' "$log")
if [ "$done_line" = "DOM0-TEST-DONE rc=0" ]; then
    pass "linux-save: DOM0-TEST-DONE rc=0"
else
    fail "linux-save: DOM0-TEST-DONE rc=0" "${done_line:-no DOM0-TEST-DONE line}"
fi
if [ "$D0_RC" = "$QEMU_STATUS_PASS" ]; then
    pass "linux-save: clean poweroff (QEMU status 33)"
else
    fail "linux-save: clean poweroff" "$(d0_rc_text "$D0_RC")"
    tail -n 30 "$log" | sed 's/^/  serial| /'
fi
echo "linux-save: QEMU ran $(awk -v a="$D0_T0" -v b="$D0_T1" 'BEGIN { printf "%.0f", b - a }') s"

[ "$failed" = 0 ]
