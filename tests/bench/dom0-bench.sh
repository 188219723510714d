#!/bin/bash
# dom0 boot and hypercall figures under QEMU/TCG, next to Debian's Xen 4.17
# on the same setup.  Prints figures only; never passes or fails on speed.
#
# Each run boots the hypervisor with dom0 running /tests/dom0-bench, whose
# first output line is a marker; every serial line is stamped with the
# host's clock as it arrives (tests/dom0/boot-lib.sh), so we can say when
# dom0's kernel started /init and when userland ran, counted from QEMU's
# start.  The hypervisor's own timestamps give its boot time and how long
# building dom0 took.  Inside dom0, hcbench times getppid() and
# xen_version through /dev/xen/privcmd.
#
# Env: BENCH_RUNS (default 2), D0_BENCH_TIMEOUT (default 240 s).

cd "$(dirname "$0")/../.." || exit 2
. tests/dom0/boot-lib.sh

RUNS=${BENCH_RUNS:-2}
TIMEOUT=${D0_BENCH_TIMEOUT:-240}
make -s -C "$D0_ROOT" xen tools guests >"$D0_DIR/bench-make.log" 2>&1 ||
    { echo "dom0-bench: build failed (see $D0_DIR/bench-make.log)"; exit 1; }
d0_iso bench "console=hvc0 earlyprintk=xen dom0_test=dom0-bench" ||
    { echo "dom0-bench: mkiso failed"; exit 1; }

# Hypervisor timestamp (its seconds since boot) of the first line matching.
xen_stamp() {
    d0_xen_lines bench | awk -v re="$1" '$0 ~ re {
        s = $0; sub(/^\(XEN\) \[ */, "", s); sub(/\].*/, "", s); print s; exit }'
}

# Building dom0 starts after the last hypervisor line before the first
# "dom0:" line and ends at "Boot complete.".
dom0_build_s() {
    d0_xen_lines bench | awk '
        { s = $0; sub(/^\(XEN\) \[ */, "", s); sub(/\].*/, "", s) }
        /\] dom0: / && !seen { seen = 1; start = prev }
        /\] Boot complete\./ { if (seen) printf "%.2f\n", s - start; exit }
        { prev = s }'
}

figure() {  # value or "?"
    echo "${1:-?}"
}

# One figure: label, value (empty: not measured), unit, Debian Xen 4.17's.
row() {
    printf '  %-50s %8s %-2s%s\n' "$1" "$(figure "$2")" "$3" "${4:+   (Debian Xen 4.17: $4)}"
}

# Hypervisor seconds per host second over the boot (first to last
# hypervisor line).  dom0's clocks derive from the hypervisor's, so the
# in-dom0 figures are only right when this is close to 1.
clock_rate() {
    awk -F'\t' '$2 ~ /^\(XEN\) \[ *[0-9.]+\]/ {
            s = $2; sub(/^\(XEN\) \[ */, "", s); sub(/\].*/, "", s)
            if (!n++) { h0 = $1; x0 = s }
            h1 = $1; x1 = s
        }
        END { if (h1 > h0) printf "%.3f\n", (x1 - x0) / (h1 - h0) }' "$D0_DIR/bench.tlog"
}

rc=0
for ((run = 1; run <= RUNS; run++)); do
    d0_boot bench "$TIMEOUT"
    log=$D0_DIR/bench.log
    echo "--- run $run: $(d0_rc_text "$D0_RC"), QEMU ran $(awk -v a="$D0_T0" -v b="$D0_T1" 'BEGIN { printf "%.1f", b - a }') s (log $log)"
    if [ "$D0_RC" != "$QEMU_STATUS_PASS" ] || ! grep -qx 'DOM0-TEST-DONE rc=0' "$log"; then
        echo "(dom0-bench did not finish cleanly; figures below may be missing)"
        rc=1
    fi
    banner=$(d0_arrival bench '^\(XEN\) \[ *[0-9.]+\] minixen ')
    complete=$(d0_arrival bench '^\(XEN\) \[ *[0-9.]+\] Boot complete\.')
    init=$(d0_arrival bench 'Run /init as init process')
    marker=$(d0_arrival bench '^DOM0-BENCH-START')
    row "QEMU start to hypervisor banner (BIOS, GRUB loading)" "$banner" s
    row "QEMU start to 'Boot complete.'" "$complete" s
    row "  banner to 'Boot complete.' by the host's clock" \
        "$(awk -v a="$banner" -v b="$complete" 'BEGIN { if (a != "" && b != "") printf "%.2f", b - a }')" s
    row "  the same by the hypervisor's own clock" \
        "$(xen_stamp '\] Boot complete\.' | awk '{ printf "%.2f", $1 }')" s "3.2 s"
    row "  of which building dom0 (hypervisor's clock)" "$(dom0_build_s)" s "2.0 s"
    row "QEMU start to dom0 kernel's 'Run /init'" "$init" s "7.4 s"
    row "QEMU start to first line of /tests/dom0-bench" "$marker" s
    getppid=$(sed -n 's/^hcbench: getppid: .*, \([0-9.]*\) us\/call$/\1/p' "$log")
    xenver=$(sed -n 's/^hcbench: xen_version: .*, \([0-9.]*\) us\/call$/\1/p' "$log")
    calls=$(sed -n 's/^hcbench: getppid: \([0-9]*\) calls.*/\1/p' "$log")
    row "getppid() (a system call), ${calls:-?} calls" "$getppid" us "11.9 us"
    row "xen_version through privcmd, ${calls:-?} calls" "$xenver" us "15.6 us"
    sed -n -e 's/^pingpong: /  pipe ping-pong, unpinned: /p' \
        -e 's/^pingpong \([a-z]*\): /  pipe ping-pong, \1 CPU: /p' \
        -e 's/^forkexec: /  fork+exec: /p' -e 's/^hcprofile: /    /p' \
        -e 's/^dom0-bench: /  /p' "$log"
    echo "  hypervisor clock rate against the host: $(figure "$(clock_rate)") ($(d0_xen_lines bench | grep -a -m1 -o 'TSC [0-9.]* MHz'))"
done
exit $rc
