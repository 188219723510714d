#!/bin/bash
# initramfs-inputs.sh: describe everything the dom0 initramfs is built from.
#
# Usage: initramfs-inputs.sh SRC OVERLAY
#   Prints names, sizes, modes and times of the initramfs sources, the
#   overlay (build/dom0-root) and the host libraries the overlay needs, plus
#   busybox.  The Makefile keeps the previous listing and rebuilds the image
#   only when this output differs, which also catches deleted files that a
#   plain prerequisite list would miss.
set -euo pipefail

src=$1 overlay=$2
here=$(dirname "$0")

listing() {
    [ -d "$1" ] || { echo "(no $1)"; return; }
    (cd "$1" && find . -printf '%p %y %s %m %T@ %l\n' | LC_ALL=C sort)
}

echo "# src $src"
listing "$src"
echo "# overlay $overlay"
listing "$overlay"
echo "# host libraries"
if [ -d "$overlay" ]; then
    "$here/overlay-libs.sh" "$overlay" | while read -r lib; do
        stat -L -c '%n %s %Y' "$lib"
    done
fi
echo "# busybox"
stat -L -c '%n %s %Y' "$(command -v busybox)"
