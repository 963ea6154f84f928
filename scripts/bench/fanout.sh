#!/usr/bin/env bash
# Live fan-out benchmark (issues 4 and 17): one all-roles node on the machine's PostgreSQL and on a
# Redis of the run's own (so that INFO commandstats counts this node's commands and nobody else's).
#   1. concurrent SSE connections held (CONNECTIONS, default 10000) and node memory per connection:
#      the node's RSS, and the live heap a stream holds with its largest parts (jmap -histo:live)
#   2. delivery throughput and POST->client p50/p99, 1,000 clients over 100 channels at RATE/s,
#      then 10x the deliveries (CLIENTS10, default 10,000 clients, at the same RATE), each with the
#      node's Redis commands per second during the run (INFO commandstats before and after) and the
#      node's own stages of the run (parse, gateway wait, commit, notice to the streams: p50/p99);
#      the streams are read by one NIO thread of the client (BenchClient's LeanStreams)
#   3. peer: NATS core pub/sub (NATS_URL, default nats://127.0.0.1:4222) in the same shapes, same
#      record size and rate, through NatsPeer.java; its p50/p99 beside ours and the ratio; and
#      pgbench committing one row per transaction at RATE (PostgreSQL's own commit p50/p99 on this
#      disk, which every durable delivery waits for and NATS core does not)
#   4. catch-up rate of a client CATCHUP records behind (default 1,000,000), served from PostgreSQL
#   5. peer: redis-benchmark XADD and XRANGE on the same Redis
# Every figure is the median of RUNS runs (default 3) after warm-up rounds of both delivery shapes
# that are not counted, until the node's JIT compilers have settled (below). A delivery run's
# writers start once its streams have been open SETTLE_MS (3 s, in BenchClient). The catch-up's
# backlog is marked archived, as records that old would be, so it measures reading, not reading
# beside the archiver; its client reads with LeanStreams too and counts any record out of order
# (catchup_out_of_order, 0 when each came once, in order).
set -euo pipefail
cd "$(dirname "$0")/../.."
CONNECTIONS=${CONNECTIONS:-10000}
RATE=${RATE:-200}
CLIENTS10=${CLIENTS10:-10000}
DURATION=${DURATION:-10}
RUNS=${RUNS:-3}
CATCHUP=${CATCHUP:-1000000}
PORT=${PORT:-18282}
NATS_URL=${NATS_URL:-nats://127.0.0.1:4222}
NAME=fanout
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
# The record size of the delivery run: the public JSON of {"payload":{"t0":<nanos>}} as an SSE event.
RECORD_BYTES=${RECORD_BYTES:-330}

# The run's own Redis, on a free port.
REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis_dir=$(mktemp -d)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$redis_dir" \
  > "$redis_dir/redis.log" 2>&1 &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null; rm -rf "$redis_dir"' EXIT
until redis-cli -p "$REDIS_PORT" ping > /dev/null 2>&1; do sleep 0.1; done
grep -q jnats target/bench-classpath.txt 2>/dev/null || rm -f target/bench-classpath.txt
source scripts/bench/node.sh
client_pid=
bench_cleanup_extra() { [[ -z $client_pid ]] || kill "$client_pid" 2>/dev/null; }
# The run's Redis goes last, once the node is stopped and its keys are dropped.
trap 'bench_cleanup; kill "$redis_pid" 2>/dev/null; wait "$redis_pid" 2>/dev/null; rm -rf "$redis_dir"' EXIT
bench_start_node --max-connections=$((CONNECTIONS + 1000))
url=http://127.0.0.1:$PORT
rss() { ps -o rss= -p "$node_pid" | tr -d ' '; }
open_streams() { curl -s localhost:$PORT/metrics | awk '/^tributary_sse_streams / {print $2 + 0}'; }

# 1. connections held
sleep 2
rss_before=$(rss)
java -Xmx2g -cp "$cp" scripts/bench/BenchClient.java "$url" "$token" connections "$CONNECTIONS" > "$work/hold.log" 2>&1 &
client_pid=$!
until grep -qE 'HOLDING|PARTIAL' "$work/hold.log" 2>/dev/null; do sleep 1; done
sleep 3
rss_after=$(rss)
held=$(grep -o 'connections_open=[0-9]*' "$work/hold.log" | cut -d= -f2)
streams=$(open_streams)
# What a held stream keeps on the node's heap: live heaps (jmap -histo:live, a full collection each,
# taken after the RSS readings) with the streams held and once they are closed, per stream.
histo_held="$work/histo-held.txt"; histo_closed="$work/histo-closed.txt"
jmap -histo:live "$node_pid" > "$histo_held"
kill "$client_pid"; wait "$client_pid" 2>/dev/null || true; client_pid=
for ((w = 0; w < 120; w++)); do
  [[ $(open_streams) == 0 ]] && break
  sleep 0.5
done
jmap -histo:live "$node_pid" > "$histo_closed"
# live_per_stream: "<bytes per stream> <its five largest classes, bytes per stream each>"
live_per_stream() {
  awk 'FNR == NR { if ($1 ~ /:$/) closed[$4] = $3; next }
    $1 ~ /:$/ { d = $3 - closed[$4]; total += d; if (d > 0) print d, $4 }
    END { print total, "TOTAL" }' "$histo_closed" "$histo_held" | sort -rn \
    | awk -v n="${held:-1}" '$2 == "TOTAL" {t = $1; next} c < 5 {top = top sprintf(" %s %.0f B,", $2, $1 / n); c++}
      END {printf "%.0f B (largest:%s)", t / n, top}' | sed 's/,)$/)/'
}
sleep 2

