#!/bin/bash
# Suite 85-linux-domu: the operator's first hour.  Boots our hypervisor
# with Debian's dom0 as `make run` does (2 GiB machine, dom0_mem=512M) and
# dom0_test=linux-domu: /init starts xend, then tests/linux-domu/linux-domu
# runs `xenctl create /etc/xen/debian.cfg` (Debian's own bzImage and the
# domU initramfs from linux-xen), waits for the guest's shell prompt,
# types a command into its shell through `xenctl console`, destroys it,
# creates it again with domu_test=poweroff-after-boot and vcpus = 2 and
# checks both vCPUs come online (nproc 2) and it ends with reason poweroff,
# then vCPU hotplug (vcpus = 2, maxvcpus = 4; xenctl vcpu-set 3, then 1,
# as the guest's own CPU list shows; 0 and 5 refused), then creates it a third time and
# stops it with `xenctl shutdown` (xenstore), and leaves two copies
# (linux1, linux2) running (after a disk test: a guest with disk =
# [ 'file:IMG,xvda,w' ] reads dom0's marker through xen-blkback and writes
# its own, found after destroy; docs/devices.md): dom0's poweroff must shut both down cleanly
# first (checked here in the serial log).  The typed command goes through
# ptyrun (tests/tools/ptyrun.c), a pseudo-terminal as a person's.  Its lines come back here as
# "PASS: linux-domu: ..."; it prints create -> prompt seconds (measured,
# not asserted).  The boot must end in a clean poweroff.
#
# Env: LINUX_DOMU_TIMEOUT (900 s for the whole QEMU run: five Linux boots
# on a shared machine took 464 s; a safety net, not a measurement).
# Logs: build/tests/dom0/linux-domu.*.

. "$(dirname "$0")/../lib/suite.sh"
. tests/dom0/boot-lib.sh
. tests/lib/linux-domu-suite.sh

linux_domu_suite linux-domu "${LINUX_DOMU_TIMEOUT:-900}" \
    "xend running" "the domU kit is in dom0" "xenctl create /etc/xen/debian.cfg" \
         "xenctl list shows debian" "banner and shell prompt" \
         "the banner says Linux runs under Xen" "xen-blkfront and xen-netfront loaded" \
         "still running at the prompt" \
         "a command typed through xenctl console" \
         "xenctl destroy debian" "memory returned" \
         "xenctl create again after destroy" \
         "with vcpus = 2 the guest has 2 CPUs online" \
         "the guest ran busybox poweroff" "the domain ended with reason poweroff" \
         "destroyed after poweroff" \
         "hotplug: vcpus = 2, maxvcpus = 4" "hotplug: xenctl vcpu-set debian 3" \
         "hotplug: xenctl vcpu-set debian 1" "hotplug: vcpu-set 0 and 5 refused" \
         "hotplug: no BUG/Oops" \
         "xenctl create /etc/xen/debian.cfg -c a third time" \
         "README: xenctl list shows debian running" "README: mem-set debian 128" \
         "xenctl shutdown" "dom0's kernel xenbus is a client" \
         "xenctl create with disk" "the guest sees vbd-51712" \
         "the guest reads dom0's marker" "the guest's write reached the image" \
         "destroyed; the loop device" "memory returned after the disk guest" \
         "linux1 and linux2 at their prompts" "xend still running"

# dom0's poweroff with linux1 and linux2 running (dom0's /sbin/poweroff ->
# xenctl host-shutdown): in the serial log, in this order, the test's end,
# a clean shutdown of each guest, each guest's own poweroff on its console
# (printed by a hook that runs once both are down), xend stopped; the
# clean poweroff itself was checked above (QEMU status 33).
serial=$D0_DIR/linux-domu.log
order=$(tr -d '\r' <"$serial" | awk '
    /^DOM0-TEST-DONE/ { n++; print n, "done" }
    /^poweroff: stopping the guests first/ { n++; print n, "asked" }
    /^shutting down linux1 \.\.\. done in [0-9.]+ s$/ { n++; print n, "linux1" }
    /^shutting down linux2 \.\.\. done in [0-9.]+ s$/ { n++; print n, "linux2" }
    /^guest-log linux1\| .*poweroff: flushing, then the kernel.s poweroff/ { n++; print n, "log1" }
    /^guest-log linux2\| .*poweroff: flushing, then the kernel.s poweroff/ { n++; print n, "log2" }
    /^poweroff: xend stopped/ { n++; print n, "xend" }' | cut -d" " -f2 | tr "\n" " ")
case "$order" in
    "done asked linux1 linux2 log1 log2 xend " | "done asked linux2 linux1 log1 log2 xend ") ok=1 ;;
    *) ok=0 ;;
esac
if [ $ok = 1 ]; then
    pass "linux-domu: dom0 poweroff shut linux1 and linux2 down cleanly first ($order)"
else
    fail "linux-domu: dom0 poweroff shuts the guests down first" "order seen: '$order'"
    tr -d '\r' <"$serial" | sed -n '/^DOM0-TEST-DONE/,$p' | head -n 30 | sed 's/^/  serial| /'
fi
# Both guests were shut down before the first guest-log line, in either
# order (which finishes first is up to the guests).
if tr -d '\r' <"$serial" | awk '/^shutting down linux[12] / { s[$3] = 1 }
        /^guest-log / { exit !(s["linux1"] && s["linux2"]) }
        END { if (!(s["linux1"] && s["linux2"])) exit 1 }' &&
   tr -d '\r' <"$serial" | grep -q '^guest-log linux1| .*poweroff: flushing' &&
   tr -d '\r' <"$serial" | grep -q '^guest-log linux2| .*poweroff: flushing'; then
    pass "linux-domu: both guests ran their own poweroff (their console logs say so)"
else
    fail "linux-domu: both guests ran their own poweroff" "no guest-log poweroff lines for both"
fi

[ "$failed" = 0 ]
