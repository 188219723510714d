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
#   run_units DIR SECS MIN PROG...
#                        -> run_unit for each DIR/PROG (log DIR/PROG.log),
#                           then expect_cases MIN from each that passed
#   expect_cases NAME LOG MIN
#                        -> fails NAME unless LOG holds MIN PASS lines (a
#                           runner that silently ran fewer cases)
#   unit_build NAME DIR  -> make -C DIR (BUILD, -j2) into
#                           $BUILD/tests/NAME/build.log; "PASS: build" or
#                           "FAIL: build" with the log's tail; status of make
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
        # The runner's context for each failed case ("--- NAME failed"),
        # indented so that no line of it is counted as a result again.
        grep -A3 '^--- ' "$log" | head -n 20 | sed 's/^/    | /'
    fi
    [ "$rc" = 0 ]
}

run_units() {
    local dir=$1 secs=$2 min=$3 prog
    shift 3
    for prog in "$@"; do
        run_unit "$prog" "$dir/$prog.log" "$secs" "$dir/$prog" &&
            expect_cases "$prog" "$dir/$prog.log" "$min"
    done
}

expect_cases() {
    local n
    n=$(grep -c '^PASS: ' "$2")
    [ "$n" -ge "$3" ] || fail "$1" "only $n cases passed, expected $3 or more (log: $2)"
}

unit_build() {
    local log=$BUILD/tests/$1/build.log
    mkdir -p "$(dirname "$log")"
    if make -C "$2" BUILD="$BUILD" -j2 >"$log" 2>&1; then
        pass build
    else
        fail build "make -C $2 failed (log: $log)"
        tail -n 30 "$log" | sed 's/^/    | /'
        return 1
    fi
}

# Unit binaries built with sanitizers: leak checking is off (the harnesses
# never free their fake machines, and LSan cannot run in some containers);
# every other ASan/UBSan error aborts the program, so the runner sees it.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
