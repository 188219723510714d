#!/bin/bash
# The test runner behind `make test`.
#
# Each tests/suites/NN-name.sh is one suite.  A suite prints one line per
# test case, "PASS: name", "FAIL: name: why" or "SKIP: name: why" (could
# not run here), and exits non-zero when any case failed.  The runner
# counts those lines across suites and ends with "N passed, N failed,
# N skipped"; a suite that exits non-zero (or times out) without printing
# a FAIL line counts as one failure of its own, so a crash can never look
# like a pass.  A skip is neither a pass nor a failure.
#
# Usage: tests/run.sh [suite-substring...]   (default: every suite)
# Env:   SUITE_TIMEOUT  seconds per suite (default 1200)
#        SUITE_DIR      where the suites are (default tests/suites;
#                       make test-slow: tests/suites-slow)

cd "$(dirname "$0")/.." || exit 2
logdir=build/tests/logs
mkdir -p "$logdir"
timeout_s=${SUITE_TIMEOUT:-1200}
passed=0
failed=0
skipped=0
failures=()

for suite in "${SUITE_DIR:-tests/suites}"/*.sh; do
    name=$(basename "$suite" .sh)
    if [ $# -gt 0 ]; then
        match=0
        for pat in "$@"; do case "$name" in *"$pat"*) match=1 ;; esac; done
        [ $match = 1 ] || continue
    fi
    log="$logdir/$name.log"
    echo "=== suite $name"
    start=$(date +%s)
    timeout --foreground -k 10 "$timeout_s" bash "$suite" >"$log" 2>&1
    rc=$?
    secs=$(( $(date +%s) - start ))
    p=$(grep -c '^PASS: ' "$log")
    f=$(grep -c '^FAIL: ' "$log")
    s=$(grep -c '^SKIP: ' "$log")
    grep -E '^(PASS|FAIL|SKIP): ' "$log" | sed 's/^/  /'
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        why="exit status $rc"
        [ "$rc" -eq 124 ] && why="timed out after ${timeout_s}s"
        echo "  FAIL: $name: suite $why without a FAIL line (log: $log)"
        tail -n 20 "$log" | sed 's/^/    | /'
        f=1
    fi
    if [ "$f" -gt 0 ]; then
        failures+=("$name (log: $log)")
    fi
    echo "--- $name: $p passed, $f failed, $s skipped (${secs}s)"
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + s))
done

if [ ${#failures[@]} -gt 0 ]; then
    echo "suites with failures:"
    printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
