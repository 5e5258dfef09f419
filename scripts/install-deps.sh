#!/usr/bin/env bash
# Installs the Debian 12 packages xmc needs to build and test, only those that are missing.
# Used by `make demo` and `make test`; safe to run again.
set -euo pipefail
pkgs=(build-essential cmake pkg-config python3 python3-dev pybind11-dev tao-pegtl-dev
      libyaml-cpp-dev doctest-dev libfmt-dev libcli11-dev nlohmann-json3-dev libxml2-dev libseccomp-dev
      # the real xl 4.17, the oracle of the xl back ends (../shared/tools/xl-dryrun)
      xen-utils-4.17 libxen-dev
      # libvirt's RelaxNG schemas and libxml2's validator, for the libvirt back end
      libvirt0 libxml2-utils
      # the sanitizer build of `make sanitize-test` (clang compiles it in two thirds of
      # gcc's time) and the libFuzzer targets of `make fuzz`
      clang
      # make tidy (.clang-tidy's checks, a stage of .ci/run) and the format check
      clang-tidy clang-format
      # a real editor for the language server's test (headless)
      neovim
      # make stress-test: the test suite on a machine whose every core is busy
      stress-ng
      # xmc check: SARIF validation, the pre-commit framework, man page rendering
      python3-jsonschema pre-commit man-db
      # the Python module: its stub checked by mypy --strict and stubtest
      mypy
      # the Debian packages (dpkg-buildpackage, lintian) and their test root (make package-test)
      debhelper dh-python lintian debootstrap fakeroot
      # make e2e: Xen 4.17 with a Linux dom0 under QEMU (../shared/tools/xen-qemu)
      qemu-system-x86 busybox-static cpio kmod rsync time)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
