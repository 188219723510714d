#!/bin/bash
# xend-bench.sh: figures for xend against the simulated hypervisor.  Not a
# test: it prints numbers and fails only if something could not be run.
#
#   1. `xenctl list` round trip with 256 domain records
#   2. 200 concurrent connections: how many answered, how long it took
#   3. sampler CPU use at a 1 s interval with 256 domains
#   4. `xenctl report` over a year of 1-minute samples for 64 domains
#      (generated into a temporary database; BENCH_YEAR_DOMAINS changes
#      the count, BENCH_SAMPLER_SECONDS the sampler measurement time)
#
# Everything runs in a private temporary directory, removed at the end.

cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-$PWD/build}
make -s -C xend BUILD="$BUILD" all tests >/dev/null || { echo "xend-bench: build failed"; exit 1; }
# The simulator lives only in the test daemon.
XEND=$BUILD/tests/xend/xend-sim
XENCTL=$BUILD/tools/xenctl
DBINIT=$BUILD/tests/xend/tool-dbinit
YEAR_DOMAINS=${BENCH_YEAR_DOMAINS:-64}
SAMPLER_SECONDS=${BENCH_SAMPLER_SECONDS:-20}

tmp=$(mktemp -d /tmp/xend-bench.XXXXXX)
printf 'not a real kernel\n' >"$tmp/vmlinuz"
sock=$tmp/xend.sock
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

cat >"$tmp/xend.conf" <<CONF
backend = "sim"
socket = "$sock"
sim_memory = 65536
sim_dom0_memory = 1024
sim_log_size = 65536
sample_retention = 0
CONF

start() { # start DB [extra xend options]; waits up to $START_WAIT seconds
    local db=$1; shift
    "$XEND" -f "$tmp/xend.conf" --db "$db" "$@" 2>>"$tmp/xend.log" &
    pid=$!
    for _ in $(seq $(( ${START_WAIT:-30} * 20 ))); do
        "$XENCTL" -s "$sock" list >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    echo "xend-bench: xend did not start; log:"; tail "$tmp/xend.log"; exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null; pid=; }
now_ms() { date +%s%3N; }

echo "== xend benchmarks (sim backend)"

# ---- 1: list round trip with 256 domains -----------------------------
start "$tmp/main.db" --sample-interval 5s
t0=$(now_ms)
for i in $(seq 255); do
    printf 'name = "bench-%03d"\nkernel = "%s"\nmemory = 16\n' "$i" "$tmp/vmlinuz" >"$tmp/d.cfg"
    "$XENCTL" -s "$sock" create "$tmp/d.cfg" >/dev/null || { echo "create $i failed"; exit 1; }
done
t1=$(now_ms)
n=$("$XENCTL" -s "$sock" list | tail -n +2 | wc -l)
echo "create: 255 domains in $((t1 - t0)) ms ($(( (t1 - t0) * 1000 / 255 )) us each, one xenctl process per create)"
rounds=200
t0=$(now_ms)
for _ in $(seq $rounds); do "$XENCTL" -s "$sock" list >/dev/null; done
t1=$(now_ms)
bytes=$("$XENCTL" -s "$sock" list --json | wc -c)
echo "list: $n domains; $rounds sequential \`xenctl list\` in $((t1 - t0)) ms = $(( (t1 - t0) * 1000 / rounds )) us per round trip (including process start); reply ~$bytes bytes of JSON"

# ---- 2: 200 concurrent connections -----------------------------------
conc=200
pids=()
t0=$(now_ms)
for i in $(seq $conc); do "$XENCTL" -s "$sock" list >"$tmp/c.$i" 2>&1 & pids+=($!); done
ok=0
for i in $(seq $conc); do
    wait "${pids[$((i-1))]}" && grep -q '^Domain-0 ' "$tmp/c.$i" && ok=$((ok + 1))
done
t1=$(now_ms)
echo "concurrency: $ok of $conc simultaneous clients answered, $((conc - ok)) refused or failed, in $((t1 - t0)) ms"
stop

# ---- 3: sampler CPU at 1 s with 256 domains --------------------------
start "$tmp/main.db" --sample-interval 1s
sleep 1
# /proc/PID/schedstat gives on-CPU time in ns (stat's ticks are too coarse).
cpu_ns() { awk '{ print $1 }' /proc/$pid/schedstat; }
c0=$(cpu_ns)
before=$(sqlite3 "$tmp/main.db" 'SELECT COUNT(*) FROM samples')
sleep "$SAMPLER_SECONDS"
c1=$(cpu_ns)
after=$(sqlite3 "$tmp/main.db" 'SELECT COUNT(*) FROM samples')
awk -v c=$((c1 - c0)) -v s="$SAMPLER_SECONDS" -v n=$((after - before)) 'BEGIN {
    printf "sampler: 256 domains at 1 s for %d s: %.3f%% of one CPU (%.2f ms CPU per tick), %d samples written (%.0f/s)\n",
        s, 100 * c / 1e9 / s, c / 1e6 / s, n, n / s }'
stop

# ---- 4: report over a year of 1-minute samples -----------------------
year=$tmp/year.db
"$DBINIT" "$year" 2 || exit 1
start_s=1700000000
minutes=525600
t0=$(now_ms)
sqlite3 "$year" "
INSERT INTO domains (name, domid, uuid, created, destroyed)
  WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < $YEAR_DOMAINS)
  SELECT 'year-' || n, n, 'uuid-' || n, $start_s, $start_s + 31536000 FROM c;
INSERT INTO samples (rec, t, domid, cpu_ns, mem_kib, hypercalls, events, page_faults)
  WITH RECURSIVE m(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM m WHERE i < $minutes - 1)
  SELECT d.rec, $start_s * 1000 + i * 60000, d.domid, i * (1000000000 + d.rec * 10000000),
         262144 + (i % 1440) * 64, i * 1000, i * 100, i * 10
  FROM domains d, m ORDER BY d.rec, i;" || exit 1
t1=$(now_ms)
rows=$((YEAR_DOMAINS * minutes))
echo "report data: $rows samples ($YEAR_DOMAINS domains x $minutes minutes) generated in $((t1 - t0)) ms, $(du -m "$year" | cut -f1) MiB"
t0=$(now_ms)
START_WAIT=1800 start "$year" --sample-interval 1d
t1=$(now_ms)
echo "report data: xend start with schema 2->3 migration (hourly roll-up of $rows samples): $((t1 - t0)) ms"
best=
for _ in 1 2 3; do
    t0=$(now_ms)
    "$XENCTL" -s "$sock" report --since @$start_s --until @$((start_s + 31536000)) --csv >"$tmp/year.csv" || exit 1
    t1=$(now_ms)
    d=$((t1 - t0)); [ -z "$best" ] || [ $d -lt "$best" ] && best=$d
done
lines=$(($(wc -l <"$tmp/year.csv") - 1))
echo "report: one year, $lines domains, best of 3: $best ms"
t0=$(now_ms)
"$XENCTL" -s "$sock" report --since @$((start_s + 86400 * 100 + 1234)) --until @$((start_s + 86400 * 107 + 4321)) --csv >/dev/null || exit 1
t1=$(now_ms)
echo "report: one ragged week inside the year: $((t1 - t0)) ms"
stop
