#!/bin/bash
# Suite 62-dom0-disk: dom0's state disk and network (docs/dom0-disk.md).
#
# The dom0 initramfs with /tests/disk-net (dom0_test=disk-net), the host
# half in tests/lib/disknet-host.sh.  Two kinds of boot:
#
# native/  Debian's kernel booted by QEMU without the hypervisor, with the
#          same initramfs: checks the initramfs half (modules, disk choice,
#          mke2fs, bind mounts, DHCP, the test's own transfers) whatever
#          the hypervisor can do.
#   boot 1 (legacy INTx, vectors=0): a disk holding foreign data (must be
#     left alone) and a blank
#     1 GiB image (gets ext4 labelled MINIXEN); dom0 sees both disks and
#     the NIC, gets 10.0.2.15 by DHCP, and while it writes 256 MiB to the
#     state disk the host downloads 32 MiB from it and uploads 32 MiB
#     through the port forwards: every checksum must match; clean
#     poweroff leaves a filesystem e2fsck calls clean.
#   boot 2 (MSI-X): the state image alone: found by its label, the marker
#     boot 1 wrote in /var/lib/xend is still there.
# xen/     the same boot 1 with dom0 under our hypervisor, MSI-X
#          (XEN_DEV_IRQ=intx for INTx), ACPI on (XEN_DOM0_ARGS).  dom0 drives the
#          PCI devices only once the hypervisor gives it PCI config space,
#          I/O ports and interrupts (issue 14); until then these SKIP, with
#          the reason, when dom0 sees no virtio disk.
# make-run/ the ISO `make iso` builds, booted by scripts/run-qemu.sh as
#          `make run` boots it, with a session typed at dom0's shell: state
#          disk, DHCP, a marker across three boots; poweroff through the
#          hypervisor (debug_exit), then without debug_exit a reboot (reset)
#          and a poweroff (ACPI S5 written by the hypervisor).
#
# Env: DISK_TIMEOUT seconds per boot (default 900: the 256 MiB write is
# the long part under TCG), QEMU.

. "$(dirname "$0")/../lib/suite.sh"
. tests/lib/disknet-host.sh
. scripts/qemu-common.sh
DISK_TIMEOUT=${DISK_TIMEOUT:-900}
work=$BUILD/tests/dom0-disk
rm -rf "$work"
mkdir -p "$work"

if make -s -C linux-xen >"$work/make.log" 2>&1; then
    pass "build"
else
    fail "build" "make -C linux-xen failed (see $work/make.log)"
    tail -n 20 "$work/make.log"
    exit 1
fi

# The value of a "DISKNET KEY ..." line in LOG (the rest of the line).
fact() {
    tr -d '\r' <"$1" | sed -E 's/^[0-9]+\.[0-9]+\t//; s/^\(XEN\) \[ *[0-9.]+\] \(d0\) //' |
        sed -n "s/^DISKNET $2 //p" | head -n 1
}
# Field NAME=VALUE of a fact line.
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# native_boot NAME APPEND DISK...: boots in the background; QEMU's pid in
# $qpid, the serial log $work/NAME.log, QEMU's status later in NAME.rc.
native_boot() {
    local name=$1 append=$2
    shift 2
    dn_ports
    dn_devices "$@"
    # shellcheck disable=SC2086
    ( timeout -k 5 "$DISK_TIMEOUT" "$QEMU" -m 1G -nographic -no-reboot \
        -kernel "$BUILD/linux/vmlinuz" -initrd "$BUILD/boot/initrd-dom0.img" \
        -append "console=ttyS0 panic=-1 no_timer_check dom0_test=disk-net $append" \
        $DN_DEVICES </dev/null >"$work/$name.log" 2>&1
      echo $? >"$work/$name.rc" ) &
    qpid=$!
}

