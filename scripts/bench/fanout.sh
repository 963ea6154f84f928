#!/usr/bin/env bash
# Live fan-out benchmark (issue 4): one all-roles node on the machine's PostgreSQL and Redis.
#   1. concurrent SSE connections held (CONNECTIONS, default 10000) and node memory per connection
#   2. delivery throughput and commit->client p50/p99, 1,000 clients over 100 channels at RATE/s
#   3. catch-up rate of a client CATCHUP records behind (default 1,000,000), served from PostgreSQL
#   4. peer: redis-benchmark XADD and XRANGE on the same Redis
set -euo pipefail
cd "$(dirname "$0")/../.."
CONNECTIONS=${CONNECTIONS:-10000}
RATE=${RATE:-200}
DURATION=${DURATION:-10}
CATCHUP=${CATCHUP:-1000000}
PORT=${PORT:-18282}
NAME=fanout
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
source scripts/bench/node.sh
client_pid=
bench_cleanup_extra() { [[ -z $client_pid ]] || kill "$client_pid" 2>/dev/null; }
bench_start_node --max-connections=$((CONNECTIONS + 1000))
url=http://127.0.0.1:$PORT
rss() { ps -o rss= -p "$node_pid" | tr -d ' '; }

# 1. connections held
sleep 2
rss_before=$(rss)
java -Xmx2g -cp "$cp" scripts/bench/BenchClient.java "$url" "$token" connections "$CONNECTIONS" > "$work/hold.log" 2>&1 &
client_pid=$!
until grep -qE 'HOLDING|PARTIAL' "$work/hold.log" 2>/dev/null; do sleep 1; done
sleep 3
rss_after=$(rss)
held=$(grep -o 'connections_open=[0-9]*' "$work/hold.log" | cut -d= -f2)
streams=$(curl -s localhost:$PORT/metrics | awk '/^tributary_sse_streams/ {print $2}')
kill "$client_pid"; wait "$client_pid" 2>/dev/null || true; client_pid=
sleep 2

# 2. delivery with 1,000 clients over 100 channels
deliver=$(java -Xmx1g -cp "$cp" scripts/bench/BenchClient.java "$url" "$token" deliver 1000 100 "$RATE" "$DURATION" \
  2>/dev/null | grep deliveries)

# 3. catch-up: records loaded straight into PostgreSQL, none in the cache
psql "$PG_URL" -q <<SQL
SET search_path TO $schema;
INSERT INTO channels (channel, last_cursor, created_at, owner) VALUES ('backlog', $CATCHUP, 0, 'fan');
INSERT INTO records SELECT 'backlog', g, gen_random_uuid(), 'bench', 'reading', 5, 0, 0, 'fan', NULL,
  '{"site":"north","v":' || g || ',"pad":"$(printf 'x%.0s' $(seq 1 120))"}', NULL
  FROM generate_series(1, $CATCHUP) g;
ANALYZE records;
SQL
catchup=$(java -Xmx1g -cp "$cp" scripts/bench/BenchClient.java "$url" "$token" catchup backlog "$CATCHUP" 2>/dev/null \
  | grep catchup_)

# 4. peers on the same Redis
payload=$(printf 'x%.0s' $(seq 1 200))
xadd=$(redis-benchmark -n 200000 -P 16 -q XADD "fanout$run_id:peer" '*' r "$payload" | tr '\r' '\n' \
  | awk '/per second/ {for (i=1;i<=NF;i++) if ($i ~ /^[0-9.]+$/) v=$i} END {printf "%.0f", v}')
xrange=$(redis-benchmark -n 20000 -P 16 -q XRANGE "fanout$run_id:peer" - + COUNT 100 | tr '\r' '\n' \
  | awk '/per second/ {for (i=1;i<=NF;i++) if ($i ~ /^[0-9.]+$/) v=$i} END {printf "%.0f", v}')

echo
echo "== fan-out benchmark"
echo "SSE connections held      $held of $CONNECTIONS (node counts $streams open streams)"
echo "node memory per stream    $(( (rss_after - rss_before) / (held > 0 ? held : 1) )) KiB  (RSS $((rss_before/1024)) -> $((rss_after/1024)) MiB)"
echo "delivery, 1000 clients / 100 channels at ${RATE} records/s: $deliver"
echo "catch-up from PostgreSQL: $catchup"
echo "ratios: catch-up / XRANGE entries $(awk -v a="$(echo "$catchup" | sed 's/.*catchup_per_s=//')" -v b="$xrange" \
  'BEGIN {printf "%.2f", a / (b * 100)}')"
echo "peer redis XADD P16       $xadd ops/s"
echo "peer redis XRANGE 100 P16 $xrange ops/s ($(( xrange * 100 )) entries/s)"
