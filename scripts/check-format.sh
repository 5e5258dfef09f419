#!/usr/bin/env bash
# Every C++ file is as clang-format 14 writes it (.clang-format); `make format` fixes them.
set -uo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null; then
  echo "SKIP format: clang-format is not installed"
  exit 77
fi
mapfile -t files < <(git ls-files '*.cc' '*.h' 2>/dev/null || find compiler cli tests tools -name '*.cc' -o -name '*.h')
bad=0
for f in "${files[@]}"; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || { echo "FAIL: $f is not formatted (make format)"; bad=$((bad + 1)); }
done
echo "format: $(( ${#files[@]} - bad )) passed, $bad failed"
[ "$bad" -eq 0 ]
