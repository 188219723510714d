# A suite that boots our hypervisor with Debian's dom0 as `make run` does
# (2 GiB machine, dom0_mem=512M, QEMU -cpu max) and runs one dom0 test
# script of tests/linux-domu/ (dom0_test=NAME) against the Linux domU kit;
# 85-linux-domu and 86-linux-save are two such.  Source after suite.sh and
# tests/dom0/boot-lib.sh, then:
#
#   linux_domu_suite NAME TIMEOUT EXPECTED...
#
# LINUX_DOMU_CMDLINE, if set, is added to dom0's kernel command line (a
# suite's parameters for its script, which reads /proc/cmdline);
# LINUX_DOMU_QEMU_EXTRA to QEMU's arguments (87: dom0's uplink NIC).
# It builds the hypervisor, tools, the script and linux-xen (the domU kit and
# dom0's initramfs that carries it), checks the domU initramfs' layout,
# boots, relays the script's lines as "PASS: NAME: ...", fails each
# EXPECTED result prefix that never came (dom0 stopped before it), and
# requires DOM0-TEST-DONE rc=0 and a clean poweroff.
# Logs: build/tests/dom0/NAME.*.
# linux_domu_audits NAME MIN (below): the mm_audit lines of NAME's run.

linux_domu_suite() {
    local name=$1 TIMEOUT=$2
    # LINUX_DOMU_XEN_EXTRA: more hypervisor options for one suite (88:
    # mm_audit, the frame audit at each domain's end).
    local XEN_OPTS="console=com1 debug_exit dom0_mem=512M${LINUX_DOMU_XEN_EXTRA:+ $LINUX_DOMU_XEN_EXTRA}"
    local list missing f m log
    shift 2

    # The hypervisor, libxc and xend, the dom0 test script and tools/ (ptyrun)
    # (into dom0-root),
    # then linux-xen: the domU kit and dom0's initramfs that carries it all.
    d0_build "$name" "$D0_DIR/$name-make.log" "-C tests/linux-domu" "-C tests/tools"

    # The host side of the kit: the domU initramfs holds what the guest needs.
    list=$(zcat build/linux/initrd-domu.img | cpio -it --quiet 2>/dev/null)
    missing=
    for f in init bin/busybox bin/sh sbin/poweroff etc/profile etc/hostname; do
        echo "$list" | grep -qx "$f" || missing="$missing $f"
    done
    for m in xen-blkfront xen-netfront; do
        echo "$list" | grep -q "/$m.ko$" || missing="$missing $m.ko"
    done
    if [ -z "$missing" ]; then
        pass "$name: initrd-domu.img layout"
    else
        fail "$name: initrd-domu.img layout" "missing:$missing"
    fi

    D0_RUN_QEMU_EXTRA=${LINUX_DOMU_QEMU_EXTRA:-} \
        d0_run_test "$name" "$TIMEOUT" "$XEN_OPTS" "$LINUX_DOMU_CMDLINE"
    log=$D0_LOG

    d0_relay "$name" "$log" '^INFO: |^  [a-zA-Z.]+\| '
    d0_expect_reported --prefix "$name" "$log" "$@"

    d0_expect_done "$name" "$log"
    echo "$name: QEMU ran $(awk -v a="$D0_T0" -v b="$D0_T1" 'BEGIN { printf "%.0f", b - a }') s"
}

# linux_domu_audits NAME MIN: with mm_audit on, the hypervisor checked
# every frame of each domain at its end; at least MIN such audits in
# NAME's serial log, and none found a mismatch.
linux_domu_audits() {
    local name=$1 min=$2 audits bad n
    audits=$(tr -d '\r' <"$D0_DIR/$name.log" | grep -ao 'mm_audit: d[0-9]*: [0-9]* mismatch[a-z]*')
    bad=$(echo "$audits" | grep -v ': 0 mismatches$')
    n=$(echo "$audits" | grep -c 'mismatches')
    if [ "$n" -ge "$min" ] && [ -z "$bad" ]; then
        pass "$name: frame audit clean at each of the $n domain ends"
    else
        fail "$name: frame audit" "$n audits; $(echo "$bad" | head -n 3 | tr '\n' ';')"
    fi
}
