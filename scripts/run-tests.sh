#!/usr/bin/env bash
# Runs ctest in the build directory, then prints every test's summary line (create -n:
# 77/77 identical to xm, xenstore: ..., libvirt: ...) and ends with ctest's own closing
# lines, which CI reads. The exit status is ctest's.
set -uo pipefail
build=${1:-build}
jobs=${2:-2}
cd "$build" || exit 2
ctest --output-on-failure -j "$jobs" | tee ctest.out
rc=${PIPESTATUS[0]}
echo
echo "== What the tests showed"
# A summary line is "WHAT: N/M ..." or "WHAT: N passed, M failed" (WHAT lower-case words).
grep -hE '^([a-z][a-z0-9 .+-]*: (-[a-z] )?[0-9]+(/[0-9]+)?[ ,]|SKIP)' Testing/Temporary/LastTest.log || true
echo
tail -n 3 ctest.out
exit "$rc"
