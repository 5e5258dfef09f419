#!/usr/bin/env bash
# make e2e: xmc starts domains on the real Xen 4.17, booted with a Linux dom0 under QEMU by
# ../shared/tools/xen-qemu/run.sh. xmc, its worker and a XenStore reader built on this host
# go into dom0 with Python's standard library (the worker embeds Python); hook.sh runs the
# checks there. Prints each check and "e2e: PASSED/TOTAL"; exit 0 only if all passed.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
xq=$src/../shared/tools/xen-qemu/run.sh
if [ ! -x "$xq" ]; then
  echo "e2e: skipped: $xq is missing (../shared beside the source tree)"
  exit 77
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "e2e: skipped: needs root (the harness installs QEMU and builds a dom0 image)"
  exit 77
fi
export WORK=${XMC_E2E_WORK:-$build/e2e}/xen-qemu
mkdir -p "$WORK"
payload=$WORK/../payload
start=$SECONDS

# 1. Xen, the kernel and the harness's guest initrd (the e2e guest is made from it).
"$xq" build >"$WORK.build1.log" 2>&1 || { mkdir -p "$WORK"; tail -n 30 "$WORK.build1.log"; echo "e2e: the Xen image cannot be built"; exit 1; }

# 2. The payload: configs, the e2e guest, Python's standard library for the worker.
rm -rf "$payload" "$WORK/../guest"
mkdir -p "$payload/e2e" "$payload/usr/lib" "$WORK/../guest"
cp "$src/examples/pv/pv.cfg" "$payload/e2e/"
cp -r "$src"/tests/e2e/configs/. "$payload/e2e/"
(cd "$WORK/../guest" && zcat "$WORK/guest-initrd.gz" | cpio -id --quiet)
install -m 755 "$src/tests/e2e/guest-init.sh" "$WORK/../guest/init"
(cd "$WORK/../guest" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -6 >"$payload/e2e/guest.gz"
py=$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
rsync -a --exclude test --exclude tests --exclude idlelib --exclude tkinter --exclude turtledemo \
  --exclude ensurepip --exclude lib2to3 --exclude distutils --exclude pydoc_data --exclude site-packages \
  --exclude dist-packages --exclude 'config-*' "$py" "$payload/usr/lib/"

# 3. dom0 with xmc in it (stripped: dom0's root is a RAM disk), booted; the hook runs the checks.
bin=$WORK/../bin
rm -rf "$bin" && mkdir -p "$bin"
for b in xmc xmc-eval xmc-e2e-xs; do strip -o "$bin/$b" "$build/$b"; done
EXTRA_BINS="$bin/xmc $bin/xmc-eval $bin/xmc-e2e-xs" EXTRA_DIR=$payload TEST_HOOK=$src/tests/e2e/hook.sh \
  INSTALL_HOST_TOOLS=0 "$xq" build >"$WORK.build2.log" 2>&1 ||
  { tail -n 30 "$WORK.build2.log"; echo "e2e: the dom0 image with xmc cannot be built"; exit 1; }
GUEST=0 INSTALL_HOST_TOOLS=0 TIMEOUT=${XMC_E2E_TIMEOUT:-420} "$xq" boot >"$WORK.boot.log" 2>&1 || true
log=$WORK/serial.log
grep -a -E 'E2E-(OK|FAIL|INFO)|XENTEST-(DOM0|HOOK-END|DONE)' "$log" | tr -d '\r' || true
passed=$(grep -a -c 'E2E-OK' "$log" || true)
failed=$(grep -a -c 'E2E-FAIL' "$log" || true)
result=$(grep -a -o 'E2E-RESULT [0-9]*/[0-9]*' "$log" | tail -n 1 || true)
echo "e2e: $passed/$((passed + failed)) (in $((SECONDS - start)) s; serial log: $log)"
[ -n "$result" ] || { echo "e2e: the hook did not finish (see the serial log)"; exit 1; }
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
