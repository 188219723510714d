#!/bin/bash
# 35-xend-block.sh: a running domain's disks through xend and xenctl, on
# the simulated hypervisor: `xenctl block-attach` (every disk syntax the
# config takes), `block-list` (table and --json), `block-detach`, and the
# refusals: a malformed entry before anything is sent (exit 2), a missing
# or wrong-kind target, a vdev twice, a writable CD-ROM, Domain-0, a
# hostile raw request that skips xenctl's checks.  Destroy forgets the
# domain's disks.  Hot-attached disks and vifs survive a reboot
# (on_reboot = "restart") and a save/restore, and block-list/network-list
# say which came from the config and which were hot-attached; a detached
# one does not come back.  The real backend's side (loop devices, xenstore nodes,
# Linux's blkfront seeing xvdb) is suite 88-linux-blk.

SUITE_PREFIX="xend-block: "
. "$(dirname "$0")/../lib/suite.sh"

. "$(dirname "$0")/../lib/xend-sim.sh"
xend_sim_setup block
RAW=$BUILD/tests/xend/tool-rawsend
start_xend() { xend_sim_start -f /dev/null --sim-state "$tmp/sim"; }
printf 'not a real kernel\n' >"$tmp/vmlinuz"
printf 'name = "web"\nkernel = "%s"\nmemory = 64\n' "$tmp/vmlinuz" >"$tmp/web.cfg"
truncate -s 4M "$tmp/b.img" "$tmp/c.img"
truncate -s 1M "$tmp/cd.iso"
chmod 444 "$tmp/cd.iso"
mkdir "$tmp/adir"

# ---- xenctl alone: usage errors before anything is sent -----------------
out=$("$XENCTL" -s "$tmp/none.sock" block-attach web "$tmp/b.img,hdb,w" 2>&1); rc=$?
why="rc=$rc $out"; check "block-attach with vdev hdb: exit 2, names the rule" test $rc -eq 2 -a -n "$(echo "$out" | grep "vdev 'hdb' is not xvda..xvdz")"
out=$("$XENCTL" -s "$tmp/none.sock" block-attach web "$tmp/b.img,xvdb,w,extra,x" 2>&1); rc=$?
why="rc=$rc $out"; check "block-attach with five fields: exit 2" test $rc -eq 2
out=$("$XENCTL" -s "$tmp/none.sock" block-attach web 2>&1); rc=$?
why="rc=$rc $out"; check "block-attach without SPEC: exit 2" test $rc -eq 2
out=$("$XENCTL" -s "$tmp/none.sock" block-detach web sda 2>&1); rc=$?
why="rc=$rc $out"; check "block-detach sda: exit 2" test $rc -eq 2 -a -n "$(echo "$out" | grep 'not xvda..xvdz')"
out=$("$XENCTL" block-attach --help 2>&1)
why="$out"; check "block-attach --help shows both disk forms" sh -c "echo \"\$0\" | grep -q 'usage: xenctl block-attach' && echo \"\$0\" | grep -q 'devtype=disk|cdrom'" "$out"

why="see $tmp/xend.stderr"; check "xend (sim) starts" start_xend
[ -n "$xend_pid" ] || exit 1
x create "$tmp/web.cfg" >/dev/null 2>&1

# ---- attach, list, detach -------------------------------------------------
out=$(x block-list web 2>&1); rc=$?
why="rc=$rc $out"; check "block-list of a domain without disks" test $rc -eq 0 -a "$out" = "web has no disks"
out=$(x block-attach web "file:$tmp/b.img,xvdb,w" 2>&1); rc=$?
why="rc=$rc $out"; check "block-attach file:IMG,xvdb,w" test $rc -eq 0 -a -n "$(echo "$out" | awk '$1 == "xvdb" && $2 == "file" && $3 == "disk" && $4 == "w"')"
why="$out"; check "block-list: the state by its xenbus name (Connected), header State" test -n "$(echo "$out" | awk '$1 == "xvdb" && $5 == "Connected"')" -a -n "$(echo "$out" | awk 'NR == 1 && $5 == "State"')"
out=$(x block-attach web "target=$tmp/c.img,vdev=xvdc,access=ro,format=raw" 2>&1); rc=$?
why="rc=$rc $out"; check "block-attach in the KEY=VALUE form, read-only" test $rc -eq 0 -a -n "$(echo "$out" | awk '$1 == "xvdc" && $4 == "r"')"
out=$(x block-attach web "$tmp/cd.iso,xvdd:cdrom,r" 2>&1); rc=$?
why="rc=$rc $out"; check "block-attach a CD-ROM (read-only file)" test $rc -eq 0 -a -n "$(echo "$out" | awk '$1 == "xvdd" && $3 == "cdrom" && $4 == "r"')"
out=$(x block-list web --json 2>&1)
why="$out"; check "block-list --json: three disks with devid, target, access" sh -c "echo \"\$0\" | grep -c '\"vdev\"' | grep -qx 3 && echo \"\$0\" | grep -q '\"devid\": 51728' && echo \"\$0\" | grep -q '\"devtype\": \"cdrom\"'" "$out"

