#!/bin/bash
# Suite 61-dom0-hw: Debian's dom0 drives the machine's own PCI devices
# (docs/dom0-hardware.md).  One boot, with a small virtio-blk raw image
# whose first MiB is a known pattern and a virtio-net NIC on QEMU's user
# network; /tests/dom0-hw in dom0 reads the pattern, writes a MiB and reads
# it back, checks the virtio interrupts came as Xen pirqs, and gets a DHCP
# lease.  From the host: the MiB dom0 wrote is in the image after
# poweroff, the hypervisor log shows the MSI-X mappings and nothing
# crashed.
#
# Env: D0HW_TIMEOUT (600 s), D0_DIR (logs, default build/tests/dom0).

. "$(dirname "$0")/../lib/suite.sh"
. tests/dom0/boot-lib.sh

TIMEOUT=${D0HW_TIMEOUT:-600}

if make -s -C "$D0_ROOT" xen tools guests >"$D0_DIR/make-hw.log" 2>&1; then
    pass "dom0-hw: build"
else
    fail "dom0-hw: build" "make xen tools guests failed (see $D0_DIR/make-hw.log)"
    tail -n 20 "$D0_DIR/make-hw.log"
    exit 1
fi

# The disk: 4 MiB, first MiB the pattern, the rest zeros.
img=$D0_DIR/hw-disk.img
rm -f "$img"
yes minixen-dom0-hw | head -c 1048576 >"$img"
truncate -s 4M "$img"
md5=$(head -c 1048576 "$img" | md5sum | cut -d' ' -f1)

name=hw
d0_iso $name "console=hvc0 dom0_test=dom0-hw dom0_hw_md5=$md5" ||
    { fail "dom0-hw: boot" "mkiso failed"; exit 1; }
D0_QEMU_ARGS="$D0_QEMU_ARGS -drive file=$img,if=none,id=hwdisk,format=raw
 -device virtio-blk-pci,drive=hwdisk -netdev user,id=hwnet
 -device virtio-net-pci,netdev=hwnet" d0_boot $name "$TIMEOUT"
log=$D0_DIR/$name.log
echo "hw boot: $(d0_rc_text "$D0_RC") after $(awk -v a="$D0_T0" -v b="$D0_T1" 'BEGIN { printf "%.1f", b - a }') s (log: $log)"

sed -n -E 's/^(PASS|FAIL): /\1: dom0-hw: /p' "$log"
grep -q '^FAIL: ' "$log" && { failed=1; FAILED=$((FAILED + 1)); }
for t in disk-present disk-read-pattern disk-write-read-back disk-interrupts \
         nic-present nic-dhcp; do
    grep -Eq "^(PASS|FAIL): $t( |:|$)" "$log" ||
        fail "dom0-hw: $t" "no result line from dom0 (it stopped before this check)"
done
d0_expect_done dom0-hw "$log"

# What dom0 wrote reached the image (not only dom0's page cache).
if dd if="$img" bs=64k skip=32 count=16 2>/dev/null |
        cmp -s - <(yes minixen-dom0-wrote | head -c 1048576); then
    pass "dom0-hw: the MiB dom0 wrote is in the image after poweroff"
else
    fail "dom0-hw: dom0's write reached the image" "the image's MiB at 2 MiB is not dom0's pattern"
fi

bad=$(d0_xen_lines $name | grep -a -E 'crashed|Panic|unknown hypercall|WARNING|unexpected interrupt')
if [ -z "$bad" ]; then
    pass "dom0-hw: hypervisor log clean"
else
    fail "dom0-hw: hypervisor log clean" "$(echo "$bad" | head -n 5 | tr '\n' ';')"
fi

[ "$FAILED" -eq 0 ]
