#!/bin/sh
# collect-modules.sh: pick the dom0 kernel modules and their dependencies.
#
# Usage: collect-modules.sh KROOT OUTDIR REPORT MODULE...
#   KROOT   the unpacked kernel package (with modules.dep from depmod)
#   OUTDIR  receives lib/modules/RELEASE/ with the chosen .ko files, a
#           trimmed modules.dep (so busybox modprobe works at the shell),
#           modules.builtin, and dom0-load-order: the .ko paths in an order
#           where every module comes after what it depends on
#   REPORT  one line per requested module saying whether it is built into
#           the kernel or a module (and what it pulls in)
# A requested name that is neither built in nor a module is an error:
# dom0 would silently lack a device node otherwise.  '-' and '_' in names
# are the same thing, as they are to the kernel.
set -eu

kroot=$1
outdir=$2
report=$3
shift 3

release=$(cat "$kroot/release")
mdir=$kroot/lib/modules/$release
dep=$mdir/modules.dep
builtin=$mdir/modules.builtin
[ -f "$dep" ] || { echo "collect-modules: $dep missing" >&2; exit 1; }

out=$outdir/lib/modules/$release
rm -rf "$outdir"
mkdir -p "$out"
order=$out/dom0-load-order
: >"$order"
: >"$out/modules.dep"
: >"$report.tmp"

# Canonical form for comparing names: underscores.
canon() { echo "$1" | tr - _; }

# The modules.dep / modules.builtin path of module NAME in FILE, if any.
find_path() {
    awk -F: -v want="$(canon "$1")" '{
        name = $1; sub(/.*\//, "", name); sub(/\.ko$/, "", name); gsub(/-/, "_", name)
        if (name == want) { print $1; exit }
    }' "$2"
}

# Dependencies of the module at PATH, straight from its modules.dep line.
deps_of() {
    awk -v p="$1:" '$1 == p { for (i = 2; i <= NF; i++) print $i }' "$dep"
}

# Append PATH and, first, everything it needs, each exactly once.
add_module() {
    grep -qxF "$1" "$order" && return 0
    for d in $(deps_of "$1"); do add_module "$d"; done
    grep -qxF "$1" "$order" && return 0
    mkdir -p "$out/$(dirname "$1")"
    cp "$mdir/$1" "$out/$1"
    grep "^$1:" "$dep" >>"$out/modules.dep"
    echo "$1" >>"$order"
}

for name in "$@"; do
    path=$(find_path "$name" "$dep")
    if [ -n "$path" ]; then
        add_module "$path"
        needs=$(for d in $(deps_of "$path"); do basename "$d" .ko; done | tr '\n' ' ')
        echo "$name: module $path${needs:+ (needs ${needs% })}" >>"$report.tmp"
    elif [ -f "$builtin" ] && [ -n "$(find_path "$name" "$builtin")" ]; then
        echo "$name: built-in" >>"$report.tmp"
    else
        echo "collect-modules: $name is neither a module nor built into $release" >&2
        rm -f "$report.tmp"
        exit 1
    fi
done
[ -f "$builtin" ] && cp "$builtin" "$out/modules.builtin"
mv "$report.tmp" "$report"
