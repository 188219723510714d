#!/bin/bash
# Suite 40-linux-xen: the dom0 kernel and initramfs built by linux-xen/.
#
# Builds with `make -C linux-xen`, checks the kernel ELF (header, Xen notes
# cross-checked against readelf), the host tools' error handling, the
# initramfs contents and its rebuild rules, then boots Debian's bzImage
# natively under QEMU/TCG (no hypervisor involved) with dom0_test=smoke and
# with a test overlay holding a dynamically linked program, asserting the
# test lines and that QEMU powers off by itself; and once without a test,
# typing into the root shell on the serial console and ending with
# `poweroff`.  Also checks the domU kit: initrd-domu.img's contents, that
# dom0's image carries it with Debian's vmlinuz and /etc/xen/debian.cfg,
# and boots the domU initramfs natively until its /init powers off.
#
# Env: QEMU (default qemu-system-x86_64), BOOT_TIMEOUT seconds (default 120).

. "$(dirname "$0")/../lib/suite.sh"
QEMU=${QEMU:-qemu-system-x86_64}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-120}
work=$BUILD/tests/linux-xen
rm -rf "$work"
mkdir -p "$work"

ELF=$BUILD/boot/vmlinux-dom0
INITRD=$BUILD/boot/initrd-dom0.img
NOTES=$BUILD/linux/xen-notes.txt
TOOLS=$BUILD/linux/tools

# ---- build ---------------------------------------------------------------

if make -C linux-xen >"$work/make1.log" 2>&1; then
    pass "build"
else
    fail "build" "make -C linux-xen failed (see $work/make1.log)"
    tail -n 20 "$work/make1.log"
    exit 1
fi

before=$(stat -c %Y.%s "$ELF" "$INITRD" "$BUILD/boot/vmlinux-dom0.gz")
make --no-print-directory -C linux-xen >"$work/make2.log" 2>&1
after=$(stat -c %Y.%s "$ELF" "$INITRD" "$BUILD/boot/vmlinux-dom0.gz")
if [ -s "$work/make2.log" ]; then
    fail "rebuild-is-noop" "second make printed: $(head -c 200 "$work/make2.log")"
elif [ "$before" != "$after" ]; then
    fail "rebuild-is-noop" "outputs were rewritten by a second make"
else
    pass "rebuild-is-noop"
fi

# ---- the kernel ELF ------------------------------------------------------

hdr=$(readelf -h "$ELF" 2>&1)
if echo "$hdr" | grep -q 'Class: *ELF64' && echo "$hdr" | grep -q 'Machine: *Advanced Micro Devices X86-64' &&
   echo "$hdr" | grep -q 'Type: *EXEC'; then
    pass "elf-header (ELF64 x86-64 EXEC)"
else
    fail "elf-header" "$(echo "$hdr" | grep -E 'Class|Machine|Type' | tr -s ' ' | tr '\n' ';')"
fi

entry=$(echo "$hdr" | sed -n 's/.*Entry point address: *//p')
if [ "$entry" = 0x1000000 ]; then
    pass "elf-native-entry ($entry)"
else
    fail "elf-native-entry" "e_entry is '$entry', the x86-64 kernel links at 0x1000000"
fi

if zcat "$BUILD/boot/vmlinux-dom0.gz" | cmp -s - "$ELF"; then
    pass "elf-gz-matches"
else
    fail "elf-gz-matches" "vmlinux-dom0.gz does not inflate to vmlinux-dom0"
fi

note() { sed -n "s/^XEN_ELFNOTE_$1 ([0-9]*): //p" "$NOTES"; }
missing=
for n in ENTRY VIRT_BASE PADDR_OFFSET XEN_VERSION GUEST_OS LOADER FEATURES \
         SUPPORTED_FEATURES HV_START_LOW INIT_P2M MOD_START_PFN; do
    [ -n "$(note $n)" ] || missing="$missing $n"
