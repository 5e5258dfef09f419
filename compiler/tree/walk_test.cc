#include "compiler/tree/walk.h"

#include <doctest/doctest.h>

#include "tests/fake_host.h"

namespace xmc {
namespace {

std::vector<std::string> Walked(const FakeHost& host, const std::string& path, Diagnostics* diags, bool* io_error) {
  TreeWalk walk(host, diags);
  std::vector<std::string> files;
  walk.Walk(
      path, [&](const std::string& f) { files.push_back(f); }, io_error);
  return files;
}

}  // namespace

TEST_CASE("the walk takes configs, skips backups and toolstack files, and follows auto/ once") {
  FakeHost host;
  for (const char* f :
       {"/etc/xen/web.cfg", "/etc/xen/db", "/etc/xen/web.cfg~", "/etc/xen/web.cfg.rpmsave", "/etc/xen/.web.cfg.swp",
        "/etc/xen/#db#", "/etc/xen/README", "/etc/xen/xend-config.sxp", "/etc/xen/xl.conf",
        "/etc/xen/scripts/vif-bridge", "/etc/xen/.git/config", "/etc/xen/sub/mail.cfg", "/etc/xen/web.xl.cfg"}) {
    host.files[f] = "memory = 64\n";
  }
  host.links["/etc/xen/auto/web"] = "../web.cfg";        // met already: not twice
  host.links["/etc/xen/auto/extra"] = "/srv/extra.cfg";  // outside the tree: skipped
  host.files["/srv/extra.cfg"] = "memory = 64\n";
  host.links["/etc/xen/sub/up"] = "..";  // a loop back to the top
  Diagnostics diags;
  bool io_error = false;
  auto files = Walked(host, "/etc/xen", &diags, &io_error);
  CHECK_FALSE(io_error);
  CHECK(files == std::vector<std::string>{"/etc/xen/db", "/etc/xen/web.cfg", "/etc/xen/sub/mail.cfg"});
  std::vector<std::string> skipped;
  for (const Diagnostic& d : diags.all()) {
    CHECK(d.id == DiagId::kSkippedFile);
    skipped.push_back(d.file);
  }
  CHECK(skipped == std::vector<std::string>{"/etc/xen/#db#", "/etc/xen/.web.cfg.swp", "/etc/xen/README",
                                            "/etc/xen/web.cfg.rpmsave", "/etc/xen/web.cfg~", "/etc/xen/web.xl.cfg",
                                            "/etc/xen/xend-config.sxp", "/etc/xen/xl.conf", "/etc/xen/.git",
                                            "/etc/xen/auto/extra", "/etc/xen/scripts"});
}

TEST_CASE("a path given by name is taken whatever its name, and a missing one is an I/O error") {
  FakeHost host;
  host.files["/etc/xen/web.cfg~"] = "memory = 64\n";
  Diagnostics diags;
  bool io_error = false;
  CHECK(Walked(host, "/etc/xen/web.cfg~", &diags, &io_error) == std::vector<std::string>{"/etc/xen/web.cfg~"});
  CHECK(Walked(host, "/etc/xen/none", &diags, &io_error).empty());
  CHECK(io_error);
  REQUIRE(diags.all().size() == 1);
  CHECK(diags.all()[0].id == DiagId::kIoError);
}

TEST_CASE("names that are not domain configs") {
  CHECK(NotAConfig("web.cfg").empty());
  CHECK_FALSE(NotAConfig("web.xl.cfg").empty());  // what --emit xl writes beside it
  CHECK(NotAConfig("web").empty());
  CHECK_FALSE(NotAConfig("web.cfg.dpkg-old").empty());
  CHECK_FALSE(NotAConfig("xm-config.xml").empty());
  CHECK_FALSE(NotAConfig("notes.txt").empty());
}

}  // namespace xmc

namespace xmc {

TEST_CASE("a walk with a limit visits that many files and says it stopped") {
  FakeHost host;
  for (int i = 0; i < 10; ++i) host.files["/ws/c" + std::to_string(i) + ".cfg"] = "memory = 64\n";
  Diagnostics diags;
  bool io_error = false;
  TreeWalk walk(host, &diags);
  walk.set_limit(4);
  std::vector<std::string> files;
  walk.Walk(
      "/ws", [&](const std::string& f) { files.push_back(f); }, &io_error);
  CHECK(files.size() == 4);
  CHECK(walk.truncated());
  TreeWalk whole(host, &diags);
  whole.set_limit(10);
  files.clear();
  whole.Walk(
      "/ws", [&](const std::string& f) { files.push_back(f); }, &io_error);
  CHECK(files.size() == 10);
  CHECK_FALSE(whole.truncated());
}

}  // namespace xmc
