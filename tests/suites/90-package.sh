#!/bin/bash
# The Debian packages (docs/packaging.md): `make deb` builds them and
# lintian passes; each holds the files it should; the man pages render
# without warnings and describe what the programs really take; the unit
# file verifies; then the packages are installed with dpkg into a fresh
# Debian 12 root (mmdebstrap --variant=minbase, cached as a tarball under
# build/package/): files in place, the library's soname resolves through
# ldconfig, pkg-config finds it and a program built with its flags runs,
# xend's unit is enabled, and the real update-grub in that root makes a
# "with minixen" entry per kernel (and drops them when the hypervisor
# package is removed).
#
# The root needs a Debian mirror the first time and root privileges
# (chroot): without either those cases are SKIPped, saying why.
# Env: PACKAGE_TIMEOUT  seconds for the package build (default 900)
#      MMDEBSTRAP_MIRROR  mirror for the root (default: the host's apt sources)

SUITE_PREFIX="package/"
. "$(dirname "$0")/../lib/suite.sh"

out=$BUILD/package
debs=$BUILD/deb
mkdir -p "$out"
version=$(dpkg-parsechangelog -l debian/changelog -S Version)
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)

# ---- build (dpkg-buildpackage, then lintian --fail-on error,warning) ----
if timeout -k 10 "${PACKAGE_TIMEOUT:-900}" sh scripts/mkdeb.sh "$debs" >"$out/build.log" 2>&1; then
    pass "build-lintian-clean"
else
    fail "build-lintian-clean" "see $out/build.log: $(grep -E '^(E|W): |error' "$out/build.log" | head -3 | tr '\n' ' ')"
    echo "  (no packages: the other cases cannot run)"
    exit $failed
fi

deb() { echo "$debs/${1}_${version}_${arch}.deb"; }

# ---- contents: dpkg -c of each package holds the files it must ----
expect_files() {
    local pkg=$1 f missing=""
    shift
    for f in "$@"; do
        dpkg -c "$(deb "$pkg")" | awk '{print $6}' | grep -qx "./$f" || missing="$missing $f"
    done
    if [ -z "$missing" ]; then
        pass "contents-$pkg"
    else
        fail "contents-$pkg" "missing:$missing"
    fi
}
lib=usr/lib/$multiarch
expect_files minixen-hypervisor "boot/minixen-$version" etc/grub.d/20_linux_minixen \
    etc/default/grub.d/minixen.cfg
expect_files minixen-utils usr/sbin/xend usr/sbin/xenctl lib/systemd/system/xend.service \
    lib/systemd/system/minixen-domains.service \
    usr/libexec/minixen/xend-wait-ready etc/xend.conf etc/xen/debian.cfg \
    etc/xen/domu-example.cfg usr/share/man/man1/xenctl.1.gz usr/share/man/man8/xend.8.gz \
    usr/share/man/man5/xend.conf.5.gz usr/share/man/man5/minixen.cfg.5.gz \
    usr/share/xend/web/uPlot.iife.min.js usr/share/xend/web/uPlot.LICENSE \
    usr/lib/minixen/boot/initrd-domu.img
expect_files libminixenctrl1 "$lib/libminixenctrl.so.1.0" "$lib/libminixenctrl.so.1"
expect_files libminixenctrl-dev usr/include/minixen/xenctrl.h usr/include/minixen/xc_transport.h \
    "$lib/libminixenctrl.so" "$lib/pkgconfig/minixenctrl.pc"

# The hypervisor in the package is a multiboot2 image (magic 0xe85250d6
# within its first 32 KiB), the one GRUB's multiboot2 command needs.
x=$out/extract
rm -rf "$x"
for p in minixen-hypervisor minixen-utils libminixenctrl1 libminixenctrl-dev; do dpkg -x "$(deb $p)" "$x"; done
if od -A n -t x4 -N 32768 -v "$x/boot/minixen-$version" | grep -qw e85250d6; then
    pass "hypervisor-multiboot2"
