#!/bin/bash
# Suite 87-linux-net: networks for Linux domUs through dom0's xen-netback
# and xenbr0 (docs/devices.md).  Boots our hypervisor with Debian's dom0
# (as 85-linux-domu) and dom0_test=linux-net: tests/linux-domu/linux-net
# creates two kit domUs with a vif each, checks eth0 and vif-0 in each,
# the bridge ports and network-list, pings guest <-> guest and guest <->
# dom0, moves 64 MiB over TCP (busybox nc) guest -> guest and guest ->
# dom0 with matching md5 sums, hot-attaches a second vif, saves and
# restores that guest (the hot vif comes back, under the new domain id,
# with its MAC, marked hot; the guest pings dom0 again), detaches it,
# runs a hostile netfront of ours beside them (tests/guests/hostnet.c:
# netback refuses its bad requests and disables its two vifs only, the
# Linux guests carry on), destroys a guest in the middle of a TCP
# transfer (its vif leaves the bridge, its backend goes), NAT: dom0 has
# a NIC on QEMU's user network as its uplink and a guest reaches the host
# through xend's masquerade (tests/lib/nat-echo answers it and records
# what it got, checked here), not with nat = "off", kills xend and
# starts it again, then destroys the other mid-transfer (no vif left, all
# memory back).  The hypervisor's frame audit (mm_audit) runs at
# each domain's end and must be clean.
# It prints throughput and ping round trips as INFO lines (measured, not
# asserted).  One QEMU run.
#
# Env: LINUX_NET_TIMEOUT (1100 s for the whole QEMU run, under run.sh's
# 1200; a safety net), LINUX_NET_MIB (64: MiB per transfer; 4 for a quick
# look).  With 64 the suite took 197 s on a 2-core host at load 4 (95 s
# with 4 MiB): the transfers ran at 1-1.3 MiB/s (2.6-2.7 MiB/s for 4 MiB),
# since the scheduler's preemption boost (docs/benchmarks.md "Networks and
# disks"); before it, 0.3-0.4 MiB/s made each 64 MiB transfer 3 minutes.
# Logs: build/tests/dom0/linux-net.*.

. "$(dirname "$0")/../lib/suite.sh"
. tests/dom0/boot-lib.sh
. tests/lib/linux-domu-suite.sh

LINUX_DOMU_CMDLINE="net_mib=${LINUX_NET_MIB:-64}"
# dom0's uplink for the NAT check: QEMU's user network (DHCP), where a
# connection to 10.0.2.100:5555 runs tests/lib/nat-echo on the host.
NAT_ECHO_LOG=$D0_DIR/linux-net.nat-echo
export NAT_ECHO_LOG
rm -f "$NAT_ECHO_LOG"
LINUX_DOMU_QEMU_EXTRA="$QEMU_ACCEL_PCI -netdev user,id=uplink,guestfwd=tcp:10.0.2.100:5555-cmd:$PWD/tests/lib/nat-echo -device virtio-net-pci,netdev=uplink"

LINUX_DOMU_XEN_EXTRA=mm_audit linux_domu_suite linux-net "${LINUX_NET_TIMEOUT:-1100}" \
    "xend running" "xend created xenbr0" "xenctl create net1 and net2" \
    "each guest sees vif-0" "eth0 has the configured MAC" \
    "vif" "net1 and net2 ping each other" "both guests ping dom0" \
    "[0-9]+ MiB net1 -> dom0" "[0-9]+ MiB net1 -> net2" "network-attach net1" \
    "the hot vif came back with a save and restore" \
    "network-detach net1" "network-detach of a vif that is not there" \
    "netback disabled the hostile" "a hostile netfront" "after the hostile netfront" \
    "nat = auto" "nat = off" \
    "destroy net2" "net1 still answers" "destroy net1" "all the guests' memory came back" \
    "xend still running"

# The host's side of the NAT check: nat-echo got net1's line with NAT on,
# nothing with it off.
got=$(cat "$NAT_ECHO_LOG" 2>/dev/null | tr '\n' ' ')
if [ "$got" = "nat-probe-on " ]; then
    pass "linux-net: the host got net1's line through dom0's NAT, and none with nat = off"
else
    fail "linux-net: the host's side of NAT" "nat-echo recorded '$got' (want nat-probe-on only)"
fi

# Every domain's frames audited at its end (net1 before its save and
# after its restore, net2, hostnet).
linux_domu_audits linux-net 4

[ "$failed" = 0 ]
