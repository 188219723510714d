#!/bin/bash
# `make image` and `make run DOM0=disk`, as a user runs them
# (docs/packaging.md, "The disk image"): the packages are built (make
# deb), the Debian 12 disk image is made from them (scripts/mkimage.sh:
# mmdebstrap, apt install of our .debs, update-grub, GRUB on the disk),
# and a fresh copy of it is booted by scripts/run-qemu.sh --disk with a
# scripted session on its serial console (tests/lib/serial-steps.py):
#   GRUB's menu with the minixen entry, which boots by default: the
#   hypervisor says GRUB loaded it with the package's options; a login
#   prompt on hvc0, root logs in; xend.service and minixen-domains.service
#   are active under systemd, /proc/xen says control_d; `xenctl create
#   /etc/xen/debian.cfg -c` reaches the guest's shell, which answers a
#   command; `xenctl list` shows it running; then `poweroff` with the
#   guest running: the guest powers itself off (the hypervisor's
#   "Domain N shut down: poweroff") and xend says it is done, before dom0
#   asks for ACPI S5, and QEMU ends with status 0.
#
# In `make test-slow` (tests/suites-slow): the packages and the image
# take minutes to build, the boot several more under TCG.  Needs root and
# a Debian mirror (the first time): without them every case is SKIPped.
# Env: DISK_IMAGE_TIMEOUT  seconds for the whole boot (default 2400; each
#                          step's own guard is below, none is a measurement)
#      PACKAGE_TIMEOUT     seconds for the package build (default 900)

SUITE_PREFIX="disk-image/"
. "$(dirname "$0")/../lib/suite.sh"

out=$BUILD/tests/disk-image
mkdir -p "$out"
img=$out/dom0.img
version=$(dpkg-parsechangelog -l debian/changelog -S Version)
cases="make-image grub-menu grub-default-is-minixen grub-loaded-hypervisor login xend-active domains-unit-active dom0-under-minixen guest-prompt guest-shell xenctl-list host-shutdown-guest-first poweroff-ends-qemu"
skip_all() { for c in $cases; do skip "$c" "$1"; done; exit 0; }

[ "$(id -u)" -eq 0 ] || skip_all "needs root (mmdebstrap, chroot)"
if ! timeout -k 10 "${PACKAGE_TIMEOUT:-900}" sh scripts/mkdeb.sh "$BUILD/deb" >"$out/deb.log" 2>&1; then
    fail "make-image" "make deb failed: see $out/deb.log"
    exit 1
fi
# A fresh copy of the cached image every time (the .hash file makes
# mkimage.sh keep a booted copy otherwise).
rm -f "$img" "$img.hash"
if ! sh scripts/mkimage.sh "$BUILD/deb" "$img" >"$out/mkimage.log" 2>&1; then
    if grep -q 'mmdebstrap failed' "$out/mkimage.log"; then
        skip_all "no Debian root (mirror unreachable?): $(tail -n 1 "$out/mkimage.log")"
    fi
    fail "make-image" "$(tail -n 3 "$out/mkimage.log" | tr '\n' ' ')"
    exit 1
fi
pass "make-image ($(du -h "$img" | cut -f1) used of $(du -h --apparent-size "$img" | cut -f1))"