else
    fail "hypervisor-multiboot2" "no multiboot2 header in boot/minixen-$version"
fi

# ---- Build-Depends names the -dev package of every library linked ----
# For each library the shipped programs and libminixenctrl load (their
# DT_NEEDED), the host's link-time .so that resolves to it belongs to a
# package that debian/control's Build-Depends must list; libc's -dev is
# build-essential and libminixenctrl is ours.  A library added to a
# Makefile without its Build-Depends fails here, not on a clean builder.
build_deps=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' debian/control | sed 's/^Build-Depends://' |
             tr ',' '\n' | awk '{print $1}' | grep -v '^$')
needed=$(for f in "$x/usr/sbin/xend" "$x/usr/sbin/xenctl" "$x/$lib"/libminixenctrl.so.1.0; do
             objdump -p "$f" | awk '$1 == "NEEDED" { print $2 }'; done | sort -u)
lacking=""
for so in $needed; do
    case $so in ld-linux*|libc.so.*|libm.so.*|libminixenctrl.so.*) continue ;; esac
    real=$(realpath -e "/usr/lib/$multiarch/$so" "/lib/$multiarch/$so" 2>/dev/null | head -n 1)
    dev=""
    for l in /usr/lib/"$multiarch"/*.so /lib/"$multiarch"/*.so; do
        [ "$(realpath -e "$l" 2>/dev/null)" = "$real" ] || continue
        dev=$(dpkg -S "$l" 2>/dev/null | sed -n '1s/:.*//p')
        [ -n "$dev" ] && break
    done
    if [ -z "$dev" ]; then lacking="$lacking $so(no -dev link on this host)"
    elif ! echo "$build_deps" | grep -qx "$dev"; then lacking="$lacking $so($dev)"; fi
done
if [ -z "$needed" ]; then
    fail "build-depends-cover-links" "no NEEDED libraries read from the packaged programs"
elif [ -z "$lacking" ]; then
    pass "build-depends-cover-links"
else
    fail "build-depends-cover-links" "debian/control's Build-Depends lacks:$lacking"
fi

# ---- the web console's files where xend looks for them ----
# Every name xend serves (the table in http-assets.c) is a file under its
# default http_root (xendconf.c), uPlot's licence among them, and
# debian/copyright names uPlot's licence.
web_root=$(sed -n 's/^[[:space:]]*c->http_root = xstrdup("\(.*\)");$/\1/p' xend/lib/xendconf.c)
assets=$(sed -n 's/^[[:space:]]*{ "\([^"]*\)", "[a-z]*\/[^"]*" },$/\1/p' xend/daemon/http-assets.c)
missing=""
for a in $assets; do [ -s "$x$web_root/$a" ] || missing="$missing $a"; done
if [ -z "$web_root" ] || [ "$(echo "$assets" | wc -w)" -lt 9 ]; then
    fail "web-assets-in-http-root" "could not read http_root ('$web_root') or the asset table ($(echo $assets))"
elif [ -n "$missing" ]; then
    fail "web-assets-in-http-root" "not in $web_root:$missing"
elif ! grep -q '^The MIT License' "$x$web_root/uPlot.LICENSE" ||
     ! grep -q 'Files: prebuilt/web/uPlot' debian/copyright ||
     ! grep -q '^License: Expat' "$x/usr/share/doc/minixen-utils/copyright"; then
    fail "web-assets-in-http-root" "uPlot's MIT licence missing from uPlot.LICENSE or the package's copyright"
else
    pass "web-assets-in-http-root"
fi

# ---- the domU kit: /etc/xen/debian.cfg names files that fit together ----
# Its ramdisk is the one the package ships; its kernel is /boot/vmlinuz-R
# for the release R whose modules the ramdisk carries (they load into no
# other), and the package recommends linux-image-R.
cfg=$x/etc/xen/debian.cfg
ramdisk=$(sed -n 's/^ramdisk = "\(.*\)"$/\1/p' "$cfg")
kernel=$(sed -n 's/^kernel = "\(.*\)"$/\1/p' "$cfg")
kver=$(zcat "$x$ramdisk" 2>/dev/null | cpio -it --quiet 2>/dev/null |
       sed -n 's|^lib/modules/\([^/]*\)/kernel/.*xen-blkfront\.ko.*|\1|p' | head -n 1)
