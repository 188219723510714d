#!/bin/bash
# Suite 86-linux-save: save/restore of Debian's Linux as a domU.  Boots
# our hypervisor with Debian's dom0 (as 85-linux-domu) and
# dom0_test=linux-save: tests/linux-domu/linux-save creates
# /etc/xen/debian.cfg with a heartbeat, checkpoints it, saves and restores
# it (cooperative suspend) with 10 s of downtime, and checks the heartbeat
# goes on, the guest's shell answers with a date that keeps the offset
# from dom0's it had after its boot (what its early boot lost;
# docs/events-and-time.md), its monotonic clock and uptime did not go
# back, and no BUG/Oops on its console; then
# saves and restores it again; both checkpoint files restore; damaged
# copies are refused; a restore whose config's kernel changed since the
# save warns.
# Lines come back as "PASS: linux-save:".
#
# Env: LINUX_SAVE_TIMEOUT (1500 s for the whole QEMU run: a safety net
# that ends a hung run; a few minutes on a quiet host, 1100 s seen
# at a load of 30).
# Logs: build/tests/dom0/linux-save.*.

. "$(dirname "$0")/../lib/suite.sh"
. tests/dom0/boot-lib.sh
. tests/lib/linux-domu-suite.sh

linux_domu_suite linux-save "${LINUX_SAVE_TIMEOUT:-1500}" \
    "xend running" "Linux domU up" "checkpoint 1: cooperative" "checkpoint 2: cooperative" \
         "checkpoint 1: Linux runs on" "checkpoint 2: Linux runs on" "failed save" "save: " "restore: domain back" "restore: the saved kernel is the config's" \
         "clock before the save: the guest's shell answers" "clock before the save: the guest's date" \
         "Linux resumed" "no BUG/Oops" "restore: the guest's shell answers" \
         "restore: wall clock" "restore: monotonic clock and uptime" \
         "second save of the restored guest" "second restore: domain back" \
         "second restore: Linux resumed" "second restore: no BUG/Oops" \
         "checkpoint 1 file: restored" "checkpoint 1 file: the guest's date" "checkpoint 1 file: no BUG/Oops" \
         "checkpoint 2 file: restored" "checkpoint 2 file: the guest's date" "checkpoint 2 file: no BUG/Oops" \
         "damaged file \(truncated\)" "damaged file \(bit-flipped\)" \
         "damaged file \(absurd-size\)" "damaged file \(missing-frames\)" \
         "2 vCPUs: Linux domU up" "2 vCPUs: the guest's (eth0|network)" "2 vCPUs: checkpoint" "2 vCPUs: save" "2 vCPUs: restore: domain back" \
         "2 vCPUs: restore warned that the config's kernel changed" \
         "2 vCPUs: Linux resumed" "2 vCPUs: restore: the network" "2 vCPUs: no BUG/Oops"

[ "$failed" = 0 ]
