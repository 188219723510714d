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
#
# Two inputs are not source and are made here, by the project's own
# Makefiles in the developer's build/, before dpkg-buildpackage runs, then
# copied into the mirror's prebuilt/ (debian/rules installs them from
# there):
#   prebuilt/web/   the web console's pages, uPlot and uPlot's licence
#                   (xend/Makefile `web`: npm ci from the pinned lockfile)
#   prebuilt/domu/  the domU initramfs and the release of the Debian kernel
#                   whose modules it carries (linux-xen/Makefile; the kernel
#                   package is fetched once with apt-get download)
# Why not inside dpkg-buildpackage: a package build must not reach the
# network, and the npm on a build machine need not be Debian's (any npm
# reads the lockfile the same way, integrity-checked); the kernel modules
# come from a fetched Debian kernel package, not from a build dependency.
set -e
out=$1
[ -n "$out" ] || { echo "usage: mkdeb.sh OUTDIR" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
src=$out/src/minixen
mkdir -p "$src"

# --delete drops files gone from the tree; .gitignore says what is not
# source (build/, objects).
rsync -a --delete --exclude=/.git --filter=':- .gitignore' "$root/" "$src/"

build=${BUILD:-$root/build}
make -s -C "$root/xend" BUILD="$build" web
make -s -C "$root/linux-xen" BUILD="$build" "$build/linux/initrd-domu.img"
mkdir -p "$src/prebuilt/web" "$src/prebuilt/domu"
# The web files: exactly what xend serves (the stamp is make's own).
find "$build/share/xend/web" -maxdepth 1 -type f ! -name stamp \
    -exec cp {} "$src/prebuilt/web/" \;
cp "$build/linux/initrd-domu.img" "$src/prebuilt/domu/initrd-domu.img"
cp "$build/linux/$(cat "$build/linux/flavour")/root/release" \
    "$src/prebuilt/domu/kernel-release"

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
