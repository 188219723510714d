#!/bin/sh
# make-vmlinux.sh: turn a bzImage into the plain kernel ELF.
#
# Usage: make-vmlinux.sh TOOLDIR BZIMAGE OUT
#   bzimage-extract finds and names the compressed payload; the matching
#   Debian decompressor inflates it; the result must have exactly the size
#   the kernel build recorded and pass `vmlinux-inspect check` (ELF64,
#   x86-64, ET_EXEC) before it replaces OUT.
set -eu

tooldir=$1
bzimage=$2
out=$3
payload=$out.payload
tmp=$out.tmp
trap 'rm -f "$payload" "$tmp"' EXIT

info=$("$tooldir/bzimage-extract" "$bzimage" "$payload")
format=$(echo "$info" | sed -n 's/.*format=\([a-z0-9]*\).*/\1/p')
size=$(echo "$info" | sed -n 's/.* size=\([0-9]*\).*/\1/p')

case $format in
    xz)    set -- xz -dc ;;
    gzip)  set -- gzip -dc ;;
    bzip2) set -- bzip2 -dc ;;
    lzma)  set -- xz --format=lzma -dc ;;
    lz4)   set -- lz4 -dc ;;
    zstd)  set -- zstd -dc ;;
    lzo)   set -- lzop -dc ;;
    *)     echo "make-vmlinux: no decompressor known for '$format'" >&2; exit 1 ;;
esac
command -v "$1" >/dev/null 2>&1 || {
    echo "make-vmlinux: the kernel payload is $format but '$1' is not installed" >&2
    exit 1
}
echo "  UNZIP   $(basename "$bzimage") ($format payload) -> $(basename "$out")"
"$@" <"$payload" >"$tmp"

got=$(stat -c %s "$tmp")
if [ "$got" != "$size" ]; then
    echo "make-vmlinux: inflated $got bytes, the bzImage says $size" >&2
    exit 1
fi
"$tooldir/vmlinux-inspect" check "$tmp" >/dev/null
mv "$tmp" "$out"
