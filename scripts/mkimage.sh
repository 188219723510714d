#!/bin/sh
# `make image`: a bootable Debian 12 disk image with minixen installed as
# a user installs it (docs/packaging.md, "The disk image").
#
#   mkimage.sh DEBDIR OUT.img
#
# DEBDIR holds the packages `make deb` built.  The image is raw and sparse
# (IMAGE_SIZE, default 6G): an MBR with one bootable ext4 partition from
# 1 MiB, GRUB (i386-pc, for SeaBIOS) in the MBR and the gap before it,
# Debian's systemd, kernel and GRUB from the mirror, and our packages
# installed with `apt install ./minixen-*.deb` inside the root.  No loop
# device or mount is needed: the filesystem is written from the root tree
# by `mke2fs -d` straight into the partition's offset, and GRUB's
# boot.img and core.img are written where grub-install would put them.
#
# Two caches under $BUILD/image/ (build/image/) make rebuilding cheap:
#   debian-base-HASH.tar  the Debian root before our packages (HASH names
#                         the package list and mirror); delete it to pick
#                         up newer Debian packages
#   debian-dom0-HASH.img  the finished, never booted image (HASH names the
#                         base, the packages' contents and the files here)
# OUT.img is a copy of the second, replaced only when HASH changes (its
# HASH is in OUT.img.hash), so what a booted image keeps (xend's database,
# saved guests) survives `make image` until the inputs change.
#
# Env: IMAGE_SIZE (6G), MMDEBSTRAP_MIRROR (sources lines; default Debian
#      12 with its updates and security suites), IMAGE_TIMEOUT (1800 s for
#      mmdebstrap)
set -eu
debs=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
# One cache for `make image` and the tests, whatever OUT is.
cache=${BUILD:-$top/build}/image
mkdir -p "$cache"
[ "$(id -u)" -eq 0 ] || { echo "mkimage: needs root (chroot and file ownership in the image)" >&2; exit 1; }
size=${IMAGE_SIZE:-6G}
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
arch=$(dpkg --print-architecture)
ours="minixen-hypervisor minixen-utils libminixenctrl1"

# What Debian gives the root: init, kernel, boot loader, the tools the
# domU kit and xend use (losetup, mke2fs, ip, modprobe), and every library
# our packages link (so installing them needs no download).
base_pkgs=systemd-sysv,udev,dbus,linux-image-amd64,initramfs-tools,grub-pc,busybox,e2fsprogs,iproute2,kmod,procps,passwd,mount,less,libevent-core-2.1-7,libevent-extra-2.1-7,libjansson4,libsqlite3-0,liblz4-1,libzstd1,libbz2-1.0,liblzma5,zlib1g,libcairo2,libcrypt1
mirror=${MMDEBSTRAP_MIRROR:-"deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main"}

for p in $ours; do
    [ -s "$debs/${p}_${version}_${arch}.deb" ] ||
        { echo "mkimage: $debs/${p}_${version}_${arch}.deb is missing: run make deb" >&2; exit 1; }
done

# ---- the Debian root, cached by its package list ----
base_key=$(printf '%s\n%s\n' "$base_pkgs" "$mirror" | md5sum | cut -c1-8)
base=$cache/debian-base-$base_key.tar
if [ ! -s "$base" ]; then
    echo "mkimage: building the Debian root with mmdebstrap (log: $base.log)"
    # Each sources line is one mmdebstrap argument.
    set -f
    old_ifs=$IFS
    IFS='
'
    # shellcheck disable=SC2086  # one argument per line of $mirror
    if ! timeout -k 10 "${IMAGE_TIMEOUT:-1800}" mmdebstrap --variant=minbase --format=tar \
            --include="$base_pkgs" bookworm "$base.tmp" $mirror >"$base.log" 2>&1; then
        IFS=$old_ifs
        rm -f "$base.tmp"
        echo "mkimage: mmdebstrap failed: $(tail -n 3 "$base.log")" >&2
        exit 1
    fi
    IFS=$old_ifs
    set +f
    mv "$base.tmp" "$base"
fi

# ---- the finished image, cached by everything it is made from ----
# A package's contents are its control data and md5sums (not its mtimes).
key=$( {
    echo "$base_key $size"
    cat "$here/mkimage.sh" "$here"/image/*
    for p in $ours; do
        dpkg-deb -f "$debs/${p}_${version}_${arch}.deb"
        dpkg-deb -I "$debs/${p}_${version}_${arch}.deb" md5sums
    done
} | md5sum | cut -c1-8)
img=$cache/debian-dom0-$key.img

if [ ! -s "$img" ]; then
    echo "mkimage: making $img"
    work=$cache/work
    rm -rf "$work"
    mkdir -p "$work/root"
    tar -xf "$base" -C "$work/root"
    uuid=$(cat /proc/sys/kernel/random/uuid)
    sh "$here/image/setup-root.sh" "$work/root" "$debs" "$version" "$arch" "$ours" "$uuid" \
        >"$cache/setup-root.log" 2>&1 ||
        { echo "mkimage: setting up the root failed: $(tail -n 5 "$cache/setup-root.log")" >&2; exit 1; }
    sh "$here/image/write-disk.sh" "$work/root" "$img.tmp" "$size" "$uuid" \
        >"$cache/write-disk.log" 2>&1 ||
        { rm -f "$img.tmp"; echo "mkimage: writing the disk failed: $(tail -n 5 "$cache/write-disk.log")" >&2; exit 1; }
    mv "$img.tmp" "$img"
    rm -rf "$work"
    # Older images of this cache are never used again.
    for f in "$cache"/debian-dom0-*.img; do [ "$f" = "$img" ] || rm -f "$f"; done
fi

if [ "$(cat "$out.hash" 2>/dev/null)" != "$key" ] || [ ! -s "$out" ]; then
    cp --sparse=always "$img" "$out.tmp"
    mv "$out.tmp" "$out"
    echo "$key" >"$out.hash"
    echo "mkimage: $out is a fresh copy of $(basename "$img")"
else
    echo "mkimage: $out is up to date (kept, with what its boots wrote)"
fi
