#!/bin/bash
# 34-xend-web.sh: xend's web console and `xenctl report --chart` on the
# simulated hypervisor (docs/web-console.md).  With curl: off by default;
# the token file; every request without a session refused; the security
# headers; a GET never changes anything; a POST without the CSRF token
# refused; hostile input refused with nothing changed; actions (pause,
# mem-set with a deadline, save) through the command table.  With
# Debian's headless Chromium driven through chromedriver
# (tests/lib/webconsole-browser.py): login, the list, charts with data
# points and a non-blank screenshot, the Pause button.  Then the chart
# command's PNG and SVG.  Chromium missing or unable to start: SKIP with
# the reason.
#
# Env: WEB_BROWSER_TIMEOUT  seconds for the browser half (default 600)

SUITE_PREFIX="xend-web: "
. "$(dirname "$0")/../lib/suite.sh"

. "$(dirname "$0")/../lib/xend-sim.sh"
xend_sim_setup web
if ! make -s -C xend BUILD="$BUILD" web >"$tmp/web-build.log" 2>&1; then
    fail "web assets build" "$(tail -3 "$tmp/web-build.log" | tr '\n' ' ')"
    exit 1
fi
WEBROOT=$(cd "$BUILD/share/xend/web" && pwd)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
token_file=$tmp/lib/http-token
cat >"$tmp/web.conf" <<CONF
http = "yes"
http_listen = "127.0.0.1:$port"
http_root = "$WEBROOT"
sample_interval = "100ms"
CONF
printf 'not a real kernel\n' >"$tmp/vmlinuz"
for n in web1 web2; do
    printf 'name = "%s"\nkernel = "%s"\nmemory = 128\n' $n "$tmp/vmlinuz" >"$tmp/$n.cfg"
done
# c ARGS...: curl with a bounded time, never failing on HTTP errors.
c() { curl -s --max-time 60 "$@"; }
code() { c -o /dev/null -w '%{http_code}' "$@"; }
state() { x info "$1" --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["domain"]["state"])' 2>/dev/null; }

# ---- off by default -------------------------------------------------------
why="see $tmp/xend.stderr"; check "xend without http = \"yes\" starts" xend_sim_start -f /dev/null --sim-state "$tmp/sim"
rc=$(code "$url/login")
why="http $rc, token file: $(ls "$token_file" 2>&1)"
check "off by default: nothing listens and no token is made" test "$rc" = 000 -a ! -e "$token_file"
stop_xend

# ---- on: the token ----------------------------------------------------------
why="see $tmp/xend.stderr"; check "xend with http = \"yes\" starts" xend_sim_start -f "$tmp/web.conf" --sim-state "$tmp/sim"
[ -n "$xend_pid" ] || exit 1
why="$(stat -c '%a %U' "$token_file" 2>&1)"
check "token file created mode 0600, 64 hex digits" sh -c "[ \"\$(stat -c %a '$token_file')\" = 600 ] && grep -qxE '[0-9a-f]{64}' '$token_file'"
grep -q "web console on http://127.0.0.1:$port/" "$tmp/xend.stderr"
why="$(tail -3 "$tmp/xend.stderr")"; check "xend logs where the console listens" test $? -eq 0
x create "$tmp/web1.cfg" >/dev/null && x create "$tmp/web2.cfg" >/dev/null
token=$(cat "$token_file")

# ---- without a session: refused ------------------------------------------
for p in /api/domains /api/session "/api/series?domain=web1&since=0&until=9" /static/list.js /static/uPlot.iife.min.js / /domain; do
    rc=$(code "$url$p")
    why="GET $p: $rc"; check "GET $p without a session: 401" test "$rc" = 401
done
body=$(c "$url/")
why="$body"; check "the 401 page is the login form and names no domain" sh -c 'echo "$0" | grep -q "name=\"secret\"" && ! echo "$0" | grep -q web1' "$body"
rc=$(code -X POST -H 'Content-Type: application/json' -d '{"cmd":"pause","domain":"web1"}' "$url/api/action")
why="$rc, web1 $(state web1)"; check "POST an action without a session: 401, nothing paused" test "$rc" = 401 -a "$(state web1)" = running
rc=$(code -b "xend_session=$(printf '%064d' 7)" "$url/api/domains")
why="$rc"; check "a made-up session cookie: 401" test "$rc" = 401
out=$(c -i -d "secret=$(printf '%064d' 0)" "$url/login")
why="$(echo "$out" | head -3)"; check "a wrong token: 403, no cookie" sh -c 'echo "$0" | head -1 | grep -q " 403 " && ! echo "$0" | grep -qi "^set-cookie"' "$out"
gpids=
for i in 1 2 3 4 5 6; do { code -d "secret=guess$i" "$url/login"; echo; } >"$tmp/guess$i" & gpids="$gpids $!"; done
wait $gpids    # only the guesses: xend-sim is a child of this shell too
codes=$(cat "$tmp"/guess? | sort | uniq -c | tr -s ' \n' ' ')
why="$codes"; check "six guesses at once: the refusals wait, the ones beyond four get 429" sh -c 'cat "$0"/guess? | grep -qx 429 && cat "$0"/guess? | grep -qx 403 && ! cat "$0"/guess? | grep -qvxE "403|429"' "$tmp"
rc=$(code -H 'Content-Type: text/plain' -d "secret=$token" "$url/login")
why="$rc"; check "a login that is not a form post: 400" test "$rc" = 400