# ---- refusals: clear errors, nothing changed ------------------------------
out=$(x block-attach web "$tmp/c.img,xvdb,w" 2>&1); rc=$?
why="rc=$rc $out"; check "the same vdev twice refused" test $rc -eq 1 -a -n "$(echo "$out" | grep 'already has xvdb')"
out=$(x block-attach web "$tmp/missing.img,xvde,w" 2>&1); rc=$?
why="rc=$rc $out"; check "a missing image refused, naming it" test $rc -eq 1 -a -n "$(echo "$out" | grep "missing.img: No such file")"
out=$(x block-attach web "$tmp/adir,xvde,w" 2>&1); rc=$?
why="rc=$rc $out"; check "a directory refused" test $rc -eq 1 -a -n "$(echo "$out" | grep 'is not a regular file')"
out=$(x block-attach web "phy:$tmp/b.img,xvde,w" 2>&1); rc=$?
why="rc=$rc $out"; check "phy: on a regular file refused" test $rc -eq 1 -a -n "$(echo "$out" | grep 'is not a block device')"
out=$(x block-attach web "$tmp/cd.iso,xvde:cdrom,w" 2>&1); rc=$?
why="rc=$rc $out"; check "a writable CD-ROM refused" test $rc -eq 2 -a -n "$(echo "$out" | grep 'CD-ROM is read-only')"
out=$(x block-attach Domain-0 "$tmp/c.img,xvde,w" 2>&1); rc=$?
why="rc=$rc $out"; check "Domain-0 refused" test $rc -eq 1 -a -n "$(echo "$out" | grep 'Domain-0 has no')"
out=$(x block-attach nosuch "$tmp/c.img,xvde,w" 2>&1); rc=$?
why="rc=$rc $out"; check "an unknown domain: exit 1" test $rc -eq 1
# A client that skips xenctl's parser gets xend's.
out=$(printf '{"v":1,"id":1,"cmd":"block-attach","args":{"domain":"web","spec":"%s,xvde,w,,"}}\n' "$tmp/c.img" | "$RAW" "$sock" 2>&1)
why="$out"; check "raw request with a malformed entry: xend's parser refuses it" sh -c "echo \"\$0\" | grep -q '\"code\": *202' && echo \"\$0\" | grep -q 'disk entry'" "$out"
out=$(printf '{"v":1,"id":1,"cmd":"block-detach","args":{"domain":"web","vdev":"../xvdb"}}\n' | "$RAW" "$sock" 2>&1)
why="$out"; check "raw detach of a bogus vdev refused" sh -c "echo \"\$0\" | grep -q '\"code\": *202'" "$out"
out=$(x block-list web 2>&1)
why="$out"; check "after the refusals still the same three disks" test "$(echo "$out" | grep -c '^xvd')" = 3
out=$(x block-detach web xvde 2>&1); rc=$?
why="rc=$rc $out"; check "detaching a disk it does not have refused, naming the domain and block-list" test $rc -eq 1 -a -n "$(echo "$out" | grep 'web has no disk xvde (see `xenctl block-list web`)')"

