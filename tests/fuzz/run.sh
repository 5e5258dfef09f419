#!/usr/bin/env bash
# Builds tests/fuzz/fuzz_native.cc with clang's libFuzzer and AddressSanitizer/UBSan and
# runs it for SECONDS (default 60) on a corpus seeded from tests/golden and tests/bad.
# Needs a configured build/ (for the generated schema table). Not part of make test.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
out=build/fuzz
mkdir -p "$out/corpus"
srcs=(compiler/base/source.cc compiler/base/diagnostics.cc compiler/base/value.cc compiler/base/py2.cc
      compiler/frontend/native.cc compiler/ir/domain_config.cc compiler/schema/schema.cc
      compiler/schema/schema_yaml.cc compiler/lower/specs.cc compiler/lower/lower.cc
      compiler/check/check.cc compiler/emit/sxp.cc compiler/emit/json.cc compiler/emit/xm_xml.cc
      compiler/emit/xend.cc compiler/emit/xenstore.cc compiler/emit/xl.cc compiler/emit/libvirt.cc
      compiler/host.cc build/generated/schema_table.cc build/generated/schema_yaml.cc)
clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I. \
  tests/fuzz/fuzz_native.cc "${srcs[@]}" -lfmt -lyaml-cpp -o "$out/fuzz_native"
cp tests/golden/*/*.cfg tests/bad/*.cfg "$out/corpus/" 2>/dev/null || true
[ -d ../shared/corpus ] && cp ../shared/corpus/libvirt/*/*.cfg "$out/corpus/" 2>/dev/null || true
"$out/fuzz_native" -max_total_time="$seconds" -timeout=10 -max_len=4096 "$out/corpus"
