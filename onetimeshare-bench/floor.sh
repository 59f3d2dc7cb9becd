#!/usr/bin/env bash
# What a create+open costs on this machine, layer by layer, in one run: the wrk flow (wrk/flow.lua, 4 KiB multipart
# create and form-encoded open, 100 connections) against
#   floor   HttpFloorServer: Jetty 12 answering the same two requests with fixed bytes (reads each body, nothing else)
#   memory  the standalone server, memory storage, rate limiter on (limits no client reaches), every protection on
#   redis   the same with --storage redis on a local redis-server
# Each gets WARM seconds of unmeasured load (the JIT), then MEASURE seconds measured: requests/s, P95, and the CPU
# the server (and Redis) used per request, from /proc, then 10 s of GET /health on the same server (its ceiling).
# Loopback only, free ports, stops by itself.
#   onetimeshare-bench/floor.sh [WARM=60] [MEASURE=20]   env: JAVA, JAVA_OPTS, JAR (the server), TARGETS="memory redis"
set -euo pipefail
cd "$(dirname "$0")/.."
WARM=${1:-60}; MEASURE=${2:-20}; JAVA=${JAVA:-java}
JAR=${JAR:-examples/standalone-server/target/onetimeshare-server.jar}
BENCH=onetimeshare-bench/target/benchmarks.jar
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tmp=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
echo "{\"cpu\":\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\",\"cores\":$(nproc),\"java\":\"$($JAVA -version 2>&1 | head -1 | tr -d '"')\"}"
for target in ${TARGETS:-floor memory redis}; do
  port=$(free_port); redis=""
  case $target in
    floor) $JAVA ${JAVA_OPTS:-} -cp "$BENCH" io.onetimeshare.bench.floor.HttpFloorServer "$port" >"$tmp/$target.log" 2>&1 & ;;
    *)
      args=(--port "$port" --bind 127.0.0.1 --trusted-proxies 127.0.0.1 --rate-create 1000000000/1h
        --rate-open 1000000000/1h --rate-create-bytes 64GiB/1h --request-log off)
      if [ "$target" = redis ]; then
        rport=$(free_port)
        redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp" >/dev/null 2>&1 &
        redis=$!; pids+=("$redis")
        until redis-cli -p "$rport" ping >/dev/null 2>&1; do sleep 0.05; done
        args+=(--storage redis --redis-uri "redis://127.0.0.1:$rport")
      fi
      $JAVA ${JAVA_OPTS:-} -jar "$JAR" "${args[@]}" >"$tmp/$target.log" 2>&1 & ;;
  esac
  server=$!; pids+=("$server")
  until curl -fs -m 1 "http://127.0.0.1:$port/health" >/dev/null 2>&1; do
    kill -0 "$server" 2>/dev/null || { cat "$tmp/$target.log" >&2; exit 1; }
    sleep 0.05
  done
  wrk -t2 -c100 -d"${WARM}s" -s onetimeshare-bench/wrk/flow.lua "http://127.0.0.1:$port" >/dev/null
  s0=$(ticks "$server"); r0=$([ -n "$redis" ] && ticks "$redis" || echo 0)
  line=$(wrk -t2 -c100 -d"${MEASURE}s" -s onetimeshare-bench/wrk/flow.lua "http://127.0.0.1:$port" | grep '^{')
  s1=$(ticks "$server"); r1=$([ -n "$redis" ] && ticks "$redis" || echo 0)
  # the ceiling of the same server in the same run: GET /health
  ceiling=$(wrk -t2 -c100 -d10s -s onetimeshare-bench/wrk/health.lua "http://127.0.0.1:$port/health" | grep '^{')
  python3 - "$target" "$line" "$s0" "$s1" "$r0" "$r1" "$(getconf CLK_TCK)" "$ceiling" <<'PY'
import json, sys
target, line, s0, s1, r0, r1, hz = sys.argv[1], json.loads(sys.argv[2]), *map(int, sys.argv[3:8])
ceiling = json.loads(sys.argv[8])["rps"]
n = line["requests"]
print(json.dumps({"target": target, "rps": line["rps"], "health_ceiling_rps": ceiling,
    "fraction_of_ceiling": round(line["rps"] / ceiling, 3), "p95_ms": round(line["p95_us"] / 1000, 1),
    "server_cpu_ms_per_request": round((s1 - s0) / hz * 1000 / n, 4),
    "redis_cpu_ms_per_request": round((r1 - r0) / hz * 1000 / n, 4),
    "non2xx": line["non2xx"], "socket_errors": line["socket_errors"]}))
PY
  kill "$server" ${redis:+"$redis"} 2>/dev/null || true
  wait "$server" 2>/dev/null || true
done
