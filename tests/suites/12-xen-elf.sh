#!/bin/bash
# Suite: the dom0 builder's libraries, tested on the host:
# xen/common/inflate.c (gzip/DEFLATE), unxz.c + lzma2.c + xz-bcj.c (.xz),
# bzimage.c (the bzImage setup header) and libelf.c + libelf-xen.c (ELF64
# and the Xen notes).  Builds tests/unit/xen-elf (plain and ASan+UBSan),
# runs every test case in both builds (including seeded fuzz loops and
# round trips against Debian's gzip and xz), decodes Debian's vmlinuz and
# compares it with what Debian's xz makes of the same payload, then
# checks what the ELF parser reads against binutils' readelf, for the
# fixture kernel and, when the build has made it, Debian's dom0 kernel.
#
# Env: XEN_ELF_FUZZ_ITERATIONS (default 20000), XEN_ELF_FUZZ_SEED (1).

SUITE_PREFIX="xen-elf/"
. "$(dirname "$0")/../lib/suite.sh"
out=$BUILD/tests/xen-elf
kernel=$BUILD/boot/vmlinux-dom0
iterations=${XEN_ELF_FUZZ_ITERATIONS:-20000}
seed=${XEN_ELF_FUZZ_SEED:-1}

mkdir -p "$out"
unit_build xen-elf tests/unit/xen-elf || exit 1
# The build refuses objects that reach outside the hypervisor.
if [ -e "$out/freestanding.ok" ]; then
    pass freestanding-undefined-symbols
else
    fail freestanding-undefined-symbols "no $out/freestanding.ok"
fi

args=(-f "$out/fixture/pv-kernel" -s "$out/fixture/pv-kernel-sections"
      -n "$iterations" -r "$seed")
if [ -f "$kernel.gz" ] && [ -f "$kernel" ]; then
    args+=(-k "$kernel.gz" "$kernel")
fi
if [ -f "$BUILD/linux/vmlinuz" ]; then
    args+=(-z "$BUILD/linux/vmlinuz" "$([ -f "$kernel" ] && echo "$kernel" || echo -)")
else
    skip debian-vmlinuz "no $BUILD/linux/vmlinuz (make -C linux-xen)"
fi

for variant in plain asan; do
    run_unit "$variant/tests" "$out/$variant/tests.log" 300 \
        "$out/$variant/xen-elf-tests" -p "xen-elf/$variant/" "${args[@]}"
done

# Hex numbers as both tools print them: 0x prefix, no leading zeros.
normalise() {
    sed -E 's/\b0x0*([0-9a-f])/0x\1/g; s/(^| )0( |$)/\10x0\2/g; s/(^| )0( |$)/\10x0\2/g'
}

# PT_LOAD segments as "load paddr vaddr filesz memsz", from readelf.
readelf_loads() {
    readelf -lW "$1" | awk '$1 == "LOAD" { print "load", $4, $3, $5, $6 }' |
        normalise
}

# Xen notes as "Xen <size> <bytes>", from readelf and from xen-elf-info.
readelf_xen_notes() {
    readelf -nW "$1" | awk -F'\t' '
        $1 ~ /^  Xen +0x/ {
            split($1, a, " ")
            d = $3; sub(/.*description data: */, "", d); gsub(/ /, "", d)
            print "Xen", a[2], d
        }'
}
info_xen_notes() {
    awk '$1 == "note" && $2 == "Xen" {
        print "Xen", sprintf("0x%08x", length($4) / 2), $4 }' "$1"
}

compare_with_readelf() {
    local name=$1 file=$2 info
    info=$out/$name.info
    if ! "$out/asan/xen-elf-info" "$file" >"$info" 2>&1; then
        fail "$name/parse" "$(head -n 3 "$info")"
        return 1
    fi
    pass "$name/parse"
    if diff <(readelf_loads "$file") <(grep '^load ' "$info" | normalise) \
            >"$info.loads.diff"; then
        pass "$name/load-segments-match-readelf"
    else
        fail "$name/load-segments-match-readelf" "$(head -n 4 "$info.loads.diff" | tr '\n' ' ')"
    fi
    if [ "$(readelf_xen_notes "$file" | wc -l)" -gt 5 ] &&
            diff <(readelf_xen_notes "$file") <(info_xen_notes "$info") \
            >"$info.notes.diff"; then
        pass "$name/xen-notes-match-readelf"
    else
        fail "$name/xen-notes-match-readelf" "$(head -n 4 "$info.notes.diff" | tr '\n' ' ')"
    fi
    # The Xen entry point, placed as Xen places it, lies inside the image.
    local entry off start end
    entry=$(awk '$2 == "ENTRY" { print $3 }' "$info")
    off=$(awk '$2 == "virt_offset" { print $3 }' "$info")
    read -r _ start end < <(grep '^range ' "$info")
    if [ -n "$entry" ] && [ -n "$off" ] &&
            (( entry - off >= start && entry - off < end )); then
        pass "$name/entry-inside-image"
    else
        fail "$name/entry-inside-image" "entry '$entry' offset '$off' range $start-$end"
    fi
}

compare_with_readelf fixture "$out/fixture/pv-kernel"
if [ -f "$kernel" ]; then
    compare_with_readelf debian-kernel "$kernel"
    sed 's/^/  info: /' "$out/debian-kernel.info" | grep -E ' (xen|range) '
else
    skip debian-kernel "$kernel not built (make guests)"
fi

# A host program is a PIE (ET_DYN): refused with a reason.
msg=$("$out/plain/xen-elf-info" /bin/ls)
rc=$?
if [ $rc -eq 1 ] && [[ $msg == *"not ET_EXEC"* ]]; then
    pass host-program-refused
else
    fail host-program-refused "status $rc, output '$msg'"
fi

exit $failed
