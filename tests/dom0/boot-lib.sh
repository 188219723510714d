# boot-lib.sh - boot our hypervisor with Debian's dom0 under QEMU and keep a
# time-stamped serial log (sourced by tests/suites/60-dom0.sh and
# tests/bench/dom0-bench.sh; bash only).
#
#   d0_iso NAME "DOM0_CMDLINE" ["XEN_CMDLINE"]   -> $D0_DIR/NAME.iso
#                     (DOM0_FORMAT=bzimage|elf-gz|elf picks the kernel file)
#   d0_boot NAME TIMEOUT [INPUT_FIFO]            -> boots it, waits for QEMU
#   d0_lines NAME                                -> the log, one console line
#                                                   per line, prefixes gone
#   d0_xen_lines NAME                            -> only the hypervisor's lines
#   d0_arrival NAME REGEX                        -> seconds from QEMU start to
#                                                   the first matching line
#   d0_run_test NAME TIMEOUT XEN_CMDLINE [EXTRA] -> dom0_test=NAME booted
#                                                   as `make run` does
#   d0_relay / d0_expect_reported / d0_expect_done
#                                                -> dom0's verdicts as the
#                                                   suite's (below)
#
# d0_boot runs QEMU with the serial port on stdio and a reader that stamps
# every line with the host's clock as it arrives, so wall times of boot
# events can be read off afterwards: $D0_DIR/NAME.tlog holds
# "EPOCHREALTIME<TAB>line".  It sets D0_RC (QEMU's exit status; 33 is a
# clean poweroff, 124 the timeout, 128+N QEMU's death by signal N, its
# core then in D0_CORE and NAME.core), D0_T0 and D0_T1 (host time, seconds
# with microseconds, at QEMU start and exit), also written to NAME.rc for
# a caller that ran it in the background.  With INPUT_FIFO, QEMU's
# serial input is read from that FIFO (the caller holds it open for
# writing); otherwise from /dev/null.
#
# Dom0's console lines reach the serial port either raw or as
# "(XEN) [   12.345678] (d0) text"; d0_lines strips that prefix so both
# read the same.

D0_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$D0_ROOT/scripts/qemu-common.sh"
. "$D0_ROOT/tests/lib/qemu-death.sh"
D0_DIR=${D0_DIR:-$D0_ROOT/build/tests/dom0}
D0_XEN_CMDLINE=${D0_XEN_CMDLINE:-console=com1 debug_exit dom0_mem=1G}
D0_QEMU_ARGS=${D0_QEMU_ARGS:--m 2G -smp 2}
mkdir -p "$D0_DIR"

# Which dom0 kernel file d0_iso boots (scripts/mkiso.sh DOM0_FORMAT): the
# gzip'd ELF unless the caller or D0_DOM0_FORMAT says otherwise.  Decoding
# Debian's XZ bzImage costs several seconds more under TCG (docs/boot.md),
# so the long dom0 suites keep the faster file; suite 60 boots the bzImage.
D0_DOM0_FORMAT=${D0_DOM0_FORMAT:-elf-gz}

d0_iso() {
    local name=$1 dom0=$2 xen=${3:-$D0_XEN_CMDLINE}
    XEN_CMDLINE="$xen" WITH_DOM0=1 DOM0_CMDLINE="$dom0" \
        DOM0_FORMAT="${DOM0_FORMAT:-$D0_DOM0_FORMAT}" \
        sh "$D0_ROOT/scripts/mkiso.sh" "$D0_ROOT/build/boot" "$D0_DIR/$name.iso"
}

# Reads QEMU's output and writes each line with its arrival time.  A last
# line without a newline (a shell prompt) is kept too.
d0_stamp() {
    local line
    while IFS= read -r line || [ -n "$line" ]; do
        printf '%s\t%s\n' "$EPOCHREALTIME" "${line//$'\r'/}"
    done
}