# 2. delivery with 1,000 clients over 100 channels, then 10x the deliveries; Redis commands counted around each
redis_calls() {
  redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r' | awk -F'[:=,]' -v cmd="${1:-}" \
    '/^cmdstat_/ && (cmd == "" || $1 == "cmdstat_" cmd) {n += $3} END {print n + 0}'
}
# deliver CLIENTS: runs the delivery client and prints its figures with the node's Redis commands per second.
deliver() {
  local all0 xr0 all1 xr1 t0 t1 line
  all0=$(redis_calls); xr0=$(redis_calls xrange); t0=$(date +%s.%N)
  line=$(java -Xmx2g -cp "$cp" scripts/bench/BenchClient.java "$url" "$token" deliver "$1" 100 "$RATE" "$DURATION" \
    2>/dev/null | grep deliveries)
  t1=$(date +%s.%N); all1=$(redis_calls); xr1=$(redis_calls xrange)
  echo "$line redis_cmds_per_s=$(awk -v a="$all0" -v b="$all1" -v s="$t0" -v e="$t1" 'BEGIN {printf "%.0f", (b - a) / (e - s)}')" \
    "redis_xrange=$((xr1 - xr0)) commits=$((RATE * DURATION))"
}
# median_of FIELD CMD...: runs CMD RUNS times (each run's line on stderr) and prints the line of the
# run whose FIELD (e.g. delivery_p99_ms) is the median; RUNS is odd, so the median is one of them.
median_of() {
  local field=$1 lines=() line
  shift
  for ((r = 0; r < RUNS; r++)); do
    line=$("$@")
    echo "  run $((r + 1)): $line" >&2
    lines+=("$line")
  done
  printf '%s\n' "${lines[@]}" | awk -v f="$field=" '{for (i = 1; i <= NF; i++) if (index($i, f) == 1) print substr($i, length(f) + 1), $0}' \
    | sort -n | awk -v m="$(( (RUNS + 1) / 2 ))" 'NR == m {$1 = ""; sub(/^ /, ""); print}'
}
# Warm-up, not counted: rounds of both shapes until the node's JIT compilers have settled (under 10 %
# of the node's CPU in a round, at most WARM_ROUNDS rounds, default 6). They took 38, 30 and 22 % in
# the first three rounds and 9-15 % in the next three, on a 2-core machine where that CPU is taken
# from the load; the 1,000-client p99 fell from about 40 ms to about 25 as they settled. A node that
# has run for a while has compiled its paths.
warm_rounds=0
while (( warm_rounds < ${WARM_ROUNDS:-6} )); do
  jit0=$(jit_ticks); cpu0=$(node_ticks)
  deliver 1000 > /dev/null
  deliver "$CLIENTS10" > /dev/null
  warm_rounds=$((warm_rounds + 1))
  jit_share=$(( 100 * ($(jit_ticks) - jit0) / ($(node_ticks) - cpu0 + 1) ))
  echo "  warm-up round $warm_rounds: JIT compilers took $jit_share % of the node's CPU" >&2
  (( jit_share >= 10 )) || break
done
deliver=$(median_of delivery_p99_ms deliver 1000)
deliver10=$(median_of delivery_p99_ms deliver "$CLIENTS10")

# 3. the NATS peer in the same shapes (1 connection per 10 subscribers, as the node's streams share its event loop)
nats() {
  java -Xmx2g -cp "$cp" scripts/bench/NatsPeer.java "$NATS_URL" "$1" 100 "$RATE" "$DURATION" $(( $1 / 10 )) \
    "$RECORD_BYTES" 2>/dev/null | grep nats_deliveries || echo "nats_deliveries=0 (NATS at $NATS_URL not reachable)"
}
nats 1000 > /dev/null
nats1=$(median_of delivery_p99_ms nats 1000)
nats10=$(median_of delivery_p99_ms nats "$CLIENTS10")
# 3b. PostgreSQL's own commit latency at the delivery runs' commit rate (a post commits one record):
# every delivery waits for such a commit first, which NATS core does not make
pg_commit() {
  local q
  q=$(pg_commit_latency "$RATE" "$DURATION" "$RECORD_BYTES")
  echo "pg_commit_p50_ms=${q% *} pg_commit_p99_ms=${q#* }"
}
pgc=$(median_of pg_commit_p99_ms pg_commit)

