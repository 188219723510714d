# The host half of dom0's /tests/disk-net (linux-xen/initramfs/tests/):
# ports, QEMU's devices, and the TCP transfers through the port forwards.
# Sourced by tests/suites/62-dom0-disk.sh and tests/bench/disk-bench.sh
# (bash).
#
#   dn_ports                  -> DN_HTTP DN_UPLOAD: two free host ports
#   dn_devices DISK...        -> DN_DEVICES: QEMU arguments for one
#                                virtio-blk-pci per raw image and a
#                                virtio-net-pci NIC forwarding DN_HTTP to
#                                dom0's 8000 and DN_UPLOAD to its 8001;
#                                their interrupts are MSI-X, or legacy
#                                INTx (vectors=0) when DN_IRQ=intx
#   dn_wait LOG PID REGEX     -> waits until LOG has a line matching REGEX
#                                (the line on stdout) or QEMU (PID) exits
#   dn_transfer LOG PID DIR   -> waits for dom0's "DISKNET ready" line,
#                                downloads its file to DIR/download, then
#                                uploads DIR/upload; writes the md5s and
#                                sizes to DIR/transfer.txt
# Only bash's /dev/tcp: the host needs no curl or nc.

# A port nobody on 127.0.0.1 answers on.  Another QEMU may still take it
# first: QEMU then exits at once with "Could not set up host forwarding".
dn_free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 30000))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo $p; return; }
    done
}

dn_ports() {
    DN_HTTP=$(dn_free_port)
    DN_UPLOAD=$(dn_free_port)
    while [ "$DN_UPLOAD" = "$DN_HTTP" ]; do DN_UPLOAD=$(dn_free_port); done
}

dn_devices() {
    local i=0 d irq=
    [ "${DN_IRQ:-msix}" = intx ] && irq=,vectors=0
    DN_DEVICES=
    for d in "$@"; do
        DN_DEVICES="$DN_DEVICES -drive file=$d,format=raw,if=none,id=disk$i"
        DN_DEVICES="$DN_DEVICES -device virtio-blk-pci,drive=disk$i$irq"
        i=$((i + 1))
    done
    DN_DEVICES="$DN_DEVICES -netdev user,id=net0,hostfwd=tcp:127.0.0.1:$DN_HTTP-:8000"
    DN_DEVICES="$DN_DEVICES,hostfwd=tcp:127.0.0.1:$DN_UPLOAD-:8001"
    DN_DEVICES="$DN_DEVICES -device virtio-net-pci,netdev=net0$irq,romfile="
}

dn_wait() {
    local log=$1 pid=$2 re=$3 line
    while :; do
        line=$(tr -d '\r' 2>/dev/null <"$log" | sed -E 's/^[0-9]+\.[0-9]+\t//; s/^\(XEN\) \[ *[0-9.]+\] \(d0\) //' | grep -a -m1 -E -- "$re")
        [ -n "$line" ] && { echo "$line"; return 0; }
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 1
    done
}

# http_get PORT PATH OUT: HTTP/1.0 GET; the body to OUT.
dn_http_get() {
    local status line
    exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
    printf 'GET %s HTTP/1.0\r\nHost: dom0\r\n\r\n' "$2" >&3
    IFS= read -r status <&3
    while IFS= read -r line <&3 && [ -n "${line%$'\r'}" ]; do :; done
    cat <&3 >"$3"
    exec 3<&-
    case $status in *" 200 "*) return 0 ;; esac
    echo "dn_http_get: dom0 answered '${status%$'\r'}'" >&2
    return 1
}

dn_transfer() {
    local log=$1 pid=$2 dir=$3 t0 t1 t2
    : >"$dir/transfer.txt"
    dn_wait "$log" "$pid" '^DISKNET ready ' >/dev/null || return 1
    # As large as the download: the host's and QEMU's socket buffers
    # (a few MiB) then barely shorten the upload's time.
    head -c 33554432 /dev/urandom >"$dir/upload"
    t0=$EPOCHREALTIME
    dn_http_get "$DN_HTTP" /data "$dir/download" || return 1
    t1=$EPOCHREALTIME
    cat "$dir/upload" >"/dev/tcp/127.0.0.1/$DN_UPLOAD" || return 1
    t2=$EPOCHREALTIME
    {
        echo "download $(md5sum <"$dir/download" | cut -d' ' -f1) $(stat -c %s "$dir/download") $t0 $t1"
        echo "upload $(md5sum <"$dir/upload" | cut -d' ' -f1) $(stat -c %s "$dir/upload") $t1 $t2"
    } >"$dir/transfer.txt"
}
