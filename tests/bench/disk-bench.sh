#!/bin/bash
# dom0's state disk and network: sequential write and read MB/s of a
# 256 MiB file on the disk (dd, fsync; page cache dropped before the
# read, timed inside dom0), and TCP throughput through QEMU's port
# forward (32 MiB each way: dom0 -> host over HTTP, host -> dom0; timed on the
# host), for Debian's Linux booted natively in the same QEMU (the limit),
# as dom0 under our hypervisor and as dom0 under Debian's Xen 4.17
# (tests/bench/xen417/mkimage.sh: the same kernel, the same busybox dom0
# initramfs and its /tests/disk-net, only the hypervisor differs).
# Printed, never asserted (docs/benchmarks.md); the last table puts the
# three side by side with ours/Xen and ours/native.
#
# Every machine gets the same QEMU: -m 2G -smp 2, one 1 GiB sparse raw
# image on virtio-blk-pci and a virtio-net-pci NIC with MSI-X, as `make
# run` has them (DN_IRQ=intx: legacy INTx).  Natively the kernel gets
# mem=1G, the dom0_mem both hypervisors give dom0.
#
# Env: DISK_TIMEOUT (seconds per machine, default 900), DISK_SIDES (of
# native ours xen417, default all three), XEN_DOM0_ARGS (added to
# dom0's command line on both hypervisors).
. "$(dirname "$0")/../lib/suite.sh"
. tests/lib/disknet-host.sh
. tests/dom0/boot-lib.sh
DISK_TIMEOUT=${DISK_TIMEOUT:-900}
DISK_SIDES=${DISK_SIDES:-native ours xen417}
XEN_DOM0_ARGS=${XEN_DOM0_ARGS:-}
DOM0_MEM=1G
QEMU_MACHINE="-m 2G -smp 2"
DOM0_ARGS="console=hvc0 $XEN_DOM0_ARGS quiet dom0_test=disk-net disknet=bench"
work=$BUILD/tests/disk-bench
rm -rf "$work"
mkdir -p "$work"
make -s xen tools guests >"$work/make.log" 2>&1 || { echo "build failed: $work/make.log"; exit 1; }

fact() {
    tr -d '\r' <"$1" | sed -E 's/^[0-9]+\.[0-9]+\t//; s/^\(XEN\) \[ *[0-9.]+\] \(d0\) //' |
        sed -n "s/^DISKNET $2 //p" | head -n 1
}
# MB/s of the transfer line KIND (bytes, start, end) in transfer.txt.
tcp_mbs() {
    awk -v k="$2" '$1 == k { printf "%.1f", $3 / 1e6 / ($5 - $4) }' "$1/transfer.txt" 2>/dev/null
}
# FIG_<side>_<key>: the figures of each side, for the table at the end.
report() {   # SIDE WHO LOG DIR
    local b
    b=$(fact "$3" bench)
    if [ -z "$b" ]; then
        echo "$2: no figures: dom0 has no state disk (/sys/block: '$(fact "$3" disks)'; log $3)"
        return
    fi
    eval "FIG_$1_write=$(echo "$b" | sed -n 's/.*write_mbs=\([0-9.]*\).*/\1/p')"
    eval "FIG_$1_read=$(echo "$b" | sed -n 's/.*read_mbs=\([0-9.]*\).*/\1/p')"
    eval "FIG_$1_down=$(tcp_mbs "$4" download)"
    eval "FIG_$1_up=$(tcp_mbs "$4" upload)"
    echo "$2: disk $b; tcp dom0->host $(tcp_mbs "$4" download) MB/s, host->dom0 $(tcp_mbs "$4" upload) MB/s"
    # Ours only: dom0's hypervisor work during both transfers.
    tr -d '\r' <"$3" | sed -n 's/^\(.*(d0) \)\{0,1\}DISKNET \(hcprofile: .*\)/  \2/p'
}

