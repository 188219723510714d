# What every suite (tests/suites/NN-name.sh) starts with: the repository
# root as the working directory, BUILD, and one way to report a case.
#
#   SUITE_PREFIX=xen-lib/          # optional, set before sourcing: put
#   . "$(dirname "$0")/../lib/suite.sh"   # before every case name
#
#   pass NAME            -> "PASS: NAME"
#   fail NAME WHY        -> "FAIL: NAME: WHY"; failed=1, FAILED counts them
#   skip NAME WHY        -> "SKIP: NAME: WHY" (could not run here; counted
#                           apart by tests/run.sh, neither pass nor fail)
#   run_unit NAME LOG SECS PROG ARGS...
#                        -> runs a unit-test binary that prints its own
#                           PASS/FAIL/SKIP lines, relays them (and its
#                           "  detail" lines), and fails NAME when it exits
#                           non-zero or times out without a FAIL line, so a
#                           crash can never look like a pass
#   suite_exit           -> exits 1 if anything failed, else 0
#
# Suites print; tests/run.sh counts.  Keep this file free of anything one
# suite alone needs.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 2
BUILD=${BUILD:-$ROOT/build}
SUITE_PREFIX=${SUITE_PREFIX:-}
failed=0
FAILED=0

pass() { echo "PASS: $SUITE_PREFIX$1"; }
fail() { echo "FAIL: $SUITE_PREFIX$1: $2"; failed=1; FAILED=$((FAILED + 1)); }
skip() { echo "SKIP: $SUITE_PREFIX$1: $2"; }

run_unit() {
    local name=$1 log=$2 secs=$3 rc
    shift 3
    mkdir -p "$(dirname "$log")"
    timeout -k 5 "$secs" "$@" >"$log" 2>&1
    rc=$?
    grep -E '^(PASS|FAIL|SKIP): ' "$log"
    grep -E '^  (detail|info)' "$log" | head -n 20
    if [ "$rc" -ne 0 ] && ! grep -q '^FAIL: ' "$log"; then
        [ "$rc" -eq 124 ] && rc="timeout after ${secs}s"
        fail "$name" "exited with status $rc without a FAIL line (log: $log)"
        tail -n 25 "$log" | sed 's/^/    | /'
    elif [ "$rc" -ne 0 ]; then
        failed=1
        FAILED=$((FAILED + 1))
    fi
    [ "$rc" = 0 ]
}

suite_exit() { exit "$failed"; }
