#!/usr/bin/env bash
# Durable ingest benchmark (issue 3): an all-roles node on the machine's PostgreSQL and Redis,
# measured against its peers in the same run:
#   1. ingest throughput, records/s: single-record posts and NDJSON batches of 1,000 (~200 B each)
#   2. POST -> live (SSE) reader latency p50/p99 at a fixed rate (default 2,000 records/s), once the
#      node is idle again after the throughput loads (its archiver has stored what they committed)
#      and PostgreSQL has written out the pages they dirtied (a CHECKPOINT before the probe and
#      before its pgbench peer: otherwise whichever ran first met the checkpoint the loads' WAL set
#      off, and its p99 measured the checkpointer's writes beside the commits)
#   3. peers: pgbench inserting the same rows in 1,000-row transactions that advance a
#      per-channel counter; pgbench committing one such row per transaction at the probe's rate
#      (PostgreSQL's own commit latency on this disk, under the probe's p50/p99);
#      redis-benchmark XADD pipelined; wrk against /health.
# Beside each load it prints the CPU per record (or row, or request) of the whole machine, the node
# and PostgreSQL, read from /proc, and the ceiling that cost sets on this machine's cores.
# Each figure is the median of RUNS runs (default 3) of DURATION seconds (default 10), after WARM
# seconds (default 30) of load that lets the JIT compile the hot paths first.
# Needs wrk (apt-get install -y wrk), pgbench and redis-benchmark.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
RATE=${RATE:-2000}
PORT=${PORT:-18181}
NAME=bench
source scripts/bench/node.sh
bench_start_node --max-body-bytes=4194304 --gateway-queue-capacity=100000

source scripts/bench/ingest-load.sh

psql "$PG_URL" -q <<SQL
CREATE SCHEMA pgb_$run_id;
CREATE TABLE pgb_$run_id.channels (channel text PRIMARY KEY, last_cursor bigint NOT NULL);
INSERT INTO pgb_$run_id.channels SELECT 'bench-' || g, 0 FROM generate_series(0, 15) g;
CREATE TABLE pgb_$run_id.records (channel text NOT NULL, cursor bigint NOT NULL, record_id uuid NOT NULL UNIQUE,
  edge text NOT NULL, data_type text NOT NULL, priority smallint NOT NULL, produced_at bigint NOT NULL,
  committed_at bigint NOT NULL, sender text NOT NULL, destination text, payload text, blob_ref text,
  PRIMARY KEY (channel, cursor));
SQL
cat > "$work/pgbench.sql" <<SQL
\set ch random(0, 15)
BEGIN;
WITH c AS (UPDATE pgb_$run_id.channels SET last_cursor = last_cursor + 1000 WHERE channel = 'bench-' || :ch
  RETURNING channel, last_cursor)
INSERT INTO pgb_$run_id.records SELECT c.channel, c.last_cursor - 1000 + g, gen_random_uuid(), 'bench', 'reading', 5,
  1700000000000, 1700000000000, 'bench', NULL, '$(echo "$record" | sed 's/.*"payload":\(.*\)}$/\1/')', NULL
  FROM c, generate_series(1, 1000) g;