done
if [ -z "$missing" ]; then pass "xen-notes-present"; else fail "xen-notes-present" "missing:$missing"; fi

if [ "$(note XEN_VERSION)" = '"xen-3.0"' ] && [ "$(note GUEST_OS)" = '"linux"' ] &&
   [ "$(note VIRT_BASE)" = 0xffffffff80000000 ] && [ "$(note PADDR_OFFSET)" = 0x0 ] &&
   note SUPPORTED_FEATURES | grep -qw dom0; then
    pass "xen-notes-values"
else
    fail "xen-notes-values" "unexpected: $(tr '\n' ';' <"$NOTES")"
fi

# Our decoder against binutils: readelf prints type 1 of any owner as
# NT_VERSION and dumps its bytes little-endian first.
xen_entry=$(note ENTRY)
raw=$(readelf -n "$ELF" | awk '/^ *Xen .*NT_VERSION/ { getline; sub(/.*data: */, ""); print; exit }')
le=0x$(for b in $raw; do echo "$b"; done | tac | tr -d '\n' | sed 's/^0*//')
if [ -n "$raw" ] && [ "$le" = "$xen_entry" ]; then
    pass "xen-entry-matches-readelf ($xen_entry)"
else
    fail "xen-entry-matches-readelf" "ours '$xen_entry', readelf bytes '$raw'"
fi

# The PV entry point must lie in an executable PT_LOAD (by virtual address).
if readelf -lW "$ELF" | awk -v e="$xen_entry" '
        function hex(s,   i, c, v) { v = 0; s = tolower(substr(s, 3))
            for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
            return v }
        $1 == "LOAD" && $0 ~ /E/ { lo = hex($3); hi = lo + hex($6); if (hex(e) >= lo && hex(e) < hi) ok = 1 }
        END { exit !ok }'; then
    pass "xen-entry-in-text"
else
    fail "xen-entry-in-text" "ENTRY $xen_entry is not inside an executable PT_LOAD"
fi

# System.map is rebuilt from the image's kallsyms: it must agree with the
# Xen ENTRY note about where startup_xen is.
map=$BUILD/linux/System.map
nsyms=$(wc -l <"$map")
sx=$(awk '$3 == "startup_xen" { print "0x" $1 }' "$map" | sed 's/0x0*/0x/')
if [ "$sx" = "$xen_entry" ] && [ "$nsyms" -gt 50000 ]; then
    pass "system-map ($nsyms symbols, startup_xen = ENTRY)"
else
    fail "system-map" "$nsyms symbols, startup_xen at '$sx', ENTRY note '$xen_entry'"
fi

# ---- host tools reject bad input ----------------------------------------

expect_error() {   # name, expected message fragment, command...
    local name=$1 want=$2 out rc
    shift 2
    out=$("$@" 2>&1 >/dev/null); rc=$?
    if [ $rc -eq 1 ] && echo "$out" | grep -q -- "$want"; then
        pass "$name"
    else
        fail "$name" "exit $rc, stderr '$out' (wanted '$want')"
    fi
}
head -c 30000 "$BUILD/linux/vmlinuz" >"$work/truncated-bzimage"
head -c 4096 "$ELF" >"$work/truncated-elf"
printf 'MZ' >"$work/tiny"
expect_error "extract-rejects-non-bzimage" "not a bzImage" "$TOOLS/bzimage-extract" /etc/passwd
expect_error "extract-rejects-tiny-file" "too small" "$TOOLS/bzimage-extract" "$work/tiny"
expect_error "extract-rejects-truncated" "beyond the end" "$TOOLS/bzimage-extract" "$work/truncated-bzimage"
expect_error "inspect-rejects-bzimage" "not an ELF" "$TOOLS/vmlinux-inspect" check "$BUILD/linux/vmlinuz"
expect_error "inspect-rejects-truncated" "outside the file" "$TOOLS/vmlinux-inspect" check "$work/truncated-elf"
expect_error "inspect-rejects-non-exec" "not an executable" "$TOOLS/vmlinux-inspect" check "$TOOLS/vmlinux-inspect"
expect_error "inspect-wants-xen-notes" "no Xen ELF notes" "$TOOLS/vmlinux-inspect" notes /bin/busybox
expect_error "kallsyms-map-needs-tables" "no kallsyms tables" "$TOOLS/kallsyms-map" /bin/busybox

