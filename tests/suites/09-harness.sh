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
# Only a backstop for a harness that never ends a case: the cases' own
# limits end them (the hanging and the starved one take 10-13 s each on a
# quiet host, the spinning one longer on a busy one).
timeout 900 "$prog" >"$log" 2>"$out/selftest.stderr"

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
expect "a blocked hang fails the case at its wall-clock backstop" \
    '^FAIL: selftest/forked/hangs: killed by signal 14 \(blocked\) \(timeout\)$'
expect "a spinning hang fails the case at its CPU-time limit" \
    '^FAIL: selftest/forked/spins: killed by signal 24 \(CPU time\) \(timeout\)$'
# Its backstop looks at CPU time too: a case that uses CPU slowly (a busy
# host) runs past the backstop's first window to its end.
expect "a starved case that keeps running outlives the wall-clock backstop" \
    '^PASS: selftest/forked/starved$'
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

# The make-fuzz watchdog (tests/lib/progress-watchdog.sh): a process that
# spins with no progress line is a busy hang, one that sleeps with none an
# idle hang, one that prints progress is left alone however long it takes.
# Its limits are CPU time and idleness, so a loaded machine changes how
# long these take, not their verdict.
. tests/lib/progress-watchdog.sh
wd=$out/watchdog
mkdir -p "$wd"
: >"$wd/spin.log"
( while :; do :; done ) &
spin=$!
v=$(WATCH_POLL=1 WATCH_BUSY_CPU=2 WATCH_IDLE_SECS=600 progress_watch $spin "$wd/spin.log" 'tick'); rc=$?
kill $spin 2>/dev/null; wait $spin 2>/dev/null
if [ $rc = 1 ] && echo "$v" | grep -q '^watchdog: busy hang: '; then
    pass "watchdog: a spinning process with no progress is a busy hang, killed"
else
    fail "watchdog: busy hang" "rc $rc: $v"
fi
: >"$wd/sleep.log"
sleep 600 &
slp=$!
v=$(WATCH_POLL=1 WATCH_BUSY_CPU=600 WATCH_IDLE_SECS=3 progress_watch $slp "$wd/sleep.log" 'tick'); rc=$?
kill $slp 2>/dev/null; wait $slp 2>/dev/null
if [ $rc = 1 ] && echo "$v" | grep -q '^watchdog: idle hang: '; then
    pass "watchdog: a process idle with no progress is an idle hang, killed"
else
    fail "watchdog: idle hang" "rc $rc: $v"
fi
# Progress while spinning: a tick after every CPU-second of its own (read
# with builtins only, so the CPU is its own), 6 in all: more CPU than the
# busy limit (4) in total, never between two ticks.
: >"$wd/busy.log"
( me=$BASHPID hz=$(getconf CLK_TCK)
  cpu() { local st; read -r st <"/proc/$me/stat"; set -- ${st##*) }; c=$(( ${12} + ${13} )); }
  for i in 1 2 3 4 5 6; do
      cpu; start=$c
      while cpu; [ $((c - start)) -lt "$hz" ]; do :; done
      echo tick >>"$wd/busy.log"
  done ) &
busy=$!
v=$(WATCH_POLL=1 WATCH_BUSY_CPU=4 WATCH_IDLE_SECS=600 progress_watch $busy "$wd/busy.log" 'tick'); rc=$?
wait $busy; brc=$?
if [ $rc = 0 ] && [ $brc = 0 ] && [ "$(grep -c tick "$wd/busy.log")" = 6 ]; then
    pass "watchdog: a busy process that keeps printing progress runs to its end"
else
    fail "watchdog: progress keeps it alive" "rc $rc (process $brc): $v"
fi
# QEMU itself dying of a signal (tests/lib/qemu-death.sh) is reported as
# that, with its core, not as a guest's bad exit status: a stand-in QEMU
# that kills itself with SIGSEGV, booted through tests/dom0/boot-lib.sh's
# d0_boot as the dom0 suites boot.  Where the host's core_pattern sends
# cores elsewhere (a pipe), the report must say there is no core and why.
qd=$out/qemu-death
rm -rf "$qd"
mkdir -p "$qd"
printf '#!/bin/bash\necho "stand-in QEMU"\nkill -SEGV $$\n' >"$qd/qemu"
chmod +x "$qd/qemu"
: >"$qd/segv.iso"
v=$( . tests/dom0/boot-lib.sh
     cd "$qd" && QEMU=$qd/qemu D0_DIR=$qd d0_boot segv 60 2>/dev/null
     echo "rc=$D0_RC"; d0_rc_text "$D0_RC" )
if echo "$v" | grep -q '^rc=139$' &&
   { echo "$v" | grep -qF "QEMU died of SIGSEGV (exit 139); core at $qd/segv.core (gdb " && [ -s "$qd/segv.core" ] ||
     echo "$v" | grep -q '^QEMU died of SIGSEGV (exit 139); no core file found (core_pattern '; }; then
    pass "a QEMU killed by SIGSEGV is reported as that, with its core ($(echo "$v" | tail -n 1 | cut -c1-60)...)"
else
    fail "QEMU death by signal reported" "got: $(echo "$v" | tr '\n' '|')"
fi
v=$( . tests/lib/qemu-death.sh; qemu_death_text 33; echo "33:$?"; qemu_death_text 124; echo "124:$?"
     qemu_death_text 137 )
if [ "$(echo "$v" | head -n 2 | tr '\n' ' ')" = "33:1 124:1 " ] &&
   echo "$v" | grep -q '^QEMU died of SIGKILL (exit 137)'; then
    pass "a guest's exit status and a timeout are not QEMU deaths; 137 is SIGKILL"
else
    fail "exit statuses that are not QEMU deaths" "got: $(echo "$v" | tr '\n' '|')"
fi
rm -f "$qd/segv.core"
exit $failed
