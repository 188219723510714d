#!/bin/bash
# overlay-libs.sh: list the host shared libraries the dom0 overlay needs.
#
# Usage: overlay-libs.sh OVERLAY
#   For every ELF file under OVERLAY (programs and libraries alike), asks
#   ldd what it loads and prints each host path once: these must be copied
#   into the initramfs for the overlay's dynamically linked programs to run.
#   Libraries the overlay ships itself are found there (LD_LIBRARY_PATH
#   points into it) and not listed.  A library found nowhere is an error,
#   since the program needing it would otherwise fail only at dom0 boot.
set -euo pipefail

overlay=$1
[ -d "$overlay" ] || exit 0

libpath=
for d in lib usr/lib usr/local/lib lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu; do
    libpath=$libpath${libpath:+:}$overlay/$d
done

is_elf() {
    [ "$(head -c 4 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]
}

declare -A libs=()
while IFS= read -r -d '' f; do
    is_elf "$f" || continue
    # ldd fails for static programs and foreign objects: nothing to copy.
    out=$(LD_LIBRARY_PATH=$libpath ldd "$f" 2>/dev/null) || continue
    while read -r line; do
        case $line in
            *"=> not found"*)
                echo "overlay-libs: ${f#"$overlay"/} needs ${line%% *}," \
                     "found neither on the host nor in the overlay" >&2
                exit 1 ;;
            *"=> /"*) p=${line#*=> }; p=${p%% (*} ;;
            /*) p=${line%% (*} ;;
            *) continue ;;                      # linux-vdso and the like
        esac
        case $p in "$overlay"/*) continue ;; esac
        libs[$p]=1
    done <<<"$out"
done < <(find "$overlay" -type f -print0)

if [ ${#libs[@]} -gt 0 ]; then
    printf '%s\n' "${!libs[@]}" | LC_ALL=C sort
fi