# ---- initramfs contents --------------------------------------------------

zcat "$INITRD" | cpio -it --quiet >"$work/initrd.list" 2>"$work/cpio.err"
missing=
for f in init bin/busybox bin/sh sbin/insmod sbin/poweroff tests/smoke etc/profile; do
    grep -qx "$f" "$work/initrd.list" || missing="$missing $f"
done
if [ -z "$missing" ]; then pass "initrd-layout"; else fail "initrd-layout" "missing:$missing"; fi

release=$(cat "$BUILD/linux/amd64/root/release" 2>/dev/null || ls "$BUILD/linux/dom0-modules/lib/modules")
missing=
while read -r name kind path _; do
    [ "$kind" = module ] || continue
    grep -qx "lib/modules/$release/$path" "$work/initrd.list" || missing="$missing $path"
done <"$BUILD/linux/dom0-modules.txt"
nmods=$(grep -c ' module ' "$BUILD/linux/dom0-modules.txt")
if [ -z "$missing" ] && [ "$nmods" -ge 4 ]; then
    pass "initrd-modules ($nmods modules)"
else
    fail "initrd-modules" "$nmods modules listed; not in image:$missing"
fi

order=$BUILD/linux/dom0-modules/lib/modules/$release/dom0-load-order
p=$(grep -n 'xen-privcmd.ko' "$order" | cut -d: -f1)
x=$(grep -n 'xenfs.ko' "$order" | cut -d: -f1)
if [ -n "$p" ] && [ -n "$x" ] && [ "$p" -lt "$x" ]; then
    pass "module-order (xen-privcmd before xenfs)"
else
    fail "module-order" "load order: $(tr '\n' ' ' <"$order")"
fi

mkdir -p "$work/x" && (cd "$work/x" && zcat "$INITRD" | cpio -id --quiet bin/busybox init 2>/dev/null)
if [ -x "$work/x/bin/busybox" ] && ! readelf -lW "$work/x/bin/busybox" | grep -q INTERP &&
   head -n 1 "$work/x/init" | grep -q '^#!/bin/busybox sh'; then
    pass "initrd-busybox-static"
else
    fail "initrd-busybox-static" "busybox missing, dynamic, or /init has the wrong interpreter"
fi

# ---- the domU kit ---------------------------------------------------------

DOMU_INITRD=$BUILD/linux/initrd-domu.img
zcat "$DOMU_INITRD" | cpio -it --quiet >"$work/domu.list" 2>/dev/null
missing=
for f in init bin/busybox bin/sh sbin/poweroff sbin/reboot etc/profile etc/hostname; do
    grep -qx "$f" "$work/domu.list" || missing="$missing $f"
done
for m in xen-blkfront xen-netfront; do
    grep -q "^lib/modules/$release/.*/$m.ko$" "$work/domu.list" || missing="$missing $m.ko"
done
if [ -z "$missing" ] && ! grep -q '^tests/.' "$work/domu.list"; then
    pass "domu-initrd-layout ($(( $(stat -c %s "$DOMU_INITRD") / 1024 )) KiB)"
else
    fail "domu-initrd-layout" "missing:$missing"
fi

# What dom0 gets: the bzImage itself, the domU initramfs and the configs,
# all in dom0's initramfs.
missing=
for f in boot/vmlinuz boot/initrd-domu.img etc/xen/debian.cfg etc/xen/domu-example.cfg; do
    grep -qx "$f" "$work/initrd.list" || missing="$missing $f"
