#include "compiler/lower/lower.h"

#include <doctest/doctest.h>

#include "tests/unit_support.h"

namespace xmc {

using testing::CompileText;
using testing::HasDiag;

TEST_CASE("values xm drops are dropped, each with a warning naming the type") {
  Compilation c =
      CompileText("acpi = True\nvcpus = None\ndisk = ('phy:a,hda,w',)\nname = u'x'\nmaxmem = 1L\nbuilder = 'hvm'\n");
  CHECK(c.config.acpi.origin == Origin::kDefault);
  CHECK(c.config.vcpus.origin == Origin::kDefault);
  CHECK(c.config.disk.value->empty());
  CHECK(c.config.name.value == "t.cfg");  // dropped, so the file name is used
  CHECK_FALSE(c.config.maxmem.is_set());
  int drops = 0;
  for (const Diagnostic& d : c.diags.all()) drops += d.id == DiagId::kDroppedValue;
  CHECK(drops == 5);
}

TEST_CASE("command-line variables are converted and win over the file") {
  Compilation c =
      CompileText("memory = 64\ndisk = ['phy:a,hda,w']\n", {"memory=256", "disk=phy:b,hdb,r", "vncunused=no"});
  CHECK(c.config.memory.value == 256);
  CHECK(c.config.memory.origin == Origin::kCommandLine);
  REQUIRE(c.config.disk.value->size() == 1);
  CHECK((*c.config.disk.value)[0].uname == "phy:b");
  CHECK(c.config.vncunused.value == false);
  Compilation bad = CompileText("memory = 64\n", {"memory=lots"});
  CHECK(HasDiag(bad, DiagId::kInvalidCmdlineValue));
  CHECK(bad.xm_failed());
  Compilation bad_bool = CompileText("memory = 64\n", {"vncunused=1"});
  CHECK(bad_bool.xm_failed());
}

TEST_CASE("unknown variables get a warning with a suggestion") {
  Compilation c = CompileText("memroy = 512\nvcpu = 2\non_shutdown = 'destroy'\nmy_notes = 'x'\n");
  std::vector<std::string> messages;
  for (const Diagnostic& d : c.diags.all()) {
    if (d.id == DiagId::kUnknownVariable) messages.push_back(d.message);
  }
  REQUIRE(messages.size() == 4);
  CHECK(messages[0].find("did you mean 'memory'?") != std::string::npos);
  CHECK(messages[1].find("did you mean 'vcpus'?") != std::string::npos);
  CHECK(messages[2].find("did you mean 'on_poweroff'?") != std::string::npos);
  CHECK(messages[3].find("did you mean") == std::string::npos);
  CHECK_FALSE(c.xm_failed());
}

TEST_CASE("an unknown name is reported whatever the type of its value") {
  Compilation c = CompileText("bootloader = '/usr/bin/pygrub'\napic_enabled = True\nvcpu = (2,)\n");
  int unknown = 0;
  for (const Diagnostic& d : c.diags.all()) unknown += d.id == DiagId::kUnknownVariable;
  CHECK(unknown == 2);
}

TEST_CASE("a script that sets one of xm's own options is warned about") {
  Compilation c = CompileText("bootloader = '/usr/bin/pygrub'\nquiet = 1\nconsole_autoconnect = 1\n");
  int warnings = 0;
  for (const Diagnostic& d : c.diags.all()) warnings += d.id == DiagId::kOptionInScript;
  CHECK(warnings == 2);
  CHECK(c.config.console_autoconnect);  // xm then sends empty bootloader args
  CHECK_FALSE(HasDiag(c, DiagId::kUnknownVariable));
}

TEST_CASE("helper variables a Python config reads are not unknown variables") {
  Compilation c = CompileText("import os\nbase = '/srv/'\ndisk = ['file:' + base + 'a.img,xvda,w']\n");
  CHECK_FALSE(HasDiag(c, DiagId::kUnknownVariable));
}

TEST_CASE("script values are kept as xm held them, typed values are derived") {
  Compilation c = CompileText("memory = '512'\nmaxmem = 1024.7\nvcpus = 'lots'\n");
  CHECK(c.config.memory.xm->kind == XmValue::Kind::kString);
  CHECK(c.config.memory.value == 512);
  CHECK(c.config.maxmem.value == 1024);
  CHECK_FALSE(c.config.vcpus.value.has_value());
  CHECK(HasDiag(c, DiagId::kLooseType));
  CHECK(HasDiag(c, DiagId::kWrongType));
  CHECK_FALSE(c.xm_failed());  // xm accepted all three
}

TEST_CASE("disk specs are split like xm and checked like xend") {
  Compilation c = CompileText(
      "disk = ['phy:hda1, hda1, w', 'phy:sdb,xvdb,x', ',hdc:cdrom,r', 'file:/a,raw,w', "
      "'tap:aio:/b,xvdc,w!,1,x86_32-abi']\n");
  const auto& disks = *c.config.disk.value;
  REQUIRE(disks.size() == 5);
  CHECK(disks[0].dev == " hda1");  // untrimmed, as xm sent it
  CHECK(disks[2].cdrom);
  CHECK(disks[2].device_number == 5632);
  CHECK(disks[4].device_class == "tap");
  CHECK(disks[4].backend == "1");
  CHECK(disks[4].protocol == "x86_32-abi");
  CHECK(HasDiag(c, DiagId::kDiskBlank));
  CHECK(HasDiag(c, DiagId::kDiskMode));
  CHECK(HasDiag(c, DiagId::kDiskVdev));
  CHECK_FALSE(c.xm_failed());
  Compilation fields = CompileText("disk = ['phy:sda1,xvda']\n");
  CHECK(HasDiag(fields, DiagId::kDiskFields));
  CHECK(fields.xm_failed());
}

TEST_CASE("a tap disk's image and a phy disk's host path are derived like xm's drivers") {
  Compilation c = CompileText(
      "disk = ['tap:qcow2:/a.img,xvda,w', 'tap:tapdisk:vhd:/b.vhd,xvdb,w', 'tap2:/c.img,xvdc,w', "
      "'phy:vg/d,xvdd,w']\n");
  const auto& disks = *c.config.disk.value;
  REQUIRE(disks.size() == 4);
  CHECK(disks[0].tap_image().driver == "qcow2");
  CHECK(disks[0].tap_image().path == "/a.img");
  CHECK(disks[1].tap_image().driver == "vhd");
  CHECK(disks[1].tap_image().path == "/b.vhd");
  CHECK(disks[2].tap_image().driver == "aio");
  CHECK(disks[2].tap_image().path == "/c.img");
  CHECK(PhyPath(disks[3].params) == "/dev/vg/d");
  CHECK(PhyPath("/dev/sda") == "/dev/sda");
  CHECK(PhyPath("").empty());
}

TEST_CASE("a string where a list belongs is read one character at a time, like xm") {
  Compilation c = CompileText("bootloader = '/usr/bin/pygrub'\ndisk = 'phy:sda1,xvda,w'\n");
  CHECK(HasDiag(c, DiagId::kStringNotListFatal));
  CHECK(c.diags.all().size() == 1);  // one report, not one per character
  CHECK(c.xm_failed());              // xm: Invalid disk specifier: p
  Compilation io = CompileText("ioports = '2f8'\n");
  CHECK(HasDiag(io, DiagId::kStringNotList));
  CHECK_FALSE(io.xm_failed());  // xm took '2', 'f', '8' as three ports
  REQUIRE(io.config.ioports.value->size() == 3);
}

TEST_CASE("vif keys are checked and MACs validated") {
  Compilation c = CompileText("vif = ['mac=00:16:3e:00:00:1, bridge=xenbr0', 'bridge=a,mac=01:00:5e:00:00:01']\n");
  CHECK(HasDiag(c, DiagId::kMacSyntax));
  CHECK(HasDiag(c, DiagId::kMulticastMac));
  CHECK_FALSE(c.xm_failed());
  Compilation bad = CompileText("vif = ['brige=xenbr0']\n");
  CHECK(HasDiag(bad, DiagId::kVifOption));
  CHECK(bad.xm_failed());
  Compilation pair = CompileText("vif = ['bridge']\n");
  CHECK(HasDiag(pair, DiagId::kKvPair));
}

TEST_CASE("kernel files must exist unless a bootloader is used") {
  Compilation missing = CompileText("kernel = '/boot/nope'\n");
  CHECK(HasDiag(missing, DiagId::kKernelMissing));
  CHECK(missing.xm_failed());
  Compilation relative = CompileText("kernel = 'k.gz'\n", {}, {"/etc/xen/k.gz"});
  CHECK(relative.config.kernel.xm->s == "/etc/xen/k.gz");
  // A relative path with a directory part is checked but kept as written (the real xm 4.4).
  Compilation with_dir = CompileText("kernel = '../boot/k'\n", {}, {"/etc/boot/k"});
  CHECK_FALSE(HasDiag(with_dir, DiagId::kKernelMissing));
  CHECK(with_dir.config.kernel.xm->s == "../boot/k");
  Compilation boot = CompileText("kernel = '/boot/in-guest'\nbootloader = '/usr/bin/pygrub'\n");
  CHECK_FALSE(boot.xm_failed());
  Compilation pygrub = CompileText("bootloader = 'pygrub'\n", {}, {"/usr/lib/xen/bin/pygrub"});
  CHECK(pygrub.config.bootloader.xm->s == "/usr/lib/xen/bin/pygrub");
}

TEST_CASE("schema checks report ranges, enums, scope and relations") {
  Compilation c = CompileText(
      "memory = 512\nmaxmem = 256\non_crash = 'reboot'\ncpu_weight = 0\nacpi = 0\nvcpus = 2\n"
      "cpus = ['0', '1', '2']\nrestart = 'always'\n");
  CHECK(HasDiag(c, DiagId::kMaxmemBelowMemory));
  CHECK(HasDiag(c, DiagId::kCpusMaskCount));
  CHECK(HasDiag(c, DiagId::kNotInEnum));
  CHECK(HasDiag(c, DiagId::kOutOfRange));
  CHECK(HasDiag(c, DiagId::kWrongScope));  // acpi in a PV guest
  CHECK(HasDiag(c, DiagId::kDeprecated));
  CHECK_FALSE(c.xm_failed());
}

TEST_CASE("cpuid_check is only converted when cpuid is set, as in xm") {
  Compilation only_check = CompileText("builder = 'hvm'\ncpuid_check = ['1:eax=0x1']\n");
  CHECK_FALSE(only_check.config.cpuid_check.value->converted);
  Compilation both = CompileText("builder = 'hvm'\ncpuid = ['1:eax=0x3']\ncpuid_check = ['1:eax=0x1']\n");
  CHECK(both.config.cpuid_check.value->converted);
  Compilation bits = CompileText("builder = 'hvm'\ncpuid = ['1:eax=101']\n");
  CHECK(HasDiag(bits, DiagId::kCpuidBits));
  CHECK(bits.xm_failed());
}

}  // namespace xmc
