# shell-session.sh - typing at dom0's root shell through QEMU's serial
# input (a FIFO the caller holds open on a file descriptor), shared by
# suite 60's shell boot and `make run`'s sessions (make-run-session.sh).
# Bash only; every wait is bounded and ends early when QEMU is gone.
#
#   ss_wait_shell LOG PID SECS  -> 0 once /init's "root shell" line is in
#                                  LOG; 1 after SECS or when PID ended
#   ss_type_until FD LINE POLLS ANSWERED...
#                               -> types LINE (up to 10 times) until the
#                                  command ANSWERED... succeeds, looking
#                                  POLLS times half a second apart after
#                                  each; 0 once answered.  SS_SENT: the
#                                  host's clock ($EPOCHREALTIME) when LINE
#                                  was first typed (the answer may be to
#                                  that one, so nothing it reports can
#                                  have happened earlier)
#   ss_end FD PID ACTION SECS AGAIN
#                               -> types ACTION (poweroff, reboot), once
#                                  more at AGAIN s, and waits at most
#                                  SECS for PID to end

ss_wait_shell() {
    local log=$1 pid=$2 secs=$3 i
    for ((i = 0; i < secs; i++)); do
        grep -aq 'init: root shell on /dev/' "$log" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
    done
    grep -aq 'init: root shell on /dev/' "$log" 2>/dev/null
}

# busybox's line editor asks the terminal where its cursor is and eats
# what arrives meanwhile: an empty line first, and retries (so LINE must
# be safe to run twice).
ss_type_until() {
    local fd=$1 line=$2 polls=$3 i j
    shift 3
    sleep 1
    printf '\r' >&"$fd"
    SS_SENT=
    for ((i = 0; i < 10; i++)); do
        sleep 1
        [ -n "$SS_SENT" ] || SS_SENT=$EPOCHREALTIME
        printf '%s\r' "$line" >&"$fd"
        for ((j = 0; j < polls; j++)); do
            sleep 0.5
            "$@" && return 0
        done
    done
    return 1
}

# If the first ACTION was eaten like a command above, it is typed again.
ss_end() {
    local fd=$1 pid=$2 action=$3 secs=$4 again=$5 i
    printf '%s\r' "$action" >&"$fd"
    for ((i = 0; i < secs; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        [ "$i" = "$again" ] && printf '%s\r' "$action" >&"$fd"
        sleep 1
    done
}