# Checks of a full disk-net boot whose log is LOG and transfers in DIR.
# PREFIX names the cases, STATE the device dom0 should have chosen.
check_full() {
    local p=$1 log=$2 dir=$3 state=$4 v want got
    v=$(fact "$log" disks)
    if echo "$v" | grep -qw vda && echo "$v" | grep -qw vdb; then
        pass "$p/sees-disks (/sys/block: $v)"
    else
        fail "$p/sees-disks" "/sys/block has '$v', wanted vda and vdb"
    fi
    v=$(fact "$log" nic)
    if echo "$v" | grep -q '^eth0 driver=virtio_net operstate=up'; then
        pass "$p/sees-nic ($v)"
    else
        fail "$p/sees-nic" "'$v'"
    fi
    v=$(fact "$log" lease)
    if echo "$v" | grep -q '^eth0 10\.0\.2\.15/24 via 10\.0\.2\.2 .*addr=10\.0\.2\.15/24$'; then
        pass "$p/dhcp-address ($v)"
    else
        fail "$p/dhcp-address" "'$v' (QEMU's user net offers 10.0.2.15/24 via 10.0.2.2)"
    fi
    v=$(fact "$log" state-mount)
    if [ "$v" = "$state ext4" ] && grep -q "init: $state is blank: making an ext4" "$log" &&
       [ "$(fact "$log" xend-dirs-on-disk)" = yes ]; then
        pass "$p/blank-disk-formatted-and-mounted ($state; /var/lib/xend and /var/log/xend on it)"
    else
        fail "$p/blank-disk-formatted-and-mounted" "state-mount '$v', xend dirs on disk '$(fact "$log" xend-dirs-on-disk)'; $(grep -m1 'init: .*state' "$log")"
    fi
    want=$(field "$(fact "$log" ready)" md5)
    read -r _ got bytes _ < <(grep '^download ' "$dir/transfer.txt" 2>/dev/null)
    if [ -n "$want" ] && [ "$want" = "$got" ] && [ "$bytes" = 33554432 ]; then
        pass "$p/tcp-dom0-to-host (32 MiB through the port forward, md5 $got)"
    else
        fail "$p/tcp-dom0-to-host" "dom0 served md5 '$want', host got '$got' ($bytes bytes)"
    fi
    v=$(fact "$log" upload)
    read -r _ want bytes _ < <(grep '^upload ' "$dir/transfer.txt" 2>/dev/null)
    if [ -n "$want" ] && [ "$(field "$v" md5)" = "$want" ] && [ "$(field "$v" bytes)" = "$bytes" ]; then
        pass "$p/tcp-host-to-dom0 (32 MiB, md5 $want)"
    else
        fail "$p/tcp-host-to-dom0" "host sent md5 '$want' ($bytes bytes), dom0 got '$v'"
    fi
    v=$(fact "$log" dd)
    if [ "$(field "$v" rc)" = 0 ] && [ -n "$(field "$v" want)" ] &&
       [ "$(field "$v" want)" = "$(field "$v" got)" ] && [ "$(field "$v" bytes)" = 268435456 ]; then
        pass "$p/dd-256MiB-with-tcp (read back after dropping caches matches; dd still running when the upload ended: $(field "$(fact "$log" upload)" dd-still-running))"
    else
        fail "$p/dd-256MiB-with-tcp" "'${v:-no dd line}'"
    fi
}

# Waits for a boot, runs the host half, and returns QEMU's status in $rc.
# A QEMU that could not bind its forwarded port (someone took it between
# dn_ports and QEMU) is reported as rc 255 with the reason.
finish_boot() {
    local name=$1 dir=$2
    [ -n "$dir" ] && { mkdir -p "$dir"; dn_transfer "$work/$name.log" "$qpid" "$dir"; }
    wait "$qpid"
    rc=$(cat "$work/$name.rc" 2>/dev/null || echo 255)
    sed -i 's/\r$//' "$work/$name.log"
}

# ---- the boots ----------------------------------------------------------------
#
# Two chains side by side, each QEMU run bounded by DISK_TIMEOUT: the
# native pair, and the hypervisor's boot (then its two persistence boots
# when dom0 saw the disk).  The checks below read their logs afterwards.

. tests/dom0/boot-lib.sh
# dom0 with ACPI on, as suite 61-dom0-hw boots it for its devices;
# XEN_DOM0_ARGS adds to its command line (e.g. "acpi=off swiotlb=noforce",
# what scripts/mkiso.sh passed before dom0 drove hardware).
XEN_DOM0_ARGS=${XEN_DOM0_ARGS:-}
XEN_DEV_IRQ=${XEN_DEV_IRQ:-msix}

state=$work/state.img
foreign=$work/foreign.img
xstate=$work/xen-state.img
xforeign=$work/xen-foreign.img
truncate -s 1G "$state"
truncate -s 1G "$xstate"
# Data at the start only, as a disk with a partition table would have.
head -c 1048576 /dev/urandom >"$foreign"
truncate -s 96M "$foreign"
cp "$foreign" "$xforeign"
foreign_md5=$(md5sum <"$foreign")