d0_boot() {
    local name=$1 t=$2 input=${3:-/dev/null}
    rm -f "$D0_DIR/$name.tlog" "$D0_DIR/$name.rc"
    D0_T0=$EPOCHREALTIME
    # shellcheck disable=SC2086
    { qemu_allow_core
      timeout -k 5 "$t" $QEMU -machine "pc,$QEMU_CORE_MACHINE_OPT" -cpu "$QEMU_CPU" $D0_QEMU_ARGS \
        -display none -no-reboot -monitor none -serial stdio \
        -cdrom "$D0_DIR/$name.iso" $QEMU_DEBUG_EXIT; } <"$input" 2>"$D0_DIR/$name.qemu.err" |
        d0_stamp >"$D0_DIR/$name.tlog"
    D0_RC=${PIPESTATUS[0]}
    D0_T1=$EPOCHREALTIME
    echo "$D0_RC $D0_T0 $D0_T1" >"$D0_DIR/$name.rc"
    # QEMU's own death (a signal): its core, if one was written in our
    # working directory (QEMU's), kept beside the log as NAME.core.
    D0_CORE=
    if qemu_death_text "$D0_RC" >/dev/null; then
        D0_CORE=$(qemu_collect_core "$PWD" "$D0_DIR/$name.core" "$D0_T0")
        qemu_death_text "$D0_RC" "$D0_CORE" | tee -a "$D0_DIR/$name.qemu.err" >&2
    fi
    d0_lines "$name" >"$D0_DIR/$name.log"
}

d0_lines() {
    cut -f2- "$D0_DIR/$1.tlog" | sed -E 's/^\(XEN\) \[ *[0-9.]+\] \(d0\) //'
}

d0_xen_lines() {
    d0_lines "$1" | grep -a '^(XEN) '
}

d0_arrival() {
    local name=$1 re=$2 t
    t=$(sed -E 's/\t\(XEN\) \[ *[0-9.]+\] \(d0\) /\t/' "$D0_DIR/$name.tlog" |
        awk -F'\t' -v re="$re" '{ s = $0; sub(/^[^\t]*\t/, "", s) } s ~ re { print $1; exit }')
    [ -n "$t" ] && awk -v a="$D0_T0" -v b="$t" 'BEGIN { printf "%.2f\n", b - a }'
}

# "QEMU exit status 33" in words.  A death of QEMU itself by a signal is
# named as such, with CORE (default: the last d0_boot's core) or why there
# is none (tests/lib/qemu-death.sh).
d0_rc_text() {
    qemu_death_text "$1" "${2-$D0_CORE}" && return
    case $1 in
        "$QEMU_STATUS_PASS") echo "clean poweroff (QEMU status 33)" ;;
        "$QEMU_STATUS_PANIC") echo "hypervisor panic (QEMU status 35)" ;;
        "$QEMU_STATUS_FAIL") echo "dom0 crashed (QEMU status 37)" ;;
        124) echo "timed out" ;;
        *) echo "QEMU exit status $1" ;;
    esac
}

# What a dom0 boot needs, built (the hypervisor, libxc, our dom0 programs,
# the initramfs and kernel; `make test` has built it already, this is for
# running a suite alone): "PASS: PREFIX: build", or a FAIL with LOG's tail
# and the suite ends.  Each STEP is one more make's arguments (word-split:
# "-C tests/domu" or a directory with targets), run after xen and tools
# and before guests, which packs what they put in dom0-root into the
# initramfs.
#   d0_build PREFIX LOG [STEP...]
d0_build() {
    local prefix=$1 log=$2 step ok=1
    shift 2
    : >"$log"
    make -s -C "$D0_ROOT" xen tools >>"$log" 2>&1 || ok=0
    for step in "$@"; do
        [ $ok = 1 ] || break
        # shellcheck disable=SC2086
        make -s $step >>"$log" 2>&1 || ok=0
    done
    [ $ok = 1 ] && { make -s -C "$D0_ROOT" guests >>"$log" 2>&1 || ok=0; }
    if [ $ok = 1 ]; then
        pass "$prefix: build"
    else
        fail "$prefix: build" "make xen tools${*:+ (then: $*)} guests failed (see $log)"
        tail -n 20 "$log"
        exit 1
    fi
}

