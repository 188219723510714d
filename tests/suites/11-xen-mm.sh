#!/bin/bash
# Suite 11: host unit tests of the hypervisor's memory and timer code
# (xen/common/page_alloc.c, xmalloc.c, timer.c), built from
# tests/unit/xen-mm/.  Prints one PASS/FAIL line per build step and per test
# case (plain, ASan+UBSan, and TSan on the threaded cases).
#
# Env: BUILD (default ./build), XEN_MM_SEED to replay a random seed.

SUITE_PREFIX="xen-mm/"
. "$(dirname "$0")/../lib/suite.sh"
export BUILD
out=$BUILD/tests/xen-mm
mkdir -p "$out"

# step NAME MAKE-TARGET: build one target, one PASS/FAIL line.
step() {
    local log="$out/$1.log"
    if make -s -C tests/unit/xen-mm "$2" >"$log" 2>&1; then
        echo "PASS: xen-mm/$1"
        return 0
    fi
    echo "FAIL: xen-mm/$1: make $2 failed (log: $log)"
    tail -n 20 "$log" | sed 's/^/    | /'
    failed=1
    return 1
}

# run_binary NAME ARGS...: run a test binary under a time limit; a crash or
# timeout that left no FAIL line still counts as a failure.
run_binary() {
    local bin="$out/$1" log="$out/$1.stderr"
    shift
    local output rc
    output=$(timeout -k 5 60 "$bin" "$@" 2>"$log")
    rc=$?
    printf '%s\n' "$output"
    if [ $rc -ne 0 ]; then
        failed=1
        if ! grep -q '^FAIL: ' <<<"$output"; then
            echo "FAIL: xen-mm/$(basename "$bin"): exit status $rc without a FAIL line (stderr: $log)"
        fi
        tail -n 20 "$log" | sed 's/^/    | /'
    fi
}

step freestanding_compile freestanding
if step host_build host; then
    run_binary xen-mm-tests
    run_binary xen-mm-tests-asan
    run_binary xen-mm-tests-tsan concurrent kill_waits
fi
exit $failed
