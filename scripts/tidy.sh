#!/usr/bin/env bash
# clang-tidy with the project's .clang-tidy on every C++ source of xmc (not its tests),
# in parallel; any finding fails. Needs the build's compile_commands.json.
# Usage: scripts/tidy.sh [BUILD_DIR]
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
if ! command -v clang-tidy >/dev/null; then
  echo "SKIP tidy: clang-tidy is not installed"
  exit 77
fi
[ -f "$build/compile_commands.json" ] || { echo "tidy: no $build/compile_commands.json (make build)"; exit 2; }
mapfile -t files < <(git ls-files 'compiler/*.cc' 'cli/*.cc' 'runtime/*.cc' 'bindings/*.cc' | grep -v '_test\.cc$')
out=$(mktemp)
trap 'rm -f "$out"' EXIT
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet >"$out" 2>/dev/null
status=$?
grep -E '(warning|error):' "$out" | sort -u
found=$(grep -cE '(warning|error):' "$out")
echo "tidy: ${#files[@]} files, $found findings"
[ "$status" -eq 0 ] && [ "$found" -eq 0 ]
