#!/bin/bash
# Suite 61-dom0-hw: Debian's dom0 drives the machine's own PCI devices
# (docs/dom0-hardware.md).  One boot, with a small virtio-blk raw image
# whose first MiB is a known pattern and a virtio-net NIC on QEMU's user
# network; /tests/dom0-hw in dom0 reads the pattern, writes a MiB and reads
# it back, checks the virtio interrupts came as Xen pirqs, and gets a DHCP
# lease.  From the host: the MiB dom0 wrote is in the image after
# poweroff, the hypervisor log shows the MSI-X mappings and nothing
# crashed, and that Debian's dom0 used the physdev operations Linux 6.1
# issues at boot (pirq_eoi_gmfn_v2, apic_read, pci_device_add for the
# virtio devices) and met no false interrupt-storm alarm.
#
# Env: D0HW_TIMEOUT (600 s), D0_DIR (logs, default build/tests/dom0).

. "$(dirname "$0")/../lib/suite.sh"
. tests/dom0/boot-lib.sh

TIMEOUT=${D0HW_TIMEOUT:-600}

d0_build dom0-hw "$D0_DIR/make-hw.log"

# The disk: 4 MiB, first MiB the pattern, the rest zeros.
img=$D0_DIR/hw-disk.img
rm -f "$img"
yes minixen-dom0-hw | head -c 1048576 >"$img"
truncate -s 4M "$img"
md5=$(head -c 1048576 "$img" | md5sum | cut -d' ' -f1)

name=hw
d0_iso $name "console=hvc0 dom0_test=dom0-hw dom0_hw_md5=$md5" ||
    { fail "dom0-hw: boot" "mkiso failed"; exit 1; }
D0_QEMU_ARGS="$D0_QEMU_ARGS $QEMU_ACCEL_PCI -drive file=$img,if=none,id=hwdisk,format=raw
 -device virtio-blk-pci,drive=hwdisk -netdev user,id=hwnet
 -device virtio-net-pci,netdev=hwnet" d0_boot $name "$TIMEOUT"
log=$D0_DIR/$name.log
echo "hw boot: $(d0_rc_text "$D0_RC") after $(awk -v a="$D0_T0" -v b="$D0_T1" 'BEGIN { printf "%.1f", b - a }') s (log: $log)"

d0_relay dom0-hw "$log"
d0_expect_reported dom0-hw "$log" disk-present disk-read-pattern disk-write-read-back \
    disk-interrupts nic-present nic-dhcp
d0_expect_done dom0-hw "$log"

# What dom0 wrote reached the image (not only dom0's page cache).
if dd if="$img" bs=64k skip=32 count=16 2>/dev/null |
        cmp -s - <(yes minixen-dom0-wrote | head -c 1048576); then
    pass "dom0-hw: the MiB dom0 wrote is in the image after poweroff"
else
    fail "dom0-hw: dom0's write reached the image" "the image's MiB at 2 MiB is not dom0's pattern"
fi

# What Linux 6.1's dom0 issues at boot, seen from the hypervisor's side.
xl=$(d0_xen_lines $name)
if echo "$xl" | grep -aq 'd0: pirq EOI map registered'; then
    pass "dom0-hw: dom0 registered its pirq EOI map (PHYSDEVOP_pirq_eoi_gmfn_v2)"
else
    fail "dom0-hw: dom0 registered its pirq EOI map" "no 'pirq EOI map registered' line"
fi
if echo "$xl" | grep -aq 'd0: PHYSDEVOP_apic_read of IO-APIC'; then
    pass "dom0-hw: dom0 read the IO-APIC's registers through PHYSDEVOP_apic_read"
else
    fail "dom0-hw: dom0 used PHYSDEVOP_apic_read" "no 'PHYSDEVOP_apic_read' line"
fi
# The virtio disk and NIC (vendor 0x1af4) are among the devices dom0
# reported; Linux's "Failed to add" warning (the op refused) is gone.
nrep=$(echo "$xl" | grep -ac 'reported by d0')
if [ "$nrep" -ge 3 ] && ! grep -aq 'Failed to add - passthrough' "$log"; then
    pass "dom0-hw: dom0 reported its $nrep PCI devices (PHYSDEVOP_pci_device_add)"
else
    fail "dom0-hw: dom0 reported its PCI devices" \
        "$nrep 'reported by d0' lines; $(grep -ac 'Failed to add - passthrough' "$log") 'Failed to add' warnings"
fi
if echo "$xl" | grep -aq 'interrupt storm'; then
    fail "dom0-hw: no interrupt-storm alarm" "$(echo "$xl" | grep -a 'interrupt storm' | head -n 2 | tr '\n' ';')"
else
    pass "dom0-hw: no interrupt-storm alarm under Debian's device load"
fi

bad=$(d0_xen_lines $name | grep -a -E 'crashed|Panic|unknown hypercall|WARNING|unexpected interrupt')
if [ -z "$bad" ]; then
    pass "dom0-hw: hypervisor log clean"
else
    fail "dom0-hw: hypervisor log clean" "$(echo "$bad" | head -n 5 | tr '\n' ';')"
fi

[ "$FAILED" -eq 0 ]
