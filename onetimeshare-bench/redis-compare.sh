#!/usr/bin/env bash
# Side by side on one local Redis, same concurrency (8): redis-benchmark doing SET EX + GETDEL of 4 KiB values,
# then the RedisSecretVault doing put + claim of 4 KiB bodies (JMH). Loopback only; stops by itself.
# Usage: onetimeshare-bench/redis-compare.sh   (after mvn -q install -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >/tmp/ots-bench-redis.log 2>&1 &
RPID=$!
trap 'kill $RPID 2>/dev/null || true' EXIT
sleep 0.5
VAL=$(head -c 4096 /dev/zero | tr '\0' x)
N=${N:-200000}
echo "== redis-benchmark, 8 clients, $N requests each, 4 KiB values (port $PORT)"
SET_RPS=$(redis-benchmark -p "$PORT" -c 8 -n "$N" -r 100000000 -q SET "k:__rand_int__" "$VAL" EX 600 | awk '{for(i=1;i<=NF;i++) if ($i ~ /requests/) print $(i-1)}' | tail -1)
# GETDEL on keys that exist: load a known key range first, then delete through it
redis-benchmark -p "$PORT" -c 8 -n "$N" -r "$N" -q SET "g:__rand_int__" "$VAL" EX 600 >/dev/null
GETDEL_RPS=$(redis-benchmark -p "$PORT" -c 8 -n "$N" -r "$N" -q GETDEL "g:__rand_int__" | awk '{for(i=1;i<=NF;i++) if ($i ~ /requests/) print $(i-1)}' | tail -1)
PAIRS=$(python3 -c "s=float('$SET_RPS'); g=float('$GETDEL_RPS'); print(round(1/(1/s+1/g)))")
echo "SET EX: $SET_RPS/s   GETDEL: $GETDEL_RPS/s   => pairs: $PAIRS/s"
echo "== RedisSecretVault put + claim, JMH, 8 threads"
java -jar onetimeshare-bench/target/benchmarks.jar VaultBenchmark -p store=redis -jvmArgsAppend "-Dots.redis.uri=redis://127.0.0.1:$PORT" \
  -rf json -rff /tmp/ots-vault-redis.json | tee /tmp/ots-vault-redis.txt | grep -E "^VaultBenchmark|^Benchmark"
VAULT=$(python3 -c "import json; print(round(json.load(open('/tmp/ots-vault-redis.json'))[0]['primaryMetric']['score']))")
echo "vault pairs: $VAULT/s   raw Redis pairs: $PAIRS/s   ratio: $(python3 -c "print(round($VAULT/$PAIRS*100))")%"
