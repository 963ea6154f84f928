#!/usr/bin/env bash
# Blob store benchmark (storage issue): one all-roles node on the machine's PostgreSQL and Redis,
# running its 3 storage nodes in one process, each with a folder under the run's data dir.
#   1. three-copy write throughput, MB/s, for FILES files of SIZE_MB MiB (default 8 x 64), PARALLEL
#      at a time: at acknowledgement (two durable copies) and until the mirror has made the third;
#      peers: fio with three concurrent sequential writers of SIZE_MB MiB files ending in an fsync
#      (the disk's own figure for one blob's three durable copies written at once, counted in bytes
#      of blob as ours is: SIZE_MB per run of the three writers), the same writers with direct I/O
#      (as the store writes large files where the file system allows it), and dd with fdatasync
#   2. 1 KB writes per second and p99 latency with wrk (CONNECTIONS connections for DURATION seconds),
#      also counted until every small blob has its third copy; peer: pgbench, CONNECTIONS clients
#      inserting 1 KB bytea rows one per transaction (PostgreSQL's group commit on this disk), and
#      SeaweedFS's published ~15,700 writes/s of 1 KB with p99 2.6 ms on a laptop, one copy
#   3. read throughput, MB/s: the large files downloaded READERS at a time, their files dropped from
#      the page cache first; peer: fio reading the three writers' files sequentially, cold likewise
# Each figure is the median of RUNS runs (default 3), after a warm-up of both kinds of writes that
# lasts until the small-write rate is steady. MB = 10^6 bytes, as dd prints them.
# Needs wrk (apt-get install -y wrk), fio, pgbench, curl and jq. KEEP_LOG=1 keeps the node's log in /tmp.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
FILES=${FILES:-8}
SIZE_MB=${SIZE_MB:-64}
PARALLEL=${PARALLEL:-2}
READERS=${READERS:-4}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
COPIES=${COPIES:-3}
WAIT_LIMIT=${WAIT_LIMIT:-300}
WARM_MAX=${WARM_MAX:-90}
KEEP_LOG=${KEEP_LOG:-0}
PORT=${PORT:-18383}
NAME=blobs
source scripts/bench/node.sh
bench_cleanup_extra() {
  if [[ $KEEP_LOG == 1 && -f $work/node.log ]]; then
    cp "$work/node.log" "/tmp/blobs-node-$run_id.log" && echo "node log kept in /tmp/blobs-node-$run_id.log"
  fi
}
bench_start_node
url=http://127.0.0.1:$PORT
auth="Authorization: Bearer $token"
size=$((SIZE_MB * 1024 * 1024))
mkdir -p "$work/in" "$work/put" "$work/get"

now() { date +%s.%N; }
# Drops the page cache so that reads come from the disk; says whether it could.
# Drops from the page cache the files above 1 MiB under the folders, and only those: what is read
# comes from the disk, while PostgreSQL's catalog and the volumes stay as warm as in a running
# system (a global drop made the next small writes wait for PostgreSQL to read its indexes again).
drop_file_caches() {
  sync
  find "$@" -type f -size +1M -exec dd if={} iflag=nocache count=0 status=none \;
}

