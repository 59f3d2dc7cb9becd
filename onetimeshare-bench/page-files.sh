#!/usr/bin/env bash
# Issue 37, part 8: SIZE MiB through the web page in a real headless Chromium (PageFiles), up and down, ROUNDS times,
# on the server jar with STORE = file (a fresh data directory) or s3 (records in Redis, bodies in s3proxy); prints
# PageFiles' JSON line (medians, MB/s, CPU seconds of the server and of the browser per phase). Extra arguments go to
# PageFiles (--idle-browser: a second browser open meanwhile; --sampler: /proc walked every 200 ms, as the browser
# test's memory sampler does). Loopback only, free ports, stops by itself.
#   onetimeshare-bench/page-files.sh [SIZE_MIB=1024] [ROUNDS=3] [STORE=file] [--idle-browser] [--sampler]
#   env: JAVA, JAR (the server jar), SERVER_OPTS (its JVM flags)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-1024}; ROUNDS=${2:-3}; STORE=${3:-file}; shift $(( $# < 3 ? $# : 3 ))
JAVA=${JAVA:-java}
JAR=${JAR:-examples/standalone-server/target/onetimeshare-server.jar}
S3PROXY=onetimeshare-s3/target/s3proxy/s3proxy.jar
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
tmp=$(mktemp -d); pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
port=$(free_port)
common=(--port "$port" --bind 127.0.0.1 --rate-create off --rate-open off --rate-create-bytes off
  --max-size "$((SIZE + 64))MiB" --request-log off)
case "$STORE" in
  file)
    store=(--storage file --data-dir "$tmp/vault") ;;
  s3)
    sport=$(free_port); rport=$(free_port)
    mkdir -p "$tmp/data/ots-page"
    printf 's3proxy.endpoint=http://127.0.0.1:%s\ns3proxy.authorization=aws-v2-or-v4\ns3proxy.identity=bench\ns3proxy.credential=bench-secret\njclouds.provider=filesystem\njclouds.filesystem.basedir=%s\n' \
      "$sport" "$tmp/data" > "$tmp/s3proxy.conf"
    printf 'bench\nbench-secret\n' > "$tmp/credentials"
    $JAVA -jar "$S3PROXY" --properties "$tmp/s3proxy.conf" >"$tmp/s3proxy.log" 2>&1 & pids+=($!)
    redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp" >/dev/null 2>&1 & pids+=($!)
    until redis-cli -p "$rport" ping >/dev/null 2>&1 && curl -s -o /dev/null "http://127.0.0.1:$sport/"; do sleep 0.1; done
    store=(--storage redis --redis-uri "redis://127.0.0.1:$rport" --body-store s3 --s3-bucket ots-page
      --s3-endpoint "http://127.0.0.1:$sport" --s3-path-style on --s3-credentials-file "$tmp/credentials") ;;
  *) echo "STORE is file or s3" >&2; exit 2 ;;
esac
# shellcheck disable=SC2086
$JAVA ${SERVER_OPTS:-} -jar "$JAR" "${common[@]}" "${store[@]}" >"$tmp/server.log" 2>&1 & spid=$!; pids+=($spid)
until curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1; do
  kill -0 "$spid" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }; sleep 0.1
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); other busy processes: $(ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 > 5 {print $2 "(" $1 "%)"}' | tr '\n' ' ')" >&2
$JAVA -cp onetimeshare-bench/target/benchmarks.jar io.onetimeshare.bench.page.PageFiles "http://127.0.0.1:$port/" \
  "$SIZE" "$ROUNDS" "$spid" "$tmp/work" "$@" | sed "s/^{/{\"store\":\"$STORE\",/"