# ---- login ------------------------------------------------------------------
out=$(c -i -c "$tmp/cookies" -d "secret=$token" "$url/login")
hdr=$(echo "$out" | tr -d '\r' | grep -i '^set-cookie:')
why="$(echo "$out" | head -3 | tr -d '\r') $hdr"
check "the token logs in: 303 to / with an HttpOnly SameSite=Strict cookie" sh -c 'echo "$0" | head -1 | grep -q " 303 " && echo "$1" | grep -q "HttpOnly" && echo "$1" | grep -q "SameSite=Strict"' "$out" "$hdr"
C=(-b "$tmp/cookies")
csrf=$(c "${C[@]}" "$url/api/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])' 2>/dev/null)
why="$csrf"; check "the session gives a CSRF token (64 hex digits)" sh -c 'echo "$0" | grep -qxE "[0-9a-f]{64}"' "$csrf"
J=(-H 'Content-Type: application/json')
post() { c "${C[@]}" "${J[@]}" -H "X-CSRF-Token: $csrf" -o "$tmp/post.out" -w '%{http_code}' -X POST -d "$1" "$url/api/action"; }

# ---- headers ----------------------------------------------------------------
for p in / /api/domains /login; do
    h=$(c -D - -o /dev/null "${C[@]}" "$url$p" | tr -d '\r')
    why="$h"
    check "headers on $p: X-Frame-Options DENY, CSP frame-ancestors 'none' and no inline script, nosniff, no-store" sh -c '
        echo "$0" | grep -qx "X-Frame-Options: DENY" &&
        echo "$0" | grep -q "^Content-Security-Policy: .*frame-ancestors '"'none'"'" &&
        echo "$0" | grep -q "^Content-Security-Policy: .*script-src '"'self'"';" &&
        ! echo "$0" | grep -q "unsafe-inline" &&
        echo "$0" | grep -qx "X-Content-Type-Options: nosniff" &&
        echo "$0" | grep -qx "Cache-Control: no-store"' "$h"
done

# ---- the list ---------------------------------------------------------------
out=$(c "${C[@]}" "$url/api/domains")
why="$out"; check "the list shows the sim domains" sh -c 'echo "$0" | python3 -c "import json,sys; n=[d[\"name\"] for d in json.load(sys.stdin)[\"domains\"]]; sys.exit(0 if {\"Domain-0\",\"web1\",\"web2\"} <= set(n) else 1)"' "$out"
out=$(c "${C[@]}" "$url/")
why="$(echo "$out" | head -5)"; check "the list page loads its script from /static (no inline script)" sh -c 'echo "$0" | grep -q "<script src=\"/static/list.js\"" && ! echo "$0" | grep -q "<script>"' "$out"
rc=$(code "${C[@]}" "$url/static/uPlot.LICENSE")
why="$rc"; check "uPlot's licence is served beside it" sh -c '[ "$0" = 200 ] && grep -q "MIT" "$1/uPlot.LICENSE"' "$rc" "$WEBROOT"
rc=$(code "${C[@]}" "$url/static/../lib/xend.db")
why="$rc"; check "a path outside the asset list: 404" test "$rc" = 404

# ---- GET changes nothing; POST needs the CSRF token ---------------------------
rc=$(code "${C[@]}" "$url/api/action?cmd=pause&domain=web1")
why="$rc, web1 $(state web1)"; check "GET /api/action: 405, web1 still running" test "$rc" = 405 -a "$(state web1)" = running
rc=$(code "${C[@]}" -X DELETE "$url/api/domains")
why="$rc"; check "DELETE: refused by evhttp (405 or 501)" test "$rc" = 405 -o "$rc" = 501
rc=$(code "${C[@]}" "${J[@]}" -X POST -d '{"cmd":"pause","domain":"web1"}' "$url/api/action")
why="$rc, web1 $(state web1)"; check "POST without the CSRF token: 403, web1 still running" test "$rc" = 403 -a "$(state web1)" = running
rc=$(code "${C[@]}" "${J[@]}" -H "X-CSRF-Token: $(printf '%064d' 1)" -X POST -d '{"cmd":"pause","domain":"web1"}' "$url/api/action")
why="$rc, web1 $(state web1)"; check "POST with a wrong CSRF token: 403, web1 still running" test "$rc" = 403 -a "$(state web1)" = running
rc=$(code "${C[@]}" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/x-www-form-urlencoded' -X POST -d 'cmd=pause&domain=web1' "$url/api/action")
why="$rc"; check "POST an action as a form (what a cross-site form could send): 415" test "$rc" = 415

# ---- hostile input: refused, nothing changed -----------------------------------
while IFS='|' read -r what body want; do
    rc=$(post "$body")
    why="$rc $(cat "$tmp/post.out")"; check "refused ($want): $what" test "$rc" = "$want"
done <<'CASES'
a command the console does not offer (destroy)|{"cmd":"destroy","domain":"web1"}|400
an unknown member|{"cmd":"pause","domain":"web1","force":true}|400
a bad domain name|{"cmd":"pause","domain":"../etc"}|400
a domain name of 300 characters|{"cmd":"pause","domain":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}|400
a domain that does not exist|{"cmd":"pause","domain":"nosuch"}|404
not JSON|{"cmd":|400
a duplicated member|{"cmd":"pause","domain":"web2","domain":"web1"}|400
a save file with a slash|{"cmd":"save","domain":"web1","file":"../../x"}|400
a save file starting with a dot|{"cmd":"save","domain":"web1","file":".hidden"}|400
mem-set of a string|{"cmd":"mem-set","domain":"web1","memory_mib":"lots"}|400
mem-set of 0|{"cmd":"mem-set","domain":"web1","memory_mib":0}|400
mem-set with a negative deadline|{"cmd":"mem-set","domain":"web1","memory_mib":32,"deadline_s":-1}|400
mem-set with an unknown on_miss|{"cmd":"mem-set","domain":"web1","memory_mib":32,"deadline_s":5,"on_miss":"explode"}|400
CASES
big=$(python3 -c 'print("{\"cmd\":\"pause\",\"domain\":\"web1\",\"x\":\"" + "a"*8000 + "\"}")')
rc=$(post "$big")
why="$rc"; check "refused: a body over 4 KiB" test "$rc" = 413 -o "$rc" = 400
rc=$(code "${C[@]}" "$url/api/series?domain=web1&since=abc&until=9")
why="$rc"; check "refused (400): series with a non-numeric time" test "$rc" = 400
rc=$(code "${C[@]}" "$url/api/series?domain=web1&since=10&until=5")
why="$rc"; check "refused (400): series with until before since (the command's own check)" test "$rc" = 400
why="web1 $(state web1), web2 $(state web2), save dir: $(ls "$tmp/lib/save/web" 2>&1)"
check "after the refusals both domains run and nothing was saved" sh -c '[ "$0" = running ] && [ "$1" = running ] && [ -z "$(ls "$2" 2>/dev/null)" ]' "$(state web1)" "$(state web2)" "$tmp/lib/save/web"
out=$(x list 2>&1)
why="$out"; check "xend still answers xenctl" test -n "$(echo "$out" | grep web2)"

# ---- actions through the command table -------------------------------------------
rc=$(post '{"cmd":"pause","domain":"web1"}')
why="$rc $(cat "$tmp/post.out"), web1 $(state web1)"; check "POST pause with the CSRF token: 200, xenctl sees web1 paused" test "$rc" = 200 -a "$(state web1)" = paused
rc=$(post '{"cmd":"pause","domain":"web1"}')
why="$rc $(cat "$tmp/post.out")"; check "pausing it again: the command table's own refusal (409)" test "$rc" = 409
rc=$(post '{"cmd":"unpause","domain":"web1"}')
why="$rc, web1 $(state web1)"; check "POST unpause: web1 running" test "$rc" = 200 -a "$(state web1)" = running
rc=$(post '{"cmd":"mem-set","domain":"web2","memory_mib":96,"deadline_s":30,"on_miss":"log"}')
rows=$(sqlite3 "$db" "SELECT target_kib || ' ' || deadline_ms || ' ' || on_miss FROM balloon b JOIN domains d ON d.rec = b.rec WHERE d.name = 'web2'" 2>&1)
why="$rc $(cat "$tmp/post.out"); rows: $rows"; check "POST mem-set with a deadline: 200 and the balloon request recorded with it" sh -c '[ "$0" = 200 ] && echo "$1" | grep -qx "98304 30000 log"' "$rc" "$rows"

# ---- charts' data ----------------------------------------------------------------
now=$(date +%s)
n=0
# Until three samples are in (a loaded host only delays the sampler); the
# bound is a watchdog, not a speed limit.
for _ in $(seq 600); do
    out=$(c "${C[@]}" "$url/api/series?domain=web1&since=$((now - 600))&until=$((now + 600))&points=1000")
    n=$(echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(v is not None for v in d["cpu_pct"]))' 2>/dev/null)
    [ "${n:-0}" -ge 3 ] && break
    sleep 0.1
done
why="$out"; check "/api/series: web1's samples with CPU and memory points" test "${n:-0}" -ge 3
out=$(c "${C[@]}" "$url/api/series?domain=web2&since=$((now - 600))&until=$((now + 600))")
why="$out"; check "/api/series: web2's balloon request with its target" sh -c 'echo "$0" | python3 -c "import json,sys; b=json.load(sys.stdin)[\"balloon\"]; sys.exit(0 if b and any(r[\"target_mib\"] == 96 for r in b) else 1)"' "$out"

# ---- the browser -------------------------------------------------------------------
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    skip "browser" "chromium or chromedriver not installed (make deps installs both)"
else
    timeout -k 10 "${WEB_BROWSER_TIMEOUT:-600}" /usr/bin/python3 tests/lib/webconsole-browser.py \
        "$url" "$token_file" "$XENCTL" "$sock" web1 "$tmp" >"$tmp/browser.out" 2>"$tmp/browser.err"
    brc=$?
    while IFS= read -r line; do
        case "$line" in
            "ok "*) pass "${line#ok }" ;;
            "not ok "*) l=${line#not ok }; fail "${l%%: *}" "${l#*: }" ;;
            "skip "*) l=${line#skip }; skip "${l%%: *}" "${l#*: }" ;;
        esac
    done <"$tmp/browser.out"
    nres=$(grep -c '^\(ok\|not ok\|skip\) ' "$tmp/browser.out")
    if [ "$brc" -ne 0 ] || [ "$nres" -eq 0 ]; then
        fail "browser" "driver exit $brc after $nres results: $(tail -3 "$tmp/browser.err" | tr '\n' ' ')"
    elif ! grep -q '^skip ' "$tmp/browser.out" && [ "$nres" -lt 11 ]; then
        fail "browser" "only $nres of 11 browser cases ran"
    fi
fi

# ---- logout ---------------------------------------------------------------------------
rc=$(c "${C[@]}" -H "X-CSRF-Token: $csrf" -o /dev/null -w '%{http_code}' -X POST "$url/logout")
rc2=$(code "${C[@]}" "$url/api/domains")
why="logout $rc, then $rc2"; check "logout ends the session" test "$rc" = 200 -a "$rc2" = 401

# ---- save through the console --------------------------------------------------------
c -c "$tmp/cookies" -o /dev/null -d "secret=$token" "$url/login"
csrf=$(c "${C[@]}" "$url/api/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])' 2>/dev/null)
rc=$(post '{"cmd":"save","domain":"web2","file":"web2.save"}')
why="$rc $(cat "$tmp/post.out")"; check "POST save: 200, the file in save/web/ beside the database, web2 gone" sh -c '[ "$0" = 200 ] && [ -s "$1" ] && ! "$2" -s "$3" list | grep -q web2' "$rc" "$tmp/lib/save/web/web2.save" "$XENCTL" "$sock"

# ---- the token file must stay private ---------------------------------------------------
stop_xend
chmod 644 "$token_file"
"$XEND" --backend=sim --socket "$sock" --db "$db" --log-dir "$tmp/log" -f "$tmp/web.conf" --sim-state "$tmp/sim" >"$tmp/loose.out" 2>&1 &
lpid=$!
for _ in $(seq 300); do kill -0 $lpid 2>/dev/null || break; sleep 0.1; done
if kill -0 $lpid 2>/dev/null; then kill $lpid; wait $lpid; lrc=running; else wait $lpid; lrc=$?; fi
why="rc $lrc: $(cat "$tmp/loose.out" | tail -2)"
check "a token file readable by others: xend refuses to start, naming the mode" sh -c '[ "$0" != 0 ] && [ "$0" != running ] && grep -q "mode 0600 (it has 0644)" "$1"' "$lrc" "$tmp/loose.out"
chmod 600 "$token_file"

# ---- xend.conf: refusals and the password hash ------------------------------------------
for bad in 'http = "maybe"' 'http_listen = "0.0.0.0"' 'http_listen = "localhost:80"' 'http_password_hash = "secret"'; do
    printf '%s\n' "$bad" >"$tmp/bad.conf"
    out=$(timeout 60 "$XEND" --backend=sim --socket "$tmp/bad.sock" --db "$tmp/bad.db" -f "$tmp/bad.conf" 2>&1); rc=$?
    why="rc $rc $out"; check "xend.conf $bad: refused at FILE:LINE" sh -c '[ "$0" != 0 ] && echo "$1" | grep -q "bad.conf:1:"' "$rc" "$out"
done
hash=$(python3 -W ignore -c 'import crypt; print(crypt.crypt("correct horse", crypt.mksalt(crypt.METHOD_SHA512)))')
cp "$tmp/web.conf" "$tmp/pw.conf"
printf 'http_password_hash = "%s"\n' "$hash" >>"$tmp/pw.conf"
why="see $tmp/xend.stderr"; check "xend with http_password_hash starts" xend_sim_start -f "$tmp/pw.conf" --sim-state "$tmp/sim"
rc=$(code -d "secret=wrong horse" "$url/login")
why="$rc"; check "password login: a wrong password is refused (403)" test "$rc" = 403
rc=$(code -c "$tmp/pwcookies" --data-urlencode "secret=correct horse" "$url/login")
rc2=$(code -b "$tmp/pwcookies" "$url/api/domains")
why="login $rc, then $rc2"; check "password login: the password logs in (303, then the API answers)" test "$rc" = 303 -a "$rc2" = 200
stop_xend

# ---- xenctl report --chart ----------------------------------------------------------------
why="see $tmp/xend.stderr"; check "xend restarts for the chart command" xend_sim_start -f "$tmp/web.conf" --sim-state "$tmp/sim"
out=$(x report --chart "$tmp/all.png" 2>&1); rc=$?
f=$(file -b "$tmp/all.png" 2>&1)
why="rc $rc $out; $f"; check "report --chart FILE.png writes a PNG (960 x 880)" sh -c 'echo "$0" | grep -q "^PNG image data, 960 x 880"' "$f"
out=$(x report --chart "$tmp/web1.svg" --domain web1 --since 1h 2>&1); rc=$?
why="rc $rc $out"; check "report --chart FILE.svg --domain web1 writes valid SVG (xmllint)" sh -c '[ "$0" = 0 ] && xmllint --noout "$1" && head -c 300 "$1" | grep -q "<svg"' "$rc" "$tmp/web1.svg"
why="$(grep -c '<path' "$tmp/web1.svg") paths"; check "the SVG has the chart's lines in it" test "$(grep -c '<path' "$tmp/web1.svg")" -ge 5
out=$(x report --chart "$tmp/x.gif" 2>&1); rc=$?
why="rc $rc $out"; check "report --chart with another extension: usage error, no file" sh -c '[ "$0" = 2 ] && echo "$1" | grep -q "must end in .png or .svg" && [ ! -e "$2" ]' "$rc" "$out" "$tmp/x.gif"
out=$(x report --chart "$tmp/none/x.png" 2>&1); rc=$?
why="rc $rc $out"; check "report --chart into a missing directory: an error, exit 1" sh -c '[ "$0" = 1 ] && echo "$1" | grep -q "writing"' "$rc" "$out"
out=$(x report --domain web1 --csv 2>&1); rc=$?
why="rc $rc $out"; check "report --domain without --chart: that domain's rows of the table" \
    test "$rc" = 0 -a "$(echo "$out" | sed 1d | cut -d, -f1 | sort -u)" = web1
out=$(x help report 2>&1)
why="$out"; check "help report explains --chart" sh -c 'echo "$0" | grep -q -e "--chart FILE"' "$out"
# dom0's static xenctl (make run's initramfs) has no cairo: it refuses
# --chart at once, saying which xenctl draws, and asks xend for nothing
# (its request would be wasted), so no file appears even with xend up.
static=$BUILD/xend/xenctl.static
make -s -C xend BUILD="$BUILD" "$static" >"$tmp/static-build.log" 2>&1
out=$("$static" -s "$sock" report --chart "$tmp/static.png" 2>&1); rc=$?
why="rc $rc $out"; check "static xenctl: report --chart says it has no chart support, exit 1, no file" sh -c '[ "$0" = 1 ] && echo "$1" | grep -q "built without chart support" && echo "$1" | grep -q "use the packaged xenctl" && [ ! -e "$2" ]' "$rc" "$out" "$tmp/static.png"

exit $failed
