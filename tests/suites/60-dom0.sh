#!/bin/bash
# Suite 60-dom0: Debian's Linux 6.1 as dom0 on our hypervisor, checked from
# the inside and from the serial log.
#
# Boot 1 runs /tests/dom0-accept (tests/dom0/) in dom0 and re-emits each of
# its lines as "PASS: dom0: name"; then the serial log is checked from the
# hypervisor's side: clean poweroff (QEMU status 33), "DOM0-TEST-DONE
# rc=0", no hypervisor line reporting a crash, panic, unknown hypercall or
# warning, the version dom0 read through privcmd equal to the hypervisor's
# banner, dom0's wall clock read between QEMU's start and each line's
# arrival (a causal window, no bound on the serial line's delay), and the
# hypervisor's timestamps advancing at the host's rate.
# Boot 1's dom0 kernel is Debian's bzImage (XZ payload, decompressed by
# the hypervisor), boot 2's the gzip'd ELF: both of the dom0 builder's
# compressed paths.
# Boot 2 has no test: it types a command into the root shell on the
# console (serial input -> hypervisor -> dom0's hvc0), asks for dom0's
# wall clock (its answer within one round trip of the host's clock) and
# ends QEMU with `poweroff`.  docs/dom0-tests.md has the details.
#
# Env: D0_ACCEPT_TIMEOUT (300 s), D0_SHELL_TIMEOUT (120 s), D0_FORKS (2000;
# fork+exec rounds in dom0, 30-60 ms each today), D0_DIR (where the logs
# go, default build/tests/dom0).

. "$(dirname "$0")/../lib/suite.sh"
. tests/dom0/boot-lib.sh
. tests/dom0/shell-session.sh

ACCEPT_TIMEOUT=${D0_ACCEPT_TIMEOUT:-600}
SHELL_TIMEOUT=${D0_SHELL_TIMEOUT:-120}
FORKS=${D0_FORKS:-2000}

# The hypervisor, libxc, our dom0 programs, then the initramfs that carries
# them and the kernel.  (`make test` has built all this already; this is
# for running the suite alone.)
d0_build dom0 "$D0_DIR/make.log"