native_chain() {
    DN_IRQ=intx native_boot native1 "disknet=full" "$foreign" "$state"
    finish_boot native1 "$work/native1"
    # The filesystem as boot 1 left it, before boot 2 mounts it again.
    /sbin/e2label "$state" >"$work/native1.label" 2>&1
    /sbin/e2fsck -n -f "$state" >"$work/native1.fsck" 2>&1
    echo $? >>"$work/native1.fsck"
    DN_IRQ=msix native_boot native2 "disknet=persist" "$state"
    finish_boot native2 ""
}

# persist_boot NAME PHASE: one boot of /tests/disk-persist on xstate.
persist_boot() {
    D0_DIR=$work d0_iso "$1" "console=hvc0 $XEN_DOM0_ARGS quiet dom0_test=disk-persist disk_persist=$2" &&
        dn_ports && dn_devices "$xstate" &&
        D0_DIR=$work D0_QEMU_ARGS="-m 2G -smp 2 $QEMU_ACCEL_PCI $DN_DEVICES" d0_boot "$1" "$DISK_TIMEOUT"
}

xen_chain() {
    export DN_IRQ=$XEN_DEV_IRQ
    D0_DIR=$work d0_iso xen1 "console=hvc0 $XEN_DOM0_ARGS quiet dom0_test=disk-net disknet=full" || return
    dn_ports
    dn_devices "$xforeign" "$xstate"
    ( D0_DIR=$work D0_QEMU_ARGS="-m 2G -smp 2 $QEMU_ACCEL_PCI $DN_DEVICES" d0_boot xen1 "$DISK_TIMEOUT" ) &
    qpid=$!
    mkdir -p "$work/xen1"
    dn_transfer "$work/xen1.tlog" "$qpid" "$work/xen1"
    wait "$qpid"
    # xend's state across a poweroff, on the disk xen1 formatted.
    if [ -n "$(fact "$work/xen1.log" disks)" ]; then
        persist_boot xenp1 1
        persist_boot xenp2 2
    fi
}

if make -s xen tools guests >"$work/make-xen.log" 2>&1; then
    xen_built=1
else
    xen_built=0
    fail "xen/build" "make xen tools guests failed (see $work/make-xen.log)"
fi
# ---- make run itself ----------------------------------------------------------
#
# The ISO users boot (`make iso`: mkiso.sh's default dom0 command line, ACPI
# on) through scripts/run-qemu.sh, as `make run` runs it, with a scripted
# session on its console (tests/dom0/make-run-session.sh):
#   mr1: a new state disk; /var/lib/xend on it, a DHCP address, a marker
#        written, `poweroff` (debug_exit: QEMU status 33, run-qemu.sh 0);
#   mr2: the same ISO without debug_exit, as on a real machine: the marker
#        is still there, `reboot` resets the machine through the FADT's
#        reset register (QEMU's -no-reboot ends it, status 0);
#   mr3: no debug_exit again: `poweroff` is a real ACPI S5 entered by the
#        hypervisor (QEMU powers off, status 0).
MR_DIR=$work
. tests/dom0/make-run-session.sh
mr_disk=$work/make-run-disk.img
make_run_chain() {
    env -u XEN_CMDLINE -u DOM0_CMDLINE -u DOM0_FORMAT make -s iso >"$work/make-iso.log" 2>&1 &&
        cp "$BUILD/xen.iso" "$work/make-run.iso" || return
    # The Makefile's iso command line without debug_exit (RUN_DOM0_MEM's
    # default).
    env -u DOM0_CMDLINE -u DOM0_FORMAT XEN_CMDLINE="console=com1 dom0_mem=512M" \
        sh scripts/mkiso.sh "$BUILD/boot" "$work/make-run-real.iso" >>"$work/make-iso.log" 2>&1 || return
    rm -f "$mr_disk"
    mr_session mr1 "$work/make-run.iso" "$mr_disk" poweroff "mr1-$$" "$DISK_TIMEOUT"
    mr_session mr2 "$work/make-run-real.iso" "$mr_disk" reboot "mr2-$$" "$DISK_TIMEOUT"
    mr_session mr3 "$work/make-run-real.iso" "$mr_disk" poweroff "mr3-$$" "$DISK_TIMEOUT"
}

native_chain >"$work/native-chain.out" 2>&1 &
npid=$!
if [ $xen_built = 1 ]; then
    xen_chain >"$work/xen-chain.out" 2>&1 &
    xpid=$!
    wait "$xpid"
fi
wait "$npid"
# After the native pair, so that at most two QEMUs run at once.
[ $xen_built = 1 ] && make_run_chain >"$work/make-run-chain.out" 2>&1

# ---- native boot 1: blank disk beside a foreign one, disk and net at once --

