#!/bin/bash
# The long hypercall-fuzzer run of `make fuzz`: tests/guests/fuzz.elf
# booted as dom0 (2 vCPUs) with the frame-table audit, FUZZ_CALLS calls in
# all (default 10^6), split into FUZZ_ROUNDS boots (default 20, seeds
# SEED, SEED+1, ...) so that every 50,000 calls end in a full audit and a
# second guest run, and one round's failure names a seed to replay.
# (20 rounds rather than 50: on a loaded 2-core machine 10^6 calls take
# most of an hour, and every boot adds to it.)
# Each round is capped at FUZZ_GUEST_SECS of guest time.  Passes when
# every round reports DONE with no failure, dom0 powers off and mm_audit
# reports "d0: 0 mismatches".
#
# Env: FUZZ_SEED (default: the date, printed), FUZZ_CALLS, FUZZ_ROUNDS,
# FUZZ_GUEST_SECS (default 400 per round; 50,000 calls take 17 s on an
# idle host, about 120 on a loaded one), FUZZ_TIMEOUT (last-resort wall
# clock for QEMU per round, default 3600 s), FUZZ_STALL_CPU (60) and
# FUZZ_IDLE_SECS (300): the progress watchdog's limits (round()), FUZZ_JOBS
# (rounds booted at once, default 2: each QEMU is one host thread per
# vCPU, and on a busy machine two rounds at once finish in about the time
# of one).
. "$(dirname "$0")/../lib/guest-boot.sh"
. "$(dirname "$0")/../lib/progress-watchdog.sh"

seed=${FUZZ_SEED:-$(date +%Y%m%d)}
calls=${FUZZ_CALLS:-1000000}
rounds=${FUZZ_ROUNDS:-20}
secs=${FUZZ_GUEST_SECS:-400}
jobs=${FUZZ_JOBS:-2}
per=$(( (calls + rounds - 1) / rounds ))
echo "guest hypercall fuzzer: seed $seed, $calls calls in $rounds rounds of $per," \
     "at most ${secs}s of guest time each"

make -s -C "$ROOT" xen >/dev/null || { fail "fuzz: hypervisor build" "make xen failed"; exit 1; }
guest_build || { fail "fuzz: test kernels build" "see $BOOTDIR/guests-build.log"; exit 1; }
# The wall-clock cap is only a last resort now (the watchdog in round()
# tells hangs from slowness): generous, so a busy host never trips it.
GUEST_TIMEOUT=${FUZZ_TIMEOUT:-3600}
# A round's QEMU is watched by progress (tests/lib/progress-watchdog.sh):
# the fuzzer prints "fuzz: vN K calls" every 1000 calls of each vCPU; a
# QEMU that burns FUZZ_STALL_CPU CPU-seconds without one, or sits idle
# with none for FUZZ_IDLE_SECS, is hung and killed with a FAIL naming
# which; a QEMU starved by a busy host is only slow and runs on.
round() {
    local s=$((seed + $1)) tag="fuzz-long-$1" bg qpid verdict
    echo "  round $1: seed $s (repeat: FUZZ_SEED=$s FUZZ_CALLS=$per FUZZ_ROUNDS=1 bash tests/fuzz/guest-hypercalls.sh)"
    rm -f "$BOOTDIR/$tag.log"
    GUEST_CMDLINE_TOKEN="cmdline-check=ok fuzz_seed=$s fuzz_calls=$per fuzz_secs=$secs"
    guest_boot fuzz mm_audit "$tag" &
    bg=$!
    if qpid=$(qemu_pid_for_log "$BOOTDIR/$tag.log" 300); then
        verdict=$(WATCH_BUSY_CPU=${FUZZ_STALL_CPU:-60} WATCH_IDLE_SECS=${FUZZ_IDLE_SECS:-300} \
            progress_watch "$qpid" "$BOOTDIR/$tag.log" \
            '\(d0\) (fuzz: v[0-9]+ [0-9]+ calls|fuzz: v[0-9]+ made|PASS|FAIL|DONE)')
        echo "$verdict" | sed -n "s/^watchdog: /INFO: $tag: watchdog: /p"
        echo "$verdict" | sed -n "s|^watchdog: \(.* hang: .*\)|FAIL: $tag: \1 (seed $s; log $BOOTDIR/$tag.log)|p"
    fi
    wait "$bg"
}
# FUZZ_JOBS rounds at a time, each in the background with its output in
# fuzz-long-N.out (every round has its own files); their FAIL: lines are
# what guest_boot would have added to FAILED.
for ((i = 0; i < rounds; i += jobs)); do
    for ((j = i; j < i + jobs && j < rounds; j++)); do
        round "$j" >"$BOOTDIR/fuzz-long-$j.out" 2>&1 &
    done
    wait
    for ((j = i; j < i + jobs && j < rounds; j++)); do
        cat "$BOOTDIR/fuzz-long-$j.out"
        FAILED=$((FAILED + $(grep -c '^FAIL: ' "$BOOTDIR/fuzz-long-$j.out")))
    done
done
echo "logs: $BOOTDIR/fuzz-long-*.log"
total=0
for ((i = 0; i < rounds; i++)); do
    n=$(sed -n 's/^.*(d0) fuzz: \([0-9]*\) calls in total.*$/\1/p' "$BOOTDIR/fuzz-long-$i.log" 2>/dev/null)
    total=$((total + ${n:-0}))
done
echo "guest hypercall fuzzer: seed $seed, $total calls made in $rounds rounds"
[ "$FAILED" -eq 0 ]
