#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/targets.h) with clang, ASan and UBSan in
# build-fuzz/ -- their sources are CMake's, the same as xmc's -- and runs each for SECONDS
# (default 60): usage run.sh [SECONDS] [TARGET...]; targets: parser pipeline decoder
# speccpumask specpci speccpuid specvdev specioport. Corpora grow in build-fuzz/corpus/T;
# a finding lands in build-fuzz/findings/T: keep it as tests/fuzz/regressions/T/NAME (the
# unit tests run every kept one). `make fuzz` runs this; it is not part of make test.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(parser pipeline decoder speccpumask specpci speccpuid specvdev specioport)
out=build-fuzz
cmake -S . -B "$out" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXMC_FUZZ=ON >/dev/null
cmake --build "$out" -j "$(nproc)" --target $(printf 'xmc_fuzz_%s ' "${targets[@]}")
status=0
for t in "${targets[@]}"; do
  mkdir -p "$out/corpus/$t" "$out/findings/$t"
  case $t in
    parser|pipeline)
      cp tests/golden/*/*.cfg tests/bad/*.cfg tests/hostile/*.cfg "$out/corpus/$t/" 2>/dev/null || true
      [ -d ../shared/corpus ] && find ../shared/corpus -name '*.cfg' -exec cp {} "$out/corpus/$t/" \; 2>/dev/null || true ;;
    *) cp tests/fuzz/seeds/"$t"/* "$out/corpus/$t/" 2>/dev/null || true ;;
  esac
  echo "== fuzzing $t for $seconds s"
  ASAN_OPTIONS=detect_leaks=0 "$out/xmc_fuzz_$t" -max_total_time="$seconds" -timeout=10 -max_len=8192 \
    -artifact_prefix="$out/findings/$t/" -print_final_stats=1 "$out/corpus/$t" 2>"$out/findings/$t.log" || status=1
  tail -n 12 "$out/findings/$t.log" | grep -E 'stat::number_of_executed_units|stat::new_units_added|ERROR|SUMMARY' || true
done
exit $status
