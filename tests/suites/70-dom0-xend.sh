#!/bin/bash
# Suite 70-dom0-xend: the toolstack end to end in dom0.  Boots our
# hypervisor with Debian's dom0 and dom0_test=xend-dom0: /init starts xend
# with the xc backend, then runs /tests/xend-dom0 (tests/xend-dom0/), which
# drives xenctl (list, info, log, report) against the real hypervisor,
# then kills xend at step boundaries of create, save and on_reboot=restart
# and checks the restart (tests/xend-dom0/xend-crash), and that running
# domUs keep console, xenstore and saves across kill -9 (xend-restart).  Its
# lines come back here as "PASS: xend-dom0: ...".  The serial log must also
# show a clean poweroff and Domain-0's memory equal to dom0_mem.
#
# Env: XEND_DOM0_TIMEOUT (600 s).  Logs: build/tests/dom0/xend-dom0.*.

. "$(dirname "$0")/../lib/suite.sh"
. tests/dom0/boot-lib.sh

TIMEOUT=${XEND_DOM0_TIMEOUT:-600}
DOM0_MEM_MIB=1024
XEN_OPTS="console=com1 debug_exit dom0_mem=1G"

# The hypervisor, libxc and xend (into dom0-root), our test script, then
# the initramfs that carries them.
domu_elfs=$D0_ROOT/build/dom0-root/boot/domu
d0_build xend-dom0 "$D0_DIR/xend-make.log" "-C tests/xend-dom0" \
    "-C tests/domu $domu_elfs/counter.elf $domu_elfs/xsclient.elf $domu_elfs/ringcons.elf"

name=xend-dom0
d0_run_test $name "$TIMEOUT" "$XEN_OPTS"
log=$D0_LOG

# d0_lines has already stripped "(XEN) [t] (d0) " from dom0's lines.
d0_relay xend-dom0 "$log" '^  [a-z.]+\| '
# --prefix: the domUs' console output shares the serial port and may run
# into the end of a result line (it once did: "...keeps its config(XEN)
# [  113.6] (d1) counter: tick 130"), which still reported its check.
d0_expect_reported --prefix xend-dom0 "$log" \
         "first xenctl list answers at once" "xend running" "xenctl info: backend xc" "xenctl info: machine" \
         "xenctl list shows Domain-0 with id 0" "Domain-0 memory" \
         "Domain-0 vCPUs" "Domain-0 state" "xenctl log: boot log" \
         "xenctl log: up to dom0" "xenctl log --source" "xenctl report: samples" \
         "xenctl report: CPU time grows" \
         "crash: create killed at create.marked" "crash: create.marked: c1 keeps its config" \
         "crash: create killed at create.built" "crash: save killed at save.written" \
         "crash: save killed at save.marked" "crash: save.marked: the file restores" \
         "crash: on_reboot=restart killed at shutdown.destroyed" \
         "restart: after kill -9 and a new xend" "restart: rc's console still answers" \
         "restart: xst's balloon target arrived" "restart: xenctl shutdown still reaches xst" \
         "restart: xenctl save still works" "restart: the saved cs restores" \
         "xsflood: node, watch and transaction floods" "xsflood: xend answered every other client" \
         "xsflood: the flooder is still served" \
         "xenctl sched sets and reads Domain-0's weight and cap" \
         "xenctl vcpu-pin moves Domain-0's vCPU 0 to CPU 1 and back" \
         "xend still running"

mem=$(sed -n 's/^INFO: dom0 mem_mib=\([0-9]*\).*/\1/p' "$log")
if [ "$mem" = "$DOM0_MEM_MIB" ]; then
    pass "xend-dom0: xenctl list shows dom0_mem=1G as $mem MiB"
else
    fail "xend-dom0: Domain-0 memory is dom0_mem" "xenctl list said '${mem:-nothing}' MiB, dom0_mem is $DOM0_MEM_MIB MiB"
fi

d0_expect_done "xend-dom0" "$log"

[ "$failed" = 0 ]
