#!/usr/bin/env bash
# Measures what the capacity model (docs/capacity.md, CapacityModel) needs, on this machine, in one run: for creates
# alone at two sizes and for the create+open flow, the requests per second, and per request the server's CPU, Redis's
# CPU, the load generator's CPU, Redis commands (INFO commandstats) and bytes in and out (INFO stats), and Redis memory
# per stored secret; the server's resident memory; and redis-benchmark's SET ceiling as a reference. Then the model's
# self-check: it predicts the flow at a size it was not fitted on (64 KiB) and measures it.
# Loopback only, free ports, stops by itself. Writes JSON lines to stdout.
# The server is warmed first with 60 s of the flow (the JIT), then each run gets WARM seconds of its own unmeasured.
#   onetimeshare-bench/capacity.sh [WARM=10] [MEASURE=20]   env: JAVA, JAR
set -euo pipefail
cd "$(dirname "$0")/.."
WARM=${1:-10}; MEASURE=${2:-20}; JAVA=${JAVA:-java}
JAR=${JAR:-examples/standalone-server/target/onetimeshare-server.jar}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
tmp=$(mktemp -d); pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
hz=$(getconf CLK_TCK)
echo "{\"machine\":{\"cpu\":\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\",\"cores\":$(nproc),\"java\":\"$($JAVA -version 2>&1 | head -1 | tr -d '"')\",\"redis\":\"$(redis-server --version | awk '{print $3}')\"}}"
rport=$(free_port)
redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp" >/dev/null 2>&1 &
redis=$!; pids+=("$redis")
until redis-cli -p "$rport" ping >/dev/null 2>&1; do sleep 0.05; done
ref=$(redis-benchmark -p "$rport" -t set -n 200000 -c 50 -P 1 --csv 2>/dev/null | awk -F'"' '/^"SET"/ {print $4}')
echo "{\"redis_benchmark_set_rps\":${ref:-0}}"
port=$(free_port)
$JAVA -jar "$JAR" --port "$port" --bind 127.0.0.1 --trusted-proxies 127.0.0.1 --rate-create off --rate-open off \
  --rate-create-bytes off --request-log off --storage redis --redis-uri "redis://127.0.0.1:$rport" \
  --max-size 16MB >"$tmp/server.log" 2>&1 &
server=$!; pids+=("$server")
until curl -fs -m 1 "http://127.0.0.1:$port/health" >/dev/null 2>&1; do sleep 0.05; done
stat() { redis-cli -p "$rport" info "$1" | tr -d '\r'; }
calls() { stat commandstats | awk -F'[=,]' '/^cmdstat_/ {n += $2} END {print n}'; }
netin() { stat stats | awk -F: '/^total_net_input_bytes/ {print $2}'; }
netout() { stat stats | awk -F: '/^total_net_output_bytes/ {print $2}'; }
mem() { stat memory | awk -F: '/^used_memory:/ {print $2}'; }
# one measured run: NAME SCRIPT BYTES -> a JSON line of per-request figures
run() {
  local name=$1 script=$2 bytes=$3
  OTS_FILE_BYTES=$bytes wrk -t2 -c50 -d"${WARM}s" -s "onetimeshare-bench/wrk/$script" "http://127.0.0.1:$port" >/dev/null
  redis-cli -p "$rport" flushall >/dev/null; redis-cli -p "$rport" config resetstat >/dev/null
  local s0 r0 c0 i0 o0 m0 w0
  s0=$(ticks "$server"); r0=$(ticks "$redis"); c0=$(calls); i0=$(netin); o0=$(netout); m0=$(mem)
  OTS_FILE_BYTES=$bytes wrk -t2 -c50 -d"${MEASURE}s" -s "onetimeshare-bench/wrk/$script" "http://127.0.0.1:$port" \
    >"$tmp/wrk.out" & local w=$!
  sleep 1; w0=$(ticks "$(pgrep -n -x wrk)" 2>/dev/null || echo 0); local wpid; wpid=$(pgrep -n -x wrk || echo "")
  local wlast=$w0
  while kill -0 "$w" 2>/dev/null; do [ -n "$wpid" ] && wlast=$(ticks "$wpid" 2>/dev/null || echo "$wlast"); sleep 0.5; done
  wait "$w" || true
  local line; line=$(grep '^{' "$tmp/wrk.out")
  python3 - "$name" "$bytes" "$line" "$s0" "$(ticks "$server")" "$r0" "$(ticks "$redis")" "$c0" "$(calls)" "$i0" \
    "$(netin)" "$o0" "$(netout)" "$m0" "$(mem)" "$w0" "$wlast" "$hz" "$(rss_kb "$server")" "$MEASURE" <<'PY'
import json, sys
a = sys.argv
name, size, line = a[1], int(a[2]), json.loads(a[3])
s0, s1, r0, r1, c0, c1, i0, i1, o0, o1, m0, m1, w0, w1, hz, rss, measure = map(int, a[4:21])
n = line["requests"]
print(json.dumps({"run": name, "bytes": size, "rps": line["rps"], "p95_ms": round(line["p95_us"] / 1000, 2),
  "server_cpu_ms": round((s1 - s0) / hz * 1000 / n, 4), "redis_cpu_ms": round((r1 - r0) / hz * 1000 / n, 4),
  # wrk's CPU from its first second on: scaled to the whole run
  "load_cpu_ms": round((w1 - w0) / hz * 1000 / n * measure / max(1, measure - 1), 4),
  "redis_calls": round((c1 - c0) / n, 2), "redis_bytes_in": round((i1 - i0) / n), "redis_bytes_out": round((o1 - o0) / n),
  "redis_memory_per_request": round((m1 - m0) / n), "server_rss_mb": round(rss / 1024), "non2xx": line["non2xx"],
  "requests": n}))
PY
}
wrk -t2 -c50 -d60s -s onetimeshare-bench/wrk/flow.lua "http://127.0.0.1:$port" >/dev/null
run flow-4k flow.lua 4096
run create-4k create.lua 4096
run create-256k create.lua 262144
run flow-64k flow.lua 65536