run_native() {
    truncate -s 1G "$work/native.img"
    dn_ports
    dn_devices "$work/native.img"
    # shellcheck disable=SC2086
    timeout -k 5 "$DISK_TIMEOUT" "$QEMU" -machine pc -cpu "$QEMU_CPU" $QEMU_MACHINE \
        -nographic -no-reboot \
        -kernel "$BUILD/linux/vmlinuz" -initrd "$BUILD/boot/initrd-dom0.img" \
        -append "console=ttyS0 mem=$DOM0_MEM panic=-1 no_timer_check dom0_test=disk-net disknet=bench" \
        $DN_DEVICES </dev/null >"$work/native.log" 2>&1 &
    qpid=$!
    mkdir -p "$work/native"
    dn_transfer "$work/native.log" "$qpid" "$work/native"
    wait "$qpid"
    report native "Debian Linux natively" "$work/native.log" "$work/native"
}

run_ours() {
    truncate -s 1G "$work/ours.img"
    dn_ports
    dn_devices "$work/ours.img"
    if D0_DIR=$work d0_iso ours "$DOM0_ARGS" "console=com1 debug_exit dom0_mem=$DOM0_MEM"; then
        ( D0_DIR=$work D0_QEMU_ARGS="$QEMU_MACHINE $DN_DEVICES" d0_boot ours "$DISK_TIMEOUT" ) &
        qpid=$!
        mkdir -p "$work/ours"
        dn_transfer "$work/ours.tlog" "$qpid" "$work/ours"
        wait "$qpid"
        report ours "dom0 under minixen" "$work/ours.log" "$work/ours"
    fi
}

# Debian's Xen 4.17 (tests/bench/xen417/mkimage.sh): its dom0 runs our
# /init, which mounts the state disk, and /tests/disk-net as above; a
# poweroff ends the machine through Xen's ACPI S5 (QEMU status 0).
run_xen417() {
    if ! XEN417_CMDLINE="console=com1 com1=115200,8n1 dom0_mem=$DOM0_MEM,max:$DOM0_MEM" \
         XEN417_DOM0_CMDLINE="$DOM0_ARGS" \
         bash tests/bench/xen417/mkimage.sh "$work/xen417.iso" >"$work/xen417-make.log" 2>&1; then
        echo "Debian Xen 4.17: building the image failed ($work/xen417-make.log):"
        tail -n 5 "$work/xen417-make.log" | sed 's/^/  /'
        return
    fi
    truncate -s 1G "$work/xen417.img"
    dn_ports
    dn_devices "$work/xen417.img"
    ( D0_DIR=$work D0_QEMU_ARGS="$QEMU_MACHINE $DN_DEVICES" d0_boot xen417 "$DISK_TIMEOUT" ) &
    qpid=$!
    mkdir -p "$work/xen417"
    dn_transfer "$work/xen417.tlog" "$qpid" "$work/xen417"
    wait "$qpid"
    report xen417 "dom0 under Debian Xen 4.17" "$work/xen417.log" "$work/xen417"
}

for side in $DISK_SIDES; do
    echo "--- $side ($(date -u +%H:%M), load $(cut -d' ' -f1-3 /proc/loadavg))"
    "run_$side"
    rm -f "$work/$side.img"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else printf "?" }'; }
echo "== dom0 disk and TCP (MB/s; QEMU -cpu $QEMU_CPU $QEMU_MACHINE, dom0 $DOM0_MEM)"
printf '  %-22s %8s %8s %8s %9s %11s\n' "" native ours "Xen 4.17" ours/Xen ours/native
for k in write read down up; do
    case $k in
        write) label="disk write (dd fsync)" ;; read) label="disk read (cold)" ;;
        down) label="TCP dom0 -> host" ;; up) label="TCP host -> dom0" ;;
    esac
    n=$(eval echo "\${FIG_native_$k:-}") o=$(eval echo "\${FIG_ours_$k:-}")
    x=$(eval echo "\${FIG_xen417_$k:-}")
    printf '  %-22s %8s %8s %8s %9s %11s\n' "$label" "${n:-?}" "${o:-?}" "${x:-?}" \
        "$(ratio "$o" "$x")" "$(ratio "$o" "$n")"
done