log=$work/native1.log
rc=$(cat "$work/native1.rc" 2>/dev/null || echo none)
check_full native "$log" "$work/native1" /dev/vdb
if [ "$(md5sum <"$foreign")" = "$foreign_md5" ] && ! grep -q 'init: /dev/vda is blank' "$log"; then
    pass "native/foreign-disk-untouched"
else
    fail "native/foreign-disk-untouched" "the image holding data changed or was chosen"
fi
label=$(cat "$work/native1.label" 2>/dev/null)
fsck_rc=$(tail -n 1 "$work/native1.fsck" 2>/dev/null)
if [ "$rc" = 0 ] && grep -q 'poweroff: state disk unmounted' "$log" && [ "$label" = MINIXEN ] &&
   [ "$fsck_rc" = 0 ]; then
    pass "native/clean-poweroff (disk unmounted, e2fsck -n clean, label $label)"
else
    fail "native/clean-poweroff" "$(qemu_death_text "$rc" || echo "QEMU $rc"), label '$label', e2fsck -n exit $fsck_rc: $(tail -n 3 "$work/native1.fsck" | tr '\n' ' ')"
    tail -n 20 "$log" | sed 's/^/    | /'
fi
marker=$(fact "$log" marker-new)

# ---- native boot 2: the same disk again ------------------------------------

log=$work/native2.log
rc=$(cat "$work/native2.rc" 2>/dev/null || echo none)
old=$(fact "$log" marker-old)
if [ -n "$marker" ] && [ "$old" = "$marker" ] &&
   grep -q 'init: state disk /dev/vda (existing filesystem, label MINIXEN)' "$log"; then
    pass "native/state-survives-poweroff (marker $old found by label on the next boot, MSI-X this time)"
else
    fail "native/state-survives-poweroff" "boot 1 wrote '$marker', boot 2 read '$old'; $(grep -m1 'init: .*state' "$log")"
fi
[ "$rc" = 0 ] && pass "native/persist-boot-clean-exit" ||
    fail "native/persist-boot-clean-exit" "$(qemu_death_text "$rc" || echo "QEMU status $rc")"

# ---- under the hypervisor ---------------------------------------------------

if [ $xen_built = 1 ]; then
    log=$work/xen1.log
    read -r D0_RC _ <"$work/xen1.rc" 2>/dev/null || D0_RC=none
    disks=$(fact "$log" disks)
    if [ -z "$disks" ] && grep -q '^DISKNET disks' "$log"; then
        echo "  dom0 saw PCI devices: $(fact "$log" pci-devices); its kernel said:"
        grep '^DISKNET dmesg ' "$log" | sed 's/^DISKNET dmesg /    | /'
        for t in sees-disks sees-nic dhcp-address blank-disk-formatted-and-mounted \
                 tcp-dom0-to-host tcp-host-to-dom0 dd-256MiB-with-tcp foreign-disk-untouched \
                 xend-state-survives-poweroff; do
            skip "xen/$t" "dom0 under the hypervisor sees no virtio disk (issue 14: dom0 cannot drive the virtio devices yet; what it saw is printed above)"
        done
    else
        check_full xen "$log" "$work/xen1" /dev/vdb
        if cmp -s "$foreign" "$xforeign"; then
            pass "xen/foreign-disk-untouched"
        else
            fail "xen/foreign-disk-untouched" "the image holding data changed"
        fi
        for b in xenp1 xenp2; do
            sed -n -E 's/^(PASS|FAIL): /\1: xen\//p' "$work/$b.log"
            grep -q '^FAIL: ' "$work/$b.log" && failed=1
            read -r D0_RC _ <"$work/$b.rc" 2>/dev/null || D0_RC=none
            d0_expect_done "xen/$b" "$work/$b.log"
        done
        saved=$(sed -n 's/^DISKPERSIST saved //p' "$work/xenp1.log" | head -n 1)
        found=$(sed -n 's/^DISKPERSIST found //p' "$work/xenp2.log" | head -n 1)
        if [ -n "$(field "$saved" md5)" ] && [ "$(field "$saved" md5)" = "$(field "$found" md5)" ]; then
            pass "xen/save-file-survives-poweroff ($(field "$saved" bytes) bytes, md5 $(field "$saved" md5))"
        else
            fail "xen/save-file-survives-poweroff" "saved '$saved', found '$found'"
        fi
        read -r D0_RC _ <"$work/xen1.rc" 2>/dev/null || D0_RC=none
    fi
    # With or without devices dom0 must come up and power off cleanly.
    if [ "$D0_RC" = "$QEMU_STATUS_PASS" ] && grep -q '^DISKNET marker-new ' "$log"; then
        pass "xen/boots-and-powers-off-with-the-devices (QEMU status $D0_RC)"
    else
        fail "xen/boots-and-powers-off-with-the-devices" "$(d0_rc_text "$D0_RC" "$work/xen1.core")"
        tail -n 30 "$log" | sed 's/^/    | /'
    fi
