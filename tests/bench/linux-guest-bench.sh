#!/bin/bash
# Linux-guest figures of issues 11 and 12, ours next to Debian's Xen 4.17
# in the same run: create -> init / shell prompt of a 256 MiB Debian-kernel
# PV domU, balloon 512 -> 256 MiB, save and restore of a 256 MiB guest.
# Prints figures and ratios only; never passes or fails on speed.
#
# Boots two machines under the same QEMU options (TCG, -cpu $QEMU_CPU,
# -m 2G -smp 2, the dom0 given BENCH_DOM0_MEM on both): ours with
# dom0_test=guest-bench, then Debian's Xen 4.17 with the image
# tests/bench/xen417/mkimage.sh makes (dom0_test=xen417-dom0, which
# starts xenstored and xenconsoled and runs the same guest-bench).  Both
# run tests/bench/dom0/guest-bench, which prints "BENCH SIDE KEY=VALUE"
# per run; this script takes the medians and prints the table
# (docs/benchmarks.md explains every line).
#
# Env: BENCH_RUNS (runs of each measurement, default 3),
#      GUEST_BENCH_TIMEOUT (seconds per machine, default 1500),
#      BENCH_DOM0_MEM (default 768M), BENCH_SIDES (default "ours xen417"),
#      BENCH_PARTS (of create,balloon,save; default all),
#      BENCH_WAIT (seconds one step may take in dom0, default 600),
#      BENCH_GUEST_ARGS (more of the guest's kernel command line, on both
#      sides, words separated by commas: xen_scrub_pages=0, say).
# Each side boots the guest as its own kit would: ours with
# xen_scrub_pages=0 (etc/debian.cfg), Xen with Linux's default; the
# table's footer prints each side's guest command line.

cd "$(dirname "$0")/../.." || exit 2
D0_DIR=${D0_DIR:-$PWD/build/tests/bench}
. tests/dom0/boot-lib.sh

RUNS=${BENCH_RUNS:-3}
TIMEOUT=${GUEST_BENCH_TIMEOUT:-1500}
DOM0_MEM=${BENCH_DOM0_MEM:-768M}
SIDES=${BENCH_SIDES:-ours xen417}
PARTS=${BENCH_PARTS:-create,balloon,save}
WAIT=${BENCH_WAIT:-600}
GUEST_ARGS=${BENCH_GUEST_ARGS:+ bench_guest_args=$BENCH_GUEST_ARGS}
D0_QEMU_ARGS="-m 2G -smp 2"
rc=0

build_ours() {
    make -s -C "$D0_ROOT" xen tools >"$D0_DIR/ours-make.log" 2>&1 &&
        make -s -C tests/bench/dom0 >>"$D0_DIR/ours-make.log" 2>&1 &&
        make -s -C "$D0_ROOT" guests >>"$D0_DIR/ours-make.log" 2>&1 &&
        d0_iso ours "console=hvc0 earlyprintk=xen dom0_test=guest-bench bench_runs=$RUNS bench_wait=$WAIT bench_parts=$PARTS$GUEST_ARGS" \
            "console=com1 debug_exit dom0_mem=$DOM0_MEM"
}

build_xen417() {
    # Needs the domU kit and the dom0 modules linux-xen builds.
    make -s -C "$D0_ROOT" guests >"$D0_DIR/xen417-make.log" 2>&1 &&
        XEN417_CMDLINE="console=com1 com1=115200,8n1 dom0_mem=$DOM0_MEM,max:$DOM0_MEM" \
        XEN417_DOM0_CMDLINE="console=hvc0 earlyprintk=xen dom0_test=xen417-dom0 bench_runs=$RUNS bench_wait=$WAIT bench_parts=$PARTS$GUEST_ARGS" \
        bash tests/bench/xen417/mkimage.sh "$D0_DIR/xen417.iso" >>"$D0_DIR/xen417-make.log" 2>&1
}

for side in $SIDES; do
    if ! "build_$side"; then
        echo "linux-guest-bench: building the $side image failed (see $D0_DIR/$side-make.log):"
        tail -n 5 "$D0_DIR/$side-make.log" | sed 's/^/  /'
        rc=1
        continue
    fi
    d0_boot "$side" "$TIMEOUT"
    how=$(d0_rc_text "$D0_RC")
    # Debian's Xen ends the machine through ACPI S5: QEMU exits with 0.
    [ "$side" = xen417 ] && [ "$D0_RC" = 0 ] && how="powered off (QEMU status 0)"
    echo "--- $side: $how, QEMU ran $(awk -v a="$D0_T0" -v b="$D0_T1" \
        'BEGIN { printf "%.0f", b - a }') s (log $D0_DIR/$side.log)"
    grep -a '^BENCH .* error=' "$D0_DIR/$side.log" | sed 's/^/  /'
    grep -aq "^BENCH $side done" "$D0_DIR/$side.log" ||
        { echo "  ($side did not finish; the figures below may be missing)"; rc=1; }
