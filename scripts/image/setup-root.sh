#!/bin/sh
# Part of `make image` (scripts/mkimage.sh): turns the Debian root at ROOT
# into domain 0's root filesystem.
#
#   setup-root.sh ROOT DEBDIR VERSION ARCH "PACKAGES" FS-UUID
#
# Our packages are installed with apt from their files, as a user installs
# them; then what a Debian installer would have set up (fstab, hostname,
# the boot loader's files and grub.cfg), and the image's own choices: the
# minixen entry is GRUB's default, GRUB talks on the serial port, root
# logs in on the console without a password, the NIC gets DHCP.
set -eu
root=$1 debs=$2 version=$3 arch=$4 ours=$5 uuid=$6
inroot() {
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}

# ---- our packages, through apt (dependencies, Recommends, postinst) ----
mkdir -p "$root/tmp/debs"
files=""
for p in $ours; do
    cp "$debs/${p}_${version}_${arch}.deb" "$root/tmp/debs/"
    files="$files /tmp/debs/${p}_${version}_${arch}.deb"
done
# apt may need the mirror for a dependency the base root lacks.
added_resolv=""
if [ ! -e "$root/etc/resolv.conf" ] && [ -e /etc/resolv.conf ]; then
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    added_resolv=1
fi
# shellcheck disable=SC2086  # one argument per package file
inroot apt-get install -y $files
for p in $ours; do
    inroot dpkg-query -W -f='${Status}\n' "$p" | grep -qx 'install ok installed' ||
        { echo "setup-root: $p is not installed" >&2; exit 1; }
done
inroot apt-get clean
rm -rf "$root/tmp/debs"
[ -z "$added_resolv" ] || rm -f "$root/etc/resolv.conf"
# dh_installsystemd's postinst enables xend (and the host-shutdown unit);
# a missing link here would be a packaging bug the image must not hide.
for u in xend.service minixen-domains.service; do
    [ -L "$root/etc/systemd/system/multi-user.target.wants/$u" ] ||
        { echo "setup-root: minixen-utils did not enable $u" >&2; exit 1; }
done

# ---- the system ----
echo dom0 >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tdom0\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
printf '# <fs> <mount point> <type> <options> <dump> <pass>\nUUID=%s / ext4 errors=remount-ro 0 1\n' \
    "$uuid" >"$root/etc/fstab"
# A test and demo image: root logs in without a password (Debian's PAM
# accepts an empty one: pam_unix nullok).  Set one before exposing it.
inroot passwd -d root
# The login prompt on the console (hvc0, the hypervisor's console for
# dom0) from console-getty.service (agetty on /dev/console), not from the
# serial-getty@hvc0 that systemd's generator would start: that one waits
# for udev's dev-hvc0.device, which under QEMU/TCG did not come within
# systemd's 90 s, leaving no prompt at all.  Masked, so the two never
# share the terminal.
inroot systemctl enable console-getty.service
inroot systemctl mask serial-getty@hvc0.service
# The NIC (make run's virtio-net on QEMU's user network) gets DHCP.
mkdir -p "$root/etc/systemd/network"
printf '[Match]\nName=en*\n\n[Network]\nDHCP=yes\n' >"$root/etc/systemd/network/50-wired.network"
inroot systemctl enable systemd-networkd.service

# ---- GRUB: the minixen entry by default, on the serial console ----
kver=$(ls "$root"/boot/vmlinuz-* | sed 's|.*/vmlinuz-||' | sort -V | tail -n 1)
[ -n "$kver" ] && [ -s "$root/boot/initrd.img-$kver" ] ||
    { echo "setup-root: no kernel with an initrd in /boot" >&2; exit 1; }
distributor=$(inroot sh -c '. /etc/default/grub; echo "$GRUB_DISTRIBUTOR"' 2>/dev/null || true)
[ -n "$distributor" ] || distributor=Debian
# Read by grub-mkconfig after /etc/default/grub and minixen.cfg.
cat >"$root/etc/default/grub.d/zz-debian-dom0-image.cfg" <<CFG
# Settings of minixen's Debian disk image (make image): boot the minixen
# entry of the kernel the image was made with, and talk on the first
# serial port (QEMU's -nographic console), where the hypervisor (com1) and
# domain 0 (hvc0) print too.  An entry's title changes with the kernel
# version: after installing another kernel, adjust GRUB_DEFAULT.
GRUB_DEFAULT="$(echo "$distributor" | sed 's/[^[:alnum:] ._-]//g') GNU/Linux, with minixen $version and Linux $kver"
GRUB_TIMEOUT=2
GRUB_TERMINAL="serial"
GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"
CFG

# update-grub asks grub-probe about the disk under /; a chroot has none, so
# for this run a stand-in answers for the disk the image will be (ext4 with
# this UUID on the first MBR partition of the first virtio disk, vda1).
mv "$root/usr/sbin/grub-probe" "$root/usr/sbin/grub-probe.real"
restore() {
    [ -e "$root/usr/sbin/grub-probe.real" ] && mv "$root/usr/sbin/grub-probe.real" "$root/usr/sbin/grub-probe"
    rm -rf "$root/dev/disk"
}
trap restore EXIT
cat >"$root/usr/sbin/grub-probe" <<STUB
#!/bin/sh
for a in "\$@"; do case \$a in --target=*) target=\${a#--target=} ;; esac; done
case \$target in
    device) echo /dev/vda1 ;;
    disk) echo /dev/vda ;;
    fs) echo ext2 ;;
    fs_uuid) echo $uuid ;;
    partmap) echo msdos ;;
    abstraction|cryptodisk_uuid|partuuid) ;;
    drive) echo '(hd0,msdos1)' ;;
    compatibility_hint) echo hd0,msdos1 ;;
    *hints*) echo '--hint-bios=hd0,msdos1' ;;
    *) echo "grub-probe (image build): unknown target \$target" >&2; exit 1 ;;
esac
STUB
chmod 0755 "$root/usr/sbin/grub-probe"
# 10_linux and our hook say root=UUID= only when the UUID's link exists.
mkdir -p "$root/dev/disk/by-uuid"
# (They only test that it exists: it points at /dev/null, as the chroot
# has no vda1.)
ln -s ../../null "$root/dev/disk/by-uuid/$uuid"
inroot update-grub
restore
trap - EXIT
grep -q "^menuentry 'Debian GNU/Linux, with minixen $version and Linux $kver'" "$root/boot/grub/grub.cfg" ||
    { echo "setup-root: update-grub made no minixen entry for Linux $kver" >&2; exit 1; }

# What grub-install would put in /boot/grub: the modules GRUB loads at
# run time, its environment block, and core.img with a first config that
# finds the root filesystem by UUID (whatever BIOS disk number it gets).
mkdir -p "$root/boot/grub/i386-pc"
cp "$root"/usr/lib/grub/i386-pc/*.mod "$root"/usr/lib/grub/i386-pc/*.lst \
   "$root"/usr/lib/grub/i386-pc/boot.img "$root/boot/grub/i386-pc/"
inroot grub-editenv /boot/grub/grubenv create
printf 'search.fs_uuid %s root\nset prefix=($root)/boot/grub\n' "$uuid" >"$root/boot/grub/i386-pc/load.cfg"
inroot grub-mkimage -O i386-pc -o /boot/grub/i386-pc/core.img -c /boot/grub/i386-pc/load.cfg \
    -p /boot/grub biosdisk part_msdos ext2 search_fs_uuid
echo "setup-root: done (Linux $kver, minixen $version)"
