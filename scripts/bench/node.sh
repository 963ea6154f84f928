# Shared by the benchmarks (source it from the repository root after setting NAME and PORT):
# builds what is missing, starts one all-roles node on the machine's PostgreSQL and Redis in a
# schema and key prefix of this run, makes a user and leaves its token in $token. Everything the
# run made is removed on exit; a benchmark may redefine bench_cleanup_extra for its own leftovers.
# bench_start_more_node starts further nodes of the same cluster (same schema, prefix and admin token).
PG_URL=${PG_URL:-postgresql://postgres@127.0.0.1:5432/test}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REDIS_PORT:-6379}
run_id=$$
schema=${NAME}_$run_id
prefix="$NAME$run_id:"
admin=trb_${NAME}_admin_token_$run_id$RANDOM$RANDOM
work=$(mktemp -d)
node_pid=
more_pids=()
bench_cleanup_extra() { :; }

[[ -f target/tributary.jar ]] || mvn -q -B -DskipTests package
[[ -f target/bench-classpath.txt ]] || mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
source scripts/jvm-flags
# NODE_JVM_OPTS: more JVM options for the nodes, e.g. a GC log (-Xlog:gc:file=/tmp/gc.log) or another collector.
read -ra node_jvm_opts <<< "${NODE_JVM_OPTS:-}"
JVM_FLAGS+=("${node_jvm_opts[@]}")
cp="$(cat target/bench-classpath.txt)"

bench_cleanup() {
  bench_cleanup_extra || true
  [[ -n $node_pid ]] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null || true
  for pid in "${more_pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  psql "$PG_URL" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" > /dev/null 2>&1 || true
  # the peers' own tables (pgbench)
  psql "$PG_URL" -qc "DROP SCHEMA IF EXISTS pgb_$run_id CASCADE" > /dev/null 2>&1 || true
  redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" --scan --pattern "$prefix*" \
    | xargs -r redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" del > /dev/null
  rm -rf "$work"
}
trap bench_cleanup EXIT

# bench_start_node [more node options...]
bench_start_node() {
  TRIBUTARY_ADMIN_TOKEN="$admin" java "${JVM_FLAGS[@]}" -Xmx2g -jar target/tributary.jar --node-id="$NAME" --http-port="$PORT" \
    --pg-url="$PG_URL" --pg-schema="$schema" --redis-url="redis://$REDIS_HOST:$REDIS_PORT" --redis-prefix="$prefix" \
    --data-dir="$work/data" "$@" > "$work/node.log" 2>&1 &
  node_pid=$!
  until curl -sf "localhost:$PORT/ready" > /dev/null; do sleep 0.2; done
  token=$(curl -sf -X POST "localhost:$PORT/v1/users" -H "Authorization: Bearer $admin" \
    -H 'Content-Type: application/json' -d "{\"userId\":\"$NAME\"}" | sed 's/.*"token":"\([^"]*\)".*/\1/')
}

# bench_start_more_node ID [more node options...]: one more node on the same PostgreSQL schema, Redis
# prefix and admin token, with node id ID, its data in $work/ID and its log in $work/ID.log. It does
# not wait: a node without an HTTP face has no /ready to ask; the caller waits for what it needs.
bench_start_more_node() {
  local id=$1; shift
  TRIBUTARY_ADMIN_TOKEN="$admin" java "${JVM_FLAGS[@]}" -Xmx2g -jar target/tributary.jar --node-id="$id" \
    --pg-url="$PG_URL" --pg-schema="$schema" --redis-url="redis://$REDIS_HOST:$REDIS_PORT" --redis-prefix="$prefix" \
    --data-dir="$work/$id" "$@" > "$work/$id.log" 2>&1 &
  more_pids+=($!)
}

# Waits (up to 4 minutes) until the node is idle: under 10 % of a core for 2 s, e.g. once its
# archiver has stored what a load committed.
bench_wait_idle() {
  local w t0 t1
  for ((w = 0; w < 120; w++)); do
    t0=$(node_ticks); sleep 2; t1=$(node_ticks)
    (( t1 - t0 > 20 )) || break
  done
}

# CPU time in clock ticks: of the node, of its JIT compiler threads, of PostgreSQL's processes, of
# the whole machine (busy only).
node_ticks() { awk '{print $14 + $15}' "/proc/$node_pid/stat"; }
jit_ticks() {
  for t in /proc/"$node_pid"/task/*; do
    if grep -q '^C[12] CompilerThre' "$t/comm" 2>/dev/null; then awk '{print $14 + $15}' "$t/stat"; fi
  done | awk '{s += $1} END {print s + 0}'
}
pg_ticks() { for p in $(pgrep -x postgres); do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done | awk '{s += $1} END {print s + 0}'; }
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
# field NAME LINE: the number after NAME= in a BenchClient line (latency_p99_ms, stage_parse_p50_ms, ...)
field() { sed "s/.*$1=\([0-9.]*\).*/\1/" <<< "$2"; }
# per_item TICKS ITEMS: microseconds of CPU per item (a write, a record, a request)
per_item() { awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", (n > 0 ? t / hz * 1e6 / n : 0)}'; }
# cpu_mark; ...load...; cpu_per KIND ITEMS: the CPU per item of the machine, the node, PostgreSQL and
# the rest (wrk, Redis, the kernel's own threads) over the load, added to the caller's associative
# array figures[KIND_cpu], figures[KIND_cpu_node], figures[KIND_cpu_pg], figures[KIND_cpu_rest].
cpu_mark() { node0=$(node_ticks); pg0=$(pg_ticks); busy0=$(busy_ticks); }
cpu_per() {
  local node=$(( $(node_ticks) - node0 )) pg=$(( $(pg_ticks) - pg0 )) busy=$(( $(busy_ticks) - busy0 ))
  figures[${1}_cpu]+="$(per_item "$busy" "$2") "; figures[${1}_cpu_node]+="$(per_item "$node" "$2") "
  figures[${1}_cpu_pg]+="$(per_item "$pg" "$2") "; figures[${1}_cpu_rest]+="$(per_item $(( busy - node - pg )) "$2") "
}

# pg_commit_latency RATE SECONDS ROW_BYTES: PostgreSQL's own commit latency on this disk, pgbench
# committing one row of ROW_BYTES per transaction at RATE a second from 8 clients, after a
# CHECKPOINT; prints "p50 p99" in ms. A durable answer waits for such a commit, so this is the floor
# under an acknowledgement's (and a live delivery's) latency at that rate. Its table is in the
# run's schema pgb_$run_id.
pg_commit_latency() {
  psql "$PG_URL" -q <<SQL
SET client_min_messages TO warning;
CREATE SCHEMA IF NOT EXISTS pgb_$run_id;
CREATE TABLE IF NOT EXISTS pgb_$run_id.single (id bigserial PRIMARY KEY, record_id uuid NOT NULL UNIQUE, payload text NOT NULL);
SQL
  echo "INSERT INTO pgb_$run_id.single (record_id, payload) VALUES (gen_random_uuid(), repeat('x', $3));" \
    > "$work/pgsingle.sql"
  rm -f "$work"/pgsingle-log.*
  psql "$PG_URL" -qc CHECKPOINT
  pgbench -n -c 8 -j 2 -R "$1" -T "$2" -l --log-prefix="$work/pgsingle-log" -f "$work/pgsingle.sql" "$PG_URL" \
    > /dev/null 2>&1
  # pgbench's log has one line per transaction; its third field is the latency in microseconds
  cat "$work"/pgsingle-log.* | awk '{print $3}' | sort -n \
    | awk '{a[NR]=$1} END {printf "%.2f %.2f", a[int((NR+1)*0.50)]/1000, a[int(NR*0.99)]/1000}'
}