done

# median SIDE KEY: the median of that side's KEY= values ("" if none).
median() {
    sed -n "s/^BENCH $1 $2=\([0-9.]*\)\$/\1/p" "$D0_DIR/$1.log" 2>/dev/null | sort -n |
        awk '{ v[NR] = $1 } END { if (NR) printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
count() { grep -ac "^BENCH $1 $2=" "$D0_DIR/$1.log" 2>/dev/null; }
# rate SIDE KEY: 256 MiB of guest over the median seconds.
rate() {
    awk -v s="$(median "$1" "$2")" 'BEGIN { if (s > 0) printf "%.1f", 256 / s }'
}
mib() {
    awk -v b="$(median "$1" save_bytes)" 'BEGIN { if (b > 0) printf "%.1f", b / 1048576 }'
}
# row LABEL OURS XEN TARGET
row() {
    local ratio
    ratio=$(awk -v a="$2" -v b="$3" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b }')
    printf '  %-34s %9s %9s %9s   %s\n' "$1" "${2:-?}" "${3:-?}" "${ratio:-?}" "$4"
}

echo "== Linux guest, ours vs Debian Xen 4.17 (medians of up to $RUNS runs; QEMU -cpu $QEMU_CPU $D0_QEMU_ARGS, dom0_mem=$DOM0_MEM${BENCH_GUEST_ARGS:+; guest also given $BENCH_GUEST_ARGS})"
printf '  %-34s %9s %9s %9s   %s\n' "" ours "Xen 4.17" ours/xen "target (issue)"
row "create -> guest /init banner (s)" "$(median ours create_init_s)" "$(median xen417 create_init_s)" ""
row "create -> shell prompt (s)" "$(median ours create_prompt_s)" "$(median xen417 create_prompt_s)" \
    "<= 0.33 (11: Xen 8.8-11.7 s)"
row "balloon 512 -> 256 MiB (s)" "$(median ours balloon_s)" "$(median xen417 balloon_s)" \
    "<= 0.50 (11: Xen 0.84 s)"
row "save 256 MiB (s)" "$(median ours save_s)" "$(median xen417 save_s)" \
    "<= 0.50 (12: Xen 1.3-1.85 s)"
row "  save rate (MiB of guest/s)" "$(rate ours save_s)" "$(rate xen417 save_s)" ""
row "  save file (MiB)" "$(mib ours)" "$(mib xen417)" ""
row "restore 256 MiB (s)" "$(median ours restore_s)" "$(median xen417 restore_s)" \
    "<= 0.50 (12: Xen 1.5-1.7 s)"
row "  restore rate (MiB of guest/s)" "$(rate ours restore_s)" "$(rate xen417 restore_s)" ""
row "downtime, save + restore (s)" "$(median ours downtime_s)" "$(median xen417 downtime_s)" ""
row "  balloon: mem-set returned (s)" "$(median ours balloon_cmd_s)" "$(median xen417 balloon_cmd_s)" ""
row "  balloon: first page back (s)" "$(median ours balloon_start_s)" "$(median xen417 balloon_start_s)" ""
for side in ours xen417; do
    case " $SIDES " in *" $side "*) continue ;; esac
    [ -f "$D0_DIR/$side.log" ] &&
        echo "  ($side was not run: its column is from $D0_DIR/$side.log of $(date -r "$D0_DIR/$side.log" '+%F %H:%M'))"
done
grep -a "^BENCH ours boot profile: " "$D0_DIR/ours.log" 2>/dev/null |
    sed 's/^BENCH ours boot profile: /  ours, the last create (its boot, untimed counters): /'
grep -a "^BENCH ours profile: " "$D0_DIR/ours.log" 2>/dev/null |
    sed 's/^BENCH ours profile: /  ours, one more balloon: /'
grep -a "^BENCH ours timing: " "$D0_DIR/ours.log" 2>/dev/null |
    sed 's/^BENCH ours timing: .*\(saved\|restored\) domain/  ours, \1 domain/'
for side in ours xen417; do
    grep -a "^BENCH $side guest_cmdline=" "$D0_DIR/$side.log" 2>/dev/null | tail -n 1 |
        sed "s/^BENCH $side guest_cmdline=/  $side's guest: /"
done
for side in $SIDES; do
    printf '  runs %-8s create %s, balloon %s, save/restore %s\n' "$side:" \
        "$(count "$side" create_prompt_s)" "$(count "$side" balloon_s)" "$(count "$side" restore_s)"
done
exit $rc