# Peer for 1 KB writes: PostgreSQL's own durable small writes, one row per transaction.
psql "$PG_URL" -q <<SQL
CREATE SCHEMA pgb_$run_id;
CREATE TABLE pgb_$run_id.blobs (id bigserial PRIMARY KEY, body bytea NOT NULL);
SQL
cat > "$work/pgbench.sql" <<SQL
INSERT INTO pgb_$run_id.blobs (body) VALUES (decode(md5(random()::text), 'hex') || convert_to(repeat('x', 1008), 'UTF8'));
SQL
# Peers for large writes and cold reads: fio, three sequential writers of SIZE_MB MiB at once,
# each ending in an fsync, then the three files read back sequentially from a dropped cache.
fio_mbps() { # bytes-counted fio arguments...; prints MB/s by the wall clock (fsync and start included)
  local a b counted=$1
  shift
  a=$(now)
  fio --output=/dev/null --directory="$work/fio" --name=peer --bs=1M --size="${SIZE_MB}M" --numjobs=3 \
    --ioengine=psync --group_reporting "$@"
  b=$(now)
  mbps "$counted" "$(awk -v a="$a" -v b="$b" 'BEGIN {print b - a}')"
}
# at_most N cmd < items: runs "cmd item" for each item, N at a time. Plain wait or jobs would count
# the node too, a background job of this shell.
at_most() {
  local n=$1 item; shift
  local -a pids=()
  while read -r item; do
    "$@" "$item" < /dev/null & pids+=($!)
    if (( ${#pids[@]} >= n )); then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
  done
  (( ${#pids[@]} == 0 )) || wait "${pids[@]}"
}
mbps() { awk -v b="$1" -v s="$2" 'BEGIN {printf "%.1f", b / s / 1e6}'; }
# stage_ms METRIC Q BEFORE AFTER: the Q quantile (0.5, 0.99) in ms of a node timer between two
# scrapes of /metrics, as its histogram bucket's upper bound; "mean" for the mean
stage_ms() {
  awk -v name="$1" -v q="$2" '
    FNR == 1 {file++}
    index($0, name "_bucket{") == 1 {
      le = $0; sub(/.*le="/, "", le); sub(/".*/, "", le)
      if (le != "+Inf") d[le] += (file == 1 ? -$NF : $NF)
    }
    index($0, name "_count") == 1 {c[file] += $NF}
    index($0, name "_sum") == 1 {s[file] += $NF}
    END {
      n = c[2] - c[1]
      if (n <= 0) {print "-"; exit}
      if (q == "mean") {printf "%.2f", (s[2] - s[1]) / n * 1000; exit}
      k = asorti(d, bounds, "@ind_num_asc")
      for (i = 1; i <= k; i++) if (d[bounds[i]] >= q * n) {printf "%.2f", bounds[i] * 1000; exit}
      print "inf"
    }' "$3" "$4"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Healthy copies on up nodes, the ones that serve reads.
healthy_copies() {
  curl -s -H "$auth" "$url/v1/blobs/$1/meta" \
    | jq '[.copies[]? | select(.state == "healthy" and .nodeState == "up")] | length' 2>/dev/null || echo 0
}

# Waits until every id in the file has COPIES healthy copies; false after WAIT_LIMIT seconds.
wait_copies() {
  local pending deadline=$(( SECONDS + WAIT_LIMIT )) id left
  pending=$(cat "$1")
  while [[ -n $pending ]]; do
    left=
    for id in $pending; do
      (( $(healthy_copies "$id") >= COPIES )) || left+="$id "
    done
    pending=$left
    [[ -z $pending ]] && return 0
    (( SECONDS < deadline )) || { echo "still short of $COPIES copies after ${WAIT_LIMIT}s: $pending" >&2; return 1; }
    sleep 0.1
  done
}

# Waits until /v1/storage/health counts every live blob as fully copied; false after WAIT_LIMIT seconds.
wait_all_healthy() {
  local h deadline=$(( SECONDS + WAIT_LIMIT ))
  while h=$(curl -s -H "$auth" "$url/v1/storage/health"); \
      [[ $(echo "$h" | jq '.blobs - .healthy') != 0 ]]; do
    (( SECONDS < deadline )) || { echo "not all blobs fully copied after ${WAIT_LIMIT}s: $h" >&2; return 1; }
    sleep 0.2
  done
}

# -T streams the file; "Expect:" stops curl waiting for a 100-continue before sending it.
put_one() {
  curl -s -o "$work/put/$1.json" -w '%{http_code}' -T "$work/in/$1.bin" -H 'Expect:' -H "$auth" \
    -H 'Content-Type: application/octet-stream' "$url/v1/blobs?type=other&name=big-$1" > "$work/put/$1.code" || true
}
get_one() {
  curl -s -o /dev/null -w '%{http_code} %{size_download}' -H "$auth" "$url/v1/blobs/$1" > "$work/get/$1" || true
}

# Every 1 KB body is distinct (run tag, thread, counter), so content addressing cannot fold them.
cat > "$work/small.lua" <<LUA
local tag, counter, threads = "", 0, 0
local pad = string.rep("x", 1024)
local headers = {["Authorization"] = "Bearer $token", ["Content-Type"] = "application/octet-stream"}
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init(args) tag = args[1] or "" end
function request()
  counter = counter + 1
  local head = tag .. "-" .. (tid or 0) .. "-" .. counter .. "-"
  return wrk.format("PUT", "/v1/blobs?type=other&name=small", headers, head .. pad:sub(1, 1024 - #head))
end
LUA
wrk_ok_rps() { awk '/requests in/ {total=$1; secs=$4+0} /Non-2xx/ {bad=$5} END {printf "%.0f", (total-bad)/secs}'; }
wrk_ok() { awk '/requests in/ {total=$1} /Non-2xx/ {bad=$5} END {print total-bad}'; }
wrk_bad() { awk '/Non-2xx/ {bad=$5} /Socket errors/ {err=$0} END {print bad+0 (err ? " (" err ")" : "")}'; }
wrk_p99_ms() {
  awk '$1 == "99%" {v=$2} END {
    n=v+0; u=v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n/=1000; else if (u == "s") n*=1000; else if (u == "m") n*=60000
    printf "%.2f", n}'
}

# One random body of SIZE_MB; each run's files differ in their first bytes so none is a duplicate.
head -c "$size" /dev/urandom > "$work/base.bin"
make_files() { # tag count
  for i in $(seq 1 "$2"); do
    { printf 'run %s file %s %s ' "$1" "$i" "$RANDOM$RANDOM"; cat "$work/base.bin"; } | head -c "$size" > "$work/in/$i.bin"
  done
  sync "$work/in" # their write-back must not compete with the uploads
}

# Warm the node's JIT up with both kinds of load before anything is counted: small writes in
# 10 s rounds until two rounds in a row agree within 10 % (at most WARM_MAX seconds). On 2 cores
# the compiler takes about a minute under this load; a 5 s warm-up measured it, not the store.
make_files warm 2
put_one 1; put_one 2
warm_rate=0
for round in $(seq 1 $(( WARM_MAX / 10 ))); do
  # each round its own tag: bodies seen before would be stored once (content addressing), not timed
  rate=$(wrk -t2 -c"$CONNECTIONS" -d10s -s "$work/small.lua" "$url" -- "warm$round" | wrk_ok_rps)
  echo "warm-up: $rate small writes/s"
  awk -v a="$warm_rate" -v b="$rate" 'BEGIN {exit !(a > 0 && b < a * 1.1 && b > a * 0.9)}' && break
  warm_rate=$rate
done
wait_all_healthy || true
# This machine's PostgreSQL runs with autovacuum off, which no deployment does: without its ANALYZE
# the statements the node prepared while the tables were empty keep plans that read the whole
# catalog once it holds the warm-up's blobs. Analyze once, as autovacuum would have by now.
psql "$PG_URL" -qc "ANALYZE $schema.blobs; ANALYZE $schema.blob_copies; ANALYZE $schema.task_items"

declare -A figures
mkdir -p "$work/fio"
for run in $(seq 1 "$RUNS"); do
  # Peers, in the same run: fio's three durable writers, its cold reads of their files, pgbench.
  rm -f "$work/fio/"*
  # three writers of SIZE_MB each are one blob's three copies: counted as SIZE_MB of blob, like ours
  figures[fio_write]+="$(fio_mbps "$size" --rw=write --end_fsync=1) "
  rm -f "$work/fio/"*
  # the same past the page cache, as the store writes a large blob's file where the disk allows it
  figures[fio_direct]+="$(fio_mbps "$size" --rw=write --end_fsync=1 --direct=1) "
  drop_file_caches "$work/fio"
  figures[fio_read]+="$(fio_mbps $(( 3 * size )) --rw=read) "
  rm -f "$work/fio/"*
  psql "$PG_URL" -qc CHECKPOINT
  cpu_mark
  tps=$(pgbench -n -c "$CONNECTIONS" -j 2 -T "$DURATION" -f "$work/pgbench.sql" "$PG_URL" 2>/dev/null \
    | awk '/^tps/ {printf "%.0f", $3}')
  cpu_per pgbench $(( tps * DURATION ))
  figures[pgbench]+="$tps "

  # Peer: the disk's own sequential write bound on the data dir's file system.
  dd_out=$(dd if=/dev/zero of="$work/dd.bin" bs=1M count=512 conv=fdatasync 2>&1 | tail -1)
  rm -f "$work/dd.bin"
  figures[dd]+="$(echo "$dd_out" | awk '{printf "%.1f", $1 / $(NF-3) / 1e6}') "

  # 1. large files: acknowledged at two copies, then polled until the third is there
  make_files "$run" "$FILES"
  rm -f "$work/put/"*
  start=$(now)
  seq 1 "$FILES" | at_most "$PARALLEL" put_one
  acked=$(now)
  codes=$(awk '{print}' "$work/put/"*.code | sort | uniq -c | awk '{printf "%s x%s ", $2, $1}')
  bad=$(grep -Lx 201 "$work/put/"*.code | wc -l)
  if (( bad > 0 )); then
    echo "run $run: large uploads answered $codes" >&2
    for f in $(grep -Lx 201 "$work/put/"*.code); do head -c 300 "${f%.code}.json" >&2; echo >&2; done
  fi
  for f in $(grep -lx 201 "$work/put/"*.code); do jq -r .id "${f%.code}.json"; done > "$work/ids"
  ok=$(wc -l < "$work/ids")
  copied_ok=yes
  wait_copies "$work/ids" || copied_ok=no
  copied=$(now)
  bytes=$(( ok * size ))
  figures[ack]+="$(mbps "$bytes" "$(awk -v a="$start" -v b="$acked" 'BEGIN {print b - a}')") "
  figures[full]+="$(mbps "$bytes" "$(awk -v a="$start" -v b="$copied" 'BEGIN {print b - a}')") "
  [[ $copied_ok == yes ]] || codes+="third copies missing "
  figures[put_codes]+="[${codes% }] "
  rm -f "$work/in/"*.bin

  # 3. reads of the large files, before the small files' mirror work can get in the way (from
  # the disk when the page cache could be dropped)
  rm -f "$work/get/"*
  drop_file_caches "$work/data"
  start=$(now)
  at_most "$READERS" get_one < "$work/ids"
  reads=$(awk '{print}' "$work/get/"* 2>/dev/null || true) # one "code bytes" per file, no newline
  took=$(awk -v a="$start" -v b="$(now)" 'BEGIN {print b - a}')
  read_bytes=$(echo "$reads" | awk '$1 == 200 {s += $2} END {print s+0}')
  figures[read]+="$(mbps "$read_bytes" "$took") "
  figures[read_bad]+="$(echo "$reads" | awk -v s="$size" '$1 != 200 || $2 != s {n++} END {print n+0}') "

  # 2. small files; then the time the mirror needs to give all of them their third copy. A
  # CHECKPOINT first, as before the pgbench peer (and in ingest.sh): neither measures a checkpoint
  # that the previous phase's WAL set off
  psql "$PG_URL" -qc CHECKPOINT
  curl -s "$url/metrics" > "$work/metrics.before"
  cpu_mark
  start=$(now)
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION"s --timeout 30s --latency -s "$work/small.lua" "$url" -- "r$run")
  answered=$(now)
  written=$(echo "$out" | wrk_ok)
  cpu_per small "$written"
  curl -s "$url/metrics" > "$work/metrics.after"
  for stage in durable record; do for q in 0.5 0.99 mean; do
    figures[${stage}_$q]+="$(stage_ms "tributary_blob_upload_${stage}_seconds" $q "$work/metrics.before" "$work/metrics.after") "
  done; done
  figures[small]+="$(echo "$out" | wrk_ok_rps) "
  figures[small_p99]+="$(echo "$out" | wrk_p99_ms) "
  figures[small_bad]+="$(echo "$out" | wrk_bad) "
  if wait_all_healthy; then
    # fully copied when the run's last third copy was recorded (by the catalog's clock), and not
    # before the last answer; the health poll itself reads a catalog of some 200,000 blobs and is
    # not the store's time
    IFS='|' read -r last_copy inline < <(psql "$PG_URL" -tAc "SELECT coalesce(max(c.created_at), 0) / 1000.0, \
      round(100.0 * count(*) FILTER (WHERE c.created_at = b.created_at) / greatest(count(*), 1), 1) \
      FROM $schema.blob_copies c JOIN $schema.blobs b USING (blob_id) \
      WHERE b.name = 'small' AND b.created_at >= $start * 1000")
    figures[small_inline]+="$inline "
    figures[small_full]+="$(awk -v n="$written" -v a="$start" -v b="$answered" -v c="$last_copy" \
      'BEGIN {printf "%.0f", n / ((c > b ? c : b) - a)}') "
  else
    figures[small_full]+="0 "
  fi
  echo "run $run done"
done

r() { echo "${figures[$1]% }"; } # the runs' figures
m() { echo "${figures[$1]}" | tr ' ' '\n' | grep -v '^$' | median; }
dd_mbps=$(m dd)
full=$(m full); ack=$(m ack); small=$(m small); p99=$(m small_p99); read=$(m read)
fio_w=$(m fio_write); fio_r=$(m fio_read); pgb=$(m pgbench)
echo
echo "== blob store benchmark, median of $RUNS runs; $FILES files of $SIZE_MB MiB, $PARALLEL at a time; read files dropped from the page cache first"
echo "large writes to 3 copies   $full MB/s   (runs: $(r full); answers: $(r put_codes))"
echo "large writes acknowledged  $ack MB/s at 2 durable copies   (runs: $(r ack))"
echo "peer fio 3 writers+fsync   $fio_w MB/s of blob   (one $SIZE_MB MiB blob in 3 copies: 3 writers at once," \
  "$(awk -v m="$fio_w" 'BEGIN {printf "%.1f", 3 * m}') MB/s written in all; runs: $(r fio_write))"
echo "peer fio, direct I/O      $(m fio_direct) MB/s of blob   (the same writers past the page cache; runs: $(r fio_direct))"
echo "peer dd fdatasync          $dd_mbps MB/s   (one writer; runs: $(r dd))"
echo "large reads, $READERS at a time  $read MB/s   (runs: $(r read); failed reads: $(r read_bad))"
echo "peer fio cold seq. read    $fio_r MB/s   (3 readers; runs: $(r fio_read))"
echo "1 KB writes acknowledged   $small writes/s  p99 $p99 ms   (${CONNECTIONS} connections, ${DURATION}s;" \
  "runs: $(r small); p99s: $(r small_p99); non-2xx: $(r small_bad))"
echo "1 KB writes to 3 copies    $(m small_full) writes/s (until each had its third copy, by the catalog's clock; runs: $(r small_full))"
echo "  copies recorded in their upload's own statement: $(m small_inline) % (runs: $(r small_inline)); the rest followed or were mirrored"
echo "  where a 1 KB write's time goes, p50 / p99 / mean ms: until two copies are durable" \
  "$(m durable_0.5) / $(m durable_0.99) / $(m durable_mean); catalog statement $(m record_0.5) / $(m record_0.99) / $(m record_mean)"
echo "  CPU per 1 KB write: $(m small_cpu) us on the whole machine (the node $(m small_cpu_node) us," \
  "PostgreSQL $(m small_cpu_pg) us; wrk and the rest the remainder)"
echo "peer pgbench 1 KB rows     $pgb inserts/s   ($CONNECTIONS clients, one row per transaction; runs: $(r pgbench))"
echo "  CPU per pgbench row: $(m pgbench_cpu) us on the whole machine (PostgreSQL and pgbench)"
echo "peer SeaweedFS (published) 15700 writes/s of 1 KB, p99 2.6 ms, laptop, one copy"
echo "storage health             $(curl -s -H "$auth" "$url/v1/storage/health")"
echo "ratios: 3 copies/fio $(ratio "$full" "$fio_w")  acknowledged/fio $(ratio "$ack" "$fio_w")" \
  " 3 copies/fio direct $(ratio "$full" "$(m fio_direct)")" \
  " reads/fio cold read $(ratio "$read" "$fio_r")  1KB writes/pgbench $(ratio "$small" "$pgb")" \
  " 1KB to 3 copies/pgbench $(ratio "$(m small_full)" "$pgb")  1KB writes/SeaweedFS $(ratio "$small" 15700)"
