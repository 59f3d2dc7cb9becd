#!/usr/bin/env bash
# Cold start of the standalone server to its first 200 on /health, on the default JDK, without and with an
# application class-data-sharing archive (the one the build makes, or one made here with -XX:ArchiveClassesAtExit when
# it is missing or older than the jar). Median of RUNS each.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=examples/standalone-server/target/onetimeshare-server.jar
JSA=${JSA:-examples/standalone-server/target/onetimeshare-server.jsa}  # made by the build (CdsTraining)
RUNS=${RUNS:-7}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
measure() { # extra java args...
  local port t0 t1 pid
  port=$(free_port)
  t0=$(date +%s%N)
  java "$@" -jar "$JAR" --port "$port" --bind 127.0.0.1 >/dev/null 2>&1 &
  pid=$!
  until curl -fs -m 1 "http://127.0.0.1:$port/health" >/dev/null 2>&1; do sleep 0.005; done
  t1=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo $(( (t1 - t0) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
mkdir -p "$(dirname "$JSA")"
if [ ! -f "$JSA" ] || [ "$JAR" -nt "$JSA" ]; then  # an archive only matches the jar it was made from
  port=$(free_port)
  java -XX:ArchiveClassesAtExit="$JSA" -jar "$JAR" --port "$port" --bind 127.0.0.1 >/dev/null 2>&1 &
  pid=$!
  until curl -fs -m 1 "http://127.0.0.1:$port/health" >/dev/null 2>&1; do sleep 0.05; done
  curl -fs -m 2 -H 'Content-Type: application/json' -d '{"text":"warm"}' "http://127.0.0.1:$port/api/secrets" >/dev/null
  kill "$pid"; wait "$pid" 2>/dev/null || true
fi
plain=$(for _ in $(seq "$RUNS"); do measure; done | median)
cds=$(for _ in $(seq "$RUNS"); do measure -XX:SharedArchiveFile="$JSA" -Xshare:auto; done | median)
echo "$(java -version 2>&1 | head -1): cold start to first 200, median of $RUNS: ${plain} ms without CDS archive, ${cds} ms with AppCDS"
