#!/bin/bash
# 32-xend-crash.sh: xend killed with SIGKILL at every step boundary of
# every command that changes a domain, on the simulated hypervisor (the
# test daemon xend-sim), then restarted: what was committed is all there.
#
# XEND_CRASH_AT=STEP makes xend kill itself when it reaches STEP
# (xend/daemon/intent.c, crash_point).  For each command the suite first
# runs it with XEND_CRASH_AT set to no step, which logs every boundary
# passed, and checks that list is the one walked below, so a boundary
# added to xend without a case here fails.  Then for each step: a fresh
# daemon with a bystander domain ("keep") and the command's subject
# ("web"), the command with the crash, a restart, and the checks:
#   - xend died at that step (SIGKILL), not elsewhere;
#   - the outcome is the step's: rolled back or finished (see want_*);
#   - the hypervisor and the list agree: no domain lost, none duplicated,
#     none adopted as a stranger ("Domain-N"); names unique;
#   - configs (with their on_* policies) are byte for byte as created;
#   - keep's samples committed before the crash are all still there;
#   - no intent left open, no stray save or .tmp file.

SUITE_PREFIX="xend-crash: "
. "$(dirname "$0")/../lib/suite.sh"

. "$(dirname "$0")/../lib/xend-sim.sh"
xend_sim_setup crash
command -v sqlite3 >/dev/null || { skip "all" "no sqlite3 command"; exit 0; }
top=$tmp

printf 'not a real kernel\n' >"$top/vmlinuz"
K=$top/vmlinuz
keep_cfg() { printf 'name = "keep"\nkernel = "%s"\nmemory = 16\non_poweroff = "preserve"\n' "$K"; }
web_cfg() { # web_cfg ON_REBOOT
    printf 'name = "web"\nkernel = "%s"\nmemory = 64\nmaxmem = 128\non_poweroff = "destroy"\non_reboot = "%s"\non_crash = "preserve"\n' "$K" "$1"
}

# use_dir DIR: the daemon of the next steps lives in DIR (socket,
# database, logs).
use_dir() { dir=$1; sock=$dir/xend.sock; db=$dir/xend.db; xend_dir=$dir; }
# [VAR=VALUE...] start_xend: xend-sim on $dir, sampling every 100 ms.
start_xend() { xend_sim_start -f /dev/null --sample-interval 100ms; }
sql() { sqlite3 "$dir/xend.db" "$1"; }
field() { x info "$1" --json 2>/dev/null | sed -n "s/^    \"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p"; }
state_of() { x list 2>/dev/null | awk -v n="$1" '$1 == n { print $5 }'; }
names() { x list 2>/dev/null | awk 'NR > 1 { print $1 }'; }
# Domains the simulated hypervisor has, Domain-0 included.
keep_samples() { sql "SELECT COUNT(*) FROM samples s JOIN domains d ON d.rec = s.rec WHERE d.name = 'keep'"; }
hv_count() { grep -c '^dom ' "$dir/xend.db.sim-state"; }
# Wait (bounded) until a condition (a string, evaluated each time) holds:
# restarts are jobs.
settle() { for _ in $(seq 100); do eval "$1" && return 0; sleep 0.05; done; return 1; }

# The command each op runs, with its set-up done beforehand.
setup() { # setup OP: fresh daemon, keep and web as OP needs
    rm -rf "$dir"; mkdir -p "$dir"
    keep_cfg >"$dir/keep.cfg"
    case $1 in reboot) web_cfg restart ;; rename) web_cfg rename-restart ;;
        *) web_cfg destroy ;; esac >"$dir/web.cfg"
    start_xend || return 1
    x create "$dir/keep.cfg" >/dev/null || return 1
    case $1 in
    create) ;;
    restore) x create "$dir/web.cfg" >/dev/null && x save web "$dir/web.save" >/dev/null || return 1 ;;
    *) x create "$dir/web.cfg" >/dev/null || return 1 ;;
    esac
    # Samples of keep committed before the crash (checked after it).
    settle 'test "$(keep_samples)" -ge 2' || return 1
    stop_xend
}
run_op() { # run_op OP: the command under test (its output is not checked)
    case $1 in
    create) x create "$dir/web.cfg" ;;
    destroy) x destroy web ;;
    poweroff) x shutdown web ;;
    reboot|rename) x shutdown -r web ;;
    save) x save web "$dir/web.save" ;;
    checkpoint) x save --checkpoint web "$dir/web.save" ;;
    restore) x restore "$dir/web.save" ;;
    memset) x mem-set web 96M ;;
    esac >/dev/null 2>&1
}

