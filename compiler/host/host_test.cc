#include "compiler/host/host.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "tests/fake_host.h"

namespace xmc {

TEST_CASE("host requests and replies survive their JSON form, bytes and all") {
  HostRequest q;
  q.op = HostRequest::Op::kIfAddr;
  q.path = std::string("eth\xff\x00x", 6);
  q.name = "mask";
  q.count = 7;
  auto back = DecodeRequest(EncodeRequest(q));
  REQUIRE(back);
  CHECK((back->op == q.op && back->path == q.path && back->name == q.name && back->count == 7));

  HostReply r;
  r.ok = true;
  r.data = std::string("\x00\x01\xfe\xff text", 9);
  r.names = {"a", "caf\xc3\xa9"};
  r.environ = {{"HOME", "/root"}};
  r.info.kind = FileInfo::Kind::kDirectory;
  r.info.size = 1ull << 40;
  r.number = 1.5;
  r.code = ENOENT;
  auto reply = DecodeReply(EncodeReply(r));
  REQUIRE(reply);
  CHECK(reply->data == r.data);
  CHECK(reply->names == r.names);
  CHECK(reply->environ == r.environ);
  CHECK((reply->info.kind == FileInfo::Kind::kDirectory && reply->info.size == r.info.size));
  CHECK((reply->number == 1.5 && reply->code == ENOENT));

  for (const char* bad : {"", "[]", "{\"op\": \"launch\"}", "{\"op\": \"stat\", \"path\": 3}",
                          "{\"op\": \"random\", \"count\": -1}", "{\"op\": \"stat\", \"path\": \"\\u0100\"}"}) {
    CAPTURE(bad);
    CHECK_FALSE(DecodeRequest(bad).has_value());
  }
  CHECK_FALSE(DecodeReply("{\"ok\": true}").has_value());
}

TEST_CASE("the fake host resolves symlinks, lists sorted, and stops at loops") {
  FakeHost host;
  host.files["/etc/xen/web.cfg"] = "name = 'web'\n";
  host.links["/etc/xen/auto/web"] = "../web.cfg";
  host.links["/etc/xen/loop"] = "loop2";
  host.links["/etc/xen/loop2"] = "loop";
  CHECK(host.IsFile("/etc/xen/auto/web"));
  CHECK(host.ReadFile("/etc/xen/auto/web", nullptr) == "name = 'web'\n");
  CHECK(host.RealPath("/etc/xen/auto/web") == "/etc/xen/web.cfg");
  CHECK(host.Lstat("/etc/xen/auto/web")->kind == FileInfo::Kind::kSymlink);
  CHECK(host.IsDirectory("/etc/xen/auto"));
  CHECK(host.ListDir("/etc/xen") == std::vector<std::string>{"auto", "loop", "loop2", "web.cfg"});
  HostRequest q;
  q.op = HostRequest::Op::kStat;
  q.path = "/etc/xen/loop";
  CHECK(host.Ask(q).code == ELOOP);
  CHECK_FALSE(host.Exists("/etc/xen/missing"));
  CHECK(host.Cwd() == "/etc/xen");
  CHECK(host.AbsPath("web.cfg") == "/etc/xen/web.cfg");
  CHECK(host.RandomBytes(3) == std::string("\x00\x01\x02", 3));
}

TEST_CASE("a real host under --root sees the root as / and the current directory inside it") {
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/xmc-host-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  fs::path root(tmpl);
  fs::create_directories(root / "boot");
  fs::create_directories(root / "etc/xen");
  std::ofstream(root / "boot/vmlinuz") << "kernel";
  fs::create_symlink("../../boot/vmlinuz", root / "etc/xen/k");
  RealHost host(root.string() + "/");
  CHECK(host.IsFile("/boot/vmlinuz"));
  CHECK(host.ReadFile("/boot/vmlinuz", nullptr) == "kernel");
  CHECK(host.ListDir("/") == std::vector<std::string>{"boot", "etc"});
  CHECK(host.RealPath("/etc/xen/k") == "/boot/vmlinuz");
  CHECK(host.Lstat("/etc/xen/k")->kind == FileInfo::Kind::kSymlink);
  std::string error;
  CHECK_FALSE(host.ReadFile("/boot/none", &error).has_value());
  CHECK(error == std::strerror(ENOENT));
  fs::path saved = fs::current_path();
  fs::current_path(root / "etc/xen");
  CHECK(host.Cwd() == "/etc/xen");
  CHECK(host.AbsPath("k") == "/etc/xen/k");
  fs::current_path(saved);
  CHECK(host.RandomBytes(16).size() == 16);
  fs::remove_all(root);
}

}  // namespace xmc
