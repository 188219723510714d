#!/bin/bash
# mkimage.sh: the Debian Xen 4.17 comparison image for `make bench`
# (tests/bench/linux-guest-bench.sh; docs/benchmarks.md).
#
#   mkimage.sh OUT.iso
#
# 1. Fetches the packages of packages.list with `apt-get download` into
#    build/xen417/debs/ -- only those not there yet, so a second run
#    downloads nothing -- and unpacks them with dpkg-deb -x into
#    build/xen417/root/ (redone only when a .deb is newer).
# 2. Builds a dom0 initramfs the way linux-xen builds ours
#    (linux-xen/scripts/mkinitramfs.sh: our busybox /init, the Xen modules
#    Debian's kernel builds -- xen-evtchn, xen-privcmd, xen-gntdev,
#    xen-gntalloc, xenfs -- loaded at boot), with an overlay holding xl,
#    xenstored, xenconsoled, xen-init-dom0, libxl-save-helper and their
#    libraries (the Xen ones from the unpacked packages, the rest -- libc,
#    zstd, lzma... -- from this Debian 12 host, found with ldd), the domU
#    kit (Debian's bzImage and our initrd-domu.img, the same files our
#    dom0 gets), dom0's e2fsprogs (for the state disk), /tests/xen417-dom0
#    and the shared /tests/guest-bench
#    with its helper /usr/bin/benchwatch (built here against Debian's
#    libxen-dev).
# 3. Makes a GRUB ISO (scripts/mkiso.sh) booting Debian's xen.gz with
#    Debian's kernel (the same build/linux/vmlinuz) as dom0.
#
# Environment: XEN417_CMDLINE (Xen's command line), XEN417_DOM0_CMDLINE.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
BUILD=${BUILD:-$root/build}
out=$(realpath -m "$1")
W=$BUILD/xen417
mkdir -p "$W/debs"

for k in "$BUILD/linux/vmlinuz" "$BUILD/linux/initrd-domu.img" "$BUILD/linux/dom0-modules"; do
    [ -e "$k" ] || { echo "xen417: $k missing (make guests builds it)" >&2; exit 1; }
done

# ---- 1. packages ---------------------------------------------------------
want=$(grep -v '^#' "$here/packages.list" | grep -v '^$')
missing=
for p in $want; do
    ls "$W/debs/${p}_"*.deb >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "xen417: apt-get download$missing"
    (cd "$W/debs" && apt-get download $missing) >"$W/download.log" 2>&1 ||
        { echo "xen417: apt-get download failed:" >&2; tail -n 5 "$W/download.log" >&2; exit 1; }
fi
if [ ! -f "$W/root/.unpacked" ] || [ -n "$(find "$W/debs" -name '*.deb' -newer "$W/root/.unpacked")" ]; then
    rm -rf "$W/root" && mkdir -p "$W/root"
    for d in "$W"/debs/*.deb; do dpkg-deb -x "$d" "$W/root"; done
    touch "$W/root/.unpacked"
fi
R=$W/root
[ -x "$R/usr/lib/xen-4.17/bin/xl" ] && [ -f "$R/boot/xen-4.17-amd64.gz" ] ||
    { echo "xen417: the unpacked packages lack xl or xen-4.17-amd64.gz" >&2; exit 1; }

# ---- 2. dom0 initramfs -----------------------------------------------------
ov=$W/overlay
rm -rf "$ov"
mkdir -p "$ov/usr/lib/xen-4.17/bin" "$ov/usr/lib/x86_64-linux-gnu" "$ov/usr/bin" \
    "$ov/etc/xen" "$ov/boot" "$ov/tests"
for b in xl xenstored xenconsoled xen-init-dom0 libxl-save-helper xenconsole; do
    cp -a "$R/usr/lib/xen-4.17/bin/$b" "$ov/usr/lib/xen-4.17/bin/"
done
cp -a "$R"/usr/lib/x86_64-linux-gnu/lib*.so* "$ov/usr/lib/x86_64-linux-gnu/"
cp -a "$R"/usr/bin/xenstore-* "$ov/usr/bin/"
cp -a "$R/etc/xen/xl.conf" "$ov/etc/xen/"
# glibc dlopen()s libgcc_s for pthread_cancel (xl's save helper and
# xenconsoled threads); ldd cannot see that, so name it here.
gcc_s=$(ldconfig -p | awk '/libgcc_s.so.1 .*x86-64/ { print $NF; exit }')
[ -n "$gcc_s" ] || { echo "xen417: no libgcc_s.so.1 on this host" >&2; exit 1; }
mkdir -p "$ov$(dirname "$gcc_s")" && cp -L "$gcc_s" "$ov$gcc_s"
# dom0's e2fsprogs, as linux-xen puts them in ours (build/dom0-root): our
# /init's state-disk step formats and mounts the disk with them, so the
# disk benchmark (disk-bench.sh) finds the same ext4 state disk here.
for f in usr/local/sbin/mke2fs usr/local/sbin/e2fsck usr/local/sbin/e2label etc/mke2fs.conf; do
    [ -e "$BUILD/dom0-root/$f" ] || { echo "xen417: $BUILD/dom0-root/$f missing (make guests builds it)" >&2; exit 1; }
    mkdir -p "$ov/$(dirname "$f")" && cp -a "$BUILD/dom0-root/$f" "$ov/$f"
done
install -m 644 "$BUILD/linux/vmlinuz" "$ov/boot/vmlinuz"
install -m 644 "$BUILD/linux/initrd-domu.img" "$ov/boot/initrd-domu.img"
install -m 755 "$here/xen417-dom0" "$ov/tests/xen417-dom0"
install -m 755 "$here/../dom0/guest-bench" "$ov/tests/guest-bench"
install -m 755 "$here/../dom0/domu-io-bench" "$ov/tests/domu-io-bench"
# xl's hotplug scripts for disks and vifs: Debian's are not in this image
# (they need udev, bash and more), ours do the least (scripts/, comments).
mkdir -p "$ov/etc/xen/scripts"
install -m 755 "$here/scripts/block" "$here/scripts/vif-bridge" "$ov/etc/xen/scripts/"
# guest-bench's clock and pollers, built against Debian's libxen-dev
# (scripts/deps.list; the same libxenctrl the overlay carries).
make -s -C "$here/../dom0" xen417 XEN417_OUT="$ov/usr/bin" >/dev/null
initrd=$W/initrd-xen417.img
"$root/linux-xen/scripts/mkinitramfs.sh" "$initrd" "$W/initrd.stage" \
    "$root/linux-xen/initramfs" "$BUILD/linux/dom0-modules" "$ov"

# ---- 3. ISO ------------------------------------------------------------------
mkdir -p "$W/boot"
gunzip -c "$R/boot/xen-4.17-amd64.gz" >"$W/boot/xen"
XEN_CMDLINE=${XEN417_CMDLINE:-console=com1 com1=115200,8n1 dom0_mem=768M,max:768M} \
DOM0_KERNEL=$BUILD/linux/vmlinuz DOM0_INITRD=$initrd \
DOM0_CMDLINE=${XEN417_DOM0_CMDLINE:-console=hvc0 earlyprintk=xen dom0_test=xen417-dom0} \
    sh "$root/scripts/mkiso.sh" "$W/boot" "$out"
