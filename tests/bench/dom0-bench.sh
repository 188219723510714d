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
    printf '  %-54s %8s s   (Debian Xen 4.17: %s)\n' \
        "QEMU start to hypervisor banner (BIOS, GRUB loading)" "$(figure "$banner")" "-" \
        "QEMU start to 'Boot complete.'" "$(figure "$complete")" "-" \
        "QEMU start to dom0 kernel's 'Run /init'" "$(figure "$init")" "7.4 s to /init" \
        "QEMU start to first line of /tests/dom0-bench" "$(figure "$marker")" "-" \
        "hypervisor's own time to 'Boot complete.'" "$(figure "$(xen_stamp '\] Boot complete\.')")" "3.2 s" \
        "  of which building dom0" "$(figure "$(dom0_build_s)")" "2.0 s"
    getppid=$(sed -n 's/^hcbench: getppid: .*, \([0-9.]*\) us\/call$/\1/p' "$log")
    xenver=$(sed -n 's/^hcbench: xen_version: .*, \([0-9.]*\) us\/call$/\1/p' "$log")
    calls=$(sed -n 's/^hcbench: getppid: \([0-9]*\) calls.*/\1/p' "$log")
    printf '  %-54s %8s us  (Debian Xen 4.17: %s)\n' \
        "getppid() (syscall), ${calls:-?} calls" "$(figure "$getppid")" "11.9 us" \
        "xen_version via privcmd ioctl, ${calls:-?} calls" "$(figure "$xenver")" "15.6 us"
    sed -n -e 's/^pingpong: /  pipe ping-pong: /p' -e 's/^forkexec: /  fork+exec: /p' "$log"
    grep -a '^dom0-bench: ' "$log" | sed 's/^/  /'
done
exit $rc
