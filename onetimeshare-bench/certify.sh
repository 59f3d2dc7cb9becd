#!/usr/bin/env bash
# Side-by-side load certification on this machine, one run, loopback only, stops by itself:
#   ours   = the standalone server (onetimeshare-server.jar), --storage redis, rate limiting ON (per-client
#            identity through X-Forwarded-For from the trusted loopback proxy)
#   seed   = the rebuilt original stack from ../shared/seedref (Flask + gunicorn 4x2 + Redis + argon2-cffi)
# Each scenario runs with the project's LoadCertifier on both, then Locust (certify.sh from seedref) on both as the
# cross-check. Results go to $OUT (default target/certify-<time>).
# Usage: onetimeshare-bench/certify.sh [scenario ...]   scenarios: nopass-closed nopass-paced passphrase-closed file-closed
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SEED=${SEEDREF:-$ROOT/../shared/seedref}
OUT=${OUT:-$ROOT/target/certify-$(date +%Y%m%d-%H%M%S)}
SCENARIOS=${*:-nopass-closed nopass-paced passphrase-closed file-closed}
LOCUST=${LOCUST:-1}
mkdir -p "$OUT"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

OURS_PORT=$(free_port); OURS_REDIS=$(free_port); SEED_PORT=$(free_port); SEED_REDIS=$(free_port)
redis-server --port "$OURS_REDIS" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >"$OUT/ours-redis.log" 2>&1 &
OURS_REDIS_PID=$!
sleep 0.5
java -jar examples/standalone-server/target/onetimeshare-server.jar --port "$OURS_PORT" --bind 127.0.0.1 \
  --storage redis --redis-uri "redis://127.0.0.1:$OURS_REDIS" --max-size 10MB \
  --rate-create 100000/1h --rate-open 100000/1h --trusted-proxies 127.0.0.1 \
  --kdf-queue 1000 --kdf-wait 60s >"$OUT/ours.log" 2>&1 &
OURS_PID=$!
PORT=$SEED_PORT REDIS_PORT=$SEED_REDIS RUN="$OUT/seed" "$SEED/serve.sh" start | tee "$OUT/seed-start.log"
SEED_PIDS=$(sed -n 's/.*SERVER_PIDS="\(.*\)"/\1/p' "$OUT/seed-start.log")
cleanup() {
  kill "$OURS_PID" "$OURS_REDIS_PID" 2>/dev/null || true
  PORT=$SEED_PORT REDIS_PORT=$SEED_REDIS RUN="$OUT/seed" "$SEED/serve.sh" stop || true
}
trap cleanup EXIT
for _ in $(seq 100); do curl -fsS -m 1 "http://127.0.0.1:$OURS_PORT/health" >/dev/null 2>&1 && break; sleep 0.1; done

CP=onetimeshare-bench/target/benchmarks.jar
PREWARM=${PREWARM:-45}
run_tool() { # label target mode pacing   (both stacks get the same unmeasured prewarm)
  java -cp "$CP" io.onetimeshare.bench.load.LoadCertifier --target "$2" --mode "$3" --pacing "$4" --xff \
    --prewarm "$PREWARM" --out "$OUT" --label "$1" || true
}
for s in $SCENARIOS; do
  case $s in
    nopass-closed) mode=nopass; pacing=0 ;;
    nopass-paced) mode=nopass; pacing=0.3 ;;
    passphrase-closed) mode=passphrase; pacing=0 ;;
    file-closed) mode=file; pacing=0 ;;
    *) echo "unknown scenario $s"; exit 2 ;;
  esac
  echo "== $s"
  run_tool "ours-$s" "http://127.0.0.1:$OURS_PORT" $mode $pacing
  run_tool "seed-$s" "http://127.0.0.1:$SEED_PORT" $mode $pacing
  if [ "$LOCUST" = 1 ] && [ $mode != file ]; then
    lmode=$([ $mode = passphrase ] && echo passphrase || echo nopass)
    OUTDIR="$OUT/locust" SEEDREF_XFF=1 QUIET_WAIT=20 SERVER_PIDS="$OURS_PID $OURS_REDIS_PID" \
      "$SEED/certify.sh" "http://127.0.0.1:$OURS_PORT" $lmode $pacing > "$OUT/locust-ours-$s.md" 2>&1 || true
    OUTDIR="$OUT/locust" SEEDREF_XFF=1 QUIET_WAIT=20 SERVER_PIDS="$SEED_PIDS" \
      "$SEED/certify.sh" "http://127.0.0.1:$SEED_PORT" $lmode $pacing > "$OUT/locust-seed-$s.md" 2>&1 || true
  fi
done
echo "results in $OUT"
