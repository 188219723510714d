#!/bin/bash
# Suite 85-linux-domu: the operator's first hour.  Boots our hypervisor
# with Debian's dom0 as `make run` does (2 GiB machine, dom0_mem=512M) and
# dom0_test=linux-domu: /init starts xend, then tests/linux-domu/linux-domu
# runs `xenctl create /etc/xen/debian.cfg` (Debian's own bzImage and the
# domU initramfs from linux-xen), waits for the guest's shell prompt,
# types a command into its shell through `xenctl console`, destroys it,
# creates it again with domu_test=poweroff-after-boot and
# checks it ends with reason poweroff, then creates it a third time and
# stops it with `xenctl shutdown` (xenstore).  Last, a disk: dom0 writes
# a marker into an image, a guest with disk = [ 'file:IMG,xvda,w' ] reads
# it through xen-blkfront/dom0's xen-blkback and writes its own, which dom0
# finds after destroy; the loop device and the guest's memory come back
# (docs/devices.md).  Its lines come back here as
# "PASS: linux-domu: ..."; it prints create -> prompt seconds (measured,
# not asserted).  The boot must end in a clean poweroff.
#
# Env: LINUX_DOMU_TIMEOUT (600 s for the whole QEMU run).
# Logs: build/tests/dom0/linux-domu.*.

. "$(dirname "$0")/../lib/suite.sh"
. tests/dom0/boot-lib.sh
. tests/lib/linux-domu-suite.sh

linux_domu_suite linux-domu "${LINUX_DOMU_TIMEOUT:-600}" \
    "xend running" "the domU kit is in dom0" "xenctl create /etc/xen/debian.cfg" \
         "xenctl list shows debian" "banner and shell prompt" \
         "the banner says Linux runs under Xen" "xen-blkfront and xen-netfront loaded" \
         "still running at the prompt" \
         "a command typed through xenctl console runs in the guest" \
         "xenctl destroy debian" "memory returned" \
         "xenctl create again after destroy" \
         "the guest ran busybox poweroff" "the domain ended with reason poweroff" \
         "destroyed after poweroff" "xenctl create /etc/xen/debian.cfg a third time" \
         "xenctl shutdown" "dom0's kernel xenbus is a client" \
         "xenctl create with disk" "the guest sees vbd-51712" \
         "the guest reads dom0's marker" "the guest's write reached the image" \
         "destroyed; the loop device" "memory returned after the disk guest" \
         "xend still running"

[ "$failed" = 0 ]