out=$(x block-detach web xvdb 2>&1); rc=$?
why="rc=$rc $out"; check "block-detach xvdb: gone, the others stay" test $rc -eq 0 -a -z "$(echo "$out" | grep '^xvdb')" -a "$(echo "$out" | grep -c '^xvd')" = 2
# It waited for the (simulated) guest to close the disk first: xend asked,
# answered "not yet", and removed it at xenctl's next request.
out=$(x log -n 1000 2>&1 | grep 'xvdb')
why="$out"; check "block-detach asked the guest to close xvdb before removing it" sh -c "echo \"\$0\" | grep -q 'xvdb: asked the guest to close it' && echo \"\$0\" | grep -q 'xvdb detached\$'" "$out"
# A raw request answers "not yet" with the frontend's state, the disk kept.
out=$(printf '{"v":1,"id":1,"cmd":"block-detach","args":{"domain":"web","vdev":"xvdc"}}\n' | "$RAW" "$sock" 2>&1)
why="$out"; check "raw block-detach: detached false, frontend_state 4, xvdc still listed" sh -c "echo \"\$0\" | grep -q '\"detached\": *false' && echo \"\$0\" | grep -q '\"frontend_state\": *4' && echo \"\$0\" | grep -q '\"vdev\": *\"xvdc\"'" "$out"
out=$(x block-list web 2>&1)
why="$out"; check "block-list: xvdc's backend Closing while the guest has not closed it (named, not 5)" test -n "$(echo "$out" | awk '$1 == "xvdc" && $5 == "Closing"')"
out=$(x block-list --json web 2>&1)
why="$out"; check "block-list --json keeps the state a number (xvdc: 5, the others 4)" sh -c "echo \"\$0\" | tr -d ' \n' | grep -q '\"vdev\":\"xvdc\"' && echo \"\$0\" | grep -q '\"state\": *5' && echo \"\$0\" | grep -q '\"state\": *4'" "$out"
# A guest that never closes it ("busy" image): a clear error after
# --timeout, the disk stays; --force removes it.
truncate -s 1M "$tmp/busy.img"
x block-attach web "$tmp/busy.img,xvdf,w" >/dev/null 2>&1
out=$(x block-detach --timeout 1s web xvdf 2>&1); rc=$?
why="rc=$rc $out"; check "block-detach of a disk the guest holds: exit 1 after --timeout, says so" test $rc -eq 1 -a -n "$(echo "$out" | grep 'did not close it within 1000 ms' | grep 'stays attached' | grep -- '--force')"
out=$(x block-list web 2>&1)
why="$out"; check "the held disk is still attached" test -n "$(echo "$out" | awk '$1 == "xvdf"')"
out=$(x block-detach --force web xvdf 2>&1); rc=$?
why="rc=$rc $out"; check "block-detach --force removes it" test $rc -eq 0 -a -z "$(echo "$out" | grep '^xvdf')"
out=$(x block-detach --timeout soon web xvdc 2>&1); rc=$?
why="rc=$rc $out"; check "block-detach --timeout with a bad duration: exit 2" test $rc -eq 2
out=$(x block-attach web "$tmp/b.img,xvdb,w" 2>&1); rc=$?
why="rc=$rc $out"; check "the vdev can be attached again after detach" test $rc -eq 0