# The hypervisor's timestamps must advance at the host's rate: a wrongly
# calibrated TSC makes the whole system's time run fast or slow.  Compares
# hypervisor lines' own timestamps with their arrival on the host.
xen_clock_rate() {
    local name=$1 r
    # A line reaches the host some time after the hypervisor stamped it,
    # longer when the host is busy, so host - stamp only overstates the
    # true offset.  Each end of the span is taken at the line with the
    # smallest offset in the first and the last quarter of the boot (host
    # time), not at the first and last line, so one delayed line cannot
    # skew the rate; the two stay at least half the span apart.
    r=$(awk -F'\t' 'BEGIN { n = 0 }
        $2 ~ /^\(XEN\) \[ *[0-9.]+\]/ {
            s = $2; sub(/^\(XEN\) \[ */, "", s); sub(/\].*/, "", s)
            h[n] = $1; x[n] = s; n++
        }
        END {
            if (n < 3 || h[n-1] - h[0] < 10) { print "short"; exit }
            a = -1; b = -1; q = (h[n-1] - h[0]) / 4
            for (i = 0; i < n; i++) {
                if (h[i] <= h[0] + q && (a < 0 || h[i] - x[i] < h[a] - x[a])) a = i
                if (h[i] >= h[n-1] - q && (b < 0 || h[i] - x[i] < h[b] - x[b])) b = i
            }
            printf "%.3f %.1f %.1f\n", (x[b] - x[a]) / (h[b] - h[a]), x[b] - x[a], h[b] - h[a]
        }' "$D0_DIR/$name.tlog")
    set -- $r
    if [ "$1" = short ]; then
        fail "dom0: $name boot: hypervisor clock rate" "hypervisor lines span under 10 s of host time"
        return 1
    elif awk -v r="$1" 'BEGIN { exit !(r >= 0.95 && r <= 1.05) }'; then
        pass "dom0: $name boot: hypervisor clock keeps host time (rate $1)"
    else
        fail "dom0: $name boot: hypervisor clock keeps host time" \
            "its timestamps advanced $2 s while $3 s passed on the host (rate $1); $(d0_xen_lines "$name" | grep -a -m1 'Time: TSC')"
        return 1
    fi
}

# ---- boot 1: the acceptance test --------------------------------------

# Dom0's kernel here is Debian's bzImage as it ships (build/boot/vmlinuz-dom0,
# XZ inside): the hypervisor takes the ELF out itself.  Boot 2 loads the
# gzip'd ELF instead, so both paths of the dom0 builder boot Linux.
name=accept
DOM0_FORMAT=bzimage d0_iso $name "console=hvc0 earlyprintk=xen dom0_test=dom0-accept dom0_accept_forks=$FORKS" ||
    { fail "dom0: accept boot" "mkiso failed"; exit 1; }
grub_module=$(grep -a -m1 'module2' "$D0_ROOT/build/boot/grub.cfg")
d0_boot $name "$ACCEPT_TIMEOUT"
log=$D0_DIR/$name.log
echo "accept boot: $(d0_rc_text "$D0_RC") after $(awk -v a="$D0_T0" -v b="$D0_T1" 'BEGIN { printf "%.1f", b - a }') s (log: $log)"

# dom0's own verdicts, renamed into this suite.  Their "  dmesg| ..."
# detail lines are shown as they are.
d0_relay dom0 "$log" '^  dmesg\| '
# A check that never reported is a failure too (dom0 died mid-way).
d0_expect_reported dom0 "$log" cpus-online dmesg-clean xen-capabilities privcmd-device \
    xen-version hypercall-loop pipe-pingpong-1000 pipe-pingpong-cross-cpu-200 sleep-1 \
    "fork-exec-$FORKS" memtouch-2-threads dmesg-clean-after

if [ "$D0_RC" = "$QEMU_STATUS_PASS" ]; then
    pass "dom0: clean poweroff (QEMU status 33)"
else
    fail "dom0: clean poweroff" "$(d0_rc_text "$D0_RC") (limit ${ACCEPT_TIMEOUT} s)"
fi
done_line=$(grep -a -m1 '^DOM0-TEST-DONE' "$log")
if [ "$done_line" = "DOM0-TEST-DONE rc=0" ]; then
    pass "dom0: DOM0-TEST-DONE rc=0"
else
    fail "dom0: DOM0-TEST-DONE rc=0" "${done_line:-no DOM0-TEST-DONE line}"
fi

# Hypervisor lines that mean something went wrong, shown in full.
bad=$(d0_xen_lines $name | grep -a -E 'crashed|Panic|unknown hypercall|WARNING')
if [ -z "$bad" ]; then
    pass "dom0: hypervisor log clean (no crashed/Panic/unknown hypercall/WARNING)"
else
    fail "dom0: hypervisor log clean" "$(echo "$bad" | wc -l) line(s) with crashed/Panic/unknown hypercall/WARNING:"
    echo "$bad" | head -n 30 | sed 's/^/  xen| /'
fi

# Not failures: Linux probes optional interfaces and copes with ENOSYS.
# Listed so a change in what dom0 asks for shows in the suite's log.
d0_xen_lines $name | sed -n -E 's/.*d0: (hypercall [0-9]+ sub-op [0-9]+) is not supported.*/\1/p' |
    sort | uniq -c | sort -k3n -k5n | awk '{ printf "INFO: refused with ENOSYS: %s %s %s %s (%d time(s))\n", $2, $3, $4, $5, $1 }'

banner=$(d0_xen_lines $name | sed -n -E 's/^\(XEN\) \[ *[0-9.]+\] minixen ([^ ]+) .*booting$/\1/p' | head -n1)
seen=$(sed -n 's/^INFO: xen-version: Xen version //p' "$log")
if [ -n "$banner" ] && [ "$seen" = "$banner" ]; then
    pass "dom0: xen_version through privcmd matches the banner ($banner)"
else
    fail "dom0: xen_version matches the banner" "banner '${banner:-none}', dom0 read '${seen:-nothing}'"
fi

# The hypervisor reads the CMOS clock QEMU set from the host, dom0 reads
# the hypervisor's wall clock.  The check is causal, so a busy host that
# delays the serial line cannot fail it: a wall clock dom0 printed was
# read after some host moment FROM and before its line arrived at the
# host (TO), so it must lie in [FROM - 2 s, TO + 1.5 s].  Behind by up to
# 2 s is the design (QEMU starts its RTC at a whole second and the RTC
# shows whole seconds); ahead means a wrong offset (1.5 s tolerance for
# what the host's own clocks disagree on).  Here FROM is QEMU's start, a
# wide window that still catches a clock unset, a time zone or an offset
# of minutes; the shell boot below asks with a window of one round trip.
# (A limit on how far behind the arrival a line may be is a limit on how
# late the host delivers it: it failed under load, and is not used.)
# wall_window FROM LINES: "ok ..." or why not, for each "ARRIVAL<TAB>T" of
# LINES (at least one; each later than the one before).
wall_window() {
    awk -F'\t' -v from="$1" '
        NF >= 2 { n++; d = $2 - from; e = $2 - $1
          s = s sprintf("%s%.2f s after the window opened, %+.2f s from its arrival", n > 1 ? "; " : "", d, e)
          if (d < -2) bad = bad sprintf(" line %d is %.2f s before the window opened;", n, -d)
          if (e > 1.5) bad = bad sprintf(" line %d is %.2f s ahead of its own arrival;", n, e)
          if (n > 1 && $2 <= last) bad = bad sprintf(" line %d is not later than line %d;", n, n - 1)
          last = $2 }
        END { if (n == 0) print "no wall clock line"
              else if (bad) print s ":" bad
              else print "ok " s }' <<<"$2"
}
walls=$(sed -E 's/\t\(XEN\) \[ *[0-9.]+\] \(d0\) /\t/' "$D0_DIR/$name.tlog" |
    awk -F'\t' '$2 ~ /^INFO: dom0-wallclock [0-9.]+$/ { split($2, w, " "); print $1 "\t" w[3] }')
why=$(wall_window "$D0_T0" "$walls")
if [ "$(printf '%s\n' "$walls" | grep -c .)" != 2 ]; then
    fail "dom0: wall clock between QEMU's start and each line's arrival" "dom0 printed $(printf '%s\n' "$walls" | grep -c .) wall clock line(s), want 2"
else
    case $why in
        ok*) pass "dom0: wall clock between QEMU's start and each line's arrival (${why#ok })" ;;
        *) fail "dom0: wall clock between QEMU's start and each line's arrival" "$why" ;;
    esac
