#!/usr/bin/env bash
# make package-test: builds the Debian packages (xmc, python3-xmc) from a copy of the work
# tree, runs lintian on them (no error allowed), installs them into a fresh Debian 12 root
# (debootstrap --variant=minbase from the machine's configured Debian archive) and runs
# there `xmc check` on a tree, `xmc create -n` on a config with code and a Python snippet
# that imports xmc. Prints "package-test: N/N"; needs root (chroot) and the archive.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/build/package}
version=$(sed -n '1s/^xmc (\([^)]*\)).*/\1/p' "$src/debian/changelog")
passed=0
total=0
check() {  # check DESCRIPTION COMMAND...: one counted step
  local what=$1
  shift
  total=$((total + 1))
  if "$@"; then
    passed=$((passed + 1))
    echo "ok: $what"
  else
    echo "FAIL: $what"
  fi
}

if [ "$(id -u)" -ne 0 ]; then
  echo "package-test: skipped: needs root (debootstrap and chroot)"
  exit 77
fi

# --- 1. the packages, built from a copy of the tree (dpkg-buildpackage writes to ..) ----
# PACKAGE_TEST_REUSE=1 takes the packages of the last run (trying the test itself).
if [ "${PACKAGE_TEST_REUSE:-}" != 1 ] || ! ls "$out"/xmc_"$version"_*.deb >/dev/null 2>&1; then
  rm -rf "$out"
  mkdir -p "$out/xmc-$version"
  (cd "$src" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$out/xmc-$version")
  start=$SECONDS
  (cd "$out/xmc-$version" && dpkg-buildpackage -b -us -uc >"$out/build.log" 2>&1) ||
    { tail -n 40 "$out/build.log"; echo "package-test: dpkg-buildpackage failed"; exit 1; }
  echo "dpkg-buildpackage: $((SECONDS - start)) s"
fi
debs=("$out"/xmc_"$version"_*.deb "$out"/python3-xmc_"$version"_*.deb)
check "dpkg-buildpackage built xmc and python3-xmc" test -f "${debs[0]}" -a -f "${debs[1]}"
# The build with dpkg-buildflags (hardening=+all) is as warning-free as the others
# (XMC_WERROR=ON makes a compiler warning fail it already; this also sees the linker's
# and CMake's, and a build without XMC_WERROR).
no_warnings() {
  local found
  found=$(grep -E '(: warning: |^CMake Warning)' "$out/build.log" | grep -vE '^(dpkg|dh)[-_a-z]*: ' || true)
  [ -z "$found" ] || { echo "$found" | head -n 20; return 1; }
}
check "the package build prints no compiler, linker or CMake warning" no_warnings
for deb in "${debs[@]}"; do dpkg-deb -c "$deb" | awk '{print $6}'; done >"$out/contents.txt"
for f in ./usr/bin/xmc ./usr/libexec/xmc/xmc-eval ./usr/share/man/man1/xmc.1.gz ./usr/share/man/man5/xmc-config.5.gz \
         ./usr/share/bash-completion/completions/xmc ./usr/share/xmc/.pre-commit-hooks.yaml \
         ./usr/lib/python3/dist-packages/xmc/__init__.py ./usr/lib/python3/dist-packages/xmc/_xmc.pyi \
         ./lib/systemd/system/xmc-xendomains.service; do
  check "the packages hold $f" grep -qxF "$f" "$out/contents.txt"
done
check "the packages hold the compiled module" grep -q '^./usr/lib/python3/dist-packages/xmc/_xmc\..*\.so$' "$out/contents.txt"
lintian --fail-on error --tag-display-limit 0 "$out"/xmc_"$version"_*.changes >"$out/lintian.txt" 2>&1 && lintian_rc=0 || lintian_rc=$?
cat "$out/lintian.txt"
check "lintian reports no error" test "$lintian_rc" -eq 0

# --- 2. a fresh Debian 12 root from the machine's own archive --------------------------
mirror=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n 1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
[ -n "$mirror" ] || { echo "package-test: no Debian archive configured in /etc/apt"; exit 1; }
root="$out/root"
if mountpoint -q "$root/proc"; then umount "$root/proc"; fi
rm -rf "$root"
start=$SECONDS
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$out/debootstrap.log" 2>&1 ||
  { tail -n 20 "$out/debootstrap.log"; echo "package-test: debootstrap failed"; exit 1; }
echo "debootstrap: $((SECONDS - start)) s"
mount -t proc proc "$root/proc"
trap 'umount "$root/proc" 2>/dev/null || true' EXIT
cp "${debs[@]}" "$root/tmp/"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 "$@"; }
in_root apt-get install -y -q --no-install-recommends "/tmp/$(basename "${debs[0]}")" "/tmp/$(basename "${debs[1]}")" \
  >"$out/install.log" 2>&1 || { tail -n 20 "$out/install.log"; }