# dom0's own verdicts in LOG, renamed "PASS/FAIL: PREFIX: ...", with the
# detail lines that match KEEP (an extended regex; none if empty) shown as
# they are.  A FAIL among them fails the suite (failed, FAILED).
d0_relay() {
    local prefix=$1 log=$2 keep=${3:-}
    if [ -n "$keep" ]; then
        sed -n -E "s/^(PASS|FAIL): /\1: $prefix: /p; /$keep/p" "$log"
    else
        sed -n -E "s/^(PASS|FAIL): /\1: $prefix: /p" "$log"
    fi
    if grep -q '^FAIL: ' "$log"; then
        failed=1
        FAILED=$((FAILED + 1))
    fi
}

# A check dom0 never reported is a failure too (dom0 died mid-way): each
# NAME after LOG must have a PASS or FAIL line of its own there.  With
# --prefix a NAME need only begin its line: the start of a longer
# sentence ("cooperative, file written (N bytes)"), or of a line that a
# domU's console output, sharing the serial port, ran into.
d0_expect_reported() {
    local end='( |:|$)' prefix log t
    if [ "$1" = --prefix ]; then
        end=
        shift
    fi
    prefix=$1 log=$2
    shift 2
    for t in "$@"; do
        grep -Eq "^(PASS|FAIL): $t$end" "$log" ||
            fail "$prefix: $t" "no result line from dom0 (it stopped before this check)"
    done
}

# d0_run_test NAME TIMEOUT XEN_CMDLINE [DOM0_EXTRA]: dom0's test script
# NAME (dom0_test=NAME, console on hvc0, DOM0_EXTRA more of dom0's
# command line) booted the way `make run` boots dom0 (2 GiB, 2 vCPUs,
# -cpu max; D0_RUN_QEMU_EXTRA adds QEMU options, a NIC say).  A failed
# mkiso ends the suite.  Sets D0_LOG to the boot's
# log and says how the boot ended.
d0_run_test() {
    local name=$1 t=$2 xen=$3 extra=${4:-}
    d0_iso "$name" "console=hvc0 earlyprintk=xen dom0_test=$name${extra:+ $extra}" "$xen" ||
        { fail "$name: iso" "mkiso failed"; exit 1; }
    QEMU_CPU=max D0_QEMU_ARGS="-m 2G -smp 2${D0_RUN_QEMU_EXTRA:+ $D0_RUN_QEMU_EXTRA}" \
        d0_boot "$name" "$t"
    D0_LOG=$D0_DIR/$name.log
    echo "$name boot: $(d0_rc_text "$D0_RC") (log: $D0_LOG)"
}

# The end every dom0 test script's boot must reach: its "DOM0-TEST-DONE
# rc=0" line in LOG and QEMU's clean poweroff, reported as
# "PASS/FAIL: PREFIX: ..." (with the serial log's tail after a bad
# poweroff).  Uses D0_RC from d0_boot, and the suite's pass/fail.
d0_expect_done() {
    local prefix=$1 log=$2 done_line
    done_line=$(grep -a -m1 '^DOM0-TEST-DONE' "$log")
    if [ "$done_line" = "DOM0-TEST-DONE rc=0" ]; then
        pass "$prefix: DOM0-TEST-DONE rc=0"
    else
        fail "$prefix: DOM0-TEST-DONE rc=0" "${done_line:-no DOM0-TEST-DONE line}"
    fi
    if [ "$D0_RC" = "$QEMU_STATUS_PASS" ]; then
        pass "$prefix: clean poweroff (QEMU status 33)"
    else
        fail "$prefix: clean poweroff" "$(d0_rc_text "$D0_RC" "${log%.log}.core")"
        tail -n 30 "$log" | sed 's/^/  serial| /'
    fi
}
