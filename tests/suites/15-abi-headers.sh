#!/bin/bash
# Suite 15: the guest ABI headers in include/public/.
#
# Checks that every header builds on its own in each setting that uses it
# (the freestanding hypervisor, strict ISO C tools, ordinary host builds),
# that headers only reach for what a freestanding build has, that every
# structure layout and constant matches Linux 6.1 (tests/unit/abi/), and
# that each tree's own make (`make -C xen` alone, not only the top level)
# rebuilds what includes a changed header.
# Prints PASS:/FAIL: lines; exits non-zero if anything failed.

. "$(dirname "$0")/../lib/suite.sh"
out="${BUILD:-$PWD/build}/tests/abi"
mkdir -p "$out"

CC=${CC:-gcc}
WARN="-Wall -Wextra -Werror"
GCC_INC=$($CC -print-file-name=include)

# Compile one tiny translation unit that includes $2; $1 names the setting.
# The typedef keeps macro-only headers from being an empty unit.
try_header() {
    local setting=$1 hdr=$2 log=$3
    shift 3
    printf '#include "%s"\n#include "%s"\ntypedef int abi_header_check_unit;\n' \
        "$hdr" "$hdr" | $CC "$@" -Iinclude -fsyntax-only -x c - >"$log" 2>&1
}

headers=$(cd include && find public -name '*.h' | sort)
if [ -z "$headers" ]; then
    fail "abi headers present" "no headers under include/public"
    exit 1
fi

# Each header, alone and included twice (guards), in three settings:
#  freestanding: the hypervisor's view, with only GCC's own stdint/stddef;
#  iso-c11:      a strict tools build (-std=c11 -Wpedantic);
#  host:         an ordinary hosted build with the system headers.
for hdr in $headers; do
    tag=$(echo "$hdr" | tr '/.' '__')
    bad=""
    try_header freestanding "$hdr" "$out/$tag.freestanding.log" \
        -ffreestanding -nostdinc -isystem "$GCC_INC" -std=gnu11 $WARN ||
        bad="$bad freestanding"
    try_header iso-c11 "$hdr" "$out/$tag.iso-c11.log" \
        -std=c11 -Wpedantic $WARN || bad="$bad iso-c11"
    try_header host "$hdr" "$out/$tag.host.log" -std=gnu11 $WARN ||
        bad="$bad host"
    if [ -z "$bad" ]; then
        pass "abi header $hdr compiles standalone (freestanding, iso-c11, host)"
    else
        fail "abi header $hdr compiles standalone" \
            "failed in:$bad (logs: $out/$tag.*.log)"
    fi
done

# Headers may include only <stdint.h>, <stddef.h> and each other by
# relative path; anything else would not exist in the hypervisor.
stray=$(grep -Hn '^[[:space:]]*#[[:space:]]*include' $(cd include && \
        find public -name '*.h' -printf 'include/%p\n') |
        grep -v -E '#[[:space:]]*include[[:space:]]*(<stdint\.h>|<stddef\.h>|"[A-Za-z0-9_./-]+\.h")')
if [ -z "$stray" ]; then
    pass "abi headers include only stdint.h, stddef.h and each other"
else
    fail "abi headers include only stdint.h, stddef.h and each other" \
        "$(echo "$stray" | head -3 | tr '\n' ' ')"
fi

# Include guards must be unique, or one header would silently hide another.
dups=$(grep -h -E '^#ifndef[[:space:]]+[A-Z0-9_]+_H$' $(cd include && \
       find public -name '*.h' -printf 'include/%p\n') | sort | uniq -d)
if [ -z "$dups" ]; then
    pass "abi header include guards are unique"
else
    fail "abi header include guards are unique" "duplicated: $dups"
fi

# Layout and numbers against Linux 6.1: a host build with -Werror whose
# static asserts already fail the build on any drift, then the run-time
# report (one line per structure / per header's constants).
if $CC -std=gnu11 $WARN -Iinclude tests/unit/abi/abi_layout.c \
        -o "$out/abi_layout" >"$out/abi_layout.build.log" 2>&1; then
    pass "abi layout test builds with all headers and static asserts"
    "$out/abi_layout" 2>"$out/abi_layout.stderr" || failed=1
else
    fail "abi layout test builds with all headers and static asserts" \
        "$(grep -m1 -E 'error' "$out/abi_layout.build.log")"
fi

# The run-time checker must itself be able to fail: corrupt one expected
# value (static asserts off) and demand a FAIL report and a failing exit.
if $CC -std=gnu11 $WARN -DABI_NO_STATIC_ASSERTS -DABI_INJECT_MISMATCH \
        -Iinclude tests/unit/abi/abi_layout.c -o "$out/abi_layout_broken" \
        >"$out/abi_layout_broken.build.log" 2>&1; then
    "$out/abi_layout_broken" >"$out/abi_layout_broken.out" 2>&1
    rc=$?
    if [ $rc -ne 0 ] && grep -q '^FAIL: abi struct trap_info: sizeof is' \
            "$out/abi_layout_broken.out"; then
        pass "abi layout checker reports an injected mismatch"
    else
        fail "abi layout checker reports an injected mismatch" \
            "exit $rc, output in $out/abi_layout_broken.out"
    fi
else
    fail "abi layout checker reports an injected mismatch" \
        "build failed, see $out/abi_layout_broken.build.log"
fi


# Header dependencies: each tree's make, run alone as a developer runs it
# (no BUILD from the top level, so each Makefile's own default), must
# rebuild an object when a header it includes changes.  make -n -W
# pretends the header changed without touching it: the object's compile
# command must be among what make would run then, and not without the -W
# (else it was out of date anyway and proves nothing).  xend's objects
# also depend on its always-checked flags stamp, which -n counts as
# changed, so -o holds that one still.  Reads the .d files of a build in
# the default build/.
header_dep() {
    local tree=$1 dir=$2 hdr=$3 want=$4 name
    shift 4
    name="header deps: make -C $dir rebuilds $want when $hdr changes"
    name=${name//$ROOT\//}
    if [ "$BUILD" != "$ROOT/build" ] || [ ! -d "$ROOT/build/$tree" ]; then
        skip "$name" "needs a \`make\` in the default build/"
        return
    fi
    compiles() {
        env -u BUILD make -C "$dir" -n "$@" 2>>"$out/deps-$tree.err" |
            grep -q -e "-c $want\b" -e "-c -o [^ ]* $want\b"
    }
    : >"$out/deps-$tree.err"
    if compiles "$@"; then
        skip "$name" "$want is out of date already: run make first"
    elif compiles "$@" -W "$hdr"; then
        pass "$name"
    else
        fail "$name" "not rebuilt (make -C $dir -n -W $hdr; $out/deps-$tree.err)"
    fi
}
header_dep xen xen include/xen/rangeset.h common/rangeset.c
header_dep libxc libxc xc_dom_image.h xc_dom_boot.c
header_dep xend xend "$ROOT/xend/lib/config.h" daemon/xend.c \
    -o "$ROOT/build/xend/flags.stamp"
header_dep guests tests/guests "$ROOT/include/public/io/netif.h" hostnet.c

exit $failed
