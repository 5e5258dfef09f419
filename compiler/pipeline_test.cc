#include "compiler/pipeline.h"

#include <doctest/doctest.h>

#include "tests/fake_host.h"
#include "tests/unit_support.h"

namespace xmc {
namespace {

/// Compiles /etc/xen/t.cfg on `host` (which must hold it).
Compilation CompileOn(const FakeHost& host, std::vector<std::string> vars = {},
                      std::vector<std::string> pass_env = {}) {
  CompileRequest request;
  request.pass_env = std::move(pass_env);
  request.path = "/etc/xen/t.cfg";
  request.xm_file = "./t.cfg";
  request.defconfig = "t.cfg";
  request.vars = std::move(vars);
  return Compile(request, host, testing::Python());
}

bool Asked(const FakeHost& host, HostRequest::Op op, const std::string& path) {
  for (const HostRequest& q : host.asked) {
    if (q.op == op && q.path == path) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a config that picks its kernel with os.path.exists sees the same host as xmc") {
  FakeHost host;
  host.env["HOME"] = "/root";
  host.files["/etc/xen/t.cfg"] =
      "import os\n"
      "for k in ['/boot/vmlinuz-new', '/boot/vmlinuz-old']:\n"
      "    if os.path.exists(k):\n"
      "        kernel = k\n"
      "        break\n"
      "memory = 64 * len(os.listdir('/boot'))\n"
      "extra = open('/etc/xen/cmdline').read().strip()\n"
      "import glob\n"
      "root = ' '.join(glob.glob('/boot/vm*') + glob.glob('/etc/*/cmd*'))\n";
  host.files["/boot/vmlinuz-old"] = "";
  host.files["/boot/initrd"] = "";
  host.files["/etc/xen/cmdline"] = "console=hvc0\n";
  Compilation c = CompileOn(host);
  CHECK(c.evaluated);
  CHECK(c.diags.ErrorCount() == 0);
  CHECK(*c.config.kernel.value == "/boot/vmlinuz-old");
  CHECK(*c.config.memory.value == 128);
  CHECK(*c.config.extra.value == "console=hvc0");
  CHECK(*c.config.root.value == "/boot/vmlinuz-old /etc/xen/cmdline");
  // The config's own question and xmc's kernel lookup both went to this host.
  CHECK(Asked(host, HostRequest::Op::kStat, "/boot/vmlinuz-new"));
  CHECK(Asked(host, HostRequest::Op::kListDir, "/boot"));
  CHECK(Asked(host, HostRequest::Op::kReadFile, "/etc/xen/cmdline"));
}

TEST_CASE("a config sees the host's environment, name and clock, and nothing else of the machine") {
  FakeHost host;
  host.env["HOME"] = "/root";
  host.env["USER"] = "from-env";
  host.files["/etc/xen/t.cfg"] =
      "import os, socket, time\n"
      "name = os.environ['USER'] + '-' + socket.gethostname()\n"
      "description = str(int(time.time()))\n"
      "uuid = os.uname()[4]\n";
  Compilation c = CompileOn(host);
  REQUIRE(c.evaluated);
  CHECK(*c.config.name.value == "from-env-fakehost");
  CHECK(*c.config.description.value == "1700000000");
  CHECK(*c.config.uuid.value == "x86_64");
}

TEST_CASE("a config sees a few harmless environment variables, more only with --pass-env, and is told") {
  FakeHost host;
  host.env["HOME"] = "/root";
  host.env["LC_TIME"] = "C";
  host.env["CI_JOB_TOKEN"] = "s3cret";
  host.files["/etc/xen/t.cfg"] =
      "import os\n"
      "name = os.environ.get('CI_JOB_TOKEN', 'none') + ','.join(sorted(os.environ.keys()))\n"
      "memory = 64\nbootloader = '/usr/bin/pygrub'\n";
  Compilation c = CompileOn(host);
  REQUIRE(c.evaluated);
  CHECK(*c.config.name.value == "noneHOME,LC_TIME");
  REQUIRE(c.diags.all().size() == 1);
  CHECK(c.diags.all()[0].id == DiagId::kEnvWithheld);
  CHECK(c.diags.all()[0].span.line == 2);
  CHECK(c.diags.all()[0].message.find("s3cret") == std::string::npos);

  Compilation passed = CompileOn(host, {}, {"CI_JOB_TOKEN"});
  REQUIRE(passed.evaluated);
  CHECK(*passed.config.name.value == "s3cretCI_JOB_TOKEN,HOME,LC_TIME");
  CHECK(passed.diags.all().empty());

  // A variable that is not set anywhere is simply missing, as it was for xm.
  host.files["/etc/xen/t.cfg"] =
      "import os\nname = os.getenv('NOWHERE', 'x')\nmemory = 64\nbootloader = '/usr/bin/pygrub'\n";
  CHECK(CompileOn(host).diags.all().empty());
}

TEST_CASE("anything beyond reading and asking is refused, at its line") {
  for (const char* code : {"import subprocess\n", "import os\nos.system('touch /tmp/x')\n",
                           "open('/etc/xen/out', 'w').write('x')\n", "import os\nos.remove('/etc/xen/t.cfg')\n",
                           "import socket\nsocket.socket()\n", "x = raw_input()\n", "import ctypes\n"}) {
    CAPTURE(code);
    FakeHost host;
    host.files["/etc/xen/t.cfg"] = std::string("memory = 64\n") + code;
    Compilation c = CompileOn(host);
    CHECK_FALSE(c.evaluated);
    REQUIRE(c.diags.all().size() == 1);
    const Diagnostic& d = c.diags.all()[0];
    CHECK(d.id == DiagId::kHostRefused);
    CHECK(d.span.line >= 2);
    CHECK(host.files.size() == 1);  // nothing was written or removed
  }
}

TEST_CASE("the pipeline stops after a syntax error and sorts what it reports") {
  FakeHost host;
  host.files["/etc/xen/t.cfg"] = "memroy = 64\nmemory = 0\nkernel = '/boot/k'\n";
  host.files["/boot/k"] = "";
  Compilation c = CompileOn(host);
  CHECK(c.evaluated);
  REQUIRE(c.diags.all().size() == 2);
  CHECK(c.diags.all()[0].span.line == 1);  // unknown variable
  CHECK(c.diags.all()[1].span.line == 2);  // out of range
  host.files["/etc/xen/t.cfg"] = "memory = (\n";
  Compilation bad = CompileOn(host);
  CHECK_FALSE(bad.evaluated);
  CHECK(bad.diags.all()[0].id == DiagId::kSyntaxError);
  FakeHost empty;
  Compilation missing = CompileOn(empty);
  CHECK_FALSE(missing.read_ok);
  CHECK(missing.diags.all()[0].id == DiagId::kIoError);
}

}  // namespace xmc
