#!/bin/bash
# Issue 15's device figures, ours next to Debian's Xen 4.17 in the same
# run: a Linux domU's disk (sequential write/read MB/s, 4 KiB random
# reads/s) against the same image read from dom0 directly, the domU's
# ping round trip to dom0 and its TCP throughput to dom0, and the same
# to a second guest on the bridge (ping, 16 MiB over TCP), over the split
# drivers (blkfront/blkback, netfront/netback, xenbr0).  Figures and
# ratios only; never passes or fails on speed.
#
# Both machines: TCG, -cpu $QEMU_CPU, -m 2G -smp 2, dom0_mem=768M,
# Debian's kernel as dom0 and guest, our busybox dom0 initramfs, the domU
# kit; both dom0s run tests/bench/dom0/domu-io-bench (xenctl on ours, xl
# on Xen's, with tests/bench/xen417/scripts/ as xl's hotplug scripts),
# which prints "BENCH SIDE KEY=VALUE".  docs/benchmarks.md explains each
# line and what limits it.
#
# Env: IOB_MIB (MiB per measurement, default 64), IOB_TIMEOUT (seconds
# per machine, default 1800), IOB_SIDES (default "ours xen417"; "table"
# boots nothing and prints the table of the logs there are, e.g. after
# IOB_SIDES=ours and IOB_SIDES=xen417 ran side by side), IOB_ONLY=ping
# (only the guest's pings to dom0: no disk figures, no second guest, no
# TCP; for a trace of round trips), IOB_XEN_EXTRA (more options for our
# hypervisor, e.g. "timer_trace timer_trace_freeze": the rings then hold
# the last pings when the guest is destroyed, printed at poweroff;
# docs/events-and-time.md, "Timer trace").
cd "$(dirname "$0")/../.." || exit 2
D0_DIR=${D0_DIR:-$PWD/build/tests/bench}
. tests/dom0/boot-lib.sh
MIB=${IOB_MIB:-64}
TIMEOUT=${IOB_TIMEOUT:-1800}
SIDES=${IOB_SIDES:-ours xen417}
ONLY=${IOB_ONLY:+iob_only=$IOB_ONLY}
DOM0_MEM=768M
# The guests' budget inside dom0 (both guests together): a third of the
# machine's time is left for dom0's boot, its own disk figures and the
# collection, so dom0 still prints what the guest measured when the guest
# is too slow (on a host at a load of 30 the boot and dom0's figures took
# 7 minutes).
WAIT=$((TIMEOUT * 2 / 3))
D0_QEMU_ARGS="-m 2G -smp 2"
rc=0

build_ours() {
    make -s -C "$D0_ROOT" xen tools >"$D0_DIR/iob-ours-make.log" 2>&1 &&
        make -s -C tests/bench/dom0 >>"$D0_DIR/iob-ours-make.log" 2>&1 &&
        make -s -C "$D0_ROOT" guests >>"$D0_DIR/iob-ours-make.log" 2>&1 &&
        d0_iso iob-ours "console=hvc0 earlyprintk=xen dom0_test=domu-io-bench iob_mib=$MIB bench_wait=$WAIT $ONLY" \
            "console=com1 debug_exit dom0_mem=$DOM0_MEM ${IOB_XEN_EXTRA:-}"
}
build_xen417() {
    make -s -C "$D0_ROOT" guests >"$D0_DIR/iob-xen417-make.log" 2>&1 &&
        XEN417_CMDLINE="console=com1 com1=115200,8n1 dom0_mem=$DOM0_MEM,max:$DOM0_MEM" \
        XEN417_DOM0_CMDLINE="console=hvc0 earlyprintk=xen dom0_test=xen417-dom0 xen417_bench=domu-io-bench iob_mib=$MIB bench_wait=$WAIT $ONLY" \
        bash tests/bench/xen417/mkimage.sh "$D0_DIR/iob-xen417.iso" >>"$D0_DIR/iob-xen417-make.log" 2>&1
}