done
mkdir -p "$work/kit" && (cd "$work/kit" && zcat "$INITRD" | cpio -id --quiet boot/vmlinuz boot/initrd-domu.img etc/xen/debian.cfg 2>/dev/null)
cfg_kernel=$(sed -n 's/^kernel *= *"\(.*\)"/\1/p' "$work/kit/etc/xen/debian.cfg" 2>/dev/null)
cfg_ramdisk=$(sed -n 's/^ramdisk *= *"\(.*\)"/\1/p' "$work/kit/etc/xen/debian.cfg" 2>/dev/null)
if [ -z "$missing" ] && cmp -s "$work/kit/boot/vmlinuz" "$BUILD/linux/vmlinuz" &&
   cmp -s "$work/kit/boot/initrd-domu.img" "$DOMU_INITRD" &&
   [ "$cfg_kernel" = /boot/vmlinuz ] && [ "$cfg_ramdisk" = /boot/initrd-domu.img ]; then
    pass "dom0-has-domu-kit (debian.cfg names files dom0 has)"
else
    fail "dom0-has-domu-kit" "missing:$missing; debian.cfg kernel '$cfg_kernel' ramdisk '$cfg_ramdisk'"
fi

# ---- overlay: programs from build/dom0-root get their libraries ----------

overlay=$work/overlay
OVL_INITRD=$work/initrd-overlay.img
mkdir -p "$overlay/usr/bin" "$overlay/tests"
cat >"$work/dynhello.c" <<'EOF'
#include <stdio.h>
#include <math.h>
int main(int argc, char **argv) { (void)argv; printf("OVERLAY-DYN-OK %.0f\n", sqrt(1764.0 * argc)); return 0; }
EOF
gcc -O2 -o "$overlay/usr/bin/dynhello" "$work/dynhello.c" -lm
cat >"$overlay/tests/overlay" <<'EOF'
#!/bin/sh
/usr/bin/dynhello && /tests/kallsyms
EOF
chmod 755 "$overlay/tests/overlay"
make_ovl() { make --no-print-directory -C linux-xen initrd DOM0_ROOT="$overlay" INITRD="$OVL_INITRD"; }

if make_ovl >"$work/make-ovl.log" 2>&1 &&
   zcat "$OVL_INITRD" | cpio -it --quiet >"$work/ovl.list" 2>/dev/null &&
   grep -qx usr/bin/dynhello "$work/ovl.list" && grep -qx tests/overlay "$work/ovl.list" &&
   grep -q '^lib/x86_64-linux-gnu/libm.so' "$work/ovl.list" &&
   grep -qx lib64/ld-linux-x86-64.so.2 "$work/ovl.list"; then
    pass "overlay-with-libraries"
else
    fail "overlay-with-libraries" "overlay image lacks the program or its libraries (see $work/make-ovl.log)"
fi

stamp() { stat -c %Y.%s "$OVL_INITRD" 2>/dev/null; }
s1=$(stamp); sleep 1
make_ovl >/dev/null 2>&1; s2=$(stamp)
rm "$overlay/usr/bin/dynhello"; printf '#!/bin/sh\necho OVERLAY-DYN-OK gone\n' >"$overlay/usr/bin/other"
make_ovl >/dev/null 2>&1; s3=$(stamp)
if [ "$s1" = "$s2" ] && [ "$s2" != "$s3" ] && zcat "$OVL_INITRD" | cpio -it --quiet 2>/dev/null | grep -qx usr/bin/other; then
    pass "overlay-rebuild-rules"
else
    fail "overlay-rebuild-rules" "stamps $s1 / $s2 / $s3: unchanged overlay must not rebuild, changed must"
fi
# Put the dynamic program back for the boot below.
gcc -O2 -o "$overlay/usr/bin/dynhello" "$work/dynhello.c" -lm
rm "$overlay/usr/bin/other"
make_ovl >/dev/null 2>&1 || fail "overlay-rebuild" "make failed"

# ---- native boots (no hypervisor) ----------------------------------------

