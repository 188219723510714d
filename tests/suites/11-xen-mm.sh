#!/bin/bash
# Suite 11: host unit tests of the hypervisor's memory and timer code
# (xen/common/page_alloc.c, xmalloc.c, timer.c), built from
# tests/unit/xen-mm/.  Prints one PASS/FAIL line per build step and per test
# case (plain, ASan+UBSan, and TSan on the threaded cases).
#
# Env: BUILD (default ./build), UNIT_SEED to replay a random seed.

SUITE_PREFIX="xen-mm/"
. "$(dirname "$0")/../lib/suite.sh"
export BUILD
out=$BUILD/tests/xen-mm
mkdir -p "$out"

# step NAME MAKE-TARGET: build one target, one PASS/FAIL line.
step() {
    local log="$out/$1.log"
    if make -s -C tests/unit/xen-mm "$2" >"$log" 2>&1; then
        pass "$1"
        return 0
    fi
    fail "$1" "make $2 failed (log: $log)"
    tail -n 20 "$log" | sed 's/^/    | /'
    return 1
}

step freestanding_compile freestanding
if step host_build host; then
    for prog in xen-mm-tests xen-mm-tests-asan; do
        run_unit "$prog" "$out/$prog.log" 60 "$out/$prog"
    done
    run_unit xen-mm-tests-tsan "$out/xen-mm-tests-tsan.log" 60 \
        "$out/xen-mm-tests-tsan" concurrent kill_waits
fi
exit $failed
