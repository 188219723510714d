#!/bin/bash
# Network figures of issue 15: domU -> dom0 and domU -> domU TCP
# throughput (busybox nc, LINUX_NET_MIB MiB of random bytes, default 64)
# and ping round trips (dom0 -> domU, domU -> domU), measured by suite
# 87-linux-net's own run (tests/linux-domu/linux-net prints them as INFO
# lines); this prints those lines as a table.  Never passes or fails on
# speed.  Ours only; domu-io-bench.sh measures a domU's ping and TCP to
# dom0 (and its disk) beside Debian's Xen 4.17.
#
# Env: as tests/suites/87-linux-net.sh (LINUX_NET_MIB, LINUX_NET_TIMEOUT).

cd "$(dirname "$0")/../.." || exit 2
export D0_DIR=${D0_DIR:-$PWD/build/tests/bench}
mkdir -p "$D0_DIR"
out=$D0_DIR/net-bench.out
bash tests/suites/87-linux-net.sh >"$out" 2>&1
rc=$?
echo "network (ours, TCG, $(grep -c '^PASS' "$out") checks passed; log $out):"
sed -n 's/^INFO: linux-net: /  /p' "$out"
# The hypervisor's wake-to-run histogram for the whole run (perf counters,
# printed at dom0's shutdown): how long blocked vCPUs, woken by an event
# or a timer, waited for a CPU (docs/scheduler.md, the preemption boost).
sed -n 's/.*perf counters: .*vcpu_wakes=\([0-9]*\) wake_to_run_lt_100us=\([0-9]*\) wake_to_run_lt_1ms=\([0-9]*\) wake_to_run_lt_10ms=\([0-9]*\) wake_to_run_ge_10ms=\([0-9]*\).*/  wakes of blocked vCPUs \1: ran within 100 us \2, 1 ms \3, 10 ms \4, later \5/p' \
    "$D0_DIR/linux-net.log" 2>/dev/null
sed -n 's/.*perf counters: .*wake_ran_at_slice_end=\([0-9]*\) wake_late_on_idle_cpu=\([0-9]*\).*/    of which ran only when a slice ended \1; waited 1 ms or more with their CPU idle \2/p' \
    "$D0_DIR/linux-net.log" 2>/dev/null
# Before the preemption boost (same suite, LINUX_NET_MIB=4, same host, same
# hour; docs/benchmarks.md "Networks and disks"):
echo "  before the wake preemption boost (7fdda4e~1, measured 2026-12-07 on the same host):"
echo "    ping dom0 -> net1 11-91 ms, net1 -> net2 25-218 ms; TCP net1 -> dom0 0.35-0.41 MiB/s, net1 -> net2 0.12-0.71 MiB/s"
echo "    (after, same sitting, 4 MiB: 4.6 ms, 4.7 ms, 2.74 MiB/s, 2.61 MiB/s)"
grep -q '^INFO: linux-net: .*MiB/s' "$out" || { echo "  (no throughput figures: see $out)"; exit 1; }
exit $rc
