#!/bin/sh
# Part of `make image` (scripts/mkimage.sh): writes the root tree ROOT as
# a bootable raw disk IMG of SIZE bytes (sparse), without a loop device.
#
#   write-disk.sh ROOT IMG SIZE FS-UUID
#
# Layout, as the Debian installer makes it for BIOS booting: an MBR
# partition table, one bootable Linux partition from 1 MiB to the end,
# ext4 with FS-UUID (the UUID setup-root.sh wrote into fstab and
# grub.cfg).  GRUB's boot.img goes into the MBR's code area and core.img
# into the gap before the partition, as grub-install does on a BIOS disk.
set -eu
root=$1 img=$2 size=$3 uuid=$4
start=2048                      # the partition's first sector (1 MiB)
rm -f "$img"
truncate -s "$size" "$img"
bytes=$(stat -c %s "$img")
printf 'label: dos\nstart=%s, type=83, bootable\n' "$start" | sfdisk -q "$img"
# mke2fs writes the filesystem at the partition's offset, its contents
# copied from the tree (owners, modes, links and device nodes kept).
blocks=$(( (bytes - start * 512) / 4096 ))
mke2fs -F -q -t ext4 -b 4096 -L debian-dom0 -U "$uuid" -d "$root" \
    -E offset=$((start * 512)) "$img" "$blocks"
e2fsck -fn "$img?offset=$((start * 512))"

boot=$root/boot/grub/i386-pc/boot.img
core=$root/boot/grub/i386-pc/core.img
# core.img must fit between the MBR and the partition.
[ "$(stat -c %s "$core")" -le $(( (start - 1) * 512 )) ] ||
    { echo "write-disk: core.img does not fit before sector $start" >&2; exit 1; }
# boot.img's code only (its first 440 bytes): the disk signature and the
# partition table after them stay.  It loads the sector after the MBR
# (core.img's first), whose list says where the rest of core.img lies:
# right behind it, as grub-mkimage leaves it by default.
dd if="$boot" of="$img" bs=440 count=1 conv=notrunc status=none
dd if="$core" of="$img" bs=512 seek=1 conv=notrunc status=none
sfdisk -d "$img"
echo "write-disk: $img written ($bytes bytes, ext4 $uuid)"
