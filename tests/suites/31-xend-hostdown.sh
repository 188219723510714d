#!/bin/bash
# 31-xend-hostdown.sh: `xenctl host-shutdown` (what dom0's poweroff runs
# first) on the host, against the simulated hypervisor (xend-sim).
#   on_host_shutdown = "shutdown": every domU is asked to power off, one
#     line per guest; a paused one is unpaused so it can answer; one that
#     never answers ("sim_shutdown=ignore") is destroyed at
#     host_shutdown_timeout, saying so; on_poweroff = "restart" does not
#     restart anything; create is refused meanwhile.
#   on_host_shutdown = "save": each domU saved to
#     lib/save/host-shutdown/NAME and recorded in host_saves; the next
#     xend start restores them and marks them restored (files removed),
#     a corrupt file is marked failed and does not stop xend, and a third
#     start restores nothing twice.
# The QEMU half (dom0 `poweroff` with two Linux guests) is in
# 85-linux-domu.  Logs are kept in the temporary directory on failure.

SUITE_PREFIX="xend-hostdown: "
. "$(dirname "$0")/../lib/suite.sh"

. "$(dirname "$0")/../lib/xend-sim.sh"
xend_sim_setup hostdown
start_xend() { xend_sim_start -f "$1" --sim-state "$tmp/sim-state"; } # CONF
state_of() { x list 2>/dev/null | awk -v n="$1" '$1 == n { print $5 }'; }
domus() { x list 2>/dev/null | awk 'NR > 1 && $1 != "Domain-0" { print $1 }' | sort | tr '\n' ' '; }
sql() { sqlite3 "$db" "$1"; }
printf 'not a real kernel\n' >"$tmp/vmlinuz"
cfg() { # cfg NAME [EXTRA [ON_POWEROFF]]
    printf 'name = "%s"\nkernel = "%s"\nmemory = 64\nextra = "%s"\non_poweroff = "%s"\n' \
        "$1" "$tmp/vmlinuz" "$2" "${3:-destroy}" >"$tmp/$1.cfg"
}

# ---- the settings ------------------------------------------------------
printf 'on_host_shutdown = "suspend"\n' >"$tmp/bad.conf"
out=$("$XEND" --backend=sim -f "$tmp/bad.conf" --socket "$tmp/bad.sock" --db "$tmp/bad.db" 2>&1); rc=$?
why="rc=$rc $out"; check "on_host_shutdown = \"suspend\" refused at start, naming the choices" \
    test $rc -eq 1 -a -n "$(echo "$out" | grep "bad.conf:1:.*'on_host_shutdown' must be \"shutdown\" or \"save\"")"
out=$("$XENCTL" host-shutdown --help); rc=$?
why="rc=$rc"; check "host-shutdown --help describes both modes and the timeout" \
    test $rc -eq 0 -a -n "$(echo "$out" | grep 'on_host_shutdown')" -a -n "$(echo "$out" | grep 'host_shutdown_timeout')"
"$XENCTL" -s "$tmp/none.sock" host-shutdown now >/dev/null 2>&1; rc=$?
why="rc=$rc"; check "host-shutdown with an argument: usage error" test $rc -eq 2

# ---- on_host_shutdown = "shutdown" (the default) ------------------------
printf 'host_shutdown_timeout = "1500ms"\n' >"$tmp/down.conf"
why="see $tmp/xend.stderr"; check "xend starts (shutdown mode)" start_xend "$tmp/down.conf"
cfg web; cfg db "" ; cfg phoenix "" restart; cfg deaf "sim_shutdown=ignore"
for n in web db phoenix deaf; do x create "$tmp/$n.cfg" >/dev/null; done
x pause db >/dev/null
why="$(domus)"; check "four guests running, db paused" test "$(domus)" = "db deaf phoenix web " -a "$(state_of db)" = paused
x host-shutdown >"$tmp/down.out" 2>&1 &
hpid=$!
for _ in $(seq 100); do grep -q '^shutting down 4 guests' "$tmp/down.out" && break; sleep 0.05; done
cfg late
out=$(x create "$tmp/late.cfg" 2>&1); rc=$?
why="rc=$rc $out"; check "while it runs, create is refused" test $rc -eq 1 -a -n "$(echo "$out" | grep 'the host is shutting down')"
wait $hpid; rc=$?
out=$(cat "$tmp/down.out")
why="rc=$rc $out"; check "host-shutdown exits 0 once every guest is down" test $rc -eq 0 -a -n "$(echo "$out" | grep '^host-shutdown: 4 guests down (shutdown); some had to be destroyed$')"
# One summary, the last line: xend's items are one line per guest (it
# once also sent "all guests are down", which dom0's poweroff printed
# above xenctl's own summary).
why="$out"; check "host-shutdown: one summary line, the last" \
    test "$(echo "$out" | grep -c -i -E 'guests? (are |were )?(down|running)')" = 1 -a \
    -n "$(echo "$out" | tail -n 1 | grep '^host-shutdown: 4 guests down')"
for n in web db phoenix; do
    why="$out"; check "shutdown: '$n' shut down cleanly, one line for it" test -n "$(echo "$out" | grep -E "^shutting down $n \.\.\. done in [0-9]+\.[0-9] s$")"
done
why="$out"; check "shutdown: a guest that never answers is destroyed at the timeout, saying so" \
    test -n "$(echo "$out" | grep -E '^shutting down deaf \.\.\. no answer in [0-9]+\.[0-9] s: destroyed$')"
