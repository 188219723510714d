#!/bin/bash
# `make fuzz`: every fuzzer there is, each bounded in time, one after the
# other; fails if any fails.
#   1. tests/fuzz/guest-hypercalls.sh: the hypercall fuzzer as dom0;
#   2. every other tests/fuzz/*.sh and tests/fuzz/*/run.sh (parsers etc.);
#   3. the `fuzz` target of every component Makefile that has one.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
status=0
run() {
    echo "=== fuzz: $*"
    if ! "$@"; then echo "=== fuzz: FAILED: $*"; status=1; fi
}

run bash tests/fuzz/guest-hypercalls.sh
for s in tests/fuzz/*.sh tests/fuzz/*/run.sh; do
    [ -f "$s" ] || continue
    case "$s" in tests/fuzz/run.sh|tests/fuzz/guest-hypercalls.sh) continue ;; esac
    run bash "$s"
done
for mk in */Makefile tests/*/Makefile; do
    [ -f "$mk" ] || continue
    grep -q '^fuzz:' "$mk" || continue
    # A component whose fuzz target only runs tests/fuzz (xend's) would
    # run the tool fuzzers a second time: tests/fuzz/Makefile is in the list.
    [ "$mk" != tests/fuzz/Makefile ] &&
        sed -n '/^fuzz:/,/^$/p' "$mk" | grep -q 'tests/fuzz' && continue
    run timeout -k 10 "${FUZZ_TOOL_TIMEOUT:-900}" make -C "$(dirname "$mk")" fuzz
done
exit $status
