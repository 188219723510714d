#!/bin/bash
# mkinitramfs.sh: build the dom0 or the domU initramfs (cpio newc, gzip).
#
# Usage: mkinitramfs.sh OUT STAGE SRC MODTREE OVERLAY
#   OUT      the image to write
#   STAGE    scratch directory, rebuilt from nothing every time
#   SRC      linux-xen/initramfs (dom0) or initramfs-domu: /init, /etc
#            files, /sbin/poweroff, /tests and /usr (each may be absent)
#   MODTREE  output of collect-modules.sh (lib/modules/RELEASE/...)
#   OVERLAY  build/dom0-root: copied in last so other components' programs,
#            libraries and tests land in the image (it may be absent or
#            empty); host libraries its ELF files need are copied too
#
# Layout: busybox-static as /bin/busybox with a symlink per applet, the Xen
# modules under /lib/modules, /tests, and whatever the overlay adds.
set -euo pipefail

# Absolute paths: the work below happens inside the stage directory.
out=$(realpath -m "$1") stage=$(realpath -m "$2") src=$(realpath -m "$3")
modtree=$(realpath -m "$4") overlay=$(realpath -m "$5")
here=$(cd "$(dirname "$0")" && pwd)

busybox=$(command -v busybox || true)
[ -n "$busybox" ] || { echo "mkinitramfs: busybox not found (install busybox-static)" >&2; exit 1; }
if ldd "$busybox" >/dev/null 2>&1; then
    echo "mkinitramfs: $busybox is dynamically linked; install busybox-static" >&2
    exit 1
fi

rm -rf "$stage"
mkdir -p "$stage"
cd "$stage"
mkdir -p bin sbin usr/bin usr/sbin usr/local/bin lib etc root proc sys dev run tmp \
         var/log mnt tests
chmod 1777 tmp
chmod 700 root

cp "$busybox" bin/busybox
# --list-full names each applet with its usual directory (e.g. sbin/insmod).
"$busybox" --list-full | while read -r applet; do
    [ -e "$applet" ] || ln -s /bin/busybox "$applet"
done

install -m 755 "$src/init" init
cp -a "$src/etc/." etc/
for name in poweroff reboot halt; do
    rm -f "sbin/$name"
    install -m 755 "$src/sbin/poweroff" "sbin/$name"
done
if [ -d "$src/tests" ] && [ -n "$(ls -A "$src/tests")" ]; then
    cp -a "$src/tests/." tests/
    chmod 755 tests/*
fi
# Programs the image carries itself (the domU kit's /usr/libexec/minixen,
# where the I/O bench's guest half lives since it left tests/).
if [ -d "$src/usr" ]; then
    cp -a "$src/usr/." usr/
fi
cp -a "$modtree/." .

if [ -d "$overlay" ]; then
    cp -a "$overlay/." .
    libs=$("$here/overlay-libs.sh" "$overlay")
    for lib in $libs; do
        [ -e ".$lib" ] && continue
        mkdir -p ".$(dirname "$lib")"
        cp -L "$lib" ".$lib"
    done
    # Overlay libraries may sit in directories ld.so does not search by
    # default: give it a cache that covers the usual ones.
    printf '%s\n' /usr/local/lib /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu \
        /lib /usr/lib >etc/ld.so.conf
    ldconfig -r . 2>/dev/null || echo "mkinitramfs: warning: ldconfig failed" >&2
fi

find . -mindepth 1 | LC_ALL=C sort |
    cpio -o -H newc -R 0:0 --reproducible --quiet | gzip -9 -n >"$out.tmp"
mv "$out.tmp" "$out"
