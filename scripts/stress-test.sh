#!/usr/bin/env bash
# The stability check (issue 19): the whole ctest suite RUNS times in a row while
# stress-ng keeps every core busy, then the tests that once looked at the whole machine or
# at the clock, REPEAT times each until one fails. One line per run, then a closing line.
# Usage: scripts/stress-test.sh [BUILD]   (STRESS_RUNS=10 STRESS_REPEAT=50 by default)
set -uo pipefail
build=${1:-build}
runs=${STRESS_RUNS:-10}
repeat=${STRESS_REPEAT:-50}
jobs=$(nproc 2>/dev/null || echo 2)
command -v stress-ng >/dev/null || { echo "stress-test: needs stress-ng (Debian package stress-ng)"; exit 2; }
cd "$build" || exit 2
logs=$(mktemp -d "${TMPDIR:-/tmp}/xmc-stress.XXXXXX")
stress-ng --cpu "$jobs" --timeout 0 --quiet &
load=$!
trap 'kill $load 2>/dev/null; wait $load 2>/dev/null' EXIT
passed=0
failed=0
for i in $(seq 1 "$runs"); do
  start=$SECONDS
  if ctest -j "$jobs" --output-on-failure >"$logs/run-$i.log" 2>&1; then
    passed=$((passed + 1))
    verdict=green
  else
    failed=$((failed + 1))
    verdict="FAILED: $(grep -E '^[[:space:]]+[0-9]+ - ' "$logs/run-$i.log" | tr -s ' ' | paste -sd, -)"
  fi
  echo "stress: ctest run $i of $runs under stress-ng --cpu $jobs: $(grep -E 'tests passed' "$logs/run-$i.log") ($((SECONDS - start)) s) $verdict"
done
kill $load 2>/dev/null
wait $load 2>/dev/null
start=$SECONDS
if ctest -j "$jobs" --output-on-failure --repeat "until-fail:$repeat" -R '^(lsp|hostile|cli_hardening)$' \
  >"$logs/repeat.log" 2>&1; then
  passed=$((passed + 1))
  verdict=green
else
  failed=$((failed + 1))
  verdict=FAILED
fi
echo "stress: ctest --repeat until-fail:$repeat -R '^(lsp|hostile|cli_hardening)\$': $(grep -E 'tests passed' "$logs/repeat.log") ($((SECONDS - start)) s) $verdict"
echo "stress: logs in $logs"
echo "stress: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