[ "$SIDES" = table ] && SIDES=
for side in $SIDES; do
    if ! "build_$side"; then
        echo "domu-io-bench: building the $side image failed (see $D0_DIR/iob-$side-make.log):"
        tail -n 5 "$D0_DIR/iob-$side-make.log" | sed 's/^/  /'
        rc=1
        continue
    fi
    echo "--- $side: started $(date -u +%H:%M), load $(cut -d' ' -f1-3 /proc/loadavg)"
    d0_boot "iob-$side" "$TIMEOUT"
    echo "    ended $(date -u +%H:%M), load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "    $(d0_rc_text "$D0_RC"), QEMU ran $(awk -v a="$D0_T0" -v b="$D0_T1" 'BEGIN { printf "%.0f", b - a }') s (log $D0_DIR/iob-$side.log)"
    grep -a "^BENCH $side error=" "$D0_DIR/iob-$side.log" | sed 's/^/  /'
    grep -aq "^BENCH $side done" "$D0_DIR/iob-$side.log" ||
        { echo "  ($side did not finish; its figures below may be missing)"; rc=1; }
done

val() { sed -n "s/^BENCH $1 $2=\([0-9.]*\)\$/\1/p" "$D0_DIR/iob-$1.log" 2>/dev/null | head -n 1; }
row() {
    local o x ratio
    o=$(val ours "$2") x=$(val xen417 "$2")
    ratio=$(awk -v a="$o" -v b="$x" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b }')
    printf '  %-40s %9s %9s %9s\n' "$1" "${o:-?}" "${x:-?}" "${ratio:-?}"
}
echo "== domU devices, ours vs Debian Xen 4.17 ($MIB MiB per figure; QEMU -cpu $QEMU_CPU $D0_QEMU_ARGS, dom0_mem=$DOM0_MEM)"
printf '  %-40s %9s %9s %9s\n' "" ours "Xen 4.17" ours/Xen
row "dom0: image write, loop (MB/s)" dom0_disk_write_mbs
row "dom0: image read, loop, cold (MB/s)" dom0_disk_read_mbs
row "dom0: 4 KiB random reads (/s)" dom0_disk_rand_iops
row "domU: xvdb write, fsync (MB/s)" domu_disk_write_mbs
row "domU: xvdb read, cold (MB/s)" domu_disk_read_mbs
row "domU: 4 KiB random reads (/s)" domu_disk_rand_iops
row "domU -> dom0 ping, avg of 20 (ms)" domu_ping_ms
row "domU -> dom0 ping, min (ms)" domu_ping_min_ms
row "domU -> dom0 ping, max (ms)" domu_ping_max_ms
row "domU -> dom0 TCP (MB/s)" domu_tcp_mbs
row "domU -> domU ping, avg of 20 (ms)" domu_guest_ping_ms
row "domU -> domU ping, min (ms)" domu_guest_ping_min_ms
row "domU -> domU ping, max (ms)" domu_guest_ping_max_ms
row "domU -> domU TCP, 16 MiB (MB/s)" domu_guest_tcp_mbs
echo "  (ms: lower is better; ours/Xen above 1 there means slower)"
# Ours' wake-to-run histogram for the whole run (perf counters, printed at
# dom0's shutdown; docs/scheduler.md): how long woken vCPUs waited for a
# CPU, the first thing to read when a ping figure is behind.
sed -n 's/.*perf counters: .*vcpu_wakes=\([0-9]*\) wake_to_run_lt_100us=\([0-9]*\) wake_to_run_lt_1ms=\([0-9]*\) wake_to_run_lt_10ms=\([0-9]*\) wake_to_run_ge_10ms=\([0-9]*\).*/  ours: wakes of blocked vCPUs \1: ran within 100 us \2, 1 ms \3, 10 ms \4, later \5/p' \
    "$D0_DIR/iob-ours.log" 2>/dev/null
sed -n 's/.*perf counters: .*wake_ran_at_slice_end=\([0-9]*\) wake_late_on_idle_cpu=\([0-9]*\).*/    of which ran only when a slice ended \1; waited 1 ms or more with their CPU idle \2/p' \
    "$D0_DIR/iob-ours.log" 2>/dev/null
# What got idle CPUs out of HLT when another CPU had work for them: the
# kick's IPI, or only their timer (a wake that waited for a timer).
sed -n 's/.*perf counters: .*idle_kick_by_ipi=\([0-9]*\) idle_kick_by_timer=\([0-9]*\).*/    idle CPUs kicked by another: out of HLT by the IPI \1, only by their timer \2/p' \
    "$D0_DIR/iob-ours.log" 2>/dev/null
exit $rc
