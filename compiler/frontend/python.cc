#include <pybind11/embed.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "compiler/base/py2.h"
#include "compiler/frontend/frontend.h"
#include "compiler/frontend/python_host.h"

namespace py = pybind11;

/// Python 2.7's hash of a str and the iteration order of its dicts and sets, for the
/// evaluator's Python 2 dict and set (xmc_eval.py): the same code as the writers use.
PYBIND11_EMBEDDED_MODULE(_xmc_py2, m) {
  m.def("str_hash", [](const py::bytes& b) { return xmc::py2::StringHash(std::string(b)); });
  // ops: (kind, key id, hash) in the order they happened, kind 1 an insertion, 0 a deletion,
  // 2 a merge of `hash` entries from another dict; returns the live key ids in iteration order.
  m.def("order", [](const std::vector<std::tuple<int, int64_t, int64_t>>& ops, size_t presize) {
    xmc::py2::DictOrder table(presize);
    for (const auto& [kind, id, hash] : ops) {
      if (kind == 1) {
        table.Insert(std::to_string(id), hash);
      } else if (kind == 0) {
        table.Erase(std::to_string(id), hash);
      } else {
        table.ReserveForMerge(static_cast<size_t>(hash));
      }
    }
    std::vector<int64_t> out;
    for (const std::string& k : table.Keys()) out.push_back(std::stoll(k));
    return out;
  });
}

namespace xmc {

extern const char kXmcEvalPy[];            // xmc_eval.py, embedded at build time
extern const unsigned char kXmcEvalPyc[];  // the same, compiled to a code object (marshal)
extern const size_t kXmcEvalPycSize;

namespace {

/// The evaluator module, made once per interpreter: from the bytecode compiled at build
/// time when this interpreter can load it, else from the source.
py::object EvalModule() {
  py::module_ sys = py::module_::import("sys");
  py::dict modules = sys.attr("modules");
  if (modules.contains("_xmc_eval")) return modules["_xmc_eval"];
  py::module_ types = py::module_::import("types");
  py::object mod = types.attr("ModuleType")("_xmc_eval");
  py::dict ns = mod.attr("__dict__");
  ns["__builtins__"] = py::module_::import("builtins");
  py::object code;
  try {
    code = py::module_::import("marshal").attr("loads")(
        py::bytes(reinterpret_cast<const char*>(kXmcEvalPyc), kXmcEvalPycSize));
  } catch (const py::error_already_set&) {
    code = py::none();  // another Python version than the one of the build
  }
  if (code.is_none()) {
    py::exec(py::str(kXmcEvalPy), ns);
  } else {
    py::module_::import("builtins").attr("exec")(code, ns);
  }
  modules["_xmc_eval"] = mod;
  return mod;
}

}  // namespace

bool StartIsolatedInterpreter(std::string* error) {
  if (Py_IsInitialized()) return true;
  PyConfig config;
  PyConfig_InitIsolatedConfig(&config);  // no PYTHON* variables, no user site, safe_path
  config.site_import = 0;
  config.use_hash_seed = 1;
  config.hash_seed = 0;
  config.install_signal_handlers = 0;
  config.write_bytecode = 0;
  config.parse_argv = 0;
  PyStatus status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) {
    if (error) *error = status.err_msg ? status.err_msg : "Py_InitializeFromConfig failed";
    return false;
  }
  return true;
}

void PrepareEvaluator() {
  py::gil_scoped_acquire gil;
  EvalModule();
}

namespace {

/// The evaluator asks the machine through the Host, in the Host's serialised protocol.
py::cpp_function AskFunction(const Host& host) {
  return py::cpp_function([&host](const std::string& request) -> py::str { return py::str(AskWire(host, request)); });
}

}  // namespace

void PrepareForkedEvaluations(const Host& host) {
  py::gil_scoped_acquire gil;
  EvalModule().attr("prepare_forked")(AskFunction(host));
}

std::string RunEvaluator(const SourceFile& file, const EvalOptions& options, const Host& host) {
  py::gil_scoped_acquire gil;
  py::object mod = EvalModule();
  py::list vars;
  for (const auto& [k, v] : options.script_vars) {
    vars.append(
        py::make_tuple(py::reinterpret_steal<py::str>(PyUnicode_DecodeUTF8(k.data(), k.size(), "surrogateescape")),
                       py::reinterpret_steal<py::str>(PyUnicode_DecodeUTF8(v.data(), v.size(), "surrogateescape"))));
  }
  py::cpp_function ask = AskFunction(host);
  py::object xm_file = py::reinterpret_steal<py::str>(
      PyUnicode_DecodeUTF8(options.xm_file.data(), options.xm_file.size(), "surrogateescape"));
  py::object path =
      py::reinterpret_steal<py::str>(PyUnicode_DecodeUTF8(file.path().data(), file.path().size(), "surrogateescape"));
  return mod
      .attr("evaluate_wire")(path, py::bytes(file.text()), vars, xm_file, options.xm_help ? 1 : 0,
                             options.timeout_seconds, ask, options.trusted)
      .cast<std::string>();
}

FrontendResult InProcessPython::EvaluatePython(const SourceFile& file, const EvalOptions& options, Diagnostics* diags) {
  FrontendResult failed;
  failed.eval.frontend = "python";
  if (!Py_IsInitialized()) {
    try {
      interpreter_.emplace(/*init_signal_handlers=*/false);
    } catch (const std::exception& e) {
      diags->Add<DiagId::kPythonStart>(file.path(), Span{}, "", std::string(e.what()));
      return failed;
    }
  }
  RealHost real;
  const Host& host = options.host ? *options.host : real;
  ConfinedHost confined(host, ReadPolicy{options.own_dirs}, options.pass_env);
  std::string text;
  try {
    text = RunEvaluator(file, options, options.trusted ? host : confined);
  } catch (const py::error_already_set& e) {
    diags->Add<DiagId::kPythonInternal>(file.path(), Span{}, "", e.what());
    return failed;
  }
  return DecodeEvaluation(text, file, options, diags);
}

}  // namespace xmc
