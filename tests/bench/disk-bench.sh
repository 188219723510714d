#!/bin/bash
# dom0's state disk and network: sequential write and read MB/s of a
# 256 MiB file on the disk (dd, fsync; page cache dropped before the
# read, timed inside dom0), and TCP throughput through QEMU's port
# forward (32 MiB each way: dom0 -> host over HTTP, host -> dom0; timed on the
# host), for Debian's Linux booted natively in the same QEMU (the limit)
# and as dom0 under our hypervisor.  Printed, never asserted
# (docs/benchmarks.md).  Both devices are virtio-pci with MSI-X, as
# `make run` has them (DN_IRQ=intx: legacy INTx).  Env: DISK_TIMEOUT
# (default 900), XEN_DOM0_ARGS (added to dom0's command line).
. "$(dirname "$0")/../lib/suite.sh"
. tests/lib/disknet-host.sh
. tests/dom0/boot-lib.sh
DISK_TIMEOUT=${DISK_TIMEOUT:-900}
XEN_DOM0_ARGS=${XEN_DOM0_ARGS:-}
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
report() {   # WHO LOG DIR
    local b
    b=$(fact "$2" bench)
    if [ -z "$b" ]; then
        echo "$1: no figures: dom0 has no state disk (/sys/block: '$(fact "$2" disks)'; log $2)"
        return
    fi
    echo "$1: disk $b; tcp dom0->host $(tcp_mbs "$3" download) MB/s, host->dom0 $(tcp_mbs "$3" upload) MB/s"
}

truncate -s 1G "$work/native.img"
dn_ports
dn_devices "$work/native.img"
# shellcheck disable=SC2086
timeout -k 5 "$DISK_TIMEOUT" "$QEMU" -m 512M -nographic -no-reboot \
    -kernel "$BUILD/linux/vmlinuz" -initrd "$BUILD/boot/initrd-dom0.img" \
    -append "console=ttyS0 panic=-1 no_timer_check dom0_test=disk-net disknet=bench" \
    $DN_DEVICES </dev/null >"$work/native.log" 2>&1 &
qpid=$!
mkdir -p "$work/native"
dn_transfer "$work/native.log" "$qpid" "$work/native"
wait "$qpid"
report "Debian Linux natively" "$work/native.log" "$work/native"

truncate -s 1G "$work/xen.img"
dn_ports
dn_devices "$work/xen.img"
if D0_DIR=$work d0_iso xen "console=hvc0 $XEN_DOM0_ARGS quiet dom0_test=disk-net disknet=bench"; then
    ( D0_DIR=$work D0_QEMU_ARGS="-m 2G -smp 2 $DN_DEVICES" d0_boot xen "$DISK_TIMEOUT" ) &
    qpid=$!
    mkdir -p "$work/xen"
    dn_transfer "$work/xen.tlog" "$qpid" "$work/xen"
    wait "$qpid"
    report "dom0 under minixen" "$work/xen.log" "$work/xen"
fi
rm -f "$work/native.img" "$work/xen.img"
