#!/usr/bin/env bash
# How fast `ots` moves a large file through the standalone server on the file vault (the new user's setup: local
# disk, limits off), two builds in turn (A B A B ...) so that both meet the same machine:
#   onetimeshare-bench/files.sh A_SERVER.jar A_CLI.jar B_SERVER.jar B_CLI.jar [ROUNDS=3] [SIZE_MIB=1024]
# Each run starts its server on a fresh data directory and a free loopback port, times `ots share FILE` and then
# `ots open -o DIR/` of the link (both JVMs started as the launcher starts them: OPTS_A / OPTS_B, default the
# launcher's flags of today), checks the opened file's size and content, stops the server, and `sync`s before the
# next run. Prints each run and the medians. Stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
AS=$1; AC=$2; BS=$3; BC=$4; ROUNDS=${5:-3}; SIZE=${6:-1024}
LAUNCHER="-Xmx256m -Xshare:auto -XX:CompileThresholdScaling=10 -XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.*::*,0.005"
OPTS_A=${OPTS_A:-$LAUNCHER}; OPTS_B=${OPTS_B:-$LAUNCHER}
WORK=$(mktemp -d /tmp/ots-files.XXXXXX)
S=""
cleanup() { [ -n "$S" ] && kill "$S" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
head -c "$((SIZE * 1048576))" /dev/urandom > "$WORK/big.bin"
SUM=$(sha256sum < "$WORK/big.bin")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
run() { # label server.jar cli.jar opts -> "label share-seconds open-seconds"
  local port t0 t1 t2 link
  rm -rf "$WORK/data" "$WORK/out"; mkdir -p "$WORK/out"
  port=$(free_port)
  java -jar "$2" --port "$port" --bind 127.0.0.1 --storage file --data-dir "$WORK/data" --max-size 2GiB \
    --rate-create off --rate-open off --rate-create-bytes 64GiB/1h --request-log off >"$WORK/server.log" 2>&1 &
  S=$!
  for _ in $(seq 600); do curl -fsS -m 1 "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break; sleep 0.1; done
  sync; sleep 2
  t0=$(now)
  # shellcheck disable=SC2086
  link=$(java $4 -jar "$3" share "$WORK/big.bin" --server "http://127.0.0.1:$port/" --no-progress 2>"$WORK/share.err")
  t1=$(now)
  # shellcheck disable=SC2086
  printf '%s\n' "$link" | java $4 -jar "$3" open -o "$WORK/out/" 2>"$WORK/open.err" >/dev/null
  t2=$(now)
  kill "$S"; wait "$S" 2>/dev/null || true; S=""
  [ "$(cat "$WORK"/out/* | sha256sum)" = "$SUM" ] || { echo "$1: the opened file differs" >&2; exit 1; }
  echo "$1 $(echo "$t1 - $t0" | bc) $(echo "$t2 - $t1" | bc)"
}
: > "$WORK/runs"
for r in $(seq "$ROUNDS"); do
  run A "$AS" "$AC" "$OPTS_A" | tee -a "$WORK/runs"
  run B "$BS" "$BC" "$OPTS_B" | tee -a "$WORK/runs"
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for side in A B; do
  sh=$(awk -v s=$side '$1==s {print $2}' "$WORK/runs" | median)
  op=$(awk -v s=$side '$1==s {print $3}' "$WORK/runs" | median)
  printf '%s medians: share %.2f s (%.0f MB/s), open %.2f s (%.0f MB/s)\n' "$side" "$sh" \
    "$(echo "$SIZE * 1.048576 / $sh" | bc -l)" "$op" "$(echo "$SIZE * 1.048576 / $op" | bc -l)"
done
