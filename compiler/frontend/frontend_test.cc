#include "compiler/frontend/frontend.h"

#include <doctest/doctest.h>

#include "tests/unit_support.h"

namespace xmc {
namespace {

struct Result {
  FrontendResult fe;
  Diagnostics diags;
};

Result RunPython(const std::string& text, std::vector<std::pair<std::string, std::string>> vars = {}) {
  Result r;
  EvalOptions options;
  options.script_vars = std::move(vars);
  options.xm_file = "./t.cfg";
  options.known_variables = {"name", "memory", "disk", "vcpus"};
  r.fe = EvaluatePython(SourceFile("./t.cfg", text), options, testing::Python(), &r.diags);
  return r;
}

const Value& Get(const Result& r, const std::string& name) {
  const Binding* b = r.fe.eval.Find(name);
  REQUIRE_MESSAGE(b != nullptr, name);
  return b->value;
}

bool Has(const Result& r, DiagId id) {
  for (const Diagnostic& d : r.diags.all()) {
    if (d.id == id) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a declarative file never asks for Python") {
  testing::NoPython host;
  Diagnostics diags;
  EvalOptions options;
  FrontendResult r = Evaluate(SourceFile("t.cfg", "memory = 64\ndisk = ['phy:a,hda,w']\n"), options, &host, &diags);
  CHECK(host.calls == 0);
  CHECK(r.eval.ok);
  CHECK(r.eval.frontend == "native");
}

TEST_CASE("a file with code goes to Python, which the application starts") {
  testing::NoPython host;
  Diagnostics diags;
  EvalOptions options;
  FrontendResult r = Evaluate(SourceFile("t.cfg", "import os\nmemory = 64\n"), options, &host, &diags);
  CHECK(host.calls == 1);
  CHECK_FALSE(r.eval.ok);
}

TEST_CASE("integer division floors as in Python 2 and is reported") {
  Result r = RunPython("memory = 1000 / 3\nhalf = 7.0 / 2\nexact = 8 / 2\n");
  CHECK(Get(r, "memory").as_int() == 333);
  CHECK(Get(r, "half").as_float() == 3.5);
  CHECK(Get(r, "exact").as_int() == 4);
  CHECK(Has(r, DiagId::kPy2Division));
  CHECK(r.diags.all().size() == 1);  // only where the result differs from Python 3
}

TEST_CASE("print statements run and their output is captured for stdout") {
  Result r = RunPython("print 'hello', 42\nprint\nprint 'a',\nprint 'b'\nimport sys\nprint >>sys.stderr, 'err'\n");
  CHECK(r.fe.eval.ok);
  CHECK(r.fe.eval.printed == "hello 42\n\na b\n");
  CHECK(r.fe.eval.printed_stderr == "err\n");
  CHECK(Has(r, DiagId::kPy2Print));
}

TEST_CASE("Python 2 literals and syntax keep their Python 2 meaning") {
  Result r = RunPython(
      "mode = 0755\n"
      "big = 1L\n"
      "s = `42`\n"
      "try:\n"
      "    raise ValueError, 'bad'\n"
      "except ValueError, e:\n"
      "    msg = str(e)\n"
      "ne = 1 <> 2\n"
      "u = u'x'\n"
      "path = 'C:\\users\\n'\n"
      "m = map(lambda x: x * 2, [1, 2])\n");
  CHECK(r.fe.eval.ok);
  CHECK(Get(r, "mode").as_int() == 493);
  CHECK(Get(r, "big").py_type() == "long");
  CHECK(Get(r, "s").as_string() == "42");
  CHECK(Get(r, "msg").as_string() == "bad");
  CHECK(Get(r, "ne").as_bool());
  CHECK(Get(r, "u").py_type() == "unicode");
  CHECK(Get(r, "path").as_string() == "C:\\users\n");
  CHECK(Get(r, "m").Repr() == "[2, 4]");
  CHECK(Has(r, DiagId::kPy2Octal));
  CHECK(Has(r, DiagId::kPy2Long));
  CHECK(Has(r, DiagId::kPy2Backtick));
  CHECK(Has(r, DiagId::kPy2Except));
  CHECK(Has(r, DiagId::kPy2NotEqual));
}

TEST_CASE("list comprehension variables leak like in Python 2") {
  Result r = RunPython("vols = ['a', 'b']\ndisk = ['phy:%s,%s,w' % (name, name) for name in vols]\n");
  CHECK(r.fe.eval.ok);
  CHECK(Get(r, "name").as_string() == "b");
  CHECK(Get(r, "disk").items().size() == 2);
  REQUIRE(Has(r, DiagId::kPy2LeakXm));  // `name` is an xm variable
  CHECK(r.diags.all()[0].message.find("xm variable") != std::string::npos);
}

TEST_CASE("functions in a config cannot see its top-level names, as in xm") {
  Result r = RunPython("base = 1\ndef f():\n    return base\nx = f()\n");
  CHECK_FALSE(r.fe.eval.ok);
  REQUIRE(r.diags.all().size() == 1);
  const Diagnostic& d = r.diags.all()[0];
  CHECK(d.id == DiagId::kPythonError);
  CHECK(d.message == "NameError: name 'base' is not defined");
  CHECK(d.span.line == 3);
}

TEST_CASE("an exception is reported at the config line that raised it") {
  Result r = RunPython("memory = 64\nname = undefined_thing + 'x'\n");
  CHECK_FALSE(r.fe.eval.ok);
  REQUIRE(r.diags.all().size() == 1);
  CHECK(r.diags.all()[0].span.line == 2);
  CHECK(r.diags.all()[0].span.column == 8);
  CHECK(r.diags.all()[0].message.find("undefined_thing") != std::string::npos);
}

TEST_CASE("xm_vars checks script variables given on the command line") {
  std::string src =
      "def check(var, val):\n"
      "    val = int(val)\n"
      "    if val <= 0: raise ValueError\n"
      "    return val\n"
      "xm_vars.var('vmid', use='id', check=check)\n"
      "xm_vars.check()\n"
      "name = 'VM%d' % vmid\n";
  Result ok = RunPython(src, {{"vmid", "3"}});
  CHECK(ok.fe.eval.ok);
  CHECK(Get(ok, "name").as_string() == "VM3");
  Result missing = RunPython(src);
  CHECK_FALSE(missing.fe.eval.ok);
  REQUIRE(!missing.diags.all().empty());
  CHECK(missing.diags.all()[0].id == DiagId::kCheckerError);
  CHECK(missing.diags.all()[0].message.rfind("vmid - ", 0) == 0);
}

TEST_CASE("a hyphenated name is reported as an invalid variable name") {
  Result r = RunPython("memory = 64\nfull-screen=1\n");
  CHECK_FALSE(r.fe.eval.ok);
  REQUIRE(r.diags.all().size() == 1);
  const Diagnostic& d = r.diags.all()[0];
  CHECK(d.id == DiagId::kInvalidName);
  CHECK(d.span == Span{2, 1, 12});
  CHECK(d.message.find("'full-screen'") != std::string::npos);
}

TEST_CASE("the namespace holds xm's helpers and the script's xm_file") {
  Result r =
      RunPython("f = xm_file\nn = inet_aton('10.0.0.1')\nip = add_offset_to_ip('10.0.0.1', 5)\nm = os.uname()[4]\n");
  CHECK(r.fe.eval.ok);
  CHECK(Get(r, "f").as_string() == "./t.cfg");
  CHECK(Get(r, "n").as_int() == 167772161);
  CHECK(Get(r, "ip").as_string() == "10.0.0.6");
  CHECK(r.fe.eval.Find("os") == nullptr);  // seeded names are not the script's bindings
}

}  // namespace xmc