fi

xen_clock_rate $name

# The module GRUB loaded was Debian's vmlinuz, byte for byte, and the
# hypervisor's log says it decompressed the XZ payload to exactly the ELF
# Debian's xz makes of it (build/boot/vmlinux-dom0, by make-vmlinux.sh).
elf_size=$(stat -c %s "$D0_ROOT/build/boot/vmlinux-dom0" 2>/dev/null)
xz_line=$(d0_xen_lines $name | grep -a -m1 'dom0: kernel is a bzImage')
if [[ $grub_module == *"module2 --nounzip /boot/vmlinuz-dom0 "* ]] &&
        cmp -s "$D0_ROOT/build/boot/vmlinuz-dom0" "$D0_ROOT/build/linux/vmlinuz" &&
        [[ $xz_line == *"decompressed $elf_size bytes of XZ from "* ]]; then
    pass "dom0: kernel loaded from Debian's bzImage ($elf_size bytes of XZ decompressed by the hypervisor)"
else
    fail "dom0: kernel loaded from Debian's bzImage" "grub: '${grub_module}'; hypervisor: '${xz_line:-no bzImage line}'; want $elf_size bytes of XZ"
fi
# How long GRUB and the decoder took (information: no timed assertion).
echo "INFO: bzImage boot: first hypervisor line $(d0_arrival $name '^[(]XEN[)]') s after QEMU start; ${xz_line##*in } to decompress; dom0 test done at $(d0_arrival $name '^DOM0-TEST-DONE') s"

if [ $failed -ne 0 ] || [ "$D0_RC" != "$QEMU_STATUS_PASS" ]; then
    echo "--- $name.log (tail)"
    tail -n 40 "$log" | sed 's/^/    | /'
