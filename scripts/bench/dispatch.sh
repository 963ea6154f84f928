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
NAME=dispatch
# The RabbitMQ client is a test-scope dependency; an older classpath file may not have it.
grep -q amqp-client target/bench-classpath.txt 2>/dev/null || rm -f target/bench-classpath.txt
source scripts/bench/node.sh
url=http://127.0.0.1:$PORT
members=127.0.0.1:${CLUSTER_PORTS%,*},127.0.0.1:${CLUSTER_PORTS#*,}
cluster=(--cluster=true --cluster-name="dispatch-bench-$run_id" --cluster-members="$members")
bench_start_node "${cluster[@]}" --cluster-port="${CLUSTER_PORTS%,*}" --dispatch-queue-capacity=100000
bench_start_more_node dispatch-2 "${cluster[@]}" --cluster-port="${CLUSTER_PORTS#*,}" --roles=dispatch

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

# Warm both nodes' JIT up before anything is counted, and let the workers deliver the backlog.
wrk -t2 -c"$CONNECTIONS" -d"${WARM}s" -s "$work/send.lua" "$url" > /dev/null
drain > /dev/null

declare -A figures
for run in $(seq 1 "$RUNS"); do
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/send.lua" "$url")
  rps=$(echo "$out" | wrk_rps)
  figures[send]+="$rps "; figures[send_bad]+="$(echo "$out" | wrk_bad) "
  figures[send_p99]+="$(echo "$out" | awk '/Latency Distribution/ {d=1} d && $1 == "99%" {print $2; exit}') "
  left=$(undelivered); secs=$(drain)
  figures[drain]+="$left/${secs}s "
  figures[delivered]+="$(awk -v r="$rps" -v d="$DURATION" -v s="$secs" 'BEGIN {printf "%.0f", r * d / (d + s)}') "
  lat=$(java -cp "$cp" scripts/bench/BenchClient.java "$url" "$token" dispatch "$RATE" "$DURATION" \
    "$sender" rx-0 "${receiver_tokens[0]}" 2>/dev/null | grep dispatch_tasks || true)
  for f in latency_p50 latency_p99 ack_p99 stage_created_p50 stage_created_p99 stage_created_to_202_p50 \
      stage_created_to_202_p99 stage_created_to_taken_p50 stage_created_to_taken_p99 stage_taken_to_sse_p50 \
      stage_taken_to_sse_p99; do
    figures[$f]+="$(echo "$lat" | field "${f}_ms") "
  done
  figures[lat_failed]+="$(echo "$lat" | field dispatch_failed) "
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
echo "peer RabbitMQ confirmed  $rabbit msgs/s   (runs: ${figures[rabbit]}; consumed/s per run: ${figures[rabbit_consumed]})"
echo "peer RabbitMQ publish -> consumer at ${RATE}/s  p50 $(m rabbit_p50) ms  p99 $rabbit_p99 ms" \
  "  (runs p99: ${figures[rabbit_p99]}; confirm p99 $(m rabbit_confirm_p99) ms)"
echo "ratios: send_data/RabbitMQ throughput $(ratio "$send" "$rabbit")  p99 latency ours/RabbitMQ" \
  "$(ratio "$p99" "$rabbit_p99")   (aim: throughput >= 1.00, p99 < 20 ms)"
