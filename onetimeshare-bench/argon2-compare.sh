#!/usr/bin/env bash
# Argon2id: BouncyCastle (JMH Argon2Benchmark) next to the C reference (Debian's argon2 CLI), same parameters,
# same run, one thread. Prints ms per hash for each and the ratio. Usage: onetimeshare-bench/argon2-compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v argon2 >/dev/null || { apt-get update -qq && apt-get install -y -qq argon2 >/dev/null; }
N=${N:-10}
java -jar onetimeshare-bench/target/benchmarks.jar 'Argon2Benchmark.oneThread' -rf json -rff /tmp/ots-argon2.json \
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
  bc_ms=$(python3 -c "
import json
for r in json.load(open('/tmp/ots-argon2.json')):
    if r['params']['params'] == '$spec': print(round(r['primaryMetric']['score'], 1))")
  echo "Argon2id m=${m}KiB t=$t p=$p: BouncyCastle ${bc_ms} ms, C reference ${c_ms} ms, ratio $(python3 -c "print(round($bc_ms / $c_ms, 2))")x"
done
