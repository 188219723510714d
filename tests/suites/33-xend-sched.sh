#!/bin/bash
# 33-xend-sched.sh: the scheduler controls through xend and xenctl, on
# the simulated hypervisor (2 CPUs): `xenctl sched` (weight, cap),
# `xenctl vcpu-pin`, the config's cpu_weight / cap / cpus applied at
# create, the settings recorded in the domain's database record, and
# the refusals.  The real backend's side (dom0_op and the scheduler
# itself) is the sched test kernel of suite 50-guests.

SUITE_PREFIX="xend-sched: "
. "$(dirname "$0")/../lib/suite.sh"

. "$(dirname "$0")/../lib/xend-sim.sh"
xend_sim_setup sched
start_xend() { xend_sim_start -f /dev/null --sim-state "$tmp/sim"; }
sql() { sqlite3 "$db" "$1"; }
printf 'not a real kernel\n' >"$tmp/vmlinuz"
cfg() { # cfg NAME VCPUS [EXTRA LINES...]
    local n=$1 v=$2; shift 2
    { printf 'name = "%s"\nkernel = "%s"\nmemory = 64\nvcpus = %s\n' "$n" "$tmp/vmlinuz" "$v"
      for l in "$@"; do printf '%s\n' "$l"; done; } >"$tmp/$n.cfg"
}

# ---- xenctl alone: usage errors before anything is sent -----------------
out=$("$XENCTL" -s "$tmp/none.sock" sched web --weight 0 2>&1); rc=$?
why="rc=$rc $out"; check "sched --weight 0: usage error, exit 2" test $rc -eq 2 -a -n "$(echo "$out" | grep -e '--weight must be 1..65535')"
out=$("$XENCTL" -s "$tmp/none.sock" sched web --weight lots 2>&1); rc=$?
why="rc=$rc $out"; check "sched --weight lots: usage error" test $rc -eq 2
out=$("$XENCTL" -s "$tmp/none.sock" vcpu-pin web 0 1-0 2>&1); rc=$?
why="rc=$rc $out"; check "vcpu-pin with a downward range: usage error naming the syntax" test $rc -eq 2 -a -n "$(echo "$out" | grep 'must go upwards')"
out=$("$XENCTL" -s "$tmp/none.sock" vcpu-pin web 0 2>&1); rc=$?
why="rc=$rc $out"; check "vcpu-pin without CPUS: usage error" test $rc -eq 2
out=$("$XENCTL" help sched 2>&1)
why="$out"; check "help sched explains weight and cap" sh -c "echo \"\$0\" | grep -q 'usage: xenctl sched' && echo \"\$0\" | grep -q -e '--cap P'" "$out"
out=$("$XENCTL" vcpu-pin --help 2>&1)
why="$out"; check "vcpu-pin --help shows the CPUS syntax" sh -c "echo \"\$0\" | grep -q '\"0-1\"'" "$out"

why="see $tmp/xend.stderr"; check "xend (sim, 2 CPUs) starts" start_xend
[ -n "$xend_pid" ] || exit 1

# ---- defaults, set, read back --------------------------------------------
cfg plain 2
x create "$tmp/plain.cfg" >/dev/null 2>&1
out=$(x sched plain 2>&1); rc=$?
why="rc=$rc $out"; check "sched NAME prints the defaults: weight 256, no cap, vCPUs on all CPUs" test $rc -eq 0 -a -n "$(echo "$out" | grep 'weight 256, cap none')" -a "$(echo "$out" | grep -c 'CPUs all')" = 2
out=$(x sched plain --weight 512 --cap 50 2>&1); rc=$?
why="rc=$rc $out"; check "sched --weight 512 --cap 50" test $rc -eq 0 -a -n "$(echo "$out" | grep 'weight 512, cap 50%')"
out=$(x sched plain --json 2>&1)
why="$out"; check "sched --json: weight and cap in the reply" sh -c "echo \"\$0\" | grep -q '\"weight\": 512' && echo \"\$0\" | grep -q '\"cap\": 50'" "$out"
out=$(x sched plain --cap 0 2>&1)
why="$out"; check "sched --cap 0 removes the cap, keeps the weight" test -n "$(echo "$out" | grep 'weight 512, cap none')"
out=$(x vcpu-pin plain 1 1 2>&1); rc=$?
why="rc=$rc $out"; check "vcpu-pin plain 1 1" test $rc -eq 0 -a -n "$(echo "$out" | grep 'vCPU 1: CPUs 1$')" -a -n "$(echo "$out" | grep 'vCPU 0: CPUs all$')"
why="$(sql "SELECT sched FROM domains WHERE name = 'plain' AND destroyed IS NULL")"
check "the settings are in the domain's record" test "$why" = "weight=512 cap=0 vcpu1=1"
out=$(x vcpu-pin plain 1 all 2>&1)
why="$out"; check "vcpu-pin ... all undoes the pin" test "$(echo "$out" | grep -c 'CPUs all')" = 2

