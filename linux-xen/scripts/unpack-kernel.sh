#!/bin/sh
# unpack-kernel.sh: unpack the cached kernel .deb into KDIR/root.
#
# Usage: unpack-kernel.sh KDIR
#   Reads KDIR/package.txt (written by fetch-kernel.sh), extracts the .deb
#   with dpkg-deb -x into KDIR/root and generates modules.dep there with
#   depmod -b: Debian ships no modules.dep (its postinst runs depmod), and
#   the initramfs builder needs one to resolve module dependencies.
set -eu

kdir=$1
read -r name version file <"$kdir/package.txt"
deb=$kdir/deb/$file
[ -f "$deb" ] || { echo "unpack-kernel: $deb is missing; rerun make" >&2; exit 1; }

echo "  UNPACK  $name $version"
tmp=$kdir/root.tmp
rm -rf "$tmp"
dpkg-deb -x "$deb" "$tmp"

set -- "$tmp"/lib/modules/*/
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
    echo "unpack-kernel: expected one lib/modules/RELEASE directory in $name" >&2
    exit 1
fi
release=$(basename "$1")
for f in "vmlinuz-$release" "System.map-$release" "config-$release"; do
    [ -f "$tmp/boot/$f" ] || { echo "unpack-kernel: $name lacks boot/$f" >&2; exit 1; }
done
depmod -b "$tmp" -F "$tmp/boot/System.map-$release" "$release"
echo "$release" >"$tmp/release"

rm -rf "$kdir/root"
mv "$tmp" "$kdir/root"