# The boundaries each op passes, in order.
steps_create="create.intent create.built create.marked create.recorded"
steps_destroy="destroy.intent destroy.hv destroy.recorded"
steps_poweroff="shutdown.intent destroy.hv destroy.recorded"
steps_reboot="shutdown.intent destroy.hv destroy.recorded shutdown.destroyed $steps_create"
steps_rename="shutdown.intent shutdown.renamed $steps_create"
steps_save="save.intent sim.save.partial save.written save.marked destroy.hv destroy.recorded"
steps_checkpoint="save.intent sim.save.partial save.written save.marked"
steps_restore="restore.intent restore.built restore.recorded"
steps_memset="mem-set.intent mem-set.set"

# want OP STEP: the outcome's own checks; prints what is wrong, if anything.
want() {
    local op=$1 step=$2
    case $op in
    create)
        case $step in create.intent|create.built) [ -z "$(state_of web)" ] || echo "a half-built web survived" ;;
        *) [ "$(state_of web)" = running ] || echo "web (built) not adopted: '$(state_of web)'" ;; esac ;;
    destroy|poweroff)
        [ -z "$(state_of web)" ] || echo "web still there: $(state_of web)"
        [ "$(sql "SELECT COUNT(*) FROM domains WHERE name = 'web' AND destroyed IS NULL")" = 0 ] || echo "web's record open" ;;
    reboot|rename)
        settle 'test "$(state_of web)" = running' || echo "web not restarted: '$(state_of web)'"
        [ "$(field web domid)" != "$old_domid" ] || echo "web not restarted (same domid $old_domid)"
        [ "$(sql "SELECT COUNT(*) FROM domains WHERE name = 'web' AND destroyed IS NULL")" = 1 ] || echo "web restarted more than once"
        if [ "$op" = rename ]; then
            [ "$(state_of "web-old-$old_domid")" = shutdown ] || echo "web-old-$old_domid not kept"
        fi ;;
    save|checkpoint)
        case "$op $step" in
        "save save.marked"|"save destroy."*)
            [ -z "$(state_of web)" ] || echo "finished save left web: $(state_of web)"
            [ -f "$dir/web.save" ] || echo "finished save lost its file"
            x restore "$dir/web.save" >/dev/null 2>&1 && [ "$(state_of web)" = running ] || echo "the save file does not restore" ;;
        "checkpoint save.marked")
            [ "$(state_of web)" = running ] || echo "web not running: '$(state_of web)'"
            [ -f "$dir/web.save" ] || echo "checkpoint lost its file" ;;
        *)
            [ "$(state_of web)" = running ] || echo "rolled-back save left web '$(state_of web)'"
            [ ! -e "$dir/web.save" ] || echo "rolled-back save left its file" ;;
        esac ;;
    restore)
        [ -f "$dir/web.save" ] || echo "restore lost the save file"
        if [ "$step" != restore.recorded ]; then
            [ -z "$(state_of web)" ] || echo "unrecorded restore left web"
            x restore "$dir/web.save" >/dev/null 2>&1 || echo "restore again failed"
        fi
        [ "$(state_of web)" = running ] || echo "web not running after restore: '$(state_of web)'" ;;
    memset)
        [ "$(field web target_kib)" = 98304 ] || echo "target $(field web target_kib), not 98304" ;;
    esac
}

