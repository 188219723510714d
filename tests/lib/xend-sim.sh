# xend-sim.sh: what the host suites that drive xend-sim (the daemon on
# the simulated hypervisor) share: building it, a private directory kept
# only when something failed, starting and stopping the daemon, and
# xenctl against it.  Source after suite.sh.

# check NAME CONDITION-COMMAND... : PASS if the command succeeds ($why,
# if set, is the failure's reason).
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name" "${why:-check failed}"; fi; why=; }

# xend_sim_setup NAME: builds xend and its tests (the suite fails with the
# build's last lines if that fails), then sets XEND, XENCTL, tmp (a new
# /tmp/xend-NAME.XXXXXX), sock, db and the EXIT trap that stops xend and
# removes tmp unless a check failed.
xend_sim_setup() {
    local out
    out=$(mktemp "/tmp/xend-$1-build.XXXXXX")
    if ! make -s -C xend BUILD="$BUILD" all tests >"$out" 2>&1; then
        echo "FAIL: ${SUITE_PREFIX}build: $(tail -5 "$out" | tr '\n' ' ')"
        rm -f "$out"
        exit 1
    fi
    rm -f "$out"
    XEND=$BUILD/tests/xend/xend-sim
    XENCTL=$BUILD/tools/xenctl
    tmp=$(mktemp -d "/tmp/xend-$1.XXXXXX")
    sock=$tmp/run/xend.sock
    db=$tmp/lib/xend.db
    xend_pid=
    trap xend_sim_cleanup EXIT
}

xend_sim_cleanup() {
    [ -n "$xend_pid" ] && kill "$xend_pid" 2>/dev/null && wait "$xend_pid" 2>/dev/null
    if [ "$failed" -ne 0 ]; then
        echo "# xend logs kept in $tmp"
        tail -n 30 "$tmp"/xend.stderr 2>/dev/null | sed 's/^/# /'
    else
        rm -rf "$tmp"
    fi
}

# xend_sim_start XEND-OPTIONS...: starts xend-sim on $sock and $db with
# its logs (log/ and xend.stderr) in $xend_dir, $tmp unless set (a suite
# with one daemon directory per case sets it), and waits (at most 60 s: a
# loaded host) until `xenctl list` answers.  VAR=VALUE before the call
# reaches xend's environment (bash exports it for the function).
xend_sim_start() {
    local run=${xend_dir:-$tmp}
    "$XEND" --backend=sim --socket "$sock" --db "$db" --log-dir "$run/log" \
        "$@" 2>>"$run/xend.stderr" &
    xend_pid=$!
    for _ in $(seq 1200); do
        [ -S "$sock" ] && "$XENCTL" -s "$sock" list >/dev/null 2>&1 && return 0
        kill -0 "$xend_pid" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

# stop_xend [SIGNAL]: stops it (TERM unless told) and reaps it.
stop_xend() {
    kill "${1:-TERM}" "$xend_pid" 2>/dev/null
    wait "$xend_pid" 2>/dev/null
    xend_pid=
}

x() { "$XENCTL" -s "$sock" "$@"; }
