#!/bin/sh
# Build a GRUB (BIOS) bootable ISO from a /boot-like directory.
#
#   mkiso.sh BOOTDIR OUT.iso
#
# BOOTDIR holds the hypervisor image `xen`; when it also holds a dom0
# kernel (vmlinuz-dom0, vmlinux-dom0.gz or vmlinux-dom0) and
# initrd-dom0.img and WITH_DOM0=1, they are passed as the first and second
# multiboot2 modules.
# Environment:
#   XEN_CMDLINE   hypervisor command line (default: console=com1 debug_exit)
#   DOM0_CMDLINE  dom0 kernel command line (default: console on hvc0 and
#                 ACPI on, so dom0 routes its devices' interrupts and
#                 powers off through the hypervisor; docs/dom0-hardware.md)
#   WITH_DOM0     1 to add the dom0 modules, 0 for the hypervisor alone
#                 (default: 1 when BOOTDIR has a dom0 kernel and initrd)
#   DOM0_FORMAT   which dom0 kernel file: bzimage (vmlinuz-dom0, Debian's
#                 bzImage as it ships, xz inside: the default when present),
#                 elf-gz (vmlinux-dom0.gz) or elf (vmlinux-dom0); the
#                 hypervisor's dom0 builder takes all three
#   DOM0_KERNEL   path of any other dom0 kernel file (e.g. a test kernel
#                 from tests/guests); when set it is the first module, with
#                 DOM0_CMDLINE (default empty) as its command line, and
#                 WITH_DOM0 is ignored.  DOM0_INITRD optionally adds a
#                 second module.
set -e
bootdir=$1
out=$2
[ -f "$bootdir/xen" ] || { echo "mkiso: $bootdir/xen missing; run make first" >&2; exit 1; }
xen_cmdline=${XEN_CMDLINE:-console=com1 debug_exit}
dom0_cmdline=${DOM0_CMDLINE:-console=hvc0 quiet}
have_dom0=0
# The dom0 kernel file: the bzImage unless DOM0_FORMAT picks another.
case ${DOM0_FORMAT:-} in
    bzimage) kfiles=vmlinuz-dom0 ;;
    elf-gz)  kfiles=vmlinux-dom0.gz ;;
    elf)     kfiles=vmlinux-dom0 ;;
    "")      kfiles="vmlinuz-dom0 vmlinux-dom0.gz vmlinux-dom0" ;;
    *) echo "mkiso: DOM0_FORMAT must be bzimage, elf-gz or elf" >&2; exit 1 ;;
esac
dom0_file=
for f in $kfiles; do
    if [ -f "$bootdir/$f" ]; then dom0_file=$f; break; fi
done
if [ -n "$DOM0_FORMAT" ] && [ -z "$dom0_file" ]; then
    echo "mkiso: DOM0_FORMAT=$DOM0_FORMAT but no $kfiles in $bootdir" >&2
    exit 1
fi
if [ -n "$dom0_file" ] && [ -f "$bootdir/initrd-dom0.img" ]; then
    have_dom0=1
fi
with_dom0=${WITH_DOM0:-$have_dom0}
dom0_kernel=${DOM0_KERNEL:-}
dom0_initrd=${DOM0_INITRD:-}
if [ -n "$dom0_kernel" ]; then
    [ -f "$dom0_kernel" ] || { echo "mkiso: DOM0_KERNEL $dom0_kernel missing" >&2; exit 1; }
    [ -z "$dom0_initrd" ] || [ -f "$dom0_initrd" ] ||
        { echo "mkiso: DOM0_INITRD $dom0_initrd missing" >&2; exit 1; }
    dom0_cmdline=${DOM0_CMDLINE:-}
    with_dom0=0
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub"
cp "$bootdir/xen" "$stage/boot/xen"

{
    echo "set timeout=0"
    echo "set default=0"
    echo "serial --unit=0 --speed=115200"
    echo "terminal_input serial"
    echo "terminal_output serial"
    echo "menuentry 'minixen' {"
    echo "    multiboot2 /boot/xen $xen_cmdline"
    if [ "$with_dom0" = 1 ]; then
        # --nounzip: the hypervisor decompresses (GRUB would inflate a
        # .gz itself, and reading 66 MB under emulation is slow).
        cp "$bootdir/$dom0_file" "$stage/boot/"
        echo "    module2 --nounzip /boot/$dom0_file $dom0_cmdline"
        cp "$bootdir/initrd-dom0.img" "$stage/boot/"
        echo "    module2 --nounzip /boot/initrd-dom0.img"
    fi
    if [ -n "$dom0_kernel" ]; then
        kname=$(basename "$dom0_kernel")
        cp "$dom0_kernel" "$stage/boot/$kname"
        echo "    module2 /boot/$kname $dom0_cmdline"
        if [ -n "$dom0_initrd" ]; then
            iname=$(basename "$dom0_initrd")
            cp "$dom0_initrd" "$stage/boot/$iname"
            echo "    module2 --nounzip /boot/$iname"
        fi
    fi
    echo "}"
} >"$stage/boot/grub/grub.cfg"
# A one-off kernel (DOM0_KERNEL) must not replace the build's own grub.cfg.
[ -n "$dom0_kernel" ] || cp "$stage/boot/grub/grub.cfg" "$bootdir/grub.cfg"

tmp="$out.tmp.$$"
grub-mkrescue -o "$tmp" "$stage" \
    --fonts= --locales= --themes= >"$stage.log" 2>&1 || {
    echo "mkiso: grub-mkrescue failed; rerun without the redirect to see why:" >&2
    echo "  grub-mkrescue -o $out $stage" >&2
    cat "$stage.log" >&2; rm -f "$tmp" "$stage.log"; exit 1; }
rm -f "$stage.log"
mv "$tmp" "$out"