recommends=$(dpkg-deb -f "$(deb minixen-utils)" Recommends)
why=""
[ "$ramdisk" = /usr/lib/minixen/boot/initrd-domu.img ] && [ -s "$x$ramdisk" ] ||
    why="$why; ramdisk '$ramdisk' is not the shipped initramfs"
[ -n "$kver" ] || why="$why; no xen-blkfront module in the shipped initramfs"
[ -n "$kver" ] && [ "$kernel" = "/boot/vmlinuz-$kver" ] ||
    why="$why; kernel '$kernel' is not the release of the initramfs's modules ($kver)"
case ", $recommends," in *", linux-image-$kver,"*) ;; *) why="$why; Recommends '$recommends' lacks linux-image-$kver" ;; esac
if [ -z "$why" ]; then pass "domu-kit-fits"; else fail "domu-kit-fits" "${why#; }"; fi

# ---- man pages: render with man -l, no warnings; true to the code ----
for page in usr/share/man/man1/xenctl.1.gz usr/share/man/man8/xend.8.gz \
            usr/share/man/man5/xend.conf.5.gz usr/share/man/man5/minixen.cfg.5.gz; do
    name=$(basename "$page" .gz)
    MANWIDTH=80 man --warnings -l "$x/$page" >"$out/$name.txt" 2>"$out/$name.warn"
    rc=$?
    # The same page unwrapped, for the checks below (no hyphenation).
    MANWIDTH=250 man -l "$x/$page" >"$out/$name.wide.txt" 2>/dev/null
    if [ $rc -eq 0 ] && [ ! -s "$out/$name.warn" ] && grep -q '^NAME' "$out/$name.txt" &&
       grep -q '^SEE ALSO' "$out/$name.txt"; then
        pass "man-renders-$name"
    else
        fail "man-renders-$name" "man exit $rc: $(head -c 300 "$out/$name.warn")"
    fi
done

# Every command xenctl --help lists has its entry in xenctl(1); every
# option of xend --help is in xend(8); every key of etc/xend.conf in
# xend.conf(5); every key domcfg.c knows in minixen.cfg(5).  A page that
# fell behind the code fails here.
# Each name must head an entry (a line indented 7 columns, where man puts
# the term of an indented paragraph), not merely occur in some sentence:
# "log" or "cap" are everyday words.
man_lacks() {   # man_lacks PAGE-TEXT WORD...: prints the words without an entry
    local txt=$1 w
    shift
    for w in "$@"; do
        grep -qE -- "^ {7}([^ ].*, )?(-[a-zA-Z], )?$w( |,|\$)" "$txt" || printf ' %s' "$w"
    done
}
xenctl_cmds=$("$x/usr/sbin/xenctl" --help 2>/dev/null |
              awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }')
xend_opts=$(LD_LIBRARY_PATH=$x/usr/lib/$multiarch "$x/usr/sbin/xend" --help 2>/dev/null |
            grep -o -- '--[a-z-]*' | sort -u)
conf_keys=$(sed -n 's/^#\([a-z_0-9]*\) = .*/\1/p' etc/xend.conf | sort -u)
cfg_keys=$(sed -n '/known\[\] = {/,/};/p' xend/lib/domcfg.c | grep -o '"[a-z_]*"' | tr -d '"')
check_page() {
    local name=$1 txt=$2 minimum=$3 lacking
    shift 3
    if [ "$#" -lt "$minimum" ]; then
        fail "man-matches-code-$name" "only $# names taken from the code (expected $minimum or more)"
        return
    fi
    lacking=$(man_lacks "$txt" "$@")
    if [ -z "$lacking" ]; then
        pass "man-matches-code-$name"
    else
        fail "man-matches-code-$name" "not described:$lacking"
    fi
}
# shellcheck disable=SC2086  # word lists
{
check_page xenctl.1 "$out/xenctl.1.wide.txt" 15 $xenctl_cmds
check_page xend.8 "$out/xend.8.wide.txt" 8 $xend_opts
check_page xend.conf.5 "$out/xend.conf.5.wide.txt" 20 $conf_keys
check_page minixen.cfg.5 "$out/minixen.cfg.5.wide.txt" 14 $cfg_keys
}