fi

# ---- make run: the default ISO through run-qemu.sh ---------------------------

# mr_check NAME RC-TEXT OLD-MARKER: the facts every make-run boot must show.
mr_check() {
    local n=$1 old=$2 out=$work/$1.out rc mnt net
    rc=$(cat "$work/$n.rc" 2>/dev/null || echo none)
    mnt=$(mr_fact "$n" mnt)
    net=$(mr_fact "$n" net)
    if [[ $mnt == /dev/vd* ]] && [ "$(mr_fact "$n" wrote)" = "$n-$$" ]; then
        pass "make-run/$n-var-lib-xend-on-state-disk ($mnt)"
    else
        fail "make-run/$n-var-lib-xend-on-state-disk" "mounted from '${mnt:-nothing reported}', wrote '$(mr_fact "$n" wrote)'"
        tail -n 30 "$out" | sed 's/^/    | /'
    fi
    if [[ $net == 10.0.2.15/* ]]; then
        pass "make-run/$n-dhcp-address ($net)"
    else
        fail "make-run/$n-dhcp-address" "lease '${net:-none}'"
    fi
    if [ "$(mr_fact "$n" old)" = "$old" ]; then
        pass "make-run/$n-marker-from-last-boot ($old)"
    else
        fail "make-run/$n-marker-from-last-boot" "want '$old', found '$(mr_fact "$n" old)'"
    fi
    if grep -aq 'Domain 0 crashed\|Panic on CPU' "$out"; then
        fail "make-run/$n-no-crash" "$(grep -a -m1 'crashed\|Panic' "$out")"
    fi
    MR_RC=$rc
}

if [ $xen_built = 1 ]; then
    if [ ! -f "$work/make-run.iso" ]; then
        fail "make-run/iso" "make iso failed: $(tail -n 3 "$work/make-iso.log" | tr '\n' ' ')"
    else
        mr_check mr1 none
        if [ "$MR_RC" = 0 ] && grep -aq 'QEMU exited: the system powered off' "$work/mr1.out" &&
           grep -aq 'Domain 0: ACPI S5 requested (XENPF_enter_acpi_sleep)' "$work/mr1.out"; then
            pass "make-run/mr1-poweroff-through-platform-op (ACPI dom0, debug_exit: run-qemu.sh status 0)"
        else
            fail "make-run/mr1-poweroff-through-platform-op" "run-qemu.sh status $MR_RC; $(grep -a -m1 'Domain 0.*\(S5\|shut down\)' "$work/mr1.out")"
            tail -n 20 "$work/mr1.out" | sed 's/^/    | /'
        fi
        mr_check mr2 "mr1-$$"
        if [ "$MR_RC" = 0 ] && grep -aq 'Hardware domain shut down (reboot)' "$work/mr2.out" &&
           grep -aq 'Resetting the machine' "$work/mr2.out" &&
           ! grep -aq 'Reset failed' "$work/mr2.out"; then
            pass "make-run/mr2-reboot-resets-the-machine ($(grep -a -m1 -o 'reset register: port [^ ,]*' "$work/mr2.out" || echo 'no FADT reset register: keyboard controller'))"
        else
            fail "make-run/mr2-reboot-resets-the-machine" "run-qemu.sh status $MR_RC"
            tail -n 20 "$work/mr2.out" | sed 's/^/    | /'
        fi
        mr_check mr3 "mr2-$$"
        if [ "$MR_RC" = 0 ] && grep -aq 'Domain 0: ACPI S5 requested' "$work/mr3.out" &&
           ! grep -aq 'System halted' "$work/mr3.out"; then
            pass "make-run/mr3-poweroff-enters-S5 (no debug_exit: QEMU powered off by the hypervisor's PM1 write)"
        else
            fail "make-run/mr3-poweroff-enters-S5" "run-qemu.sh status $MR_RC"
            tail -n 20 "$work/mr3.out" | sed 's/^/    | /'
        fi
    fi
fi

# The images are large once written; keep them only to look at a failure.
[ "$failed" = 0 ] && rm -f "$state" "$foreign" "$xstate" "$xforeign" "$mr_disk"
exit $failed
