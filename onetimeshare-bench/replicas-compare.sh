#!/usr/bin/env bash
# What waiting for replicas costs (issue 35): two builds of the standalone server in turn (A B A B), each on its own
# primary with one replica (loopback, free ports, appendonly off on both so the figure is the wait, not the disk),
# the wrk create+open flow (wrk/flow.lua: 4 KiB multipart create, form-encoded open, 100 connections), limits on at
# the server's default shape (count, bytes, opens; --rate-fallback at its default) with budgets no client reaches.
# Per run: requests/s, P95, and the CPU the server and the primary used per request (from /proc). Stops by itself.
#   onetimeshare-bench/replicas-compare.sh OLD.jar NEW.jar [WARM=30] [MEASURE=20] [ROUNDS=2]
#   env: ARGS_A / ARGS_B (extra options for one side, e.g. ARGS_B="--redis-replicas none"), JAVA
set -euo pipefail
cd "$(dirname "$0")/.."
A=$1; B=$2; WARM=${3:-30}; MEASURE=${4:-20}; ROUNDS=${5:-2}; JAVA=${JAVA:-java}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tmp=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
echo "{\"cpu\":\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\",\"cores\":$(nproc),\"java\":\"$($JAVA -version 2>&1 | head -1 | tr -d '"')\",\"redis\":\"$(redis-server --version | cut -d' ' -f3)\"}"
declare -A PORT PRIMARY
for side in a b; do
  jar=$([ $side = a ] && echo "$A" || echo "$B"); extra=$([ $side = a ] && echo "${ARGS_A:-}" || echo "${ARGS_B:-}")
  p=$(free_port); r=$(free_port); port=$(free_port)
  mkdir -p "$tmp/$side-p" "$tmp/$side-r"
  redis-server --port "$p" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp/$side-p" --protected-mode no \
    --repl-diskless-sync-delay 0 >"$tmp/$side-p.log" 2>&1 &
  PRIMARY[$side]=$!; pids+=($!)
  until redis-cli -p "$p" ping >/dev/null 2>&1; do sleep 0.05; done
  redis-server --port "$r" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp/$side-r" --protected-mode no \
    --replicaof 127.0.0.1 "$p" >"$tmp/$side-r.log" 2>&1 &
  pids+=($!)
  until redis-cli -p "$p" info replication | grep -q 'state=online'; do sleep 0.1; done
  $JAVA ${JAVA_OPTS:-} -jar "$jar" --port "$port" --bind 127.0.0.1 --trusted-proxies 127.0.0.1 \
    --rate-create 1000000000/1h --rate-open 1000000000/1h --rate-create-bytes 64GiB/1h --request-log off \
    --storage redis --redis-uri "redis://127.0.0.1:$p" $extra >"$tmp/$side.log" 2>&1 &
  server=$!; pids+=("$server"); PORT[$side]=$port; eval "SERVER_$side=$server"
  until curl -fs -m 1 "http://127.0.0.1:$port/health" >/dev/null 2>&1; do
    kill -0 "$server" 2>/dev/null || { cat "$tmp/$side.log" >&2; exit 1; }
    sleep 0.05
  done
  grep -h "OneTimeShare Redis" "$tmp/$side.log" | sed "s/^/[$side] /" || true
done
for round in $(seq "$ROUNDS"); do
  for side in a b; do
    port=${PORT[$side]}; server=$(eval echo "\$SERVER_$side"); primary=${PRIMARY[$side]}
    wrk -t2 -c100 -d"${WARM}s" -s onetimeshare-bench/wrk/flow.lua "http://127.0.0.1:$port" >/dev/null
    s0=$(ticks "$server"); r0=$(ticks "$primary")
    line=$(wrk -t2 -c100 -d"${MEASURE}s" -s onetimeshare-bench/wrk/flow.lua "http://127.0.0.1:$port" | grep '^{')
    s1=$(ticks "$server"); r1=$(ticks "$primary")
    python3 - "$side" "$round" "$line" "$s0" "$s1" "$r0" "$r1" "$(getconf CLK_TCK)" <<'PY'
import json, sys
side, rnd, line, s0, s1, r0, r1, hz = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), *map(int, sys.argv[4:9])
n = line["requests"]
print(json.dumps({"side": side, "round": int(rnd), "rps": line["rps"], "p95_ms": round(line["p95_us"] / 1000, 2),
    "server_cpu_ms_per_request": round((s1 - s0) / hz * 1000 / n, 4),
    "primary_cpu_ms_per_request": round((r1 - r0) / hz * 1000 / n, 4),
    "non2xx": line["non2xx"], "socket_errors": line["socket_errors"]}))
PY
  done
done