fi

# ---- boot 2: the interactive shell --------------------------------------

name=shell
fifo=$D0_DIR/shell.in
shell_failed=0
DOM0_FORMAT=elf-gz d0_iso $name "console=hvc0 earlyprintk=xen" || { fail "dom0: shell boot" "mkiso failed"; exit 1; }
rm -f "$fifo"
mkfifo "$fifo"
# Held open read-write so QEMU's open does not block and never sees EOF.
exec 5<>"$fifo"
# d0_boot clears these too, but in the background: a previous run's log
# must not be mistaken for this boot's prompt.
rm -f "$D0_DIR/$name.tlog" "$D0_DIR/$name.rc"
d0_boot $name "$SHELL_TIMEOUT" "$fifo" &
boot_pid=$!
tlog=$D0_DIR/$name.tlog
answered=0
# The command typed at the prompt asks xend first: /init starts it before
# the prompt, so it must answer at once.
shell_answered() { d0_lines $name 2>/dev/null | grep -aq '^SHELL-42-0'; }
ss_wait_shell "$tlog" $boot_pid "$SHELL_TIMEOUT" &&
    ss_type_until 5 'xenctl list >/dev/null 2>&1; r=$?; echo SHELL-$((6*7))-$(id -u)-xenctl$r' 6 shell_answered &&
    answered=1
# Then dom0's wall clock (timecmp prints it with nanoseconds), asked at a
# known host moment: the answer's window is one round trip.
wall_answered() { d0_lines $name 2>/dev/null | grep -aq '^WALL-timecmp: start '; }
wall_sent=
[ $answered = 1 ] && ss_type_until 5 'echo WALL-$(timecmp true)' 6 wall_answered &&
    wall_sent=$SS_SENT
ss_end 5 $boot_pid poweroff 30 20
wait $boot_pid
exec 5>&-
rm -f "$fifo"
# d0_boot ran in a subshell: its results are in files.
read -r D0_RC D0_T0 D0_T1 <"$D0_DIR/$name.rc" || D0_RC=unknown
log=$D0_DIR/$name.log

shell_line=$(grep -a -m1 'init: root shell on /dev/' "$log")
if [ "$shell_line" = "init: root shell on /dev/hvc0 ('poweroff' to stop)" ]; then
    pass "dom0: login shell started on hvc0"
else
    fail "dom0: login shell started on hvc0" "${shell_line:-no 'init: root shell' line}"; shell_failed=1
fi
if [ $answered = 1 ]; then
    pass "dom0: shell on hvc0 answers a typed command"
else
    fail "dom0: shell on hvc0 answers a typed command" "no SHELL-42-0 reply to serial input (hypervisor console input to dom0?)"; shell_failed=1
fi
if d0_lines $name 2>/dev/null | grep -aq '^SHELL-42-0-xenctl0'; then
    pass "dom0: xenctl list typed at the prompt finds xend"
else
    fail "dom0: xenctl list typed at the prompt finds xend" "$(d0_lines $name 2>/dev/null | grep -a -m1 '^SHELL-42' || echo 'no reply')"; shell_failed=1
fi
if [ "$D0_RC" = "$QEMU_STATUS_PASS" ]; then
    pass "dom0: poweroff typed at the shell ends QEMU (status 33)"
else
    fail "dom0: poweroff typed at the shell ends QEMU" "$(d0_rc_text "$D0_RC")"; shell_failed=1
fi
bad=$(d0_xen_lines $name | grep -a -E 'crashed|Panic|unknown hypercall|WARNING')
if [ -z "$bad" ]; then
    pass "dom0: shell boot's hypervisor log is clean"
else
    fail "dom0: shell boot's hypervisor log is clean" "$(echo "$bad" | wc -l) line(s):"
    echo "$bad" | head -n 30 | sed 's/^/  xen| /'; shell_failed=1
