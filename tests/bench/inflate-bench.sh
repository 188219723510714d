#!/bin/bash
# Benchmark: the hypervisor's gunzip (xen/common/inflate.c, built for the
# host) on the dom0 kernel's gzip, next to Debian's zcat on the same file.
# Measures only; never fails on speed.  Without a built kernel
# (build/boot/vmlinux-dom0.gz) it says so and measures nothing.
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-$PWD/build}
gz=${1:-$BUILD/boot/vmlinux-dom0.gz}
bench=$BUILD/tests/xen-elf/plain/inflate-bench

if [ ! -f "$gz" ]; then
    echo "inflate-bench: $gz not built (make guests); nothing measured"
    exit 0
fi
make -C tests/unit/xen-elf BUILD="$BUILD" "$bench" >/dev/null || exit 1

"$bench" "$gz" 5 || exit 1

# zcat's best of 3, output thrown away.
size=$(gzip -l "$gz" | awk 'NR == 2 { print $2 }')
best=
for _ in 1 2 3; do
    start=$(date +%s%N)
    zcat "$gz" >/dev/null
    t=$(( $(date +%s%N) - start ))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
done
awk -v ns="$best" -v n="$size" 'BEGIN {
    printf "zcat:    %d bytes out, best of 3: %.3f s, %.1f MB/s out\n",
           n, ns / 1e9, n / (ns / 1e9) / 1e6 }'
