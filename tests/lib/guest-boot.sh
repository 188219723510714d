# Helpers for booting the PV test kernels of tests/guests/ as dom0 (sourced
# by suites, after or instead of qemu-boot.sh, which it sources itself).
#
#   guest_build                  -> make -C tests/guests; GUEST_DIR set
#   guest_enabled                -> prints "name [xen options]" lines of
#                                   tests/guests/ENABLED
#   guest_check_elf NAME         -> PASS/FAIL on the ELF's headers and notes
#   guest_boot NAME [XEN_OPTS] [TAG]
#                                -> boots build/guests/NAME.elf as dom0 and
#                                   re-emits its PASS:/FAIL: lines as
#                                   "PASS: TAG: case" (TAG: guest-NAME);
#                                   adds a FAIL if QEMU did not exit 33 or
#                                   no DONE appeared
# Env: GUEST_TIMEOUT (60 s per boot), GUEST_QEMU_ARGS (-m 512M -smp 2),
#      GUEST_XEN_CMDLINE (console=com1 debug_exit dom0_mem=64M).

. "$(dirname "${BASH_SOURCE[0]}")/qemu-boot.sh"

GUEST_DIR="$ROOT/build/guests"
GUEST_TIMEOUT=${GUEST_TIMEOUT:-60}
GUEST_QEMU_ARGS=${GUEST_QEMU_ARGS:--m 512M -smp 2}
GUEST_XEN_CMDLINE=${GUEST_XEN_CMDLINE:-console=com1 debug_exit dom0_console=tagged dom0_mem=64M mm_audit}
# startofday.c checks that this reaches start_info.cmd_line unchanged.
GUEST_CMDLINE_TOKEN="cmdline-check=ok"

guest_build() {
    make -s -C "$ROOT/tests/guests" BUILD="$ROOT/build" >"$BOOTDIR/guests-build.log" 2>&1
}

guest_enabled() {
    sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' \
        "$ROOT/tests/guests/ENABLED" | grep -v '^$'
}

# The builder contract of docs/guest-tests.md, checked with readelf and
# a raw dump of the note section.
guest_check_elf() {
    local name=$1 elf="$GUEST_DIR/$1.elf" hdr why="" notes entry
    hdr=$(readelf -hlW "$elf" 2>&1) || { fail "guest-$name: ELF" "readelf failed: $hdr"; return; }
    echo "$hdr" | grep -q 'Type: *EXEC' || why="$why not ET_EXEC;"
    echo "$hdr" | grep -q 'Machine: *Advanced Micro Devices X86-64' || why="$why not x86-64;"
    echo "$hdr" | grep -Eq '^ *LOAD +0x[0-9a-f]+ 0xffffffff80100000 0x0+100000 ' ||
        why="$why first PT_LOAD not at VA 0xffffffff80100000 / paddr 0x100000;"
    echo "$hdr" | grep -Eq '^ *NOTE ' || why="$why no PT_NOTE;"
    entry=$(echo "$hdr" | sed -n 's/.*Entry point address: *0x//p')
    notes=$(guest_notes "$elf")
    for want in "6 ourtest" "5 xen-3.0" "8 generic" "10 !writable_page_tables" \
                "3 ffffffff80000000" "4 0" "1 $entry"; do
        echo "$notes" | grep -qxF "$want" || why="$why note '$want' missing;"
    done
    [ "$name" != hcpage ] && echo "$notes" | grep -q '^2 ' && why="$why has a HYPERCALL_PAGE note;"
    if [ -z "$why" ]; then pass "guest-$name: ELF headers and Xen notes"
    else fail "guest-$name: ELF headers and Xen notes" "$why"
    fi
}

