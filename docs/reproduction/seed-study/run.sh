#!/usr/bin/env bash
# The issue-13 seed study, one training process at a time, alternating frameworks seed by seed
# (Loss Lab seed k, then PyTorch seed k) so that a cut-off leaves both with the same seeds.
# Usage: docs/reproduction/seed-study/run.sh [OUT=/tmp/seed-study] [SEEDS="1 2 ... 10"] [STOP_AT=epoch-seconds]
#   STOP_AT: start no new seed whose predicted end (from the slowest seed so far) is past it.
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=${OUT:-/tmp/seed-study}
SEEDS=${SEEDS:-"1 2 3 4 5 6 7 8 9 10"}
STOP_AT=${STOP_AT:-}
mkdir -p "$OUT/cfg"
slowest=0
for seed in $SEEDS; do
  now=$(date +%s)
  if [[ -n "$STOP_AT" ]] && (( now + slowest > STOP_AT )); then
    echo "$(date -u +%H:%M:%S) stop before seed $seed: the slowest seed took ${slowest}s" ; break
  fi
  cfg=$(node docs/reproduction/seed-study/seed-config.mjs "$seed" "$OUT/cfg")
  echo "$(date -u +%H:%M:%S) seed $seed: Loss Lab"
  node dist/cli.js run "$cfg" --out "$OUT/runs" > "$OUT/ll-seed$seed.log" 2>&1
  echo "$(date -u +%H:%M:%S) seed $seed: PyTorch"
  /usr/bin/python3 docs/reproduction/seed-study/pytorch_protocol.py --seeds "$seed" --out "$OUT/pytorch" > "$OUT/pt-seed$seed.log" 2>&1
  took=$(( $(date +%s) - now ))
  (( took > slowest )) && slowest=$took
  echo "$(date -u +%H:%M:%S) seed $seed done in ${took}s"
done
