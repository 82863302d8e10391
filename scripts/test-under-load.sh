#!/usr/bin/env bash
# Runs `npm test` N times in a row (default 3) on a clean clone of this repository's HEAD
# while two CPU-burning processes (node busy loops, one per core of a 2-core machine) run
# beside it: the suite must not depend on a quiet machine. Prints each run's time and load.
# Usage: scripts/test-under-load.sh [runs] ; DATABASE_URL is passed through when set.
set -euo pipefail
runs=${1:-3}
repo=$(cd "$(dirname "$0")/.." && pwd)
clone=$(mktemp -d /tmp/crewgraph-loaded.XXXXXX)
git clone -q "$repo" "$clone"
cd "$clone"
npm ci --no-audit --no-fund --loglevel=error >/dev/null

burners=()
for _ in 1 2; do node -e 'for (;;) {}' & burners+=($!); done
trap 'kill "${burners[@]}" 2>/dev/null || true' EXIT

for run in $(seq 1 "$runs"); do
  started=$(date +%s)
  if npm test >"$clone/run-$run.log" 2>&1; then result=passed; else result=FAILED; fi
  summary=$(sed 's/\x1b\[[0-9;]*m//g' "$clone/run-$run.log" | grep -E '^ +Tests +[0-9]' | tail -n 1 | sed 's/^ *//')
  printf 'run %s: %s in %ss (%s; load average %s)\n' "$run" "$result" "$(( $(date +%s) - started ))" \
    "$summary" "$(cut -d' ' -f1-3 /proc/loadavg)"
  [ "$result" = passed ] || { echo "log: $clone/run-$run.log"; exit 1; }
done
rm -rf "$clone"