fi
# The answer to the question typed at wall_sent: dom0's clock read after
# the question left the host and before the answer reached it.
if [ -n "$wall_sent" ]; then
    wall=$(awk -F'\t' '$2 ~ /^WALL-timecmp: start [0-9.]+ / { split($2, w, " "); print $1 "\t" w[3]; exit }' "$D0_DIR/$name.tlog")
    why=$(wall_window "$wall_sent" "$wall")
    case $why in
        ok*) pass "dom0: wall clock between a question typed at the shell and its answer's arrival (${why#ok })" ;;
        *) fail "dom0: wall clock between a question typed at the shell and its answer's arrival" "$why"; shell_failed=1 ;;
    esac
else
    fail "dom0: wall clock between a question typed at the shell and its answer's arrival" "no WALL-timecmp answer to 'echo WALL-\$(timecmp true)'"; shell_failed=1
fi
xen_clock_rate $name || shell_failed=1
# This boot's kernel was the gzip'd ELF: the builder's older path.
gz_line=$(d0_xen_lines $name | grep -a -m1 'dom0: kernel inflated from')
if [[ $gz_line == *"dom0: kernel inflated from $(stat -c %s "$D0_ROOT/build/boot/vmlinux-dom0.gz") to $elf_size bytes"* ]]; then
    pass "dom0: shell boot's kernel loaded from the gzip'd ELF"
else
    fail "dom0: shell boot's kernel loaded from the gzip'd ELF" "${gz_line:-no 'kernel inflated' line}"; shell_failed=1
fi
if [ $shell_failed -ne 0 ]; then
    echo "--- $name.log (tail)"
    tail -n 30 "$log" | sed 's/^/    | /'
fi

# ---- boots 3 and 4: damaged bzImages --------------------------------------

# Debian's vmlinuz with one byte of its XZ payload changed, and cut short
# inside its payload: the hypervisor must say why it cannot build dom0
# (then panic with that reason, as for any unusable kernel), not fault.
vmlinuz=$D0_ROOT/build/boot/vmlinuz-dom0
read -r pm_off p_off p_len < <(od -An -tu1 -j $((0x1f1)) -N1 "$vmlinuz" |
    awk '{ s = $1 ? $1 : 4; printf "%d ", (s + 1) * 512 }';
    od -An -tu4 -j $((0x248)) -N8 "$vmlinuz")
for bad in corrupt truncated; do
    img=$D0_DIR/vmlinuz-$bad
    if [ $bad = corrupt ]; then
        cp "$vmlinuz" "$img"
        # The middle of the payload (LZMA2 data, under the block's CRC32),
        # every bit of one byte flipped.
        at=$((pm_off + p_off + p_len / 2))
        byte=$(od -An -tu1 -j $at -N1 "$vmlinuz" | tr -d ' ')
        printf "\\$(printf %03o $((byte ^ 255)))" |
            dd of="$img" bs=1 seek=$at conv=notrunc status=none
        want="dom0: cannot decompress the bzImage's xz payload: "
    else
        head -c $((pm_off + p_off + p_len / 2)) "$vmlinuz" >"$img"
        want="dom0: kernel bzImage refused: payload lies beyond the end of the image"
    fi
    XEN_CMDLINE="$D0_XEN_CMDLINE" DOM0_KERNEL=$img DOM0_CMDLINE="console=hvc0" \
        sh "$D0_ROOT/scripts/mkiso.sh" "$D0_ROOT/build/boot" "$D0_DIR/bad-$bad.iso" ||
        { fail "dom0: $bad bzImage boot" "mkiso failed"; continue; }
    d0_boot bad-$bad 240
    line=$(d0_xen_lines bad-$bad | grep -a -m1 -F "$want")
    if [ -n "$line" ] && [ "$D0_RC" = "$QEMU_STATUS_PANIC" ] &&
            d0_xen_lines bad-$bad | grep -aq 'Could not build dom0' &&
            ! d0_xen_lines bad-$bad | grep -aEq 'fatal trap|RIP:'; then
        pass "dom0: $bad bzImage refused with a reason (${line#*] })"
    else
        fail "dom0: $bad bzImage refused with a reason" "$(d0_rc_text "$D0_RC"); want '$want'; got: $(d0_xen_lines bad-$bad | tail -n 3 | tr '\n' ' ')"
    fi
done

exit $failed
