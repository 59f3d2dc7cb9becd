#!/usr/bin/env bash
# Issue 37's speed: SIZE MiB created and opened through the server with --body-store s3 (records in Redis, bodies in
# s3proxy) against the same size put and got with the S3 client alone (S3Throughput), in one run, ROUNDS times each in
# turn; prints S3Throughput's JSON line (medians, MB/s, and the ratios). Loopback only, free ports, stops by itself.
#   onetimeshare-bench/s3-compare.sh [SIZE_MIB=1024] [ROUNDS=3]   env: JAVA, JAR
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-1024}; ROUNDS=${2:-3}; JAVA=${JAVA:-java}
JAR=${JAR:-examples/standalone-server/target/onetimeshare-server.jar}
S3PROXY=onetimeshare-s3/target/s3proxy/s3proxy.jar
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
tmp=$(mktemp -d); pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
sport=$(free_port); rport=$(free_port); port=$(free_port)
mkdir -p "$tmp/data/ots-bench"
printf 's3proxy.endpoint=http://127.0.0.1:%s\ns3proxy.authorization=aws-v2-or-v4\ns3proxy.identity=bench\ns3proxy.credential=bench-secret\njclouds.provider=filesystem\njclouds.filesystem.basedir=%s\n' \
  "$sport" "$tmp/data" > "$tmp/s3proxy.conf"
printf 'bench\nbench-secret\n' > "$tmp/credentials"
$JAVA -jar "$S3PROXY" --properties "$tmp/s3proxy.conf" >"$tmp/s3proxy.log" 2>&1 & pids+=($!)
redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp" >/dev/null 2>&1 & pids+=($!)
until redis-cli -p "$rport" ping >/dev/null 2>&1 && curl -s -o /dev/null "http://127.0.0.1:$sport/"; do sleep 0.1; done
$JAVA -jar "$JAR" --port "$port" --bind 127.0.0.1 --storage redis --redis-uri "redis://127.0.0.1:$rport" \
  --body-store s3 --s3-bucket ots-bench --s3-endpoint "http://127.0.0.1:$sport" --s3-path-style on \
  --s3-credentials-file "$tmp/credentials" --rate-create off --rate-open off --rate-create-bytes off \
  --max-size "$((SIZE + 1))MB" --request-log off >"$tmp/server.log" 2>&1 & pids+=($!)
until curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1; do sleep 0.1; done
$JAVA -cp onetimeshare-bench/target/benchmarks.jar io.onetimeshare.bench.s3.S3Throughput "http://127.0.0.1:$sport" \
  ots-bench "$tmp/credentials" "http://127.0.0.1:$port" "$SIZE" "$ROUNDS"
