# Shared by the benchmarks (source it from the repository root after setting NAME and PORT):
# builds what is missing, starts one all-roles node on the machine's PostgreSQL and Redis in a
# schema and key prefix of this run, makes a user and leaves its token in $token. Everything the
# run made is removed on exit; a benchmark may redefine bench_cleanup_extra for its own leftovers.
PG_URL=${PG_URL:-postgresql://postgres@127.0.0.1:5432/test}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REDIS_PORT:-6379}
run_id=$$
schema=${NAME}_$run_id
prefix="$NAME$run_id:"
admin=trb_${NAME}_admin_token_$run_id$RANDOM$RANDOM
work=$(mktemp -d)
node_pid=
bench_cleanup_extra() { :; }

[[ -f target/tributary.jar ]] || mvn -q -B -DskipTests package
[[ -f target/bench-classpath.txt ]] || mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
source scripts/jvm-flags
cp="$(cat target/bench-classpath.txt)"

bench_cleanup() {
  bench_cleanup_extra || true
  [[ -n $node_pid ]] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null || true
  psql "$PG_URL" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" > /dev/null 2>&1 || true
  redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" --scan --pattern "$prefix*" \
    | xargs -r redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" del > /dev/null
  rm -rf "$work"
}
trap bench_cleanup EXIT

# bench_start_node [more node options...]
bench_start_node() {
  java "${JVM_FLAGS[@]}" -Xmx2g -jar target/tributary.jar --node-id="$NAME" --http-port="$PORT" \
    --pg-url="$PG_URL" --pg-schema="$schema" --redis-url="redis://$REDIS_HOST:$REDIS_PORT" --redis-prefix="$prefix" \
    --admin-token="$admin" --data-dir="$work/data" "$@" > "$work/node.log" 2>&1 &
  node_pid=$!
  until curl -sf "localhost:$PORT/ready" > /dev/null; do sleep 0.2; done
  token=$(curl -sf -X POST "localhost:$PORT/v1/users" -H "Authorization: Bearer $admin" \
    -H 'Content-Type: application/json' -d "{\"userId\":\"$NAME\"}" | sed 's/.*"token":"\([^"]*\)".*/\1/')
}