COMMIT;
SQL
wrk_rps() { # wrk output -> successful requests per second
  awk '/requests in/ {total=$1; secs=$4+0} /Non-2xx/ {bad=$5} END {printf "%.0f", (total-bad)/secs}'
}
wrk_bad() { awk '/Non-2xx/ {bad=$5} END {print bad+0}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Warm the node's JIT up with both kinds of load before anything is counted.
wrk -t2 -c64 -d${WARM:-30}s -s "$work/single.lua" http://127.0.0.1:$PORT > /dev/null
wrk -t2 -c8 -d${DURATION}s --timeout 30s -s "$work/batch.lua" http://127.0.0.1:$PORT > /dev/null

declare -A figures
# The latency probe's stages, in the order a record meets them (BenchClient reads the node's timers).
stages="parse gateway_wait forward core_commit cache_append notice_to_sse"
for run in $(seq 1 "$RUNS"); do
  cpu_mark
  out=$(wrk -t2 -c64 -d${DURATION}s -s "$work/single.lua" http://127.0.0.1:$PORT)
  rps=$(echo "$out" | wrk_rps); cpu_per single $(( rps * DURATION ))
  figures[single]+="$rps "; figures[single_bad]+="$(echo "$out" | wrk_bad) "
  cpu_mark
  out=$(wrk -t2 -c8 -d${DURATION}s --timeout 30s -s "$work/batch.lua" http://127.0.0.1:$PORT)
  rps=$(( $(echo "$out" | wrk_rps) * 1000 )); cpu_per batch $(( rps * DURATION ))
  figures[batch]+="$rps "; figures[batch_bad]+="$(echo "$out" | wrk_bad) "
  bench_wait_idle
  psql "$PG_URL" -qc CHECKPOINT
  lat=$(java -cp "$cp" scripts/bench/BenchClient.java \
    http://127.0.0.1:$PORT "$token" latency "$RATE" "$DURATION" 2>/dev/null | grep latency_records)
  figures[p50]+="$(field latency_p50_ms "$lat") "
  figures[p99]+="$(field latency_p99_ms "$lat") "
  figures[ack99]+="$(field ack_p99_ms "$lat") "
  for stage in $stages; do for q in p50 p99; do
    figures[${stage}_$q]+="$(field "stage_${stage}_${q}_ms" "$lat") "
  done; done
  # one durable row per transaction, as a single post commits one: the latency peer of the probe
  pgq=$(pg_commit_latency "$RATE" "$DURATION" "${#record}")
  figures[pg_p50]+="${pgq% *} "; figures[pg_p99]+="${pgq#* } "
  cpu_mark
  tps=$(pgbench -n -c 4 -j 2 -T "$DURATION" -f "$work/pgbench.sql" "$PG_URL" 2>/dev/null \
    | awk '/^tps/ {printf "%.0f", $3}')
  cpu_per pgbench $(( tps * 1000 * DURATION ))
  figures[pgbench]+="$(( tps * 1000 )) "
  xadd=$(redis-benchmark -h "$REDIS_HOST" -p "$REDIS_PORT" -n 500000 -P 64 -q \
    XADD "bench$run_id:stream" MAXLEN '~' 100000 '*' r "$record" | tr '\r' '\n' \
    | awk '/requests per second/ {for (i=1;i<=NF;i++) if ($i ~ /^[0-9.]+$/) v=$i} END {printf "%.0f", v}')
  figures[xadd]+="$xadd "
  cpu_mark
  rps=$(wrk -t2 -c64 -d${DURATION}s http://127.0.0.1:$PORT/health | wrk_rps); cpu_per health $(( rps * DURATION ))
  figures[health]+="$rps "
  echo "run $run done"
done

m() { echo "${figures[$1]}" | tr ' ' '\n' | grep -v '^$' | median; }
single=$(m single); batch=$(m batch); pgb=$(m pgbench); xadd=$(m xadd); health=$(m health)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo
echo "== ingest benchmark, median of $RUNS runs of ${DURATION}s (runs: single [${figures[single]}] batch [${figures[batch]}])"
echo "single-record posts      $single records/s   (non-2xx per run: ${figures[single_bad]})"
echo "NDJSON batches of 1000   $batch records/s   (non-2xx per run: ${figures[batch_bad]})"
echo "POST -> SSE reader at ${RATE}/s  p50 $(m p50) ms  p99 $(m p99) ms   (runs p99: ${figures[p99]}; 202 p99 $(m ack99) ms)"
echo "  where the probe's time goes, p50 / p99 ms (medians of the runs; a figure is its histogram bucket's bound):"
for stage in $stages; do
  printf '    %-14s %8s / %s\n' "$stage" "$(m ${stage}_p50)" "$(m ${stage}_p99)"
done
echo "    (forward = the gateway's round trip to core, which holds core_commit; cache_append and notice_to_sse come after the answer)"
echo "peer pgbench 1-row tx at ${RATE}/s  p50 $(m pg_p50) ms  p99 $(m pg_p99) ms   (runs p99: ${figures[pg_p99]}; 8 clients)"
echo "peer pgbench 1000-row tx $pgb rows/s"
echo "peer redis XADD P64      $xadd ops/s"
echo "peer wrk /health         $health requests/s"
cpu_line() { echo "$(m ${1}_cpu) us (node $(m ${1}_cpu_node), PostgreSQL $(m ${1}_cpu_pg), the rest $(m ${1}_cpu_rest))"; }
ceiling() { awk -v us="$(m ${1}_cpu)" -v cores="$(nproc)" 'BEGIN {printf "%.0f", (us > 0 ? cores * 1e6 / us : 0)}'; }
echo "CPU per item on the whole machine ($(nproc) cores), medians; at that cost the machine's ceiling is cores / CPU:"
echo "  single post      $(cpu_line single); ceiling $(ceiling single)/s"
echo "  batched record   $(cpu_line batch); ceiling $(ceiling batch)/s"
echo "  pgbench row      $(m pgbench_cpu) us (PostgreSQL and pgbench; their processes end with the run, so not split)"
echo "  wrk /health      $(cpu_line health)"
echo "ratios: batch/pgbench $(ratio "$batch" "$pgb")  single/pgbench $(ratio "$single" "$pgb")" \
  " single/health $(ratio "$single" "$health")  batch/xadd $(ratio "$batch" "$xadd")"
