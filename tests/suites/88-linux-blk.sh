#!/bin/bash
# Suite 88-linux-blk: disks of Debian's Linux domUs through dom0's
# xen-blkback, end to end (docs/devices.md).  One QEMU run as
# 85-linux-domu, with the hypervisor's frame audit on (mm_audit), and
# dom0_test=linux-blk: tests/linux-domu/linux-blk boots a guest with its
# root on an ext4 xvda made in dom0 (destroyed, created again, the file
# is there, e2fsck -fn clean), hot-attaches and detaches xvdb on a running
# guest, destroys one in the middle of heavy disk I/O (no loop device
# left, all memory back), saves and restores a guest with a disk (its
# blkfront reconnects) and, while that guest uses its disk, runs a
# hostile blkfront of ours (tests/guests/hostblk.c), and kills xend while a guest with a disk ends (a
# new xend releases its loop device).  Here: the domU initramfs carries
# ext4 for root=/dev/xvda, and every domain's frame audit was clean.
#
# Env: LINUX_BLK_TIMEOUT (1500 s for the whole QEMU run; a safety net),
# LINUX_BLK_SR_LOOPS (0: N more save/restore cycles of the guest with
# a disk and a hot xvdb, each checked; a reliability loop, give it a
# longer LINUX_BLK_TIMEOUT).
# Logs: build/tests/dom0/linux-blk.*.

. "$(dirname "$0")/../lib/suite.sh"
. tests/dom0/boot-lib.sh
. tests/lib/linux-domu-suite.sh

LINUX_DOMU_CMDLINE="blk_sr_loops=${LINUX_BLK_SR_LOOPS:-0}"
LINUX_DOMU_XEN_EXTRA=mm_audit linux_domu_suite linux-blk "${LINUX_BLK_TIMEOUT:-1500}" \
    "xend running; dom0 has mke2fs" "mke2fs -t ext4 -d in dom0" \
    "a guest with root = /dev/xvda booted" "destroyed; the loop device for the root image" \
    "created again: the file written before" "the guest remounted / read-only" \
    "e2fsck -fn of the image" \
    "a guest without disks at its prompt" "xenctl block-attach" \
    "the guest sees xvdb appear" "block-list: xvdb" "block-detach: xvdb gone" \
    "destroyed in the middle of heavy I/O" "all the guest's memory came back" \
    "a guest with disk xvda wrote" "saved .cooperative.; the domain" "restored: the guest.s blkfront" \
    "a hostile blkfront" "the hostile guest is gone" \
    "the guest's control/feature-\* nodes" "no BUG/Oops" "the restored guest's write" \
    "after kill -9 of xend" "xend still running"

# The domU initramfs: ext4 and crc32c with their own load order.
list=$(zcat build/linux/initrd-domu.img | cpio -it --quiet 2>/dev/null)
if echo "$list" | grep -q '/rootfs-load-order$' && echo "$list" | grep -q '/rootfs/.*/ext4\.ko$' &&
   echo "$list" | grep -q '/rootfs/.*/crc32c_generic\.ko$'; then
    pass "linux-blk: initrd-domu.img carries ext4 and crc32c for root=/dev/xvda"
else
    fail "linux-blk: initrd-domu.img carries ext4" "$(echo "$list" | grep -c rootfs) rootfs entries"
fi

# Every domain's frames audited at its end.
linux_domu_audits linux-blk 6

[ "$failed" = 0 ]
