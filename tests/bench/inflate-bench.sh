#!/bin/bash
# Benchmark: the hypervisor's gunzip (xen/common/inflate.c, built for the
# host) on the dom0 kernel's gzip, next to Debian's zcat on the same file;
# then its xz decoder (xen/common/unxz.c) on Debian's bzImage
# (build/boot/vmlinuz-dom0), next to Debian's xz on the same payload.
# Measures only; never fails on speed.  Without a built kernel
# (build/boot/vmlinux-dom0.gz) it says so and measures nothing.
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-$PWD/build}
gz=${1:-$BUILD/boot/vmlinux-dom0.gz}
bench=$BUILD/tests/xen-elf/plain/inflate-bench
xzbench=$BUILD/tests/xen-elf/plain/unxz-bench
vmlinuz=${2:-$BUILD/boot/vmlinuz-dom0}

if [ ! -f "$gz" ]; then
    echo "inflate-bench: $gz not built (make guests); nothing measured"
    exit 0
fi
make -C tests/unit/xen-elf BUILD="$BUILD" "$bench" "$xzbench" >/dev/null || exit 1

"$bench" "$gz" 5 || exit 1

# Best of 3 of a command whose output is thrown away; LABEL and the
# output size for the rate.
best_of_3() {
    local label=$1 size=$2 best= t start
    shift 2
    for _ in 1 2 3; do
        start=$(date +%s%N)
        "$@" >/dev/null
        t=$(( $(date +%s%N) - start ))
        if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    awk -v l="$label" -v ns="$best" -v n="$size" 'BEGIN {
        printf "%-8s %d bytes out, best of 3: %.3f s, %.1f MB/s out\n",
               l, n, ns / 1e9, n / (ns / 1e9) / 1e6 }'
}

best_of_3 zcat: "$(gzip -l "$gz" | awk 'NR == 2 { print $2 }')" zcat "$gz"

[ -f "$vmlinuz" ] || { echo "inflate-bench: no $vmlinuz; unxz not measured"; exit 0; }
"$xzbench" "$vmlinuz" 3 || exit 1
# xz's best of 3 on the same payload bytes (setup header and size word
# cut off with the offsets the bzImage gives).
payload=$(mktemp)
trap 'rm -f "$payload"' EXIT
sects=$(od -An -tu1 -j $((0x1f1)) -N1 "$vmlinuz" | tr -d ' ')
read -r off n < <(od -An -tu4 -j $((0x248)) -N8 "$vmlinuz")
[ "$sects" = 0 ] && sects=4
tail -c +$(( (sects + 1) * 512 + off + 1 )) "$vmlinuz" | head -c $(( n - 4 )) >"$payload"
best_of_3 "xz -dc:" "$(xz -dc "$payload" | wc -c)" xz -dc "$payload"
