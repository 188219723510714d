#!/bin/bash
# The long hypercall-fuzzer run of `make fuzz`: tests/guests/fuzz.elf
# booted as dom0 (2 vCPUs) with the frame-table audit, FUZZ_CALLS calls
# over all vCPUs (default 10^6), capped at FUZZ_GUEST_SECS of guest time.
# Passes when the kernel reports DONE with no failure, dom0 powers off and
# mm_audit reports "d0: 0 mismatches".
#
# Env: FUZZ_SEED (default: the date, printed), FUZZ_CALLS, FUZZ_GUEST_SECS
# (default 900), FUZZ_TIMEOUT (wall clock for QEMU, default 1200 s).
. "$(dirname "$0")/../lib/guest-boot.sh"

seed=${FUZZ_SEED:-$(date +%Y%m%d)}
calls=${FUZZ_CALLS:-1000000}
secs=${FUZZ_GUEST_SECS:-900}
echo "guest hypercall fuzzer: seed $seed, $calls calls, at most ${secs}s of guest time"
echo "  (repeat: FUZZ_SEED=$seed FUZZ_CALLS=$calls bash tests/fuzz/guest-hypercalls.sh)"

make -s -C "$ROOT" xen >/dev/null || { fail "fuzz: hypervisor build" "make xen failed"; exit 1; }
guest_build || { fail "fuzz: test kernels build" "see $BOOTDIR/guests-build.log"; exit 1; }
GUEST_TIMEOUT=${FUZZ_TIMEOUT:-1200}
GUEST_CMDLINE_TOKEN="cmdline-check=ok fuzz_seed=$seed fuzz_calls=$calls fuzz_secs=$secs"
guest_boot fuzz mm_audit | grep -v '^PASS: guest-fuzz: fuzz: v[0-9]'
echo "log: $BOOTDIR/guest-fuzz.log"
[ "$FAILED" -eq 0 ]