# 4. catch-up: records loaded straight into PostgreSQL, none in the cache, and marked archived as a
# backlog this old would be (E7): else the node's archiver stores the million records meanwhile
psql "$PG_URL" -q <<SQL
SET search_path TO $schema;
INSERT INTO channels (channel, last_cursor, created_at, owner) VALUES ('backlog', $CATCHUP, 0, 'fan');
INSERT INTO archive_progress (channel, archived_cursor) VALUES ('backlog', $CATCHUP);
INSERT INTO records SELECT 'backlog', g, gen_random_uuid(), 'bench', 'reading', 5, 0, 0, 'fan', NULL,
  '{"site":"north","v":' || g || ',"pad":"$(printf 'x%.0s' $(seq 1 120))"}', NULL
  FROM generate_series(1, $CATCHUP) g;
ANALYZE records;
SQL
bench_wait_idle
catchup_run() {
  java -Xmx1g -cp "$cp" scripts/bench/BenchClient.java "$url" "$token" catchup backlog "$CATCHUP" 2>/dev/null | grep catchup_
}
# Two runs not counted: the catch-up path's code is compiled over its first runs (NIO and epoll
# alike, runs 1-2 at 140-270k/s, runs 3-5 level)
catchup_run > /dev/null
catchup_run > /dev/null
catchup=$(median_of catchup_per_s catchup_run)

# 5. peers on the same Redis
payload=$(printf 'x%.0s' $(seq 1 200))
xadd=$(redis-benchmark -p "$REDIS_PORT" -n 200000 -P 16 -q XADD "fanout$run_id:peer" '*' r "$payload" | tr '\r' '\n' \
  | awk '/per second/ {for (i=1;i<=NF;i++) if ($i ~ /^[0-9.]+$/) v=$i} END {printf "%.0f", v}')
xrange=$(redis-benchmark -p "$REDIS_PORT" -n 20000 -P 16 -q XRANGE "fanout$run_id:peer" - + COUNT 100 | tr '\r' '\n' \
  | awk '/per second/ {for (i=1;i<=NF;i++) if ($i ~ /^[0-9.]+$/) v=$i} END {printf "%.0f", v}')

echo
echo "== fan-out benchmark"
echo "SSE connections held      $held of $CONNECTIONS (node counts $streams open streams)"
echo "node memory per stream    $(( (rss_after - rss_before) / (held > 0 ? held : 1) )) KiB  (RSS $((rss_before/1024)) -> $((rss_after/1024)) MiB)"
echo "  live heap per stream    $(live_per_stream)"
# versus_nats OURS PEER: our run's p50 and p99 over the NATS peer's
versus_nats() {
  local q out=""
  for q in p50 p99; do
    out+="$q ours/NATS $(awk -v a="$(field "delivery_${q}_ms" "$1")" -v b="$(field "delivery_${q}_ms" "$2")" \
      'BEGIN {printf "%.2f", a / b}'), "
  done
  echo "  ratio ${out%, }"
}
# stages LINE: the node's own stages of that run, p50 / p99 ms (histogram bucket bounds)
stages() {
  local out="" st
  for st in parse gateway_wait lane_wait core_commit notice_to_sse; do
    out+=" $st $(field "stage_${st}_p50_ms" "$1")/$(field "stage_${st}_p99_ms" "$1")"
  done
  echo "  node stages p50/p99 ms:$out"
}
echo "delivery, 1000 clients / 100 channels at ${RATE} records/s: $deliver"
stages "$deliver"
echo "  peer NATS core, same shape:                $nats1"
versus_nats "$deliver" "$nats1"
echo "  peer pgbench 1-row commits at ${RATE}/s:    $pgc (PostgreSQL's own commit on this disk, 8 clients)"
echo "delivery, ${CLIENTS10} clients / 100 channels at ${RATE} records/s (10x): $deliver10"
stages "$deliver10"
echo "  peer NATS core, same shape:                $nats10"
versus_nats "$deliver10" "$nats10"
echo "catch-up from PostgreSQL: $catchup"
echo "ratios: catch-up / XRANGE entries $(awk -v a="$(field catchup_per_s "$catchup")" -v b="$xrange" \
  'BEGIN {printf "%.2f", a / (b * 100)}')"
echo "peer redis XADD P16       $xadd ops/s"
echo "peer redis XRANGE 100 P16 $xrange ops/s ($(( xrange * 100 )) entries/s)"
