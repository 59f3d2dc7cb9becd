#!/usr/bin/env bash
# Ours against the rebuilt original stack (../shared/seedref: Flask + gunicorn 4x2 + Redis), side by side in one run
# with wrk (wrk/flow.lua: multipart create, form-encoded open, 100 client identities): for each payload size, each
# stack gets an unmeasured warm-up, then a measured window, alternating ours, seed, ours, seed. Ours runs
# --storage redis with the rate limiter on (limits no client reaches) and the default protections.
#   onetimeshare-bench/wrk-compare.sh [CONNS] [WARM_S] [MEASURE_S] [SIZES...]   e.g. 100 30 20 4096 1048576
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SEED=${SEEDREF:-$ROOT/../shared/seedref}
CONNS=${1:-100}; WARM=${2:-30}; MEASURE=${3:-20}; shift 3 || true
SIZES=${*:-4096 1048576}
JAR=${JAR:-examples/standalone-server/target/onetimeshare-server.jar}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
tmp=$(mktemp -d)
OURS_PORT=$(free_port); OURS_REDIS=$(free_port); SEED_PORT=$(free_port); SEED_REDIS=$(free_port)
redis-server --port "$OURS_REDIS" --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 &
OURS_REDIS_PID=$!
sleep 0.3
java ${JAVA_OPTS:-} -jar "$JAR" --port "$OURS_PORT" --bind 127.0.0.1 --storage redis \
  --redis-uri "redis://127.0.0.1:$OURS_REDIS" --max-size 10MB --trusted-proxies 127.0.0.1 \
  --rate-create 1000000000/1h --rate-open 1000000000/1h --rate-create-bytes 64GiB/1h --request-log off \
  >"$tmp/ours.log" 2>&1 &
OURS_PID=$!
PORT=$SEED_PORT REDIS_PORT=$SEED_REDIS RUN="$tmp/seed" "$SEED/serve.sh" start >"$tmp/seed-start.log"
cleanup() {
  kill "$OURS_PID" "$OURS_REDIS_PID" 2>/dev/null || true
  PORT=$SEED_PORT REDIS_PORT=$SEED_REDIS RUN="$tmp/seed" "$SEED/serve.sh" stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
for _ in $(seq 200); do curl -fs -m 1 "http://127.0.0.1:$OURS_PORT/health" >/dev/null 2>&1 && break; sleep 0.05; done
echo "{\"cpu\":\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\",\"cores\":$(nproc),\"java\":\"$(java -version 2>&1 | head -1 | tr -d '"')\",\"conns\":$CONNS,\"warm_s\":$WARM,\"measure_s\":$MEASURE}"
run() { # label url size seconds
  OTS_FILE_BYTES=$3 /usr/bin/time -f '%U %S' -o "$tmp/wrk.cpu" \
    wrk -t2 -c"$CONNS" -d"$4"s --timeout 10s -s onetimeshare-bench/wrk/flow.lua "$2" | grep '^{' > "$tmp/out.json"
  echo "{\"stack\":\"$1\",\"bytes\":$3,\"wrk_cpu_s\":$(awk '{print $1+$2}' "$tmp/wrk.cpu"),$(cut -c2- "$tmp/out.json")"
}
for size in $SIZES; do
  run ours-warm "http://127.0.0.1:$OURS_PORT" "$size" "$WARM" >/dev/null
  run seed-warm "http://127.0.0.1:$SEED_PORT" "$size" "$WARM" >/dev/null
  for round in 1 2; do
    run ours "http://127.0.0.1:$OURS_PORT" "$size" "$MEASURE"
    run seed "http://127.0.0.1:$SEED_PORT" "$size" "$MEASURE"
  done
done
