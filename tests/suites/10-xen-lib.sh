#!/bin/bash
# Suite: the hypervisor's small C library (xen/common/string.c, parse.c,
# vsprintf.c, cmdline.c, symbols.c, domid.c) and xen/tools/mksymbols,
# tested on the host.  Builds tests/unit/xen-lib (plain and ASan+UBSan), runs every test
# program in both builds, then checks mksymbols' command-line behaviour and
# that the library sources compile freestanding with nothing undefined but
# what the hypervisor itself provides.

SUITE_PREFIX="xen-lib/"
. "$(dirname "$0")/../lib/suite.sh"
out=$BUILD/tests/xen-lib

mkdir -p "$out"
unit_build xen-lib tests/unit/xen-lib || exit 1

for variant in plain asan; do
    for prog in xen-lib-tests symtab-empty symtab-crafted symtab-self; do
        run_unit "$variant/$prog" "$out/$variant/$prog.log" 60 \
            "$out/$variant/$prog" "xen-lib/$variant/"
    done
done

mksymbols=$out/asan/mksymbols

# Two links are enough: the table made from the final program is the one
# it already holds.
for variant in plain asan; do
    if nm -n --defined-only "$out/$variant/symtab-self" | "$mksymbols" |
            cmp -s - "$out/$variant/self.S"; then
        pass "mksymbols/$variant/two-links-reach-fixed-point"
    else
        fail "mksymbols/$variant/two-links-reach-fixed-point" \
             "table from the final link differs from the embedded one"
    fi
done

# Malformed input is an error naming the line, not a wrong table.
expect_rejected() {
    local name=$1 input=$2 err rc
    err=$(printf '%b' "$input" | "$mksymbols" 2>&1 >/dev/null)
    rc=$?
    if [ $rc -eq 1 ] && [[ $err == *"line 2"* ]]; then
        pass "mksymbols/rejects-$name"
    else
        fail "mksymbols/rejects-$name" "status $rc, message '$err'"
    fi
}
expect_rejected garbage '0000000000001000 T ok\nthis is not nm output\n'
expect_rejected missing-name '0000000000001000 T ok\n0000000000001010 T\n'
expect_rejected bad-address '0000000000001000 T ok\n12zz T name\n'
expect_rejected huge-address '0000000000001000 T ok\n123456789abcdef0123 T name\n'

"$mksymbols" extra-argument </dev/null >/dev/null 2>&1
rc=$?
if [ $rc -eq 2 ]; then pass mksymbols/usage; else fail mksymbols/usage "status $rc"; fi

# Only data: a valid table with no entries.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '0000000000001000 D data\n0000000000002000 r ro\n' | "$mksymbols" >"$tmp/data.S"
if grep -A1 '^symbols_count:' "$tmp/data.S" | grep -q '\.long 0$' &&
        cc -c "$tmp/data.S" -o "$tmp/data.o"; then
    pass mksymbols/data-only-input
else
    fail mksymbols/data-only-input "expected an empty table that assembles"
fi

# Names with characters the assembler would choke on are escaped.
printf '0000000000001000 T we"ird\\name\n0000000000001010 r end\n' |
    "$mksymbols" >"$tmp/odd.S"
if cc -c "$tmp/odd.S" -o "$tmp/odd.o" 2>"$tmp/odd.err" &&
        strings "$tmp/odd.o" | grep -qxF 'we"ird\name'; then
    pass mksymbols/escapes-names
else
    fail mksymbols/escapes-names "$(head -n 3 "$tmp/odd.err")"
fi

# A big real binary: exactly the addresses nm lists only code names for
# get a named entry (addresses also holding data are section ends).
nm -n --defined-only "$out/asan/xen-lib-tests" >"$tmp/big.nm"
"$mksymbols" <"$tmp/big.nm" >"$tmp/big.S"
awk '{ a = $1; sub(/^0+/, "", a) }
     $2 ~ /^[TtWw]$/ { code[a] = 1 }
     $2 ~ /^[BbDdGgRrSsVvCcu]$/ { data[a] = 1 }
     END { for ( a in code ) if ( !(a in data) ) print a }' "$tmp/big.nm" |
    sort >"$tmp/expected"
awk '/^symbols_addresses:/ { s = 1; next } /^symbols_name_offsets:/ { s = 2; next }
     /\.size/ { s = 0 }
     s == 1 && /\.quad/ { a = $2; sub(/^0x/, "", a); addr[n++] = a }
     s == 2 && /\.long/ { if ( $2 != 0 ) print addr[m + 0]; m++ }' "$tmp/big.S" |
    sort >"$tmp/named"
if cc -c "$tmp/big.S" -o "$tmp/big.o" && [ "$(wc -l <"$tmp/expected")" -gt 50 ] &&
        cmp -s "$tmp/expected" "$tmp/named"; then
    pass mksymbols/large-binary
else
    fail mksymbols/large-binary "named entries differ from nm's code addresses:" \
         "$(diff "$tmp/expected" "$tmp/named" | head -n 5 | tr '\n' ' ')"
fi

# The hypervisor build: whatever these objects need must come from the
# hypervisor itself, never from a C library.
allowed=" memset memcpy memmove memcmp strlen strnlen strcmp strncmp strchr
 strrchr strlcpy strlcat parse_ulong parse_size vsnprintf snprintf printk
 vprintk symbols_lookup symbols_addresses symbols_name_offsets symbols_names
 symbols_count __start_xen_params __stop_xen_params "
stray=""
for obj in "$out"/freestanding/*.o; do
    for sym in $(nm -u "$obj" | awk '{ print $2 }'); do
        [[ $allowed == *" $sym"[[:space:]]* ]] || stray="$stray $(basename "$obj"):$sym"
    done
done
if [ -z "$stray" ] && [ "$(ls "$out"/freestanding/*.o | wc -l)" -eq 6 ]; then
    pass freestanding-undefined-symbols
else
    fail freestanding-undefined-symbols "unexpected:$stray"
fi

exit $failed
