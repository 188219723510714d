#!/bin/bash
# Suite 86-linux-save: save/restore of Debian's Linux as a domU.  Boots
# our hypervisor with Debian's dom0 (as 85-linux-domu) and
# dom0_test=linux-save: tests/linux-domu/linux-save creates
# /etc/xen/debian.cfg with a heartbeat, checkpoints it, saves and restores
# it (cooperative suspend), and checks the heartbeat goes on, the date,
# and no BUG/Oops on its console; then saves and restores it again; a
# restore whose config's kernel changed since the save warns.
# Lines come back as "PASS: linux-save:".
#
# Env: LINUX_SAVE_TIMEOUT (600 s for the whole QEMU run).
# Logs: build/tests/dom0/linux-save.*.

. "$(dirname "$0")/../lib/suite.sh"
. tests/dom0/boot-lib.sh
. tests/lib/linux-domu-suite.sh

linux_domu_suite linux-save "${LINUX_SAVE_TIMEOUT:-600}" \
    "xend running" "Linux domU up" "checkpoint 1: cooperative" "checkpoint 2: cooperative" \
         "checkpoint 1: Linux runs on" "checkpoint 2: Linux runs on" "failed save" "save: " "restore: domain back" "restore: the saved kernel is the config's" \
         "Linux resumed" "no BUG/Oops" "the guest's date agrees" \
         "second save of the restored guest" "second restore: domain back" \
         "second restore: Linux resumed" "second restore: no BUG/Oops" \
         "2 vCPUs: Linux domU up" "2 vCPUs: checkpoint" "2 vCPUs: save" "2 vCPUs: restore: domain back" \
         "2 vCPUs: restore warned that the config's kernel changed" \
         "2 vCPUs: Linux resumed" "2 vCPUs: no BUG/Oops"

[ "$failed" = 0 ]
