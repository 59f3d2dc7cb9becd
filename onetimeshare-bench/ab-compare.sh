#!/usr/bin/env bash
# Two builds of the standalone server side by side in one run, same machine, same load, alternating A B A B:
#   onetimeshare-bench/ab-compare.sh OLD.jar NEW.jar [mode] [phases] [prewarm]
# (ARGS_A / ARGS_B: extra server options for one side, e.g. ARGS_B="--request-log off" to price one feature)
# Each server on its own redis-server (loopback, free ports), --storage redis, rate limiting on with a per-client
# identity through X-Forwarded-For from the trusted loopback proxy (as certify.sh). The load is the project's
# LoadCertifier (closed loop). Results (Markdown and JSON per run) in $OUT. Stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
A=$1; B=$2; MODE=${3:-nopass}; PHASES=${4:-30:20}; PREWARM=${5:-20}
OUT=${OUT:-target/ab-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT
start() { # label jar extra-options -> prints the port
  local rp sp
  rp=$(free_port); sp=$(free_port)
  redis-server --port "$rp" --bind 127.0.0.1 --save "" --appendonly no >"$OUT/$1-redis.log" 2>&1 &
  pids+=($!)
  sleep 0.3
  java -jar "$2" --port "$sp" --bind 127.0.0.1 --storage redis --redis-uri "redis://127.0.0.1:$rp" \
    --rate-create 100000/1h --rate-open 100000/1h --trusted-proxies 127.0.0.1 $3 >"$OUT/$1-server.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -fsS -m 1 "http://127.0.0.1:$sp/health" >/dev/null 2>&1 && break; sleep 0.1; done
  echo "$sp"
}
PA=$(start a "$A" "${ARGS_A:-}"); PB=$(start b "$B" "${ARGS_B:-}")
for round in 1 2; do
  for side in a b; do
    port=$([ $side = a ] && echo "$PA" || echo "$PB")
    java -cp onetimeshare-bench/target/benchmarks.jar io.onetimeshare.bench.load.LoadCertifier \
      --target "http://127.0.0.1:$port" --mode "$MODE" --pacing 0 --xff --phases "$PHASES" \
      --prewarm "$PREWARM" --out "$OUT" --label "$side-$round" >"$OUT/$side-$round.txt" 2>&1 || true
    echo "== $side round $round"; grep -iE 'rps|p95|total' "$OUT/$side-$round.txt" | head -6
  done
done
echo "results in $OUT"
