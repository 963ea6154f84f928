#!/usr/bin/env bash
# User-to-user dispatch benchmark (issue 11): two dispatch workers in one cluster on this machine
# (node 1 all roles, node 2 dispatch only), on the machine's PostgreSQL and Redis; the sender is
# bound to worker 1 and the receivers to worker 2, so every task crosses the clustered event bus.
# 1 KB JSON payloads, levels 0..9 in turn. Measured against its peer in the same run:
#   1. send_data throughput, tasks/s answered 202 (wrk, CONNECTIONS connections, default 64, over
#      DESTS receivers, default 1), and how long the workers then take to deliver what was accepted
#   2. POST -> receiver's SSE latency p50/p99 at RATE tasks/s (default 1,000), with the time split
#      into stages by the record's own times (BenchClient.java dispatch)
#   3. peer: RabbitMQ on 127.0.0.1:5672 (AMQP_URI), the same 1 KB messages, persistent, with
#      publisher confirms, into a durable queue with x-max-priority 10, consumed at once; the same
#      concurrency (CONNECTIONS publishers with one unconfirmed message each) and the same RATE
#      (RabbitPeer.java).
# Each figure is the median of RUNS runs (default 3) of DURATION seconds (default 10), after WARM
# seconds (default 30) of load that lets the JIT compile the hot paths first.
# Where the time goes: node 1's /metrics around each phase give its PostgreSQL pool's figures
# (connection wait and use per acquisition, acquisitions per task) and GC pauses. PROFILE=1 also attaches
# async-profiler (CPU, 1 ms, per thread; fetched from Maven Central) to both nodes during the first
# run's send_data load, while perf counts the CPU of every process on the machine, and prints
# both; the stacks stay in target/dispatch-profile-node{1,2}.collapsed.
# Needs wrk (apt-get install -y wrk) and a RabbitMQ broker.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
WARM=${WARM:-30}
RATE=${RATE:-1000}
CONNECTIONS=${CONNECTIONS:-64}
DESTS=${DESTS:-1}
PORT=${PORT:-18484}
CLUSTER_PORTS=${CLUSTER_PORTS:-18491,18492}
AMQP_URI=${AMQP_URI:-amqp://guest:guest@127.0.0.1:5672}
NODE_OPTS=${NODE_OPTS:-}   # more options for both nodes, such as --pg-pool-size=16
pool_size=$(grep -o 'pg-pool-size=[0-9]*' <<< "$NODE_OPTS" | cut -d= -f2 || true)
NAME=dispatch
# The RabbitMQ client is a test-scope dependency; an older classpath file may not have it.
grep -q amqp-client target/bench-classpath.txt 2>/dev/null || rm -f target/bench-classpath.txt
source scripts/bench/node.sh
url=http://127.0.0.1:$PORT
members=127.0.0.1:${CLUSTER_PORTS%,*},127.0.0.1:${CLUSTER_PORTS#*,}
cluster=(--cluster=true --cluster-name="dispatch-bench-$run_id" --cluster-members="$members")
bench_start_node "${cluster[@]}" --cluster-port="${CLUSTER_PORTS%,*}" --dispatch-queue-capacity=100000 $NODE_OPTS
bench_start_more_node dispatch-2 "${cluster[@]}" --cluster-port="${CLUSTER_PORTS#*,}" --roles=dispatch $NODE_OPTS

adm=(-H "Authorization: Bearer $admin" -H 'Content-Type: application/json')
worker_of_node() { # node id -> its worker number, once it has one
  local n=
  for _ in $(seq 1 300); do
    n=$(curl -sf "$url/v1/topology" "${adm[@]}" | python3 -c "import json,sys
print(next((w['number'] for w in json.load(sys.stdin)['workers'] if w['node'] == '$1'), ''))")
    [[ -n $n ]] && { echo "$n"; return; }
    sleep 0.2
  done
  echo "no worker for node $1; see $work/*.log" >&2; exit 1
}
w1=$(worker_of_node "$NAME"); w2=$(worker_of_node dispatch-2)
sender=$NAME
curl -sf -X PUT "$url/v1/users/$sender/worker" "${adm[@]}" -d "{\"worker\": $w1}" > /dev/null
receivers=(); receiver_tokens=()
for i in $(seq 0 $((DESTS - 1))); do
  receivers+=("rx-$i")
  receiver_tokens+=("$(curl -sf -X POST "$url/v1/users" "${adm[@]}" -d "{\"userId\":\"rx-$i\"}" \
    | sed 's/.*"token":"\([^"]*\)".*/\1/')")
  curl -sf -X PUT "$url/v1/users/rx-$i/worker" "${adm[@]}" -d "{\"worker\": $w2}" > /dev/null
done
echo "sender $sender on worker $w1 (node $NAME), receivers ${receivers[*]} on worker $w2 (node dispatch-2)"

# 1,024-byte JSON bodies, as the latency client and the RabbitMQ peer send.
head='{"seq":0,"pad":"'
body="$head$(printf 'x%.0s' $(seq 1 $((1024 - ${#head} - 2))))\"}"
cat > "$work/send.lua" <<LUA
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("POST", "/v1/send_data/bench", {["Authorization"] = "Bearer $token",
    ["User-Agent"] = "$sender", ["LEVEL"] = tostring(counter % 10), ["DES-USER"] = "rx-" .. (counter % $DESTS),
    ["Content-Type"] = "application/json"}, '$body')
end
LUA

wrk_rps() { # wrk output -> successful requests per second
  awk '/requests in/ {total=$1; secs=$4+0} /Non-2xx/ {bad=$5} END {printf "%.0f", (total-bad)/secs}'
}
wrk_bad() { awk '/Non-2xx/ {bad=$5} END {print bad+0}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
undelivered() { psql "$PG_URL" -Atqc "SELECT count(*) FROM $schema.dispatch_tasks WHERE state IN ('queued', 'retrying')"; }
drain() { # seconds until every accepted task is delivered (at most 120)
  local t0=$(date +%s.%N)
  for _ in $(seq 1 1200); do [[ $(undelivered) == 0 ]] && break; sleep 0.1; done
  awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}'
}
field() { sed "s/.*$1=\([0-9.]*\).*/\1/"; }
pg_pool() { # node 1's PostgreSQL pool and HTTP answers so far: acquisitions, wait s, use s, answers
  curl -s "$url/metrics" | awk '/^vertx_pool_(queue_time|usage)_seconds_(sum|count)\{pool_name="tributary-pg/ ||
    /^vertx_http_server_response_time_seconds_count/ {k=$1; sub(/\{.*/, "", k); v[k]+=$2}
    END {printf "%d %.3f %.3f %d", v["vertx_pool_usage_seconds_count"], v["vertx_pool_queue_time_seconds_sum"],
      v["vertx_pool_usage_seconds_sum"], v["vertx_http_server_response_time_seconds_count"]}'
}
gc() { # node 1's GC pauses so far: count, seconds, longest in the last window
  curl -s "$url/metrics" | awk '/^jvm_gc_pause_seconds_(count|sum)/ {k=$1; sub(/\{.*/, "", k); v[k]+=$2}
    /^jvm_gc_pause_seconds_max/ && $2 > m {m = $2} END {printf "%d %.3f %.3f", v["jvm_gc_pause_seconds_count"],
      v["jvm_gc_pause_seconds_sum"], m}'
}
gc_delta() {
  awk -v a="$1" -v b="$2" 'BEGIN {split(a, x, " "); split(b, y, " ");
    printf "%d pauses, %.0f ms in all, longest %.0f ms", y[1] - x[1], 1000 * (y[2] - x[2]), 1000 * y[3]}'
}
pg_delta() { # two pg_pool snapshots and the seconds between -> "wait/use ms per acquisition, acquisitions per answer, busy"
  awk -v a="$1" -v b="$2" -v secs="$3" 'BEGIN {split(a, x, " "); split(b, y, " "); n = y[1] - x[1]; r = y[4] - x[4];
    if (n <= 0) {print "-"; exit}
    printf "wait %.1f ms, use %.1f ms per acquisition, %.2f per request, %.1f connections busy",
      1000 * (y[2] - x[2]) / n, 1000 * (y[3] - x[3]) / n, n / (r > 0 ? r : 1), (y[3] - x[3]) / secs}'
}
ap_lib=
profile_start() { :; }
profile_stop() { :; }
if [[ ${PROFILE:-0} == 1 ]]; then
  ap_jar=~/.m2/repository/tools/profiler/async-profiler/3.0/async-profiler-3.0.jar
  [[ -f $ap_jar ]] || mvn -q -B dependency:get -Dartifact=tools.profiler:async-profiler:3.0
  unzip -q -o "$ap_jar" 'linux-x64/*' -d "$work"
  ap_lib=$work/linux-x64/libasyncProfiler.so
  cat > "$work/Attach.java" <<'JAVA'
public class Attach { // loads async-profiler into a running JVM with a command (start, stop,...)
  public static void main(String[] a) throws Exception {
    var vm = com.sun.tools.attach.VirtualMachine.attach(a[0]);
    try { vm.loadAgentPath(a[1], a[2]); } finally { vm.detach(); }
  }
}
JAVA
  profile_start() {
    java "$work/Attach.java" "$node_pid" "$ap_lib" start,event=cpu,interval=1ms,threads
    java "$work/Attach.java" "${more_pids[0]}" "$ap_lib" start,event=cpu,interval=1ms,threads
    perf stat -a --per-thread -e task-clock -o "$work/perf.txt" sleep "$DURATION" > /dev/null 2>&1 &
    perf_pid=$!
  }
  profile_stop() {
    wait "$perf_pid" || true
    java "$work/Attach.java" "$node_pid" "$ap_lib" "stop,collapsed,file=$PWD/target/dispatch-profile-node1.collapsed"
    java "$work/Attach.java" "${more_pids[0]}" "$ap_lib" "stop,collapsed,file=$PWD/target/dispatch-profile-node2.collapsed"
  }
fi

# Warm both nodes' JIT up before anything is counted, and let the workers deliver the backlog.
wrk -t2 -c"$CONNECTIONS" -d"${WARM}s" -s "$work/send.lua" "$url" > /dev/null
drain > /dev/null

declare -A figures
for run in $(seq 1 "$RUNS"); do
  [[ $run == 1 ]] && profile_start
  before=$(pg_pool)
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/send.lua" "$url")
  figures[pool_send]=$(pg_delta "$before" "$(pg_pool)" "$DURATION")
  [[ $run == 1 ]] && profile_stop
  rps=$(echo "$out" | wrk_rps)
  figures[send]+="$rps "; figures[send_bad]+="$(echo "$out" | wrk_bad) "
  figures[send_p99]+="$(echo "$out" | awk '/Latency Distribution/ {d=1} d && $1 == "99%" {print $2; exit}') "
  left=$(undelivered); secs=$(drain)
  figures[drain]+="$left/${secs}s "
  figures[delivered]+="$(awk -v r="$rps" -v d="$DURATION" -v s="$secs" 'BEGIN {printf "%.0f", r * d / (d + s)}') "
  before=$(pg_pool); gc0=$(gc); t0=$(date +%s.%N)
  lat=$(java -cp "$cp" scripts/bench/BenchClient.java "$url" "$token" dispatch "$RATE" "$DURATION" \
    "$sender" rx-0 "${receiver_tokens[0]}" 2>/dev/null | grep dispatch_tasks || true)
  for f in latency_p50 latency_p99 ack_p99 stage_created_p50 stage_created_p99 stage_created_to_202_p50 \
      stage_created_to_202_p99 stage_created_to_taken_p50 stage_created_to_taken_p99 stage_taken_to_sse_p50 \
      stage_taken_to_sse_p99; do
    figures[$f]+="$(echo "$lat" | field "${f}_ms") "
  done
  figures[lat_failed]+="$(echo "$lat" | field dispatch_failed) "
  figures[gc_lat]=$(gc_delta "$gc0" "$(gc)")
  figures[pool_lat]=$(pg_delta "$before" "$(pg_pool)" "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')")
  drain > /dev/null
  rabbit=$(java -cp "$cp" scripts/bench/RabbitPeer.java "$AMQP_URI" throughput "$DURATION" "$CONNECTIONS" \
    2>/dev/null | grep rabbit_confirmed)
  figures[rabbit]+="$(echo "$rabbit" | field rabbit_confirmed_per_s) "
  figures[rabbit_consumed]+="$(echo "$rabbit" | field rabbit_consumed_per_s) "
  rlat=$(java -cp "$cp" scripts/bench/RabbitPeer.java "$AMQP_URI" latency "$RATE" "$DURATION" \
    2>/dev/null | grep rabbit_latency)
  figures[rabbit_p50]+="$(echo "$rlat" | field rabbit_latency_p50_ms) "
  figures[rabbit_p99]+="$(echo "$rlat" | field rabbit_latency_p99_ms) "
  figures[rabbit_confirm_p99]+="$(echo "$rlat" | field rabbit_confirm_p99_ms) "
  echo "run $run done"
done

m() { echo "${figures[$1]}" | tr ' ' '\n' | grep -v '^$' | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
send=$(m send); rabbit=$(m rabbit); p99=$(m latency_p99); rabbit_p99=$(m rabbit_p99)
echo
echo "== dispatch benchmark, median of $RUNS runs of ${DURATION}s, 1 KB payloads, $CONNECTIONS connections," \
  "$DESTS receiver(s), worker $w1 -> worker $w2 over the clustered bus"
echo "send_data 202s           $send tasks/s   (runs: ${figures[send]}; non-2xx per run: ${figures[send_bad]};" \
  "wrk p99 per run: ${figures[send_p99]})"
echo "  then delivered         $(m delivered) tasks/s over the run and its drain   (left undelivered at the end/drain" \
  "per run: ${figures[drain]})"
echo "POST -> SSE at ${RATE}/s    p50 $(m latency_p50) ms  p99 $p99 ms   (runs p99: ${figures[latency_p99]};" \
  "202 p99 $(m ack_p99) ms; failed per run: ${figures[lat_failed]})"
echo "  stages p50/p99 ms: POST -> task created $(m stage_created_p50)/$(m stage_created_p99)," \
  "created -> 202 at client $(m stage_created_to_202_p50)/$(m stage_created_to_202_p99)," \
  "created -> taken by worker $w2 $(m stage_created_to_taken_p50)/$(m stage_created_to_taken_p99)," \
  "taken -> SSE receipt $(m stage_taken_to_sse_p50)/$(m stage_taken_to_sse_p99)"
echo "  node 1's PostgreSQL pool (${pool_size:-8} connections), last run:" \
  "send_data load: ${figures[pool_send]}; at ${RATE}/s (warm-up and measured pass): ${figures[pool_lat]}"
echo "  node 1's GC at ${RATE}/s (warm-up and measured pass), last run: ${figures[gc_lat]}"
echo "peer RabbitMQ confirmed  $rabbit msgs/s   (runs: ${figures[rabbit]}; consumed/s per run: ${figures[rabbit_consumed]})"
echo "peer RabbitMQ publish -> consumer at ${RATE}/s  p50 $(m rabbit_p50) ms  p99 $rabbit_p99 ms" \
  "  (runs p99: ${figures[rabbit_p99]}; confirm p99 $(m rabbit_confirm_p99) ms)"
echo "ratios: send_data/RabbitMQ throughput $(ratio "$send" "$rabbit")  p99 latency ours/RabbitMQ" \
  "$(ratio "$p99" "$rabbit_p99")   (aim: throughput >= 1.00, p99 < 20 ms)"

if [[ ${PROFILE:-0} == 1 ]]; then
  echo
  echo "== CPU per process during run 1's send_data load (${DURATION}s of $(nproc) cores, every process on the machine)"
  awk -v avail="$(( DURATION * 1000 * $(nproc) ))" '/msec/ {for (i = 1; i < NF; i++) if ($(i + 1) == "msec") break;
    name = $1; for (j = 2; j < i; j++) name = name " " $j; sub(/-[0-9]+$/, "", name); gsub(/,/, "", $i);
    c[name] += $i; tot += $i}
    END {for (k in c) if (c[k] > avail / 200) printf "%7.0f ms %5.1f%%  %s\n", c[k], 100 * c[k] / avail, k;
    printf "%7.0f ms %5.1f%%  all\n", tot, 100 * tot / avail}' "$work/perf.txt" | sort -rn | head -25
  for n in 1 2; do
    echo "== node $n: JVM CPU samples per component (a sample may count under several) and per thread"
    awk -f scripts/bench/profile-breakdown.awk "target/dispatch-profile-node$n.collapsed" | sort -rn \
      | grep -v 'worker-thread-' | head -25
  done
fi