# ---- the systemd unit ----
unit=$x/lib/systemd/system/xend.service
missing=""
for want in 'After=local-fs.target' 'Restart=on-failure' 'Before=systemd-user-sessions.service getty.target' \
            'ExecStart=/usr/sbin/xend' 'WantedBy=multi-user.target'; do
    grep -qxF "$want" "$unit" || missing="$missing $want"
done
if [ -z "$missing" ]; then pass "unit-ordering"; else fail "unit-ordering" "xend.service lacks:$missing"; fi
# minixen-domains.service takes the guests down at poweroff: stopped
# before xend (ordered after it), running `xenctl host-shutdown`; bound
# to xend only by Wants (a Requires or BindsTo would stop it, and so shut
# every guest down, on `systemctl restart xend`), and never stopped or
# restarted by a package upgrade (the maintainer scripts stop it on
# remove only).
unit=$x/lib/systemd/system/minixen-domains.service
missing=""
for want in 'After=xend.service local-fs.target network.target' 'Wants=xend.service' \
            'ExecStop=/usr/sbin/xenctl host-shutdown' 'RemainAfterExit=yes' 'WantedBy=multi-user.target'; do
    grep -qxF "$want" "$unit" || missing="$missing $want"
done
grep -qE '^(Requires|BindsTo|PartOf)=.*xend' "$unit" && missing="$missing (binds to xend's restarts)"
scripts=$out/utils-control
rm -rf "$scripts"
dpkg-deb -e "$(deb minixen-utils)" "$scripts"
grep -q "restart.*minixen-domains\|_dh_action 'minixen-domains" "$scripts/postinst" &&
    missing="$missing (postinst restarts it on upgrade)"
grep -B3 "stop 'minixen-domains.service'" "$scripts/prerm" | grep -q '"$1" = remove' ||
    missing="$missing (prerm stops it on more than remove)"
if [ -z "$missing" ]; then pass "unit-host-shutdown"; else fail "unit-host-shutdown" "minixen-domains.service:$missing"; fi
# ---- a fresh Debian 12 root, our packages installed with dpkg ----
rootfs=$out/root
# The root's packages are the libraries ours link (the shlibs Depends) and
# what the checks use; the tarball is named after the list, so a new
# library makes a new root instead of a failing dpkg -i.
root_pkgs=grub2-common,man-db,pkg-config,systemd,kmod,libevent-core-2.1-7,libevent-extra-2.1-7,libjansson4,libsqlite3-0,liblz4-1,libzstd1,libbz2-1.0,liblzma5,zlib1g,libcairo2,libcrypt1
tarball=$out/debian-root-$(echo "$root_pkgs" | md5sum | cut -c1-8).tar
root_skip=""
if [ "$(id -u)" -ne 0 ]; then
    root_skip="needs root (chroot into the Debian root)"
elif [ ! -s "$tarball" ]; then
    # What the packages depend on and the checks use (systemd for
    # systemd-analyze) comes from the mirror now, so that installing our
    # packages later needs no network.
    if timeout -k 10 900 mmdebstrap --variant=minbase --format=tar \
           --include="$root_pkgs" \
           bookworm "$tarball.tmp" ${MMDEBSTRAP_MIRROR:-} >"$out/mmdebstrap.log" 2>&1; then
        mv "$tarball.tmp" "$tarball"
    else
        rm -f "$tarball.tmp"
        root_skip="mmdebstrap could not build a Debian root (no mirror reachable?): $(tail -n 1 "$out/mmdebstrap.log")"
    fi
