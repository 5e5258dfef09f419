#!/usr/bin/env bash
# Times xmc against the real xl 4.17 (../shared/tools/xl-dryrun) and Python on the same
# files, side by side, and prints the ratios (bench/README.md). Not a test: nothing is
# asserted. `make bench` runs it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
/usr/bin/python3 "$here/speed.py" "$@"
/usr/bin/python3 "$here/bench.py"
/usr/bin/python3 "$here/hostile_times.py"
