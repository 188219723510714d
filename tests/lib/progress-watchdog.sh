# A watchdog that tells a hang from slowness by progress, not by wall
# clock (sourced; used by tests/fuzz/guest-hypercalls.sh, checked by suite
# 09-harness).
#
#   progress_watch PID LOG REGEX  -> returns when PID has ended; prints one
#                                    "watchdog: ..." line and returns 1 if
#                                    it killed PID as hung, else 0
#
# Progress is the number of lines of LOG matching REGEX (grep -E).  Every
# WATCH_POLL seconds it also reads how much CPU PID has had (utime+stime,
# all threads) and how long its threads waited for a CPU (run_delay in
# /proc/PID/task/*/schedstat).  With no new progress line:
#   - PID burnt WATCH_BUSY_CPU seconds of CPU since the last one: busy
#     hang (a livelock: it runs, it gets nowhere) -> killed;
#   - it neither ran nor waited to run (less than a tenth of the interval)
#     for WATCH_IDLE_SECS: idle hang (everything halted, a lost wake-up)
#     -> killed.  A busy host cannot cause this: a starved process waits
#     to run, and that wait is counted;
#   - otherwise it is slow (starved by other load): it is left to go on.
# On a machine shared with others, a round that takes ten times longer
# is slow, not hung, and is never killed for it.
#
# Env: WATCH_POLL (5 s), WATCH_BUSY_CPU (240 CPU-seconds; a progress line
# normally comes after well under one), WATCH_IDLE_SECS
# (300 s).

# CPU seconds*100 (clock ticks) and run-queue wait in ms of PID, "T W".
_watch_usage() {
    local pid=$1 t w=0 f
    t=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) || return 1
    [ -n "$t" ] || return 1
    for f in /proc/"$pid"/task/*/schedstat; do
        [ -r "$f" ] || continue
        w=$((w + $(awk '{ printf "%d", $2 / 1000000 }' "$f" 2>/dev/null || echo 0)))
    done
    echo "$t $w"
}

progress_watch() {
    local pid=$1 log=$2 re=$3
    local poll=${WATCH_POLL:-5} busy=${WATCH_BUSY_CPU:-240} idle=${WATCH_IDLE_SECS:-300}
    local hz seen=0 n u t w t0 w0 quiet=0 slow_said=0
    hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
    u=$(_watch_usage "$pid") || return 0
    set -- $u
    t0=$1 w0=$2
    local tl=$t0 wl=$w0
    while kill -0 "$pid" 2>/dev/null; do
        sleep "$poll"
        u=$(_watch_usage "$pid") || break
        set -- $u
        t=$1 w=$2
        n=$(grep -Ec -- "$re" "$log" 2>/dev/null)
        if [ "${n:-0}" -gt "$seen" ]; then
            seen=$n t0=$t w0=$w quiet=0
        elif [ $(( (t - t0) / hz )) -ge "$busy" ]; then
            echo "watchdog: busy hang: $(( (t - t0) / hz )) CPU-seconds with no progress line after $seen (killed)"
            kill "$pid" 2>/dev/null
            return 1
        elif [ $(( (t - tl) * 1000 / hz + (w - wl) )) -lt $((poll * 100)) ]; then
            quiet=$((quiet + poll))
            if [ "$quiet" -ge "$idle" ]; then
                echo "watchdog: idle hang: no progress line after $seen and no CPU used or wanted for ${quiet}s (killed)"
                kill "$pid" 2>/dev/null
                return 1
            fi
        else
            quiet=0
            if [ "$slow_said" = 0 ] && [ $(( w - w0 )) -gt $(( (t - t0) * 1000 / hz * 4 )) ] &&
               [ $(( w - w0 )) -gt $((busy * 1000)) ]; then
                echo "watchdog: slow so far (not yet a busy hang): waited $(( (w - w0) / 1000 )) s for a CPU since the last progress line (host busy)"
                slow_said=1
            fi
        fi
        tl=$t wl=$w
    done
    return 0
}

# The PID of the QEMU whose serial goes to LOG (the one process whose
# command line names that file and whose name starts with qemu), or
# nothing.  Waits up to WAIT seconds (default 120) for it to appear.
qemu_pid_for_log() {
    local log=$1 wait=${2:-120} i p
    for ((i = 0; i < wait * 2; i++)); do
        for p in /proc/[0-9]*; do
            case "$(cat "$p/comm" 2>/dev/null)" in qemu*) ;; *) continue ;; esac
            if tr '\0' '\n' <"$p/cmdline" 2>/dev/null | grep -qF -- "file:$log"; then
                echo "${p#/proc/}"
                return 0
            fi
        done
        sleep 0.5
    done
    return 1
}
