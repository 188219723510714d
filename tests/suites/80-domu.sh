#!/bin/bash
# Suite 80-domu: building and running PV domUs from dom0.  Boots our
# hypervisor with Debian's dom0 and dom0_test=domu: /init starts xend with
# the xc backend, then runs /tests/domu (tests/domu/), which creates the
# test kernels hello (console_io), ringcons (console ring) and xsclient
# (xenstore, shut down by `xenctl shutdown`) with
# `xenctl create`, follows them to their shutdown, checks their output,
# destroys them and checks the memory came back; then saves the counter
# kernel to a file and restores it, then checkpoints the suspender kernel
# twice and saves/restores it with its cooperation (docs/save-restore.md).  Its lines come back here
# as "PASS: domu: ...".  The boot must end in a clean poweroff.
#
# Env: DOMU_TIMEOUT (300 s).  Logs: build/tests/dom0/domu.*.

. "$(dirname "$0")/../lib/suite.sh"
. tests/dom0/boot-lib.sh

TIMEOUT=${DOMU_TIMEOUT:-600}
XEN_OPTS="console=com1 debug_exit dom0_mem=1G"

# The hypervisor, libxc and xend, the test kernels and script (into
# dom0-root), then the initramfs that carries them.
d0_build domu "$D0_DIR/domu-make.log" "-C tests/domu"

# Host checks of the builder first (kernel probing, cleanup on failure).
hb=build/tests/domu
if make -s -C tests/domu host >>"$D0_DIR/domu-make.log" 2>&1; then
    mkdir -p "$hb/scratch"
    "$hb/builder-test" build/guests/hello.elf "$hb/hello.elf.gz" "$hb/scratch" ||
        failed=1
else
    fail "domu: builder-test build" "see $D0_DIR/domu-make.log"
fi

name=domu
d0_run_test $name "$TIMEOUT" "$XEN_OPTS"
log=$D0_LOG

# d0_lines has already stripped "(XEN) [t] (d0) " from dom0's lines; the
# domUs' own "(dN) PASS:" lines keep their prefix and are not counted.
d0_relay domu "$log" '^  [a-zA-Z.]+\| '
d0_expect_reported --prefix domu "$log" \
         "xend running" "hello: xenctl create" "hello: it ran and shut itself down" \
         "hello: the guest's own checks" "hello: xenctl destroy" \
         "hello: memory returned" "ringcons: xenctl create" \
         "ringcons: the guest's own checks" "ringcons: xenctl console" \
         "ringcons: memory returned" "bad kernel" "xenstore: xend restarted" \
         "xsclient: xenctl create" "xsclient: it shut down when asked" \
         "xsclient: the guest's own checks" "xsclient: memory returned" \
         "saverestore: counter ticking before save" \
         "saverestore: xenctl save streamed" "saverestore: xenctl restore streamed" \
         "saverestore: xenctl save wrote" "saverestore: xenctl restore brought" \
         "saverestore: the count continues after restore" \
         "saverestore: the guest's own checks pass after restore" \
         "saverestore: restored counter destroyed" \
         "saverestore: truncated file refused" \
         "saverestore: corrupted file refused" "saverestore: memory returned" \
         "coop: suspender created and ticking" \
         "coop: checkpoint 1: cooperative" "coop: checkpoint 1: the suspend returned 1" \
         "coop: checkpoint 2: cooperative" "coop: checkpoint 2: the suspend returned 1" \
         "coop: cooperative save wrote" "coop: restore brought suspender back" \
         "coop: the suspend returned 0 in the new domain" \
         "coop: the guest's clock moved on" "coop: the guest's own checks pass" \
         "coop: destroyed, memory returned" \
         "coop-timeout: save refused after 30 s" \
         "xend still running"

# Quiet console: the hypervisor's note about ringcons's unsupported
# sub-op is in its log ring (dom0 found it with xenctl log, above) but
# not on the console dom0's shell runs on (the serial log).
if grep -q '^PASS: ringcons: quiet console' "$log"; then
    if grep -a -q 'hypercall 29 sub-op 77 is not supported' "$log"; then
        fail "domu: quiet console: a domU's unsupported sub-op stays off dom0's console" \
            "$(grep -a -m1 'sub-op 77' "$log")"
    else
        pass "domu: quiet console: a domU's unsupported sub-op stays off dom0's console"
    fi
else
    fail "domu: quiet console" "dom0 did not find the line in xenctl log"
fi

d0_expect_done "domu" "$log"

[ "$failed" = 0 ]