# The session.  Each expect's seconds only stop a hung machine: under a
# loaded TCG host GRUB reading the kernel and initrd and systemd's boot
# take minutes.
cat >"$out/steps" <<STEPS
expect grub-menu 600 with minixen $version and Linux
expect grub-default-is-minixen 900 Command line: .*dom0_mem=1024M console=com1 loglvl=info
expect login 1500 dom0 login: 
send root\r
expect shell 300 root@dom0:~# 
send echo XEND=\$(systemctl is-active xend)= DOMAINS=\$(systemctl is-active minixen-domains)= CAPS=\$(cat /proc/xen/capabilities)=\r
expect xend-active 300 XEND=active=
expect domains-unit-active 10 DOMAINS=active=
expect dom0-under-minixen 10 CAPS=control_d=
expect prompt 300 root@dom0:~# 
send xenctl create /etc/xen/debian.cfg -c\r
expect guest-prompt 900 root@debian:~# 
send echo GUEST-\$((6*7))-ANSWERS\r
expect guest-shell 300 GUEST-42-ANSWERS
send \x1d
expect detached 300 root@dom0:~# 
send xenctl list\r
expect xenctl-list 300 \ndebian +[0-9]+ +[0-9]+ +[0-9]+ +running
expect prompt 300 root@dom0:~# 
send poweroff\r
expect host-shutdown 900 shutting down debian \.\.\. done in [0-9.]+ s
exit qemu 900
STEPS
RUN_MEM=2G RUN_TIMEOUT=${DISK_IMAGE_TIMEOUT:-2400} RUN_FWD_PORT=$(python3 -c \
    'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])') \
    python3 tests/lib/serial-steps.py "$out/serial.log" "$out/steps" -- \
    sh scripts/run-qemu.sh --disk "$img" >"$out/steps.out" 2>&1
tr -d '\r' <"$out/serial.log" >"$out/serial.txt"

reached() { grep -qx "reached $1" "$out/steps.out"; }
step_case() {   # step_case CASE STEP WHY-IF-MISSED
    if reached "$2"; then pass "$1"; else fail "$1" "$3 (serial: $out/serial.txt)"; fi
}
step_case grub-menu grub-menu "GRUB's menu on the serial console has no minixen entry"
step_case grub-default-is-minixen grub-default-is-minixen "the hypervisor did not boot from GRUB's default entry with the package's options"
if reached grub-default-is-minixen && grep -q '^(XEN) \[ *[0-9.]*\] Loader: GRUB' "$out/serial.txt"; then
    pass "grub-loaded-hypervisor"
else
    fail "grub-loaded-hypervisor" "the hypervisor does not name GRUB as its loader"
fi
step_case login login "no login prompt on hvc0"
step_case xend-active xend-active "systemctl is-active xend did not say active"
step_case domains-unit-active domains-unit-active "minixen-domains.service is not active"
step_case dom0-under-minixen dom0-under-minixen "/proc/xen/capabilities is not control_d"
step_case guest-prompt guest-prompt "xenctl create /etc/xen/debian.cfg -c did not reach the guest's prompt"
step_case guest-shell guest-shell "the guest's shell did not answer"
step_case xenctl-list xenctl-list "xenctl list does not show debian running"

# After `poweroff` was typed: the guest's own poweroff (the hypervisor's
# line for a domain other than 0), then xend's "done" (the guest went
# down cleanly, not destroyed), then dom0's ACPI S5 request.
# (bash's prompt comes after a bracketed-paste escape, so no ^ anchor.)
order=$(sed -n '/root@dom0:~# poweroff$/,$p' "$out/serial.txt" | awk '
    /Domain [1-9][0-9]* shut down: poweroff/ { if (!g) { n++; print n, "guest"; g = 1 } }
    /shutting down debian \.\.\. done in [0-9.]+ s/ { n++; print n, "xend" }
    /Domain 0: ACPI S5 requested/ { n++; print n, "s5" }' | cut -d' ' -f2 | tr '\n' ' ')
if reached host-shutdown && [ "$order" = "guest xend s5 " ]; then
    pass "host-shutdown-guest-first"
else
    fail "host-shutdown-guest-first" "order after poweroff: '$order' (want: guest xend s5)"
fi
rc=$(sed -n 's/^exited qemu //p' "$out/steps.out")
if [ "$rc" = 0 ]; then
    pass "poweroff-ends-qemu"
else
    fail "poweroff-ends-qemu" "run-qemu.sh ended with '${rc:-nothing: $(tail -n 1 "$out/steps.out")}'"
fi
exit $failed
