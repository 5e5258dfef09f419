// Helpers shared by the unit tests.
#pragma once

#include <string>

#include "compiler/frontend/frontend.h"

namespace xmc::testing {

/// The test binary's interpreter host.
PythonHost* Python();

/// A host that fails the test if anything asks for Python.
class NoPython : public PythonHost {
 public:
  FrontendResult EvaluatePython(const SourceFile& file, const EvalOptions&, Diagnostics* diags) override {
    ++calls;
    diags->Add<DiagId::kPythonStart>(file.path(), Span{}, "", ": this test must not start Python");
    FrontendResult r;
    r.eval.frontend = "python";
    return r;
  }
  int calls = 0;
};

}  // namespace xmc::testing

#include "compiler/host/host.h"
#include "compiler/pipeline.h"
#include "tests/fake_host.h"

namespace xmc::testing {

/// Compiles `text` as /etc/xen/t.cfg on a fake host with the reference environment
/// (HOME=/root, no DISPLAY) and the given extra files.
inline Compilation CompileText(const std::string& text, std::vector<std::string> vars = {},
                               std::vector<std::string> files = {}) {
  FakeHost host;
  host.env["HOME"] = "/root";
  host.files["/etc/xen/t.cfg"] = text;
  for (const std::string& f : files) host.files[f] = "";
  CompileRequest request;
  request.path = "/etc/xen/t.cfg";
  request.xm_file = "./t.cfg";
  request.defconfig = "t.cfg";
  request.vars = std::move(vars);
  return Compile(request, host, Python());
}

inline bool HasDiag(const Compilation& c, DiagId id) {
  for (const Diagnostic& d : c.diags.all()) {
    if (d.id == id) return true;
  }
  return false;
}

}  // namespace xmc::testing