# boot NAME INITRD TEST [ARGS]: boots the bzImage with dom0_test=TEST; log in
# $work/boot-NAME.log, QEMU's exit status in $boot_rc, seconds in $boot_secs.
# no_timer_check: under a loaded TCG host the kernel's IO-APIC timer probe can
# miss its window and panic ("IO-APIC + timer doesn't work"); it tests QEMU, not us.
boot() {
    local start=${EPOCHREALTIME/./}
    timeout "$BOOT_TIMEOUT" "$QEMU" -m 512M -nographic -no-reboot \
        -kernel "$BUILD/linux/vmlinuz" -initrd "$2" \
        -append "console=ttyS0 dom0_test=$3 panic=-1 no_timer_check $4" </dev/null >"$work/boot-$1.log" 2>&1
    boot_rc=$?
    boot_secs=$(( (${EPOCHREALTIME/./} - start) / 1000000 ))
    # Serial output has CRLF line ends.
    sed -i 's/\r$//' "$work/boot-$1.log"
}

clean_exit() {   # name: QEMU exited 0 because the guest powered off
    local log=$work/boot-$1.log
    if [ "$boot_rc" -eq 0 ] && grep -q 'reboot: Power down' "$log" && ! grep -q 'Kernel panic' "$log"; then
        pass "$1-clean-exit (${boot_secs}s)"
    elif [ "$boot_rc" -eq 124 ]; then
        fail "$1-clean-exit" "QEMU still running after ${BOOT_TIMEOUT}s"
    else
        fail "$1-clean-exit" "QEMU exit $boot_rc; $(grep -m1 -E 'Kernel panic|DOM0-TEST' "$log")"
    fi
}

boot smoke "$INITRD" smoke
log=$work/boot-smoke.log
missing=
for t in proc-mounted sys-mounted dev-mounted dev-nodes busybox-applets fork-exec-1000 \
         pipe-pingpong sleep-1; do
    grep -q "^PASS: $t" "$log" || missing="$missing $t"
done
if [ -z "$missing" ] && ! grep -q '^FAIL:' "$log"; then
    pass "smoke-checks ($(grep -o 'fork-exec-1000 ([0-9.]*s)' "$log"))"
else
    fail "smoke-checks" "missing PASS:$missing; $(grep '^FAIL:' "$log" | head -n 3 | tr '\n' ';')"
fi
if grep -q '^SKIP: xen-capabilities' "$log"; then
    pass "smoke-skips-xen-checks"
else
    fail "smoke-skips-xen-checks" "no SKIP line for the Xen checks on bare QEMU"
fi
# No disk in this QEMU: init says so once and keeps state in RAM
# (docs/dom0-disk.md; suite 62 boots with disks).
if grep -q '^init: no state disk (no disk): /var/lib/xend and /var/log/xend are in RAM' "$log"; then
    pass "no-disk-keeps-state-in-ram"
else
    fail "no-disk-keeps-state-in-ram" "$(grep -m1 'state disk' "$log" || echo 'no state disk line')"
fi
if grep -qx 'DOM0-TEST-DONE rc=0' "$log"; then
    pass "smoke-done-line"
else
    fail "smoke-done-line" "$(grep -m1 DOM0-TEST-DONE "$log" || echo 'no DOM0-TEST-DONE line')"
fi
clean_exit smoke

