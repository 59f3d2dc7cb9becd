#!/usr/bin/env bash
# The warm-up curve and the steady-state figures of issue 11, measured with wrk (Debian package) on this machine:
# starts the standalone server, loads it from the first moment /health answers with the create+open flow
# (wrk/flow.lua: 4 KiB multipart file, opened once, 100 connections, 100 client identities through X-Forwarded-For
# from the trusted loopback proxy, rate limiter on with limits no client reaches), and prints one JSON line per 5 s
# window, then the steady state, the /health ceiling of the same server, and the CPU used per request.
#
#   onetimeshare-bench/curve.sh [JAR] [memory|redis] [WINDOWS]
#   env: JAVA=/path/to/java JAVA_OPTS=... SERVER_ARGS="--warmup off" IDLE_BEFORE=5 (seconds between start and load)
#        WAIT_FOR=ready: start the load when /ready turns 200 (as a load balancer does), not at the first /health
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${1:-examples/standalone-server/target/onetimeshare-server.jar}
STORAGE=${2:-redis}
WINDOWS=${3:-12}
JAVA=${JAVA:-java}
CONNS=${CONNS:-100}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tmp=$(mktemp -d)
cleanup() {
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null || true
  [ -n "${REDIS:-}" ] && kill "$REDIS" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
args=(--bind 127.0.0.1 --trusted-proxies 127.0.0.1 --rate-create 1000000000/1h --rate-open 1000000000/1h
  --rate-create-bytes 64GiB/1h --request-log off)
if [ "$STORAGE" = redis ]; then
  rport=$(free_port)
  redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp" >/dev/null 2>&1 &
  REDIS=$!
  until redis-cli -p "$rport" ping >/dev/null 2>&1; do sleep 0.05; done
  args+=(--storage redis --redis-uri "redis://127.0.0.1:$rport")
fi
port=$(free_port)
echo "{\"cpu\":\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\",\"cores\":$(nproc),\"aes\":$(grep -c -m1 -w aes /proc/cpuinfo),\"pclmulqdq\":$(grep -c -m1 -w pclmulqdq /proc/cpuinfo),\"java\":\"$($JAVA -version 2>&1 | head -1 | tr -d '"')\",\"storage\":\"$STORAGE\",\"server_args\":\"${SERVER_ARGS:-}\"}"
t0=$(date +%s%N)
# shellcheck disable=SC2086
$JAVA ${JAVA_OPTS:-} -jar "$JAR" --port "$port" "${args[@]}" ${SERVER_ARGS:-} >"$tmp/server.log" 2>&1 &
SERVER=$!
until curl -fs -m 1 "http://127.0.0.1:$port/health" >/dev/null 2>&1; do
  kill -0 "$SERVER" 2>/dev/null || { echo "the server did not start:" >&2; cat "$tmp/server.log" >&2; exit 1; }
  sleep 0.005
done
echo "{\"cold_start_ms\":$(( ($(date +%s%N) - t0) / 1000000 ))}"
if [ "${WAIT_FOR:-health}" = ready ]; then
  until curl -fs -m 1 "http://127.0.0.1:$port/ready" >/dev/null 2>&1; do sleep 0.05; done
  echo "{\"ready_ms\":$(( ($(date +%s%N) - t0) / 1000000 ))}"
fi
sleep "${IDLE_BEFORE:-0}" # IDLE_BEFORE=5: load starts 5 s after the first 200, as after a readiness delay
url="http://127.0.0.1:$port"
for i in $(seq 1 "$WINDOWS"); do
  line=$(wrk -t2 -c"$CONNS" -d5s -s onetimeshare-bench/wrk/flow.lua "$url" | grep '^{')
  echo "{\"window\":$i,\"from_s\":$(( (i - 1) * 5 )),${line#\{}"
done
c0=$(cpu_ticks "$SERVER")
r0=$([ -n "${REDIS:-}" ] && cpu_ticks "$REDIS" || echo 0)
/usr/bin/time -f '%U %S' -o "$tmp/wrk.cpu" wrk -t2 -c"$CONNS" -d20s -s onetimeshare-bench/wrk/flow.lua "$url" \
  | grep '^{' > "$tmp/steady.json"
c1=$(cpu_ticks "$SERVER")
r1=$([ -n "${REDIS:-}" ] && cpu_ticks "$REDIS" || echo 0)
steady=$(cat "$tmp/steady.json")
requests=$(echo "$steady" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
hz=$(getconf CLK_TCK)
echo "{\"steady\":$steady,\"server_cpu_ms_per_request\":$(python3 -c "print(round(($c1-$c0)/$hz*1000/$requests,4))"),\"redis_cpu_ms_per_request\":$(python3 -c "print(round(($r1-$r0)/$hz*1000/$requests,4))"),\"wrk_cpu_s\":$(awk '{print $1+$2}' "$tmp/wrk.cpu"),\"window_s\":20}"
ceiling=$(wrk -t2 -c"$CONNS" -d10s -s onetimeshare-bench/wrk/health.lua "$url/health" | grep '^{')
echo "{\"health_ceiling\":$ceiling}"
