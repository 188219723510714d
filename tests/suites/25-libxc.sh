#!/bin/bash
# libxc: builds the library and its host unit tests (fake transport) and
# runs them; also checks that the dom0_op ABI header stands on its own in
# C99 and C11.  Its layout is pinned once, by the header's static asserts
# and tests/unit/abi (suite 15; see docs/testing.md).

. "$(dirname "$0")/../lib/suite.sh"
out=$BUILD/tests/libxc
mkdir -p "$out"

if make -s -C libxc BUILD="$BUILD" all >"$out/build.log" 2>&1 &&
   [ -f "$BUILD/libxc/libxenctrl.a" ] && [ -f "$BUILD/libxc/libminixenctrl.so" ]; then
    pass "libxc/build"
else
    fail "libxc/build" "see $out/build.log: $(grep -m1 -i error "$out/build.log")"
fi

# The shared library the packages ship: its SONAME carries the major
# version, the links resolve to it, and it needs no symbol from outside.
soname=$(readelf -d "$BUILD/libxc/libminixenctrl.so" 2>/dev/null |
         sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
if [ "$soname" = libminixenctrl.so.1 ] &&
   [ "$(readlink "$BUILD/libxc/libminixenctrl.so")" = libminixenctrl.so.1 ] &&
   [ -f "$BUILD/libxc/$soname" ]; then
    pass "libxc/soname"
else
    fail "libxc/soname" "SONAME '$soname', libminixenctrl.so -> $(readlink "$BUILD/libxc/libminixenctrl.so")"
fi

# The ABI header must compile alone, in C99 and C11, without warnings.
for std in c99 c11; do
    if printf '#include "public/dom0_op.h"\nint main(void){struct xen_dom0_op op = {0}; return op.cmd;}\n' |
       gcc -std=$std -Wall -Wextra -Werror -pedantic -Iinclude -x c - -o "$out/abi_$std" \
           >"$out/abi_$std.log" 2>&1 && "$out/abi_$std"; then
        pass "libxc/dom0_op_h_standalone_$std"
    else
        fail "libxc/dom0_op_h_standalone_$std" "$(head -c 300 "$out/abi_$std.log")"
    fi
done

if make -s -C tests/unit/libxc BUILD="$BUILD" all >"$out/unit-build.log" 2>&1; then
    run_unit "libxc/unit" "$out/unit.log" 60 "$out/test_libxc"
    expect_cases "libxc/unit" "$out/unit.log" 25
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
