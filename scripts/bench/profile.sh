#!/usr/bin/env bash
# Where the ingest time goes (issue 3): one all-roles node on the machine's PostgreSQL and Redis,
# loaded with ingest.sh's single posts or NDJSON batches, profiled with async-profiler (CPU, 1 ms,
# per thread; fetched from Maven Central) while perf counts the CPU of every process on the machine.
#   usage: scripts/bench/profile.sh single|batch    (WARM, DURATION seconds; default 10, 20)
# Prints the throughput, the core's commit/cache timers, CPU per process, and CPU per component
# (profile-breakdown.awk); keeps the collapsed stacks in target/profile-<kind>.collapsed for
# flame graphs. The profile covers start and warm-up too, so JIT compiler threads weigh heavily.
set -euo pipefail
cd "$(dirname "$0")/../.."
KIND=${1:?usage: profile.sh single|batch}
WARM=${WARM:-10}
DURATION=${DURATION:-20}
PORT=${PORT:-18383}
NAME=profile
ap_version=3.0
ap_jar=~/.m2/repository/tools/profiler/async-profiler/$ap_version/async-profiler-$ap_version.jar
[[ -f $ap_jar ]] || mvn -q -B dependency:get -Dartifact=tools.profiler:async-profiler:$ap_version
source scripts/bench/node.sh
unzip -q -o "$ap_jar" 'linux-x64/*' -d "$work"
stacks=$PWD/target/profile-$KIND.collapsed
# The profiler writes its stacks when the node exits, which bench_cleanup brings about.
JVM_FLAGS+=("-agentpath:$work/linux-x64/libasyncProfiler.so=start,event=cpu,interval=1ms,threads,collapsed,file=$stacks")
bench_start_node --max-body-bytes=4194304 --gateway-queue-capacity=100000
source scripts/bench/ingest-load.sh
if [[ $KIND == single ]]; then conns=64; else conns=8; fi
wrk -t2 -c$conns -d${WARM}s --timeout 30s -s "$work/$KIND.lua" http://127.0.0.1:$PORT > /dev/null
perf stat -a --per-thread -e task-clock -o "$work/perf.txt" sleep "$DURATION" > /dev/null 2>&1 &
perf_pid=$!
wrk -t2 -c$conns -d${DURATION}s --timeout 30s -s "$work/$KIND.lua" http://127.0.0.1:$PORT | grep -E 'Latency|Requests/sec|Non-2xx'
wait "$perf_pid"
echo "== core timers over the whole run (seconds sum / count)"
curl -s "localhost:$PORT/metrics" | grep -E '^tributary_(core_commit|core_cache|gateway_forward)_seconds_(sum|count)|^tributary_core_batch_records_(sum|count)'
echo "== CPU per process over ${DURATION}s of $(nproc) cores"
awk -v avail="$(( DURATION * 1000 * $(nproc) ))" 'NR > 5 && $2 ~ /[0-9]/ {name = $1; sub(/-[0-9]+$/, "", name);
  gsub(/,/, "", $2); c[name] += $2; tot += $2}
  END {for (k in c) if (c[k] > avail / 200) printf "%7.0f ms %5.1f%%  %s\n", c[k], 100 * c[k] / avail, k;
  printf "%7.0f ms %5.1f%%  all\n", tot, 100 * tot / avail}' "$work/perf.txt" | sort -rn
kill "$node_pid"; wait "$node_pid" 2>/dev/null || true; node_pid=
echo "== JVM CPU samples per component (a sample may count under several) and per thread"
awk -f scripts/bench/profile-breakdown.awk "$stacks" | sort -rn | grep -v 'worker-thread-' | head -30
