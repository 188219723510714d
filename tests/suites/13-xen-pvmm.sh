#!/bin/bash
# Suite: the PV memory-management core (page types, MMU hypercalls, the
# page-table write emulator and writable page tables, memory_op, grant
# table sizing, the audit, a fork-like stress), tested on the host.
# Builds tests/unit/xen-pvmm (plain and ASan+UBSan) and runs both; every
# case prints its own PASS/FAIL line.  Then checks that the MM sources
# compile with the hypervisor's own flags.

SUITE_PREFIX="xen-pvmm/"
. "$(dirname "$0")/../lib/suite.sh"
out=$BUILD/tests/xen-pvmm

unit_build xen-pvmm tests/unit/xen-pvmm || exit 1

run_units "$out" 80 25 xen-pvmm-tests xen-pvmm-tests-asan

# The same files as the hypervisor compiles them: freestanding, no SSE,
# no red zone, -Werror.
flags="-std=gnu11 -O2 -Wall -Wextra -Werror -Wno-unused-parameter
 -ffreestanding -fno-builtin -nostdinc -fno-stack-protector -fpie
 -mno-red-zone -mno-sse -mno-mmx -mno-sse2 -mno-avx -msoft-float
 -fno-strict-aliasing -Ixen/include -Ixen/arch/x86/include -Iinclude
 -isystem $(gcc -print-file-name=include)"
bad=""
mkdir -p "$out/freestanding"
for src in xen/arch/x86/mm.c xen/arch/x86/pv/mm.c xen/arch/x86/pv/mm-m2p.c \
           xen/arch/x86/pv/mm-flush.c xen/arch/x86/pv/mm-audit.c \
           xen/arch/x86/pv/emul-pte.c xen/arch/x86/pv/ptwr.c \
           xen/common/domain_page.c xen/common/memory.c xen/common/grant_table.c \
           xen/common/grant_entry.c xen/common/grant_map.c xen/common/grant_copy.c \
           xen/arch/x86/pv/grant-pte.c; do
    obj=$out/freestanding/$(echo "$src" | tr / _).o
    # shellcheck disable=SC2086
    gcc $flags -c "$src" -o "$obj" 2>>"$out/freestanding.log" || bad="$bad $src"
done
if [ -z "$bad" ]; then
    pass freestanding-build
else
    fail freestanding-build "did not compile:$bad (log: $out/freestanding.log)"
fi

exit $failed