fi
root_cases="install files-in-place soname-resolves pkg-config-builds unit-enabled unit-verify web-console-serves-package update-grub-entries update-grub-disable remove-drops-entries"
if [ -n "$root_skip" ]; then
    for c in $root_cases; do skip "$c" "$root_skip"; done
    exit $failed
fi

rm -rf "$rootfs"
mkdir -p "$rootfs"
tar -xf "$tarball" -C "$rootfs"
mkdir -p "$rootfs/tmp/debs"
cp "$(deb minixen-hypervisor)" "$(deb minixen-utils)" "$(deb libminixenctrl1)" \
   "$(deb libminixenctrl-dev)" "$rootfs/tmp/debs/"
inroot() { chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

if inroot sh -c 'dpkg -i /tmp/debs/*.deb' >"$out/install.log" 2>&1 &&
   for p in minixen-hypervisor minixen-utils libminixenctrl1 libminixenctrl-dev; do
       inroot dpkg-query -W -f='${Status}\n' "$p" | grep -qx 'install ok installed' || exit 1
   done; then
    pass "install"
else
    fail "install" "see $out/install.log: $(grep -i 'error\|depends' "$out/install.log" | head -3 | tr '\n' ' ')"
fi

# Every file dpkg -L names is there (regular files and links).
missing=""
for p in minixen-hypervisor minixen-utils libminixenctrl1 libminixenctrl-dev; do
    while read -r f; do
        [ -e "$rootfs$f" ] || [ -L "$rootfs$f" ] || missing="$missing $f"
    done < <(inroot dpkg -L "$p")
done
if [ -z "$missing" ] && [ -x "$rootfs/usr/sbin/xend" ] &&
   inroot dpkg -L minixen-hypervisor | grep -qx "/boot/minixen-$version" &&
   inroot dpkg -L minixen-utils | grep -qx /etc/xen/debian.cfg; then
    pass "files-in-place"
else
    fail "files-in-place" "missing:$missing"
fi

# ldconfig's cache names the soname, and the installed programs load.
if inroot ldconfig -p | grep -q "libminixenctrl.so.1 (libc6,x86-64) => /.*/libminixenctrl.so.1$" &&
   inroot xenctl --version >"$out/xenctl-version.log" 2>&1 &&
   inroot xend --version >>"$out/xenctl-version.log" 2>&1 &&
   grep -q "^xend $version" "$out/xenctl-version.log"; then
    pass "soname-resolves"
else
    fail "soname-resolves" "$(inroot ldconfig -p | grep minixen; head -c 300 "$out/xenctl-version.log")"
fi

# pkg-config in the root gives the flags; a program built with them (by
# the host's compiler: minbase has none) runs in the root and reaches the
# library, which reports that there is no hypervisor here.
flags=$(inroot pkg-config --cflags --libs minixenctrl 2>"$out/pkg-config.log")
host_flags=$(echo "$flags" | sed "s|-I/|-I$rootfs/|g; s|-L/|-L$rootfs/|g")
if [ -n "$flags" ] && echo "$flags" | grep -q -- '-I/usr/include/minixen' &&
   echo "$flags" | grep -q -- '-lminixenctrl' &&
   gcc -o "$rootfs/tmp/xcprobe" tests/package/xcprobe.c $host_flags -L"$rootfs/$lib" \
       >>"$out/pkg-config.log" 2>&1 &&
   inroot /tmp/xcprobe >"$out/xcprobe.log" 2>&1 &&
   grep -q '^xcprobe: libminixenctrl answered: ' "$out/xcprobe.log"; then
    pass "pkg-config-builds"
else
    fail "pkg-config-builds" "flags '$flags': $(cat "$out/pkg-config.log" "$out/xcprobe.log" 2>/dev/null | head -c 300)"
fi

# dh_installsystemd's postinst enabled xend and minixen-domains for
# multi-user.target.
if [ -L "$rootfs/etc/systemd/system/multi-user.target.wants/xend.service" ] &&
   [ -L "$rootfs/etc/systemd/system/multi-user.target.wants/minixen-domains.service" ]; then
    pass "unit-enabled"
else
    fail "unit-enabled" "xend.service or minixen-domains.service not in /etc/systemd/system/multi-user.target.wants"
fi

# systemd-analyze verify of the installed unit, in the root, where its
# programs and the units it names exist as on a real system.
if inroot systemd-analyze verify /lib/systemd/system/xend.service \
       /lib/systemd/system/minixen-domains.service >"$out/unit-verify.log" 2>&1 &&
   ! grep -q . "$out/unit-verify.log"; then
    pass "unit-verify"
else
    fail "unit-verify" "$(head -c 400 "$out/unit-verify.log")"
fi

# ---- the web console in the root: xend finds the packaged files ----
# The shipped xend needs the hypervisor, so the test daemon (xend-sim:
# the same daemon on the simulated one) runs in the root instead, with
# the console on and no http_root, i.e. xend's default; after a login
# with its token, the chart library and its licence it serves are the
# package's files byte for byte.
web_case() {
    local w=$rootfs/tmp/web port url pid token rc=1 a
    make -s -C xend BUILD="$BUILD" tests >"$out/web-build.log" 2>&1 ||
        { echo "xend-sim build failed: $(tail -n 3 "$out/web-build.log")"; return 1; }
    mkdir -p "$w"
    cp "$BUILD/tests/xend/xend-sim" "$rootfs/tmp/xend-sim"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    url=http://127.0.0.1:$port
    printf 'http = "yes"\nhttp_listen = "127.0.0.1:%s"\n' "$port" >"$w/xend.conf"
    # chroot and env exec, so $! is xend-sim itself (through the inroot
    # function it would be a subshell, and killing that leaves xend-sim).
    chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
        /tmp/xend-sim --backend=sim -f /tmp/web/xend.conf --socket /tmp/web/xend.sock \
        --db /tmp/web/xend.db --log-dir /tmp/web/log --sim-state /tmp/web/sim \
        >"$out/web-xend.log" 2>&1 &
    pid=$!
    # Until it listens (or has exited); bounded, so a hang cannot stall us.
    for _ in $(seq 600); do
        [ -s "$w/http-token" ] && curl -s -o /dev/null --max-time 10 "$url/login" && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    token=$(cat "$w/http-token" 2>/dev/null)
    if [ -z "$token" ]; then
        echo "xend-sim made no token: $(tail -n 3 "$out/web-xend.log")"
    elif ! curl -s --max-time 60 -c "$w/cookies" -o /dev/null -d "secret=$token" "$url/login"; then
        echo "login failed"
    else
        rc=0
        for a in uPlot.iife.min.js uPlot.LICENSE list.js; do
            curl -s --max-time 60 -b "$w/cookies" -o "$w/got-$a" "$url/static/$a" &&
                cmp -s "$w/got-$a" "$x/usr/share/xend/web/$a" ||
                { echo "/static/$a is not the package's $a"; rc=1; }
        done
    fi
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -rf "$w" "$rootfs/tmp/xend-sim"
    return $rc
}
web_out=$(web_case)
if [ $? -eq 0 ]; then
    pass "web-console-serves-package"
else
    fail "web-console-serves-package" "$web_out (xend's log: $out/web-xend.log)"
fi

# ---- update-grub in the root, with two Debian kernels in /boot ----
# The kernels only have to be files: GRUB's scripts never read them.
k1=6.1.0-98-amd64 k2=6.1.0-99-amd64
for k in $k1 $k2; do echo "fake kernel $k" >"$rootfs/boot/vmlinuz-$k"; done
echo "fake initrd" >"$rootfs/boot/initrd.img-$k2"
mkdir -p "$rootfs/boot/grub"
# /etc/default/grub as grub-pc's postinst writes it on a Debian machine
# (the root has GRUB's scripts but no boot loader package).
cat >"$rootfs/etc/default/grub" <<'EOF'
GRUB_DEFAULT=0
GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`
GRUB_CMDLINE_LINUX_DEFAULT="quiet"
GRUB_CMDLINE_LINUX=""
EOF
cp tests/package/grub-probe-stub "$rootfs/usr/sbin/grub-probe"
update_grub() { inroot update-grub >"$out/update-grub.log" 2>&1; }
cfg=$rootfs/boot/grub/grub.cfg
entry_lines() { grep -c "^menuentry 'Debian GNU/Linux, with minixen $version and Linux " "$cfg"; }
if update_grub && [ -s "$cfg" ]; then
    why=""
    [ "$(entry_lines)" = 2 ] || why="$why; $(entry_lines) minixen entries, expected 2"
    # The newer kernel's entry: hypervisor with its options, kernel, initrd.
    body=$(sed -n "/with minixen $version and Linux $k2'/,/^}/p" "$cfg")
    echo "$body" | grep -q "^	multiboot2	/boot/minixen-$version dom0_mem=1024M console=com1 loglvl=info$" ||
        why="$why; no multiboot2 line for the hypervisor"
    echo "$body" | grep -q "^	module2	--nounzip /boot/vmlinuz-$k2 root=/dev/sda1 ro quiet console=hvc0$" ||
        why="$why; no module2 line for vmlinuz-$k2"
    echo "$body" | grep -q "^	module2	--nounzip /boot/initrd.img-$k2$" ||
        why="$why; no module2 line for initrd.img-$k2"
    # The older kernel has no initrd, so its entry has no second module.
    sed -n "/with minixen $version and Linux $k1'/,/^}/p" "$cfg" | grep -q initrd &&
        why="$why; an initrd in the entry of a kernel without one"
    # Native Linux stays first (10_linux comes before our 20_ hook).
    first=$(grep -m1 "^menuentry " "$cfg")
    case $first in *minixen*) why="$why; a minixen entry is GRUB's first" ;; esac
    grep -q "Found minixen $version with Linux $k2" "$out/update-grub.log" ||
        why="$why; update-grub did not report our entry"
    if command -v grub-script-check >/dev/null && ! grub-script-check "$cfg" >>"$out/update-grub.log" 2>&1; then
        why="$why; grub-script-check refuses grub.cfg"
    fi
    if [ -z "$why" ]; then pass "update-grub-entries"; else fail "update-grub-entries" "${why#; } (see $cfg)"; fi
else
    fail "update-grub-entries" "update-grub failed: $(tail -n 3 "$out/update-grub.log" | tr '\n' ' ')"
fi
cp "$cfg" "$out/grub.cfg"

# GRUB_DISABLE_MINIXEN=true in the defaults file: no entries.
sed -i 's/^GRUB_DISABLE_MINIXEN=.*/GRUB_DISABLE_MINIXEN=true/' "$rootfs/etc/default/grub.d/minixen.cfg"
if update_grub && [ "$(entry_lines)" = 0 ] && grep -q "^menuentry 'Debian GNU/Linux'" "$cfg"; then
    pass "update-grub-disable"
else
    fail "update-grub-disable" "$(entry_lines) minixen entries with GRUB_DISABLE_MINIXEN=true"
fi
sed -i 's/^GRUB_DISABLE_MINIXEN=.*/GRUB_DISABLE_MINIXEN=false/' "$rootfs/etc/default/grub.d/minixen.cfg"
update_grub

# Removing the hypervisor package runs update-grub (postrm): its entries go.
if [ "$(entry_lines)" = 2 ] && inroot dpkg -r minixen-hypervisor >"$out/remove.log" 2>&1 &&
   [ ! -e "$rootfs/boot/minixen-$version" ] && [ "$(entry_lines)" = 0 ]; then
    pass "remove-drops-entries"
else
    fail "remove-drops-entries" "$(entry_lines) minixen entries after dpkg -r; see $out/remove.log"
fi

rm -rf "$rootfs"
exit $failed
