#!/bin/bash
# Suite 9: the unit-test harness (tests/unit/harness) checks itself.  Its
# selftest program fails, crashes, hangs and skips on purpose; each of
# those must come out as exactly the line the other suites rely on, or a
# broken harness could make every unit suite look green.

SUITE_PREFIX="harness/"
. "$(dirname "$0")/../lib/suite.sh"
out=$BUILD/tests/harness

unit_build harness tests/unit/harness || exit 1
prog=$out/selftest
log=$out/selftest.log
timeout 60 "$prog" >"$log" 2>"$out/selftest.stderr"

# expect NAME REGEX: one line of the selftest's output must match.
expect() {
    if grep -Eq -- "$2" "$log"; then pass "$1"
    else fail "$1" "no line matching /$2/ in $log"
    fi
}

expect "a passing forked case passes" '^PASS: selftest/forked/passes$'
expect "a failed CHECK_EQ names both values" \
    '^FAIL: selftest/forked/check_fails: selftest\.c:[0-9]+: 1 == 2: 1 \(0x1\) != 2 \(0x2\)$'
# What follows the failed CHECK must not have run.
if grep -q 'ran on after a failed check' "$log"; then
    fail "a forked case ends at its first failure" "a later CHECK ran: $log"
else
    pass "a forked case ends at its first failure"
fi
expect "CHECK_RC shows got and want" '^FAIL: selftest/forked/rc_fails: .*got -22, want 0$'
expect "a crash fails the case" '^FAIL: selftest/forked/crashes: killed by signal 11$'
expect "a hang fails the case at its timeout" '^FAIL: selftest/forked/hangs: .*\(timeout\)$'
expect "SKIP() gives a SKIP line" '^SKIP: selftest/forked/skips: not here$'
expect "FAIL() fails with its message" '^FAIL: selftest/forked/fatal: selftest\.c:[0-9]+: stop at 7$'
expect "cases after failures still run" '^PASS: selftest/forked/draws$'
expect "run_suite returns 1 when a case failed" '^run_suite: 1$'
expect "an inline case counts every mismatch" \
    '^FAIL: inline/three-mismatches: selftest\.c:[0-9]+: i == 10: 0 \(0\) != 10 \(0xa\) \(3 failures\)$'
expect "an inline case shows its mismatches as details" '^  detail \(inline/three-mismatches\): .*: 2 \(0x2\) != 10'
expect "a clean inline case passes" '^PASS: inline/clean$'
expect "cases_failed counts failed inline cases" '^cases_failed: 1$'
if grep -q 'failed (UNIT_SEED=' "$out/selftest.stderr"; then
    pass "a forked failure names its seed on stderr"
else
    fail "a forked failure names its seed on stderr" "see $out/selftest.stderr"
fi

# The per-case seed: the same draw every run, another with another seed.
draw() { UNIT_SEED=$1 "$prog" draws 2>/dev/null | sed -n 's/^  info: draw //p'; }
a=$(draw 1); b=$(draw 1); c=$(draw 2)
if [ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" != "$c" ]; then
    pass "UNIT_SEED replays a case's random numbers"
else
    fail "UNIT_SEED replays a case's random numbers" "draws '$a' '$b' (seed 1), '$c' (seed 2)"
fi
"$prog" no-such-case >"$out/nomatch.log" 2>&1
if grep -q '^FAIL: selftest: no test case matched$' "$out/nomatch.log" &&
        grep -q '^run_suite: 1$' "$out/nomatch.log"; then
    pass "a filter that matches nothing fails"
else
    fail "a filter that matches nothing fails" "see $out/nomatch.log"
fi
exit $failed
