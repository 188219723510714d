#!/bin/bash
# libxc: builds the library and its host unit tests (fake transport) and
# runs them; also checks that the dom0_op ABI header stands on its own and
# keeps the layout docs/dom0_op.md documents.  Prints PASS:/FAIL: lines.

cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-$PWD/build}
out=$BUILD/tests/libxc
mkdir -p "$out"
failed=0

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; failed=1; }

if make -s -C libxc BUILD="$BUILD" all >"$out/build.log" 2>&1 &&
   [ -f "$BUILD/libxc/libxenctrl.a" ] && [ -f "$BUILD/libxc/libxenctrl.so" ]; then
    pass "libxc/build"
else
    fail "libxc/build" "see $out/build.log: $(grep -m1 -i error "$out/build.log")"
fi

# The ABI header must compile alone, in C99 and C11, without warnings.
for std in c99 c11; do
    if printf '#include "public/dom0_op.h"\nint main(void){return sizeof(struct xen_dom0_op) != 136;}\n' |
       gcc -std=$std -Wall -Wextra -Werror -pedantic -Iinclude -x c - -o "$out/abi_$std" \
           >"$out/abi_$std.log" 2>&1 && "$out/abi_$std"; then
        pass "libxc/dom0_op_h_standalone_$std"
    else
        fail "libxc/dom0_op_h_standalone_$std" "$(head -c 300 "$out/abi_$std.log")"
    fi
done

# Offsets the hypervisor implementer reads from docs/dom0_op.md.
cat >"$out/layout.c" <<'C'
#include <stddef.h>
#include <stdio.h>
#include "public/dom0_op.h"
#define CHECK(expr) if (!(expr)) { printf("%s\n", #expr); bad = 1; }
int main(void)
{
    int bad = 0;
    CHECK(offsetof(struct xen_dom0_op, u) == 8);
    CHECK(sizeof(struct xen_dom0_createdomain) == 40);
    CHECK(offsetof(struct xen_dom0_createdomain, max_pages) == 8);
    CHECK(offsetof(struct xen_dom0_createdomain, handle) == 24);
    CHECK(sizeof(struct xen_dom0_domaininfo) == 72);
    CHECK(offsetof(struct xen_dom0_domaininfo, handle) == 48);
    CHECK(offsetof(struct xen_dom0_domaininfo, shutdown_reason) == 64);
    CHECK(sizeof(struct xen_dom0_getdomaininfolist) == 24);
    CHECK(sizeof(struct xen_dom0_vcpucontext) == 24);
    CHECK(sizeof(struct xen_dom0_vcpuinfo) == 24);
    CHECK(sizeof(struct xen_dom0_schedparams) == 16);
    CHECK(sizeof(struct xen_dom0_getaccounting) == 88);
    CHECK(sizeof(struct xen_dom0_readlog) == 56);
    CHECK(offsetof(struct xen_dom0_readlog, next_seq) == 32);
    CHECK(sizeof(struct xen_dom0_getframeinfo) == 24);
    CHECK(sizeof(struct xen_dom0_getperfcounters) == 32);
    CHECK(sizeof(struct xen_dom0_perfc_value) == 16);
    CHECK(sizeof(struct xen_dom0_physinfo) == 48);
    return bad;
}
C
if gcc -std=c11 -Wall -Wextra -Werror -Iinclude "$out/layout.c" -o "$out/layout" \
       >"$out/layout.log" 2>&1 && "$out/layout" >>"$out/layout.log" 2>&1; then
    pass "libxc/dom0_op_layout_matches_docs"
else
    fail "libxc/dom0_op_layout_matches_docs" "$(tr '\n' ' ' <"$out/layout.log" | head -c 300)"
fi

if make -s -C tests/unit/libxc BUILD="$BUILD" all >"$out/unit-build.log" 2>&1; then
    timeout 60 "$out/test_libxc" >"$out/unit.log" 2>&1
    rc=$?
    cat "$out/unit.log"
    if [ $rc -ne 0 ] && ! grep -q '^FAIL: ' "$out/unit.log"; then
        fail "libxc/unit" "test program exited $rc without a FAIL line"
    fi
    grep -q '^FAIL: ' "$out/unit.log" && failed=1
    [ "$(grep -c '^PASS: ' "$out/unit.log")" -ge 25 ] ||
        fail "libxc/unit" "fewer unit tests ran than expected"
else
    fail "libxc/unit-build" "$(grep -m1 -i error "$out/unit-build.log")"
fi

# The builder's bzImage reader: synthetic bzImages in every compression
# format (made by the test with Debian's libraries), bad ones refused,
# and Debian's own vmlinuz when linux-xen has fetched it.
if make -s -C tests/unit/bzimage BUILD="$BUILD" all >"$out/bzimage-build.log" 2>&1; then
    mkdir -p "$BUILD/tests/bzimage/scratch"
    vmlinuz=
    [ -f "$BUILD/linux/vmlinuz" ] && vmlinuz=$BUILD/linux/vmlinuz
    timeout 120 "$BUILD/tests/bzimage/test_bzimage" "$BUILD/tests/bzimage/scratch" \
        $vmlinuz >"$out/bzimage.log" 2>&1
    rc=$?
    grep -E '^(PASS|FAIL|INFO): ' "$out/bzimage.log"
    grep -q '^FAIL: ' "$out/bzimage.log" && failed=1
    if [ $rc -ne 0 ] && ! grep -q '^FAIL: ' "$out/bzimage.log"; then
        fail "libxc/bzimage" "test program exited $rc without a FAIL line: $(tail -n 3 "$out/bzimage.log")"
    fi
    [ "$(grep -c '^PASS: ' "$out/bzimage.log")" -ge 35 ] ||
        fail "libxc/bzimage" "fewer bzImage tests ran than expected"
    [ -z "$vmlinuz" ] && echo "SKIP: libxc/bzimage-debian-vmlinuz: no $BUILD/linux/vmlinuz (make -C linux-xen)"
else
    fail "libxc/bzimage-build" "$(grep -m1 -i error "$out/bzimage-build.log")"
fi

exit $failed