why="$(domus)"; check "no domU left (on_poweroff = restart did not restart phoenix)" test -z "$(domus)"
why="$(grep 'domain db' "$tmp/xend.stderr" | tail -3)"; check "the paused guest shut down too" \
    test -n "$(grep 'domain db (id [0-9]*): shut down (poweroff)' "$tmp/xend.stderr")"
out=$(x create "$tmp/late.cfg" 2>&1); rc=$?
why="rc=$rc $out"; check "after it, create works again" test $rc -eq 0
x destroy late >/dev/null 2>&1
out=$(x host-shutdown 2>&1); rc=$?
why="rc=$rc $out"; check "host-shutdown with no guests: exactly one line saying so" \
    test $rc -eq 0 -a "$out" = "host-shutdown: no guests were running"
stop_xend

# ---- on_host_shutdown = "save" ------------------------------------------
printf 'on_host_shutdown = "save"\n' >"$tmp/save.conf"
why="see $tmp/xend.stderr"; check "xend starts (save mode)" start_xend "$tmp/save.conf"
cfg s1; cfg s2; cfg s3
for n in s1 s2 s3; do x create "$tmp/$n.cfg" >/dev/null; done
x pause s2 >/dev/null
out=$(x host-shutdown 2>&1); rc=$?
dir=$tmp/lib/save/host-shutdown
why="rc=$rc $out"; check "save: host-shutdown exits 0, one line per guest" \
    test $rc -eq 0 -a "$(echo "$out" | grep -cE "^saving s[123] to $dir/s[123] \.\.\. done in [0-9]+\.[0-9] s$")" -eq 3
why="$(ls -la "$dir" 2>&1)"; check "save: whole files in lib/save/host-shutdown/NAME, no .tmp left" \
    test -s "$dir/s1" -a -s "$dir/s2" -a -s "$dir/s3" -a -z "$(ls "$dir" | grep tmp)"
why="$(domus)"; check "save: no domU left" test -z "$(domus)"
why="$(sql 'SELECT * FROM host_saves')"; check "save: recorded in host_saves as saved" \
    test "$(sql "SELECT group_concat(name || ':' || state, ' ') FROM host_saves")" = "s1:saved s2:saved s3:saved"
stop_xend
# s3's file is damaged while the host is down.
printf 'garbage\n' >"$dir/s3"
why="see $tmp/xend.stderr"; check "xend starts again (a damaged save file does not stop it)" start_xend "$tmp/save.conf"
for _ in $(seq 100); do [ "$(sql "SELECT COUNT(*) FROM host_saves WHERE state = 'saved'")" = 0 ] && break; sleep 0.05; done
why="$(domus)"; check "at start: the saved guests are back, running" \
    test "$(domus)" = "s1 s2 " -a "$(state_of s1)" = running -a "$(state_of s2)" = running
why="$(sql 'SELECT * FROM host_saves')"; check "at start: their records marked restored, the damaged one failed with why" \
    test "$(sql "SELECT group_concat(name || ':' || state, ' ') FROM host_saves")" = "s1:restored s2:restored s3:failed" -a \
    -n "$(sql "SELECT message FROM host_saves WHERE name = 's3'" | grep 'not a sim save file')"
why="$(ls -la "$dir" 2>&1)"; check "at start: restored files removed, the failed one kept" test ! -e "$dir/s1" -a ! -e "$dir/s2" -a -e "$dir/s3"
stop_xend
why="see $tmp/xend.stderr"; check "xend starts a third time" start_xend "$tmp/save.conf"
sleep 0.5
why="$(domus) $(x list)"; check "third start: nothing restored twice" test "$(domus)" = "s1 s2 " -a "$(grep -c 'restored s1 from' "$tmp/xend.stderr")" = 1

# ---- ptyrun, the pty driver 85 uses in dom0 (tests/tools/ptyrun.c) -----
# The simulated guest echoes its input after "sim login: ".
if make -s -C tests/tools BUILD="$BUILD" >"$tmp/tools.log" 2>&1; then
    PTYRUN=$BUILD/tests/tools/ptyrun
    printf 'name = "cons"\nkernel = "%s"\nmemory = 16\ncmdline = "sim_console_lines=5"\n' "$tmp/vmlinuz" >"$tmp/cons.cfg"
    x create "$tmp/cons.cfg" >/dev/null
    "$PTYRUN" -o "$tmp/pty.out" 'sim login: ' 'six times seven\r' 'six times seven' -- "$XENCTL" -s "$sock" console cons; rc=$?
    why="rc=$rc $(tail -c 200 "$tmp/pty.out" | tr -d '\r')"
    check "ptyrun: types into xenctl console on a pty, Ctrl-] detaches, exit 0" \
        test $rc -eq 0 -a -n "$(grep -a 'detached from cons' "$tmp/pty.out")"
    "$PTYRUN" -o "$tmp/pty2.out" 'no such prompt' 'x' 'y' -- "$XENCTL" -s "$sock" console --log cons 2>/dev/null; rc=$?
    why="rc=$rc"; check "ptyrun: a command that ends before the pattern is 125, not success" test $rc -eq 125
else
    fail "ptyrun: build" "$(tail -3 "$tmp/tools.log")"
fi
stop_xend

exit $failed
