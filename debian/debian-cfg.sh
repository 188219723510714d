#!/bin/sh
# debian-cfg.sh CFG KERNEL-RELEASE: prints etc/debian.cfg as minixen-utils
# installs it (/etc/xen/debian.cfg).  The source file serves `make run`'s
# dom0, whose initramfs carries the guest kernel and ramdisk under /boot;
# an installed Debian dom0 has instead its own kernels in
# /boot/vmlinuz-RELEASE and the ramdisk this package ships.  The ramdisk's
# front-end modules load only into the kernel they were built for, so the
# config names that kernel's release, not whichever kernel is running.
set -e
cfg=$1 kver=$2
[ -r "$cfg" ] && [ -n "$kver" ] || { echo "usage: debian-cfg.sh CFG KERNEL-RELEASE" >&2; exit 2; }
grep -q '^kernel = "/boot/vmlinuz"$' "$cfg" && grep -q '^ramdisk = "/boot/initrd-domu.img"$' "$cfg" ||
    { echo "debian-cfg.sh: $cfg has no kernel/ramdisk lines to rewrite" >&2; exit 1; }
sed -e "s|^kernel = \"/boot/vmlinuz\"$|# The kernel: Debian's linux-image-$kver (minixen-utils recommends it;\\
# \`apt install linux-image-$kver\` if it is missing).  The ramdisk's\\
# xen-blkfront and xen-netfront modules were built for this release, so\\
# another kernel boots to the shell without disks or network.\\
kernel = \"/boot/vmlinuz-$kver\"|" \
    -e 's|^ramdisk = "/boot/initrd-domu.img"$|# The ramdisk: shipped by minixen-utils.\
ramdisk = "/usr/lib/minixen/boot/initrd-domu.img"|' "$cfg"
