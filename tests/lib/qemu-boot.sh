# Boot-test helpers (sourced by suites).
#
#   boot_image NAME "XEN_CMDLINE" [WITH_DOM0=0|1]     -> build/tests/boot/NAME.iso
#   boot_run NAME TIMEOUT QEMU-ARGS...               -> runs it; serial in
#                                                       build/tests/boot/NAME.log;
#                                                       sets BOOT_RC (and
#                                                       BOOT_CORE after QEMU's
#                                                       death by a signal)
#   boot_rc_text                                     -> BOOT_RC in words
#   expect_log NAME TEST "regex" / expect_no_log ... / expect_rc NAME TEST rc
# Each expect_* prints one PASS:/FAIL: line and records failures in FAILED.

. "$(dirname "${BASH_SOURCE[0]}")/suite.sh"
. "$ROOT/scripts/qemu-common.sh"
. "$ROOT/tests/lib/qemu-death.sh"
BOOTDIR="$ROOT/build/tests/boot"
mkdir -p "$BOOTDIR"

boot_image() {
    local name=$1 cmdline=$2 dom0=${3:-0}
    XEN_CMDLINE="$cmdline" WITH_DOM0=$dom0 \
        sh "$ROOT/scripts/mkiso.sh" "$ROOT/build/boot" "$BOOTDIR/$name.iso"
}

boot_run() {
    local name=$1 t=$2
    shift 2
    local t0=$EPOCHREALTIME
    ( qemu_allow_core
      exec timeout -k 5 "$t" $QEMU -machine "pc,$QEMU_CORE_MACHINE_OPT" -cpu "$QEMU_CPU" -nographic \
        -no-reboot -monitor none -serial "file:$BOOTDIR/$name.log" \
        -cdrom "$BOOTDIR/$name.iso" $QEMU_DEBUG_EXIT "$@" ) \
        </dev/null >"$BOOTDIR/$name.qemu.out" 2>&1
    BOOT_RC=$?
    # QEMU's own death by a signal: its core (cwd is the repository root)
    # kept as NAME.core, named by boot_rc_text.
    BOOT_CORE=
    qemu_death_text "$BOOT_RC" >/dev/null &&
        BOOT_CORE=$(qemu_collect_core "$PWD" "$BOOTDIR/$name.core" "$t0")
    # serial log lines end in \r\n
    sed -i 's/\r$//' "$BOOTDIR/$name.log" 2>/dev/null
    return 0
}

# The last boot_run's status in words: QEMU's death by a signal named
# (with its core), otherwise "QEMU exit status N".
boot_rc_text() {
    qemu_death_text "$BOOT_RC" "$BOOT_CORE" || echo "QEMU exit status $BOOT_RC"
}

expect_rc() {
    local name=$1 test=$2 want=$3
    if [ "$BOOT_RC" = "$want" ]; then pass "$test"
    else fail "$test" "$(boot_rc_text), wanted $want (log: $BOOTDIR/$name.log)"
    fi
}

expect_log() {
    local name=$1 test=$2 re=$3
    if grep -Eq -- "$re" "$BOOTDIR/$name.log"; then pass "$test"
    else fail "$test" "no line matching /$re/ in $BOOTDIR/$name.log"
    fi
}

expect_no_log() {
    local name=$1 test=$2 re=$3
    if grep -Eq -- "$re" "$BOOTDIR/$name.log"; then
        fail "$test" "unexpected line matching /$re/: $(grep -Em1 -- "$re" "$BOOTDIR/$name.log")"
    else pass "$test"
    fi
}

# Print the log on failure so CI output shows what happened.
dump_log_on_failure() {
    local name=$1
    [ "$FAILED" -gt 0 ] && { echo "--- $name.log (tail)"; tail -n 40 "$BOOTDIR/$name.log" | sed 's/^/    | /'; }
    return 0
}