# invariants: what holds after every crash and restart.
invariants() {
    local n
    n=$(names | wc -l)
    [ "$n" = "$(hv_count)" ] || echo "list has $n domains, the hypervisor $(hv_count)"
    [ -z "$(names | sort | uniq -d)" ] || echo "duplicate names: $(names | sort | uniq -d | tr '\n' ' ')"
    names | grep -q '^Domain-[1-9]' && echo "adopted as a stranger: $(names | grep '^Domain-[1-9]' | tr '\n' ' ')"
    [ "$(sql 'SELECT COUNT(*) FROM intents')" = 0 ] || echo "intents left open: $(sql 'SELECT op, step FROM intents' | tr '\n' ' ')"
    [ "$(state_of keep)" = running ] || echo "bystander keep is '$(state_of keep)'"
    [ "$(sql "SELECT config FROM domains WHERE name = 'keep' AND destroyed IS NULL")" = "$(cat "$dir/keep.cfg")" ] || echo "keep's config changed"
    if [ -n "$(state_of web)" ]; then
        [ "$(sql "SELECT config FROM domains WHERE name = 'web' AND destroyed IS NULL")" = "$(cat "$dir/web.cfg")" ] || echo "web's config (policies) changed"
    fi
    n=$(keep_samples)
    [ "$n" -ge "$keep_before" ] || echo "keep had $keep_before samples, now $n"
    ls "$dir"/*.tmp >/dev/null 2>&1 && echo "stray files: $(ls "$dir"/*.tmp)"
}

# CRASH_OPS="op ..." runs only those (when working on one).
for op in ${CRASH_OPS:-create destroy poweroff reboot rename save checkpoint restore memset}; do
    eval "steps=\$steps_$op"
    # Every boundary the op passes is one this suite walks.
    use_dir "$top/$op-list"
    if setup "$op" && XEND_CRASH_AT=none start_xend; then
        run_op "$op"
        [ "$op" = reboot ] || [ "$op" = rename ] && settle 'test "$(state_of web)" = running'
        stop_xend
        seen=$(sed -n 's/^xend: crash point //p' "$dir/xend.stderr" | tr '\n' ' ')
        why="passes '$seen', suite walks '$steps '"
        if [ "$seen" = "$steps " ]; then pass "$op: the step boundaries are the ones walked"; else fail "$op: the step boundaries are the ones walked" "$why"; fi
    else
        fail "$op: set-up" "see $dir/xend.stderr"; stop_xend
    fi
    for step in $steps; do
        name="$op: killed at $step, restarted"
        use_dir "$top/$op-$step"
        if ! setup "$op"; then fail "$name" "set-up failed ($dir/xend.stderr)"; stop_xend; continue; fi
        keep_before=$(keep_samples)
        XEND_CRASH_AT="$step" start_xend || { fail "$name" "restart with the crash armed failed"; continue; }
        old_domid=$(field web domid)
        run_op "$op"
        # The kill may come from a job after the reply: wait for it.
        for _ in $(seq 100); do kill -0 "$xend_pid" 2>/dev/null || break; sleep 0.05; done
        if kill -0 "$xend_pid" 2>/dev/null; then
            fail "$name" "xend did not die at $step"; stop_xend; continue
        fi
        wait "$xend_pid"; rc=$?; xend_pid=
        [ $rc = 137 ] || { fail "$name" "xend exited $rc, not by SIGKILL"; continue; }
        start_xend || { fail "$name" "restart failed ($dir/xend.stderr)"; continue; }
        problems=$(want "$op" "$step"; invariants)
        stop_xend
        if [ -z "$problems" ]; then pass "$name"; else fail "$name" "$(echo "$problems" | tr '\n' ';')"; fi
    done
done
# What a client is told and what happened agree: a builder that fails
# after its domain exists gets the domain destroyed before the error is
# reported (sim_fail_late on the command line makes the simulator's).
use_dir "$top/late"
rm -rf "$dir"; mkdir -p "$dir"
printf 'name = "late"\nkernel = "%s"\nmemory = 16\ncmdline = "sim_fail_late"\n' "$K" >"$dir/late.cfg"
if start_xend; then
    out=$(x create "$dir/late.cfg" 2>&1); rc=$?
    n=$(hv_count)
    stop_xend
    why="rc $rc, $n domains in the hypervisor: $out"
    if [ $rc -ne 0 ] && [ "$n" = 1 ] && echo "$out" | grep -q 'simulated late failure'; then
        pass "a create that fails after building: the domain destroyed before the error"
    else
        fail "a create that fails after building: the domain destroyed before the error" "$why"
    fi
else
    fail "a create that fails after building" "xend did not start"
fi
exit $failed
