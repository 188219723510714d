#!/bin/sh
# Build minixen's Debian packages (make deb; docs/packaging.md).
#
#   mkdeb.sh OUTDIR
#
# dpkg-buildpackage writes its results into the parent of the source
# tree, so the tree (every file git knows or would add, not build/) is
# mirrored into OUTDIR/src/minixen first and the package built there;
# the .deb, .buildinfo and .changes files end up in OUTDIR, followed by a
# lintian run over them.  Every build starts clean (dpkg-buildpackage
# runs debian/rules clean first): it takes under a minute, and a package
# never carries objects built with other flags.
set -e
out=$1
[ -n "$out" ] || { echo "usage: mkdeb.sh OUTDIR" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
src=$out/src/minixen
mkdir -p "$src"

# --delete drops files gone from the tree; .gitignore says what is not
# source (build/, objects).
rsync -a --delete --exclude=/.git --filter=':- .gitignore' "$root/" "$src/"

rm -f "$out"/src/*.deb "$out"/src/*.buildinfo "$out"/src/*.changes
# DEB_JOBS: parallel make jobs (default 2).
(cd "$src" && dpkg-buildpackage -b -us -uc -j"${DEB_JOBS:-2}")
rm -f "$out"/*.deb "$out"/*.buildinfo "$out"/*.changes
mv "$out"/src/*.deb "$out"/src/*.buildinfo "$out"/src/*.changes "$out/"
ls "$out"/*.deb

# Lintian clean: any error or warning fails the build (each override in
# debian/*.lintian-overrides says why it is there).
lintian --fail-on error,warning \
    "$out"/*.changes
