#!/usr/bin/env bash
# Shows that a change kept xmc's behaviour: builds the xmc of BASE (a git revision) in a
# scratch directory, generates COUNT random configs, and runs tests/compare_binaries.py on
# the corpus, every config in tests/ and the generated ones with both binaries.
# Usage: scripts/compare-behaviour.sh BASE [COUNT] (the new binary is $XMC_NEW, default build/xmc:
# give a copy when you go on building while it runs).
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: compare-behaviour.sh BASE [COUNT]}
count=${2:-2000}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/src" "$base" >/dev/null
cmake -S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$work/build" --target xmc -j "$(nproc)" >/dev/null
new=${XMC_NEW:-build/xmc}
python3 tests/gen_configs.py "$new" 7 "$count" "$work/gen"
dirs=(tests examples "$work/gen")
[ -d ../shared/corpus ] && dirs+=(../shared/corpus/xen-examples ../shared/corpus/libvirt ../shared/corpus/seed)
python3 tests/compare_binaries.py "$work/build/xmc" "$new" "${dirs[@]}"
