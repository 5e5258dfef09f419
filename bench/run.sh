#!/usr/bin/env bash
# Times xmc against the real xl 4.17 (../shared/tools/xl-dryrun) on the same declarative
# configs and prints the ratios. Not a test: nothing is asserted. `make bench` runs it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec /usr/bin/python3 "$here/bench.py" "$@"
