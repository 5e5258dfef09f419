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
# Every test's output is in ctest's log; fewer means something replaced the log while
# ctest wrote it (a test that ran ctest in this tree did once), and the lines above lie.
ran=$(sed -n 's/.* tests failed out of \([0-9][0-9]*\)$/\1/p' ctest.out | tail -n 1)
logged=$(grep -c '^<end of output>$' Testing/Temporary/LastTest.log || true)
if [ -n "$ran" ] && [ "$ran" != "$logged" ]; then
  echo "run-tests: ctest's log holds the output of $logged of the $ran tests: a test replaced it"
  rc=1
fi
echo
tail -n 3 ctest.out
exit "$rc"
