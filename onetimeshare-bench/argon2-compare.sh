#!/usr/bin/env bash
# Argon2id: ours (lanes in parallel) and BouncyCastle's generator (JMH Argon2Benchmark, one calling thread each) next
# to the C reference (Debian's argon2 CLI, lanes on threads), same parameters, same run. Prints ms per hash for each
# and the ratios to the C reference. Usage: onetimeshare-bench/argon2-compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v argon2 >/dev/null || { apt-get update -qq && apt-get install -y -qq argon2 >/dev/null; }
/usr/bin/python3 -c 'import argon2' 2>/dev/null || apt-get install -y -qq python3-argon2 >/dev/null 2>&1 || true
N=${N:-10}
java -jar onetimeshare-bench/target/benchmarks.jar 'Argon2Benchmark.(oneThread|bouncyCastleOneThread)' -rf json -rff /tmp/ots-argon2.json \
  > /tmp/ots-argon2.txt 2>&1
for spec in 65536:3:4 19456:2:1; do
  IFS=: read -r m t p <<< "$spec"
  logm=$(python3 -c "import math; print(int(math.log2($m)))")
  # the CLI takes memory as log2(KiB) (-m) or KiB (-k); -k keeps 19456 exact
  start=$(date +%s%N)
  for _ in $(seq "$N"); do
    echo -n "correct horse battery staple" | argon2 0123456789abcdef -id -t "$t" -k "$m" -p "$p" -l 32 -r >/dev/null
  done
  c_ms=$(python3 -c "print(round(($(date +%s%N) - $start) / 1e6 / $N, 1))")
  score() { python3 -c "
import json
for r in json.load(open('/tmp/ots-argon2.json')):
    if r['params']['params'] == '$spec' and r['benchmark'].endswith('.$1'): print(round(r['primaryMetric']['score'], 1))"; }
  # the original stack's own Argon2id: argon2-cffi (Debian's python3-argon2 on libargon2), in-process, no start-up
  cffi_ms=$(/usr/bin/python3 -c "
import time
from argon2.low_level import hash_secret_raw, Type
args = (b'correct horse battery staple', b'0123456789abcdef', $t, $m, $p, 32, Type.ID)
hash_secret_raw(*args)
t0 = time.perf_counter()
for _ in range($N): hash_secret_raw(*args)
print(round((time.perf_counter() - t0) * 1000 / $N, 1))" 2>/dev/null || echo n/a)
  ours_ms=$(score oneThread)
  bc_ms=$(score bouncyCastleOneThread)
  echo "Argon2id m=${m}KiB t=$t p=$p: ours ${ours_ms} ms ($(python3 -c "print(round($ours_ms / $c_ms, 2))")x)," \
    "BouncyCastle ${bc_ms} ms ($(python3 -c "print(round($bc_ms / $c_ms, 2))")x), C reference ${c_ms} ms," \
    "argon2-cffi (the original's) ${cffi_ms} ms"
done
