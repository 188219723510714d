#!/bin/sh
# fetch-kernel.sh: download Debian's stock kernel package into a cache dir.
#
# Usage: fetch-kernel.sh FLAVOUR DIR
#   FLAVOUR  amd64 or cloud-amd64: the metapackage linux-image-FLAVOUR is
#            resolved with apt-cache to the versioned image package it
#            depends on (e.g. linux-image-6.1.0-56-amd64).
#   DIR      gets deb/NAME_VERSION_amd64.deb and package.txt ("NAME VERSION
#            FILE"), written last so a half-finished run is never mistaken
#            for a finished one.
#
# Only `apt-get download` touches the network.  The package lists are
# refreshed with `apt-get update` only when resolving or downloading fails,
# i.e. on a machine whose lists are missing or stale.
set -eu

flavour=$1
dir=$2
meta=linux-image-$flavour
log=$dir/fetch.log

mkdir -p "$dir/deb"
: >"$log"

# The versioned package the metapackage depends on, or nothing.
resolve() {
    apt-cache depends "$meta" 2>>"$log" |
        sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1
}

refresh_lists() {
    echo "  APT     apt-get update (package lists missing or stale)"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq >>"$log" 2>&1 || {
        echo "fetch-kernel: apt-get update failed; see $log" >&2
        exit 1
    }
}

pkg=$(resolve || true)
if [ -z "$pkg" ]; then
    refresh_lists
    pkg=$(resolve || true)
fi
if [ -z "$pkg" ]; then
    echo "fetch-kernel: cannot resolve $meta to a versioned kernel package" >&2
    echo "  (is LINUX_FLAVOUR=$flavour a Debian kernel flavour? see $log)" >&2
    exit 1
fi

# apt-get download writes into the current directory.  As root, apt would
# drop privileges to _apt, which cannot write into our build tree: tell it
# to stay root rather than leave a warning on every fresh build.
download() {
    rm -f "$dir"/deb/*.deb
    (cd "$dir/deb" && apt-get download -o APT::Sandbox::User=root "$pkg") >>"$log" 2>&1
}

echo "  FETCH   $pkg"
if ! download; then
    refresh_lists
    download || {
        echo "fetch-kernel: apt-get download $pkg failed; see $log" >&2
        exit 1
    }
fi

set -- "$dir"/deb/*.deb
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
    echo "fetch-kernel: expected exactly one .deb in $dir/deb" >&2
    exit 1
fi
deb=$1
name=$(dpkg-deb -f "$deb" Package)
version=$(dpkg-deb -f "$deb" Version)
if [ "$name" != "$pkg" ]; then
    echo "fetch-kernel: $deb holds $name, expected $pkg" >&2
    exit 1
fi
echo "$name $version $(basename "$deb")" >"$dir/package.txt.tmp"
mv "$dir/package.txt.tmp" "$dir/package.txt"
