#include "compiler/check/xendomains.h"

#include <doctest/doctest.h>

#include "tests/fake_host.h"

namespace xmc {
namespace {

std::vector<DiagId> Ids(const std::string& text, const Host* host = nullptr, XendomainsSettings* out = nullptr) {
  Diagnostics diags;
  XendomainsSettings s = CheckXendomains(SourceFile("xendomains", text), host, &diags);
  if (out) *out = s;
  std::vector<DiagId> ids;
  for (const Diagnostic& d : diags.all()) ids.push_back(d.id);
  return ids;
}

}  // namespace

TEST_CASE("xendomains: a file is recognised by its name or its settings") {
  CHECK(LooksLikeXendomains("/etc/sysconfig/xendomains", ""));
  CHECK(LooksLikeXendomains("/etc/default/x", "XENDOMAINS_SAVE=/var/lib/xen/save\n"));
  CHECK_FALSE(LooksLikeXendomains("/etc/xen/web.cfg", "memory = 512\n"));
}

TEST_CASE("xendomains: each setting is checked against its type") {
  CHECK(Ids("XENDOMAINS_SAVE=/var/lib/xen/save\nXENDOMAINS_RESTORE=true\nXENDOMAINS_STOP_MAXWAIT=300\n"
            "XENDOMAINS_SHUTDOWN=\"--halt --wait\"\nXENDOMAINS_SYSRQ=\"s e\"\n# XENDOMAINS_X=1\n")
            .empty());
  CHECK(Ids("XENDOMAINS_STOP_MAXWAIT=soon\n") == std::vector<DiagId>{DiagId::kXendomainsType});
  CHECK(Ids("XENDOMAINS_RESTORE=yes\n") == std::vector<DiagId>{DiagId::kXendomainsType});
  CHECK(Ids("XENDOMAINS_SAVE=relative/dir\n") == std::vector<DiagId>{DiagId::kXendomainsType});
  CHECK(Ids("XENDOMAINS_SHUTDOWN=\"--halt --later\"\n") == std::vector<DiagId>{DiagId::kXendomainsFlags});
  CHECK(Ids("XENDOMAINS_SYSRQ=\"s ee\"\n") == std::vector<DiagId>{DiagId::kXendomainsSysrq});
  CHECK(Ids("XENDOMAINS_SAVE=\"/var/lib\n") == std::vector<DiagId>{DiagId::kXendomainsSyntax});
  CHECK(Ids("export XENDOMAINS_RESTOR=true\n") == std::vector<DiagId>{DiagId::kXendomainsUnknown});
}

TEST_CASE("xendomains: with a host, the directories must exist, and AUTO is reported back") {
  FakeHost host;
  host.files["/etc/xen/auto/web"] = "";
  XendomainsSettings s;
  CHECK(Ids("XENDOMAINS_AUTO=/etc/xen/auto\nXENDOMAINS_SAVE=/srv/save\n", &host, &s) ==
        std::vector<DiagId>{DiagId::kXendomainsDir});
  CHECK(s.auto_dir == "/etc/xen/auto");
  CHECK(s.save_dir == "/srv/save");
}

}  // namespace xmc