# ---- refusals: clear errors, nothing changed ------------------------------
out=$(x sched plain --cap 300 2>&1); rc=$?
why="rc=$rc $out"; check "cap beyond the host's 2 CPUs refused, naming the limit" test $rc -eq 1 -a -n "$(echo "$out" | grep "more than the host's 2 CPUs (at most 200%")"
out=$(x vcpu-pin plain 2 0 2>&1); rc=$?
why="rc=$rc $out"; check "vcpu-pin of a vCPU it does not have refused" test $rc -eq 1 -a -n "$(echo "$out" | grep 'plain has no vCPU 2 (it has 2: 0-1)')"
out=$(x vcpu-pin plain 0 5 2>&1); rc=$?
why="rc=$rc $out"; check "vcpu-pin to a CPU the host lacks refused" test $rc -eq 1 -a -n "$(echo "$out" | grep 'none of those CPUs exists: the host has 2 CPUs')"
out=$(x vcpu-pin plain 0 0-3 2>&1); rc=$?
why="rc=$rc $out"; check "vcpu-pin partly beyond the host refused" test $rc -eq 1 -a -n "$(echo "$out" | grep 'the host has only 2 CPUs')"
out=$(x sched plain 2>&1)
why="$out"; check "after the refusals nothing changed" test -n "$(echo "$out" | grep 'weight 512, cap none')" -a "$(echo "$out" | grep -c 'CPUs all')" = 2
out=$(x sched nosuch 2>&1); rc=$?
why="rc=$rc $out"; check "sched of an unknown domain: exit 1" test $rc -eq 1

# ---- the config: cpu_weight, cap, cpus ------------------------------------
cfg tuned 2 'cpu_weight = 1024' 'cap = 25' 'cpus = "1"'
out=$(x create "$tmp/tuned.cfg" 2>&1); rc=$?
why="rc=$rc $out"; check "create with cpu_weight, cap and cpus" test $rc -eq 0
out=$(x sched tuned 2>&1)
why="$out"; check "the config's settings are in force" test -n "$(echo "$out" | grep 'weight 1024, cap 25%')" -a "$(echo "$out" | grep -c 'CPUs 1$')" = 2
cfg badcpus 1 'cpus = "0-"'
out=$(x create "$tmp/badcpus.cfg" 2>&1); rc=$?
why="rc=$rc $out"; check "config cpus \"0-\" refused at FILE:LINE" test $rc -eq 5 -a -n "$(echo "$out" | grep 'badcpus.cfg:5:')"
cfg badweight 1 'cpu_weight = 0'
out=$(x create "$tmp/badweight.cfg" 2>&1); rc=$?
why="rc=$rc $out"; check "config cpu_weight 0 refused" test $rc -eq 5
cfg farcpu 1 'cpus = "7"'
out=$(x create "$tmp/farcpu.cfg" 2>&1); rc=$?
why="rc=$rc $out"; check "config cpus naming a CPU the host lacks: create refused, no domain left" test $rc -eq 1 -a -n "$(echo "$out" | grep 'none of those CPUs exists')" -a -z "$(x list 2>/dev/null | awk '$1 == "farcpu"')"

# ---- vCPU hotplug: maxvcpus and vcpu-set's refusals ------------------------
# (The guest's side, vCPUs actually going up and down, is 85-linux-domu's:
# the simulator has no guest to ask, and says so.)
out=$("$XENCTL" -s "$tmp/none.sock" vcpu-set plain 2>&1); rc=$?
why="rc=$rc $out"; check "vcpu-set without N: usage error" test $rc -eq 2
out=$("$XENCTL" -s "$tmp/none.sock" vcpu-set plain two 2>&1); rc=$?
why="rc=$rc $out"; check "vcpu-set with a non-number: usage error" test $rc -eq 2
cfg hot 2 'maxvcpus = 4'
out=$(x create "$tmp/hot.cfg" 2>&1); rc=$?
why="rc=$rc $out $(x info hot 2>&1)"; check "create with vcpus = 2, maxvcpus = 4: built with 4 vCPUs, 2 online (info)" test $rc -eq 0 -a -n "$(x info hot 2>/dev/null | grep -x 'vcpus: *4')" -a -n "$(x info hot 2>/dev/null | grep -x 'vcpus online: *2')"
# xenctl list's VCPUs is what is up now, as xl list's: not maxvcpus.
why="$(x list 2>&1)"; check "list shows the online vCPUs (2), not maxvcpus (4)" test "$(x list 2>/dev/null | awk '$1 == "hot" { print $4 }')" = 2
out=$(x vcpu-set hot 0 2>&1); rc=$?
why="rc=$rc $out"; check "vcpu-set 0 refused: at least one vCPU" test $rc -eq 1 -a -n "$(echo "$out" | grep 'at least one vCPU online: 1..4 for hot')"
out=$(x vcpu-set hot 5 2>&1); rc=$?
why="rc=$rc $out"; check "vcpu-set above maxvcpus refused, naming it" test $rc -eq 1 -a -n "$(echo "$out" | grep 'hot was created with maxvcpus = 4: at most 4 vCPUs online')"
out=$(x vcpu-set hot 3 2>&1); rc=$?
why="rc=$rc $out"; check "vcpu-set on the simulator: not supported, said plainly" test $rc -eq 1 -a -n "$(echo "$out" | grep 'vcpu_set is not supported by the sim backend')"
cfg hotbad 4 'maxvcpus = 2'
out=$(x create "$tmp/hotbad.cfg" 2>&1); rc=$?
why="rc=$rc $out"; check "config maxvcpus below vcpus refused at FILE:LINE" test $rc -eq 5 -a -n "$(echo "$out" | grep 'hotbad.cfg:5:.*maxvcpus (2) must not be below vcpus (4)')"
x destroy hot >/dev/null 2>&1

# ---- the hypervisor keeps them across a restart of xend --------------------
stop_xend
why="see $tmp/xend.stderr"; check "xend restarts" start_xend
out=$(x sched tuned 2>&1)
why="$out"; check "after a restart of xend the settings are still in force" test -n "$(echo "$out" | grep 'weight 1024, cap 25%')" -a "$(echo "$out" | grep -c 'CPUs 1$')" = 2
stop_xend
exit $failed
