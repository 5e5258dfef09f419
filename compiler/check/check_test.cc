#include "compiler/check/check.h"

#include <doctest/doctest.h>

#include "compiler/tree/cross_file.h"
#include "tests/unit_support.h"

namespace xmc {
namespace {

using testing::CompileText;

/// The diagnostics of `id` a config gets (a PV config with a kernel unless it says else).
std::vector<Diagnostic> Found(const std::string& text, DiagId id, int64_t host_cpus = 0) {
  std::string config = text.find("kernel") == std::string::npos && text.find("builder") == std::string::npos
                           ? "kernel = '/boot/k'\n" + text
                           : text;
  Compilation c = CompileText(config, {}, {"/boot/k", "/usr/lib/xen/boot/hvmloader"});
  if (host_cpus > 0) {
    Diagnostics again;
    Check("t.cfg", Schema::Builtin(), c.config, CheckOptions{host_cpus}, &again);
    c.diags = again;
  }
  std::vector<Diagnostic> out;
  for (const Diagnostic& d : c.diags.all()) {
    if (d.id == id) out.push_back(d);
  }
  return out;
}

}  // namespace

// One case per rule: it fires on the bad value, with its data path, and not on a good one.

TEST_CASE("check: integers outside their range") {
  auto d = Found("memory = 0\n", DiagId::kOutOfRange);
  REQUIRE(d.size() == 1);
  CHECK(d[0].path == "memory");
  CHECK(Found("memory = 512\n", DiagId::kOutOfRange).empty());
}

TEST_CASE("check: strings outside their set, with a suggestion") {
  auto d = Found("on_crash = 'restar'\n", DiagId::kNotInEnum);
  REQUIRE(d.size() == 1);
  CHECK(d[0].notes.at(0) == "did you mean 'restart'?");
  CHECK(Found("on_crash = 'restart'\n", DiagId::kNotInEnum).empty());
}

TEST_CASE("check: deprecated variables name their replacement") {
  auto d = Found("cpu = 1\n", DiagId::kDeprecated);
  REQUIRE(d.size() == 1);
  CHECK(d[0].message.find("use cpus") != std::string::npos);
}

TEST_CASE("check: variables of the other guest type, unless equal to xm's default") {
  CHECK(Found("acpi = 0\n", DiagId::kWrongScope).size() == 1);
  CHECK(Found("acpi = 1\n", DiagId::kWrongScope).empty());
  CHECK(Found("builder = 'hvm'\nkernel = '/usr/lib/xen/boot/hvmloader'\nroot = '/dev/xvda1'\n", DiagId::kWrongScope)
            .size() == 1);
}

TEST_CASE("check: boot letters of an HVM guest") {
  std::string hvm = "builder = 'hvm'\nkernel = '/usr/lib/xen/boot/hvmloader'\n";
  auto d = Found(hvm + "boot = 'cx'\n", DiagId::kBootOrder);
  REQUIRE(d.size() == 1);
  CHECK(d[0].message.find("'x'") != std::string::npos);
  CHECK(Found(hvm + "boot = 'dcn'\n", DiagId::kBootOrder).empty());
}

TEST_CASE("check: maxmem below memory, maxvcpus below vcpus, a cap beyond the vCPUs") {
  CHECK(Found("memory = 512\nmaxmem = 256\n", DiagId::kMaxmemBelowMemory).size() == 1);
  CHECK(Found("memory = 512\nmaxmem = 1024\n", DiagId::kMaxmemBelowMemory).empty());
  CHECK(Found("vcpus = 4\nmaxvcpus = 2\n", DiagId::kMaxvcpusBelowVcpus).size() == 1);
  CHECK(Found("vcpus = 2\nmaxvcpus = 4\n", DiagId::kMaxvcpusBelowVcpus).empty());
  auto cap = Found("vcpus = 2\ncpu_cap = 300\n", DiagId::kOutOfRange);
  REQUIRE(cap.size() == 1);
  CHECK(cap[0].path == "cpu_cap");
  CHECK(Found("vcpus = 4\ncpu_cap = 300\n", DiagId::kOutOfRange).empty());
}

TEST_CASE("check: cpus masks (count, empty, beyond the host)") {
  CHECK(Found("vcpus = 2\ncpus = ['0', '1', '2']\n", DiagId::kCpusMaskCount).size() == 1);
  CHECK(Found("vcpus = 2\ncpus = ['0', '1']\n", DiagId::kCpusMaskCount).empty());
  auto empty = Found("cpus = '1,^1'\n", DiagId::kCpusEmpty);
  REQUIRE(empty.size() == 1);
  CHECK(empty[0].path == "cpus");
  CHECK(Found("cpus = '0-7'\n", DiagId::kCpusBeyondHost, 4).size() == 1);
  CHECK(Found("cpus = '0-3'\n", DiagId::kCpusBeyondHost, 4).empty());
}

TEST_CASE("check: one device name, one MAC per domain") {
  auto vdev = Found("disk = ['phy:a,xvda,w', 'phy:b,xvda,w']\n", DiagId::kDiskVdevTwice);
  REQUIRE(vdev.size() == 1);
  CHECK(vdev[0].path == "disk[1]");
  CHECK(Found("disk = ['phy:a,xvda,w', 'phy:b,xvdb,w']\n", DiagId::kDiskVdevTwice).empty());
  auto mac = Found("vif = ['mac=00:16:3e:00:00:01', 'mac=00:16:3E:00:00:01']\n", DiagId::kMacUsedTwice);
  REQUIRE(mac.size() == 1);
  CHECK(mac[0].path == "vif[1].mac");
  CHECK(Found("vif = ['mac=00:16:3e:00:00:01', 'mac=00:16:3e:00:00:02']\n", DiagId::kMacUsedTwice).empty());
}

TEST_CASE("check: a PV guest needs a kernel or a bootloader") {
  CHECK(Found("builder = 'linux'\nname = 'x'\n", DiagId::kNoKernel).size() == 1);
  CHECK(Found("builder = 'linux'\nbootloader = '/usr/bin/pygrub'\n", DiagId::kNoKernel).empty());
}

TEST_CASE("tree: names, UUIDs, MACs and writable disks shared by two configs") {
  Compilation a = CompileText(
      "kernel = '/boot/k'\nname = 'web'\nuuid = '8f0e4c1a-1b2c-4d5e-8f90-123456789abc'\n"
      "vif = ['mac=00:16:3e:00:00:01']\ndisk = ['phy:/dev/vg/web,xvda,w']\n",
      {}, {"/boot/k"});
  Compilation b = CompileText(
      "kernel = '/boot/k'\nname = 'web'\nuuid = '8F0E4C1A1B2C4D5E8F90123456789ABC'\n"
      "vif = ['mac=00:16:3E:00:00:01']\ndisk = ['phy:vg/web,xvda,w']\n",
      {}, {"/boot/k"});
  Compilation c = CompileText("kernel = '/boot/k'\nname = 'db'\ndisk = ['phy:/dev/vg/web,xvda,r']\n", {}, {"/boot/k"});
  Diagnostics diags;
  CheckTree({{"a.cfg", &a.config}, {"b.cfg", &b.config}, {"c.cfg", &c.config}, {"broken.cfg", nullptr}}, &diags);
  std::vector<DiagId> ids;
  for (const Diagnostic& d : diags.all()) {
    CHECK(d.file == "b.cfg");  // reported at the later config
    ids.push_back(d.id);
  }
  CHECK(ids == std::vector<DiagId>{DiagId::kDuplicateName, DiagId::kDuplicateUuid, DiagId::kDuplicateMac,
                                   DiagId::kSharedDisk});
}

}  // namespace xmc