check "apt-get installs both packages into the new root" in_root dpkg -s xmc python3-xmc >/dev/null
# Built against Xen's headers (libxen-dev, a build dependency): it can start domains.
built_with_xen() { ! grep -q "built without Xen's libxl headers" "$root/usr/bin/xmc"; }
check "the installed xmc can start domains (built against libxen-dev)" built_with_xen

# --- 3. xmc there ------------------------------------------------------------------------
mkdir -p "$root/srv/xen/auto"
touch "$root/boot/vmlinuz"  # create -n looks for the kernel, as xm did
cat >"$root/srv/xen/web1.cfg" <<'CFG'
import os
vmid = int(os.environ.get('VMID', '1'))
name = 'web%d' % vmid
memory = 512
kernel = '/boot/vmlinuz'
vif = ['mac=00:16:3e:00:00:01,bridge=xenbr0']
if memory > 256:
    vcpus = 2
CFG
cat >"$root/srv/xen/web2.cfg" <<'CFG'
name = 'web1'
memroy = 256
kernel = '/boot/vmlinuz'
vif = ['mac=00:16:3e:00:00:01,bridge=xenbr0']
CFG
in_root xmc check --host=no /srv/xen >"$out/check.out" 2>&1 && check_rc=0 || check_rc=$?
cat "$out/check.out"
check "xmc check finds the misspelt variable" grep -q "unknown variable 'memroy'.*\[unknown-variable\]" "$out/check.out"
check "xmc check finds the duplicate name and MAC across files" \
  grep -q "duplicate-name" "$out/check.out"
check "xmc check exits 1 on errors" test "$check_rc" -eq 1
in_root sh -c 'cd /srv/xen && xmc create -n web1.cfg' >"$out/create.out" 2>&1 || true
head -n 12 "$out/create.out"
check "xmc create -n evaluates the config's code (name web1, 2 vCPUs)" \
  sh -c "grep -q '(name web1)' '$out/create.out' && grep -q '(vcpus 2)' '$out/create.out'"
cat >"$root/tmp/snippet.py" <<'PY'
import xmc
r = xmc.compile('/srv/xen/web1.cfg', host='no')
assert r.ok, r.render()
assert r.model['config']['name'] == 'web1', r.model
assert 'vcpus = 2' in r.emit('xl')
found = xmc.check(['/srv/xen'], host='no')
assert {'unknown-variable', 'duplicate-name'} <= {d.id for d in found}, found
print('python3: xmc %s compiled %s and checked %d findings' % (xmc.__version__, r.file, len(found)))
PY
in_root python3 /tmp/snippet.py >"$out/python.out" 2>&1 && py_rc=0 || py_rc=$?
cat "$out/python.out"
check "python3 -c 'import xmc' compiles and checks in the new root" test "$py_rc" -eq 0
check "man pages and completion are in place" \
  test -f "$root/usr/share/man/man1/xmc.1.gz" -a -f "$root/usr/share/bash-completion/completions/xmc"

echo "package-test: $passed/$total"
[ "$passed" -eq "$total" ]
