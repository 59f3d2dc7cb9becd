#!/usr/bin/env bash
# Issue 37's speed: SIZE MiB created and opened through the server with --body-store s3 (records in Redis, bodies in
# s3proxy) against the same size put and got with the S3 client alone (S3Throughput), in one run, ROUNDS times each in
# turn, and the same file `ots` sends put from disk and got back to disk by the S3 client alone (the ceiling of a tool
# that moves files); prints S3Throughput's JSON line (medians, MB/s, and the ratios). Then `ots share` / `ots open` of the same
# size (the resumable upload: client-sealed segments moved to the bucket as multipart parts, records in Redis), ROUNDS
# times, with Redis's peak used_memory during the share, as a second JSON line against the same SDK figures.
# Loopback only, free ports, stops by itself.
#   onetimeshare-bench/s3-compare.sh [SIZE_MIB=1024] [ROUNDS=3]   env: JAVA, JAR, CLI, BENCH (jars of another build)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-1024}; ROUNDS=${2:-3}; JAVA=${JAVA:-java}
JAR=${JAR:-examples/standalone-server/target/onetimeshare-server.jar}
CLI=${CLI:-examples/cli/target/onetimeshare-cli.jar}
BENCH=${BENCH:-onetimeshare-bench/target/benchmarks.jar}
LAUNCHER="-Xmx256m -Xshare:auto -XX:CompileThresholdScaling=10 -XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.*::*,0.005"
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
$JAVA -jar "$S3PROXY" --properties "$tmp/s3proxy.conf" >"$tmp/s3proxy.log" 2>&1 & pids+=($!); s3pid=$!
redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp" >/dev/null 2>&1 & pids+=($!); rpid=$!
until redis-cli -p "$rport" ping >/dev/null 2>&1 && curl -s -o /dev/null "http://127.0.0.1:$sport/"; do sleep 0.1; done
$JAVA -jar "$JAR" --port "$port" --bind 127.0.0.1 --storage redis --redis-uri "redis://127.0.0.1:$rport" \
  --body-store s3 --s3-bucket ots-bench --s3-endpoint "http://127.0.0.1:$sport" --s3-path-style on \
  --s3-credentials-file "$tmp/credentials" --rate-create off --rate-open off --rate-create-bytes off \
  --max-size "$((SIZE + 1))MB" --request-log off >"$tmp/server.log" 2>&1 & pids+=($!); spid=$!
until curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1; do sleep 0.1; done
head -c "$((SIZE << 20))" /dev/urandom > "$tmp/big.bin"
sdk=$($JAVA -cp "$BENCH" io.onetimeshare.bench.s3.S3Throughput "http://127.0.0.1:$sport" \
  ots-bench "$tmp/credentials" "http://127.0.0.1:$port" "$SIZE" "$ROUNDS" "$tmp/big.bin")
echo "$sdk"
sum=$(sha256sum < "$tmp/big.bin")
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system clock ticks of a process
: > "$tmp/ots.txt"
for r in $(seq "$ROUNDS"); do
  base=$(redis-cli -p "$rport" info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p')
  ( peak=$base; while [ ! -e "$tmp/shared" ]; do
      m=$(redis-cli -p "$rport" info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p'); [ "${m:-0}" -gt "$peak" ] && peak=$m
      sleep 0.1; done; echo "$peak" > "$tmp/peak" ) &
  c0="$(cpu "$spid") $(cpu "$s3pid") $(cpu "$rpid")"
  t0=$(date +%s.%N)
  link=$(/usr/bin/time -f '%U %S' -o "$tmp/client.cpu" $JAVA $LAUNCHER -jar "$CLI" share "$tmp/big.bin" \
    --server "http://127.0.0.1:$port/" --no-progress)
  t1=$(date +%s.%N); touch "$tmp/shared"; wait $!; rm -f "$tmp/shared"
  c1="$(cpu "$spid") $(cpu "$s3pid") $(cpu "$rpid") $(awk '{print ($1 + $2) * 100}' "$tmp/client.cpu")"
  rm -rf "$tmp/out"; mkdir -p "$tmp/out"
  c2="$(cpu "$spid") $(cpu "$s3pid") $(cpu "$rpid")"
  printf '%s\n' "$link" | /usr/bin/time -f '%U %S' -o "$tmp/open.cpu" $JAVA $LAUNCHER -jar "$CLI" open -o "$tmp/out/" \
    >/dev/null
  t2=$(date +%s.%N)
  c3="$(cpu "$spid") $(cpu "$s3pid") $(cpu "$rpid") $(awk '{print ($1 + $2) * 100}' "$tmp/open.cpu")"
  [ "$(cat "$tmp"/out/* | sha256sum)" = "$sum" ] || { echo "round $r: the opened file differs" >&2; exit 1; }
  echo "$t0 $t1 $t2 $base $(cat "$tmp/peak") $c0 $c1 $c2 $c3" >> "$tmp/ots.txt"
done
python3 - "$sdk" "$SIZE" "$tmp/ots.txt" <<'PY'
import json, statistics, sys
sdk = json.loads(sys.argv[1]); mb = int(sys.argv[2]) * 1048576 / 1e6
rows = [list(map(float, l.split())) for l in open(sys.argv[3])]
share = statistics.median(r[1] - r[0] for r in rows); open_ = statistics.median(r[2] - r[1] for r in rows)
grew = max(r[4] - r[3] for r in rows) / 1048576
cpu = lambda i: round(statistics.median((r[8 + i] - (r[5 + i] if i < 3 else 0)) / 100 for r in rows), 1)
opencpu = lambda i: round(statistics.median((r[15 + i] - (r[12 + i] if i < 3 else 0)) / 100 for r in rows), 1)
print(json.dumps({"ots_share_s": round(share, 2), "ots_open_s": round(open_, 2),
  "ots_share_mb_s": round(mb / share), "ots_open_mb_s": round(mb / open_),
  "share_vs_sdk_put": round(mb / share / sdk["sdk_put_mb_s"], 2), "open_vs_sdk_get": round(mb / open_ / sdk["sdk_get_mb_s"], 2),
  "share_vs_sdk_put_file": round(mb / share / sdk["sdk_put_file_mb_s"], 2),
  "open_vs_sdk_get_file": round(mb / open_ / sdk["sdk_get_file_mb_s"], 2),
  "redis_peak_growth_mib": round(grew, 1),
  "share_cpu_s": {"server": cpu(0), "s3proxy": cpu(1), "redis": cpu(2), "client": cpu(3)},
  "open_cpu_s": {"server": opencpu(0), "s3proxy": opencpu(1), "redis": opencpu(2), "client": opencpu(3)}}))
PY
