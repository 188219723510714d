# qemu-death.sh - QEMU itself dying of a signal, told apart from what the
# guest did (sourced by tests/dom0/boot-lib.sh and tests/lib/qemu-boot.sh;
# bash).
#
#   qemu_allow_core               -> in the subshell that starts QEMU: lets
#                                    it dump core (ulimit -c); the caller
#                                    adds $QEMU_CORE_MACHINE_OPT to -machine
#   qemu_collect_core DIR DEST T0 -> after a death by signal, moves the
#                                    newest core file in DIR (QEMU's cwd)
#                                    written since T0 (EPOCHREALTIME) to
#                                    DEST; prints DEST if it did
#   qemu_death_text RC [CORE]     -> "QEMU died of SIGSEGV (exit 139); core
#                                    at CORE" (or why there is none) for
#                                    an exit status that is a signal;
#                                    nothing (status 1) otherwise
#
# Why: suite 62 once failed because QEMU 7.2 crashed (SIGSEGV) under
# TCG, and the report read "QEMU exit status 139" beside dom0's own
# failures, which sent the reader looking at the hypervisor.  A QEMU
# death is now named as one, with the core to open in gdb.  There is no
# retry: a crash we provoke must still fail the suite.

# Guest RAM (1-2 GiB) would make each core that large; QEMU's own state,
# which a backtrace needs, is a few MiB.  QEMU_CORE_GUEST=on keeps RAM.
QEMU_CORE_MACHINE_OPT=dump-guest-core=${QEMU_CORE_GUEST:-off}

qemu_allow_core() {
    # The hard limit may forbid it; then there is no core, and
    # qemu_death_text says what the limit was.
    ulimit -c unlimited 2>/dev/null || ulimit -c "$(ulimit -H -c)" 2>/dev/null
    return 0
}

qemu_collect_core() {
    local dir=$1 dest=$2 t0=$3 f newest= newest_t=0 mt
    for f in "$dir"/core "$dir"/core.[0-9]*; do
        [ -f "$f" ] || continue
        mt=$(stat -c %Y "$f") || continue
        # Whole seconds: a core from this run is at most a second older
        # than the run's start when read this way, never more.
        [ "$mt" -ge "${t0%.*}" ] && [ "$mt" -ge "$newest_t" ] &&
            { newest=$f; newest_t=$mt; }
    done
    [ -n "$newest" ] && mv -f "$newest" "$dest" && echo "$dest"
}

qemu_death_text() {
    local rc=$1 core=${2:-} sig why
    case $rc in
        ''|*[!0-9]*) return 1 ;;
    esac
    # 124 is timeout's own verdict; 125-127 are timeout/exec failures.
    [ "$rc" -gt 128 ] && [ "$rc" -lt 160 ] || return 1
    sig=$(kill -l $((rc - 128)) 2>/dev/null) || return 1
    printf 'QEMU died of SIG%s (exit %s)' "$sig" "$rc"
    case $sig in
        KILL) printf ' (the OOM killer, or timeout -k after QEMU ignored SIGTERM)' ;;
        TERM|INT|HUP) printf ' (killed from outside)' ;;
    esac
    if [ -n "$core" ] && [ -f "$core" ]; then
        printf '; core at %s (gdb %s %s)\n' "$core" "$(command -v "${QEMU:-qemu-system-x86_64}")" "$core"
    else
        case $sig in
            SEGV|BUS|ABRT|ILL|FPE|TRAP|SYS|QUIT)
                why="core_pattern '$(cat /proc/sys/kernel/core_pattern 2>/dev/null)'"
                why="$why, ulimit -c hard limit $(ulimit -H -c)"
                printf '; no core file found (%s)\n' "$why" ;;
            *) printf '\n' ;;
        esac
    fi
}
