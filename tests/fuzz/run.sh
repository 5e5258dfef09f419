#!/usr/bin/env bash
# Builds the libFuzzer target xmc_fuzz (tests/fuzz/fuzz_native.cc) with clang, ASan and
# UBSan in build-fuzz/ -- its sources are CMake's, the same as xmc's -- and runs it for
# SECONDS (default 60) on a corpus seeded from tests/golden and tests/bad. Not part of
# make test.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
out=build-fuzz
cmake -S . -B "$out" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXMC_FUZZ=ON >/dev/null
cmake --build "$out" --target xmc_fuzz -j "$(nproc)"
mkdir -p "$out/corpus"
cp tests/golden/*/*.cfg tests/bad/*.cfg "$out/corpus/" 2>/dev/null || true
[ -d ../shared/corpus ] && cp ../shared/corpus/libvirt/*/*.cfg "$out/corpus/" 2>/dev/null || true
ASAN_OPTIONS=detect_leaks=0 "$out/xmc_fuzz" -max_total_time="$seconds" -timeout=10 -max_len=4096 "$out/corpus"