# shell_boot: boots without a test, waits for the shell prompt on the
# serial console, types a command and `poweroff`.  Writes "rc secs" and
# the outcome to $work/shell.rc.
shell_boot() {
    local fifo=$work/shell.in log=$work/boot-shell.log start=${EPOCHREALTIME/./} i seen=0
    rm -f "$fifo"; mkfifo "$fifo"
    timeout "$BOOT_TIMEOUT" "$QEMU" -m 512M -nographic -no-reboot \
        -kernel "$BUILD/linux/vmlinuz" -initrd "$INITRD" \
        -append "console=ttyS0 panic=-1 no_timer_check" <"$fifo" >"$log" 2>&1 &
    local qpid=$!
    exec 5>"$fifo"
    for ((i = 0; i < BOOT_TIMEOUT; i++)); do
        grep -q 'root@dom0:~# ' "$log" && break
        sleep 1
    done
    # The line editor asks the terminal for its cursor position and eats
    # what arrives meanwhile: send an empty line first, retry the command.
    printf '\r' >&5; sleep 1
    for ((i = 0; i < 5 && !seen; i++)); do
        printf 'echo SHELL-$((6*7))-$(id -u)\r' >&5
        sleep 2
        grep -q '^SHELL-42-0' "$log" && seen=1
    done
    printf 'poweroff\r' >&5
    wait $qpid
    local rc=$?
    exec 5>&-
    sed -i 's/\r$//' "$log"
    echo "$rc $(( (${EPOCHREALTIME/./} - start) / 1000000 )) $seen" >"$work/shell.rc"
}

# These are short: run them side by side, each with its own status file
# since boot() sets globals in the background subshell.
( boot overlay "$OVL_INITRD" overlay nokaslr; echo "$boot_rc $boot_secs" >"$work/overlay.rc" ) &
( boot missing "$INITRD" no-such-test; echo "$boot_rc $boot_secs" >"$work/missing.rc" ) &
shell_boot &
( boot domu "$DOMU_INITRD" none "domu_test=poweroff-after-boot domu_test_delay=1"
  echo "$boot_rc $boot_secs" >"$work/domu.rc" ) &
wait

read -r boot_rc boot_secs <"$work/overlay.rc"
log=$work/boot-overlay.log
if grep -qx 'OVERLAY-DYN-OK 42' "$log" && grep -qx 'DOM0-TEST-DONE rc=0' "$log"; then
    pass "overlay-dynamic-program-runs"
else
    fail "overlay-dynamic-program-runs" "$(grep -m2 -E 'OVERLAY|DOM0-TEST|error|not found' "$log" | tr '\n' ';')"
fi
# With nokaslr the running kernel's /proc/kallsyms must equal System.map.
digest=$(sed -n 's/^KALLSYMS-DIGEST //p' "$log")
want="$(md5sum <"$map" | cut -d' ' -f1) $(wc -l <"$map")"
if [ -n "$digest" ] && [ "$digest" = "$want" ]; then
    pass "system-map-matches-running-kernel"
else
    fail "system-map-matches-running-kernel" "guest '${digest:-no digest}', System.map '$want'"
fi
clean_exit overlay

read -r boot_rc boot_secs <"$work/missing.rc"
if grep -qx 'DOM0-TEST-DONE rc=127' "$work/boot-missing.log"; then
    pass "missing-test-reported"
else
    fail "missing-test-reported" "$(grep -m1 DOM0-TEST-DONE "$work/boot-missing.log" || echo 'no DOM0-TEST-DONE line')"
fi
clean_exit missing

# The domU initramfs without Xen: banner, the test marker, and busybox's
# poweroff applet (which only signals PID 1) powering the machine off.
read -r boot_rc boot_secs <"$work/domu.rc"
log=$work/boot-domu.log
if grep -q '^=== minixen domU: Debian Linux .* without a hypervisor ===' "$log" &&
   grep -q '^DOMU-TEST: poweroff-after-boot: running poweroff' "$log" &&
   grep -q '^init: powering off' "$log"; then
    pass "domu-initrd-banner-and-poweroff-applet"
else
    fail "domu-initrd-banner-and-poweroff-applet" "$(grep -m3 -E '===|DOMU-TEST|init:' "$log" | tr '\n' ';')"
fi
clean_exit domu

read -r boot_rc boot_secs seen <"$work/shell.rc"
if [ "$seen" = 1 ] && grep -q "init: root shell on /dev/ttyS0" "$work/boot-shell.log"; then
    pass "shell-on-serial-runs-commands"
else
    fail "shell-on-serial-runs-commands" "no prompt or no command output (see $work/boot-shell.log)"
fi
clean_exit shell

exit $failed