# One line per note owned by "Xen": "TYPE VALUE", VALUE a string for the
# string notes and hex (no 0x) for 8-byte numbers.
guest_notes() {
    local raw
    raw=$(mktemp)
    objcopy -O binary --only-section=.note.xen "$1" "$raw" 2>/dev/null
    od -An -v -tx1 "$raw" | tr -s ' \n' '\n\n' | grep -v '^$' | awk '
        function hex(s,   v, k) {
            v = 0
            for (k = 1; k <= length(s); k++) v = v * 16 + index("0123456789abcdef", substr(s, k, 1)) - 1
            return v
        }
        function word(i) { return hex(b[i+3] b[i+2] b[i+1] b[i]) }
        { b[n++] = $1 }
        END {
            i = 0
            while (i + 12 <= n) {
                namesz = word(i); descsz = word(i + 4); type = word(i + 8)
                name = ""
                for (k = 0; k < namesz - 1; k++) name = name sprintf("%c", hex(b[i + 12 + k]))
                d = i + 12 + int((namesz + 3) / 4) * 4
                val = ""
                if (descsz == 8 && type != 5 && type != 6 && type != 8) {
                    for (k = 7; k >= 0; k--) val = val b[d + k]
                    sub(/^0+/, "", val); if (val == "") val = "0"
                } else {
                    for (k = 0; k < descsz && b[d + k] != "00"; k++) val = val sprintf("%c", hex(b[d + k]))
                }
                if (name == "Xen") print type, val
                i = d + int((descsz + 3) / 4) * 4
            }
        }'
    rm -f "$raw"
}

guest_boot() {
    local name=$1 opts=${2:-} log tag=${3:-guest-$1} elf="$GUEST_DIR/$1.elf"
    if [ ! -f "$elf" ]; then
        fail "$tag: boot" "$elf missing (enabled in ENABLED but no $name.c?)"
        return
    fi
    # Words "qemu:ARG" of the options are QEMU arguments for this boot
    # (e.g. "qemu:-device qemu:edu"), the others hypervisor options.
    local w xen_opts="" qemu_extra=""
    for w in $opts; do
        case $w in
            qemu:*) qemu_extra="$qemu_extra ${w#qemu:}" ;;
            *) xen_opts="$xen_opts $w" ;;
        esac
    done
    opts=${xen_opts# }
    XEN_CMDLINE="$GUEST_XEN_CMDLINE${opts:+ $opts}" DOM0_KERNEL="$elf" \
        DOM0_CMDLINE="guest=$name $GUEST_CMDLINE_TOKEN" \
        sh "$ROOT/scripts/mkiso.sh" "$ROOT/build/boot" "$BOOTDIR/$tag.iso" || {
        fail "$tag: boot" "mkiso failed"; return; }
    # shellcheck disable=SC2086
    boot_run "$tag" "$GUEST_TIMEOUT" $GUEST_QEMU_ARGS $qemu_extra
    log="$BOOTDIR/$tag.log"
    # Guest lines arrive as "(d0) PASS: case" (maybe after a timestamp).
    sed -n -e "s/^.*(d0) \(PASS\|FAIL\): /\1: $tag: /p" "$log"
    local nfail
    nfail=$(grep -c '(d0) FAIL: ' "$log")
    FAILED=$((FAILED + nfail))
    if grep -q '(d0) DONE: ' "$log"; then
        pass "$tag: DONE reported ($(sed -n 's/^.*(d0) DONE: //p' "$log" | tail -n1))"
    else
        fail "$tag: DONE reported" "no '(d0) DONE:' line in $log"
    fi
    # mm_audit: at shutdown the hypervisor checks every frame's type and
    # reference counts against the page tables that exist.
    if grep -Eq 'mm_audit: d0: 0 mismatches' "$log"; then
        pass "$tag: frame-table audit clean at shutdown"
    else
        fail "$tag: frame-table audit clean at shutdown" \
            "$(grep -a 'mm_audit' "$log" | head -n3 | tr '\n' ' ')"
    fi
    case "$BOOT_RC" in
        "$QEMU_STATUS_PASS") pass "$tag: dom0 powered off (QEMU status 33)" ;;
        "$QEMU_STATUS_FAIL") fail "$tag: dom0 powered off" "dom0 crashed or was crashed (QEMU status 37)" ;;
        "$QEMU_STATUS_PANIC") fail "$tag: dom0 powered off" "hypervisor panic (QEMU status 35)" ;;
        124) fail "$tag: dom0 powered off" "timed out after ${GUEST_TIMEOUT}s" ;;
        *) fail "$tag: dom0 powered off" "$(boot_rc_text)" ;;
    esac
    if [ "$BOOT_RC" != "$QEMU_STATUS_PASS" ] || [ "$nfail" -gt 0 ]; then
        echo "--- $tag.log (tail)"
        tail -n 30 "$log" | sed 's/^/    | /'
    fi
}
