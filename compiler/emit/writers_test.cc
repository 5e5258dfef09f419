// Each writer of the back-end table on small configs compiled on a FakeHost: what it
// writes for the case and what it reports (the golden files pin whole outputs).
#include <doctest/doctest.h>

#include <sstream>

#include "compiler/emit/backend.h"
#include "tests/fake_host.h"
#include "tests/unit_support.h"

namespace xmc {
namespace {

struct Emitted {
  std::string text;
  Diagnostics diags;
};

Emitted Emit(const std::string& backend, const std::string& config) {
  Compilation c = testing::CompileText(config, {}, {"/boot/k", "/usr/lib/xen/boot/hvmloader"});
  REQUIRE_MESSAGE(c.diags.ErrorCount() == 0, config);
  const Backend* b = FindBackend(backend);
  REQUIRE(b != nullptr);
  EmitOptions options;
  options.file = "t.cfg";
  options.domid = 5;
  options.uuid = "00000000-0000-4000-8000-000000000001";
  Emitted e;
  std::ostringstream out;
  b->emit(c.config, options, out, &e.diags);
  e.text = out.str();
  return e;
}

bool Has(const Emitted& e, DiagId id, const std::string& path) {
  for (const Diagnostic& d : e.diags.all()) {
    if (d.id == id && d.path == path && d.file == "t.cfg") return true;
  }
  return false;
}

const char kPv[] = "kernel = '/boot/k'\nname = 'web'\nmemory = 256\nvif = ['mac=00:16:3e:00:00:01']\n";
const char kHvm[] = "builder = 'hvm'\nkernel = '/usr/lib/xen/boot/hvmloader'\nname = 'win'\nvnc = 1\n";

}  // namespace

TEST_CASE("writers: every back end writes both guest types without complaint") {
  for (const Backend& b : Backends()) {
    for (const char* config : {kPv, kHvm}) {
      CAPTURE(b.name);
      Emitted e = Emit(std::string(b.name), config);
      CHECK(!e.text.empty());
      CHECK(e.diags.ErrorCount() == 0);
    }
  }
}

TEST_CASE("writers: sxp and xml carry the name and memory as xm did") {
  CHECK(Emit("sxp", kPv).text.find("(memory 256)") != std::string::npos);
  CHECK(Emit("xml", kPv).text.find("static_max=\"268435456\"") != std::string::npos);
  CHECK(Emit("sxp", kHvm).text.find("(vnc 1)") != std::string::npos);
}

TEST_CASE("writers: xml reports what xm's Xen-API conversion refused, and writes nothing") {
  Emitted e = Emit("xml", std::string(kPv) + "on_poweroff = 'preserve'\n");
  CHECK(e.text.empty());
  REQUIRE(e.diags.ErrorCount() == 1);
  CHECK(e.diags.all()[0].id == DiagId::kXenApiAction);
  CHECK(e.diags.all()[0].span.line == 5);
}

TEST_CASE("writers: xenstore writes under the domain's id and UUID") {
  Emitted e = Emit("xenstore", kPv);
  CHECK(e.text.find("/vm/00000000-0000-4000-8000-000000000001/") != std::string::npos);
  CHECK(e.text.find("/local/domain/5/") != std::string::npos);
}

TEST_CASE("writers: xl writes xm's meaning and notes what it leaves out, at the variable") {
  Emitted e = Emit("xl", std::string(kPv) + "description = 'the web server'\n");
  CHECK(e.text.find("memory = 256\n") != std::string::npos);
  CHECK(e.text.find("#   description: has no xl equivalent and is left out\n") != std::string::npos);
  CHECK(Has(e, DiagId::kXlDropped, "description"));
  Emitted disk = Emit("xl", std::string(kPv) + "disk = ['phy:/dev/vg/a,xvda,w!']\n");
  CHECK(Has(disk, DiagId::kXlSharedDisk, "disk[0]"));
  CHECK(disk.text.find("#   disk: disk[0]: xl has no shared-writable mode") != std::string::npos);
}

TEST_CASE("writers: libxl JSON follows the xl translation") {
  Emitted e = Emit("libxl-json", kPv);
  CHECK(e.text.find("\"target_memkb\": 262144") != std::string::npos);
  CHECK(e.diags.empty());  // the notes belong to the xl.cfg
}

TEST_CASE("writers: libvirt names a bridge for a vif without one, and says so") {
  Emitted e = Emit("libvirt", kPv);
  CHECK(e.text.find("<source bridge='xenbr0'/>") != std::string::npos);
  CHECK(Has(e, DiagId::kLibvirtDefaultBridge, "vif"));
}

TEST_CASE("writers: json is the typed model") {
  Emitted e = Emit("json", kPv);
  CHECK(e.text.find("\"format\": \"xmc-model/1\"") != std::string::npos);
  CHECK(e.text.find("\"memory\": 256") != std::string::npos);
}

}  // namespace xmc