# ---- hot-attached disks and vifs survive a reboot and a save/restore -----
truncate -s 1M "$tmp/a.img" "$tmp/h.img" "$tmp/g.img"
printf 'name = "hp"\nkernel = "%s"\nmemory = 64\non_reboot = "restart"\ndisk = [ "file:%s,xvda,w" ]\nvif = [ "mac=00:16:3e:35:00:01" ]\n' "$tmp/vmlinuz" "$tmp/a.img" >"$tmp/hp.cfg"
x create "$tmp/hp.cfg" >/dev/null 2>&1
out=$(x block-list hp 2>&1)
why="$out"; check "a config's disk is listed From config" test -n "$(echo "$out" | awk '$1 == "xvda" && $6 == "config"')"
out=$(x block-attach hp "$tmp/h.img,xvdb,w" 2>&1); rc=$?
why="rc=$rc $out"; check "block-attach xvdb: listed From hot" test $rc -eq 0 -a -n "$(echo "$out" | awk '$1 == "xvdb" && $6 == "hot"')"
x block-attach hp "$tmp/g.img,xvdc,r" >/dev/null 2>&1
out=$(x block-detach --force hp xvdc 2>&1); rc=$?
why="rc=$rc $out"; check "block-detach xvdc (so it must not come back)" test $rc -eq 0
out=$(x network-attach hp 2>&1); rc=$?
hotmac=$(echo "$out" | sed -n 's/.*mac \([0-9a-f:]*\) on.*/\1/p')
why="rc=$rc $out"; check "network-attach without mac: vif 1 with a default mac" test $rc -eq 0 -a -n "$hotmac" -a -n "$(echo "$out" | grep 'vif 1,')"
x network-attach hp mac=00:16:3e:35:00:09 bridge=br9 >/dev/null 2>&1
out=$(x network-detach hp 00:16:3e:35:00:09 2>&1); rc=$?
why="rc=$rc $out"; check "network-detach of the second hot vif (so it must not come back)" test $rc -eq 0
out=$(x network-list hp 2>&1)
why="$out"; check "network-list: vif 0 From config, vif 1 From hot" test -n "$(echo "$out" | awk '$1 == 0 && $2 == "00:16:3e:35:00:01" && $6 == "config"')" -a -n "$(echo "$out" | awk -v m="$hotmac" '$1 == 1 && $2 == m && $6 == "hot"')" -a "$(echo "$out" | grep -c '^[0-9]')" = 2
out=$(x network-list hp --json 2>&1)
why="$out"; check "network-list --json names the origin" sh -c "echo \"\$0\" | grep -q '\"origin\": *\"hot-attached\"' && echo \"\$0\" | grep -q '\"origin\": *\"config\"'" "$out"
# What a rebuilt hp must have: xvda (config), xvdb (hot), not xvdc; vif 0
# (config), vif 1 with the same mac (hot), not the detached one.
devices_back() {
    local bl nl
    bl=$(x block-list hp 2>&1); nl=$(x network-list hp 2>&1)
    why="block-list: $bl network-list: $nl"
    [ -n "$(echo "$bl" | awk '$1 == "xvda" && $6 == "config"')" ] &&
    [ -n "$(echo "$bl" | awk -v t="$tmp/h.img" '$1 == "xvdb" && $6 == "hot" && $8 == t')" ] &&
    [ -z "$(echo "$bl" | awk '$1 == "xvdc"')" ] &&
    [ -n "$(echo "$nl" | awk '$2 == "00:16:3e:35:00:01" && $6 == "config"')" ] &&
    [ -n "$(echo "$nl" | awk -v m="$hotmac" '$2 == m && $6 == "hot"')" ] &&
    [ "$(echo "$nl" | grep -c '^[0-9]')" = 2 ]
}
old=$(x list | awk '$1 == "hp" { print $2 }')
x shutdown -r hp >/dev/null 2>&1
for _ in $(seq 100); do new=$(x list | awk '$1 == "hp" { print $2 }'); [ -n "$new" ] && [ "$new" != "$old" ] && break; sleep 0.05; done
check "on_reboot restart: hp rebuilt as a new domain" test -n "$new" -a "$new" != "$old"
check "after the reboot: the hot-attached disk and vif are back, marked hot; the detached ones are not" devices_back
out=$(x save hp "$tmp/hp.save" 2>&1); rc=$?
why="rc=$rc $out"; check "save hp" test $rc -eq 0 -a -z "$(x list | awk '$1 == "hp"')"
out=$(x restore "$tmp/hp.save" 2>&1); rc=$?
why="rc=$rc $out"; check "restore hp" test $rc -eq 0
check "after save/restore: the hot-attached disk and vif are back, marked hot" devices_back
out=$(x info hp 2>&1)
why="$out"; check "the restored config is the file's own (no hot entries in it)" test -z "$(echo "$out" | grep 'xend-hot')"
x block-detach --force hp xvdb >/dev/null 2>&1
x shutdown -r hp >/dev/null 2>&1
old=$new
for _ in $(seq 100); do new=$(x list | awk '$1 == "hp" { print $2 }'); [ -n "$new" ] && [ "$new" != "$old" ] && break; sleep 0.05; done
out=$(x block-list hp 2>&1)
why="$out"; check "detached after the restore: the next reboot does not bring xvdb back" test -n "$new" -a "$new" != "$old" -a -n "$(echo "$out" | awk '$1 == "xvda"')" -a -z "$(echo "$out" | awk '$1 == "xvdb"')"
# A spec that would break the line it is kept on is refused.
out=$(printf '{"v":1,"id":1,"cmd":"network-attach","args":{"domain":"hp","ip":"10.0.0.1\\n#xend-hot disk /etc/passwd,xvdz,w"}}\n' | "$RAW" "$sock" 2>&1)
why="$out"; check "raw network-attach with a newline in ip= refused, no vif added" sh -c "echo \"\$0\" | grep -q '\"code\": *202' && [ \"\$(\"\$1\" -s \"\$2\" network-list hp | grep -c '^[0-9]')\" = 2 ]" "$out" "$XENCTL" "$sock"
x destroy hp >/dev/null 2>&1

# ---- destroy forgets them -------------------------------------------------
x destroy web >/dev/null 2>&1
x create "$tmp/web.cfg" >/dev/null 2>&1
out=$(x block-list web 2>&1)
why="$out"; check "a new domain of the same name starts without the old disks" test "$out" = "web has no disks"
stop_xend
exit $failed
