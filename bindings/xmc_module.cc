// The Python module `xmc` (its compiled half, `xmc._xmc`): the CLI's pipeline for a
// program. A config's code never runs in the interpreter that imported the module, nor in a
// fork of it: it goes to the installed sandboxed worker (xmc-eval), as for `xmc check`.
// Misuse (a wrong argument) raises xmc.UsageError; a bad config never raises, it gives
// diagnostics.
#include <dlfcn.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <unistd.h>

#include <memory>
#include <mutex>
#include <sstream>

#include "compiler/base/strings.h"
#include "compiler/emit/backend.h"
#include "compiler/host/host.h"
#include "compiler/pipeline.h"
#include "compiler/sandbox/client.h"
#include "compiler/schema/schema.h"
#include "compiler/session.h"
#include "compiler/tree/check_paths.h"
#include "version.h"

namespace py = pybind11;

namespace xmc::python {
namespace {

/// Raised as xmc.UsageError (a ValueError).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The worker: beside this module (the build tree links it there), else where `make
/// install` and the Debian package put it (XMC_INSTALLED_WORKER, from the install prefix).
std::string WorkerPath() {
  Dl_info info{};
  if (::dladdr(reinterpret_cast<void*>(&WorkerPath), &info) != 0 && info.dli_fname != nullptr) {
    std::string self = info.dli_fname;
    std::string beside = self.substr(0, self.rfind('/') + 1) + "xmc-eval";
    if (::access(beside.c_str(), X_OK) == 0) return beside;
  }
  return XMC_INSTALLED_WORKER;
}

/// Idle evaluator workers, each started on its first config with code and kept for the
/// next call; a call takes one (or a new one) for its duration, so threads never share one.
class Workers {
 public:
  std::unique_ptr<PythonHost> Take() {
    std::lock_guard<std::mutex> lock(mutex_);
    // Outliving the thread that started it: a worker goes back to the pool for any thread.
    if (idle_.empty()) return std::make_unique<sandbox::SandboxedPython>(WorkerPath(), true);
    std::unique_ptr<PythonHost> w = std::move(idle_.back());
    idle_.pop_back();
    return w;
  }
  void Give(std::unique_ptr<PythonHost> w) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.size() < 4) idle_.push_back(std::move(w));
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<PythonHost>> idle_;
};

Workers& Pool() {
  static Workers* pool = new Workers;  // never destroyed: Python may call in at exit
  return *pool;
}

/// A worker for the duration of one call.
class Lease {
 public:
  Lease() : worker_(Pool().Take()) {}
  ~Lease() { Pool().Give(std::move(worker_)); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  PythonHost* get() const { return worker_.get(); }

 private:
  std::unique_ptr<PythonHost> worker_;
};

/// One finding, with the text of its line (for str(), as the CLI prints it).
struct Finding {
  Diagnostic d;
  std::string source_line;

  std::string Severity() const { return SeverityName(d.severity); }
  std::string Text() const {
    std::string s = xmc::Render(d, std::string_view(source_line), RenderOptions{});
    if (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
  }
};

/// The module's printer: each finding as a Diagnostic object's data.
class FindingsPrinter : public DiagnosticPrinter {
 public:
  void Print(const Diagnostic& d, const SourceFile* s) override {
    findings.push_back({d, s != nullptr && d.span.valid() ? std::string(s->Line(d.span.line)) : std::string()});
  }
  std::vector<Finding> findings;
};

std::vector<Finding> Findings(const std::vector<Diagnostic>& diags,
                              const std::function<const SourceFile*(const std::string&)>& source_of) {
  FindingsPrinter printer;
  PrintAll(diags, source_of, printer);
  return std::move(printer.findings);
}

/// A file system path from str, bytes or os.PathLike.
std::string PathArg(const py::handle& value, const char* what) {
  py::object p;
  try {
    p = py::module_::import("os").attr("fspath")(value);
  } catch (const py::error_already_set&) {
    throw UsageError(std::string(what) + " must be a str, bytes or os.PathLike object, not " +
                     std::string(py::str(value.get_type().attr("__name__"))));
  }
  std::string s = py::isinstance<py::bytes>(p) ? std::string(py::bytes(p)) : p.cast<std::string>();
  if (s.empty()) throw UsageError(std::string(what) + " is empty");
  if (s.find('\0') != std::string::npos) throw UsageError(std::string(what) + " contains a NUL character");
  return s;
}

/// The options compile() and check() share: the session's (compiler/session.h), checked.
struct Options {
  SessionOptions session;

  CompileRequest Base() const {
    std::string error = CheckSessionOptions(session);
    if (!error.empty()) throw UsageError(error);
    return RequestOf(session);
  }
};

Options OptionsOf(const py::object& root, const std::string& host, const std::string& frontend, bool pedantic,
                  double eval_timeout) {
  Options o;
  if (!root.is_none()) o.session.root = PathArg(root, "root");
  o.session.host = host;
  o.session.frontend = frontend;
  o.session.pedantic = pedantic;
  o.session.eval_timeout = eval_timeout;
  return o;
}

/// NAME=VALUE words from a mapping or a sequence of "NAME=VALUE" strings.
std::vector<std::string> VarsArg(const py::object& vars) {
  std::vector<std::string> words;
  if (vars.is_none()) return words;
  auto word_of = [](const py::handle& v) -> std::string {
    if (py::isinstance<py::bool_>(v) || !(py::isinstance<py::str>(v) || py::isinstance<py::int_>(v)))
      throw UsageError("a value in vars must be a str or an int, not " +
                       std::string(py::str(v.get_type().attr("__name__"))));
    return py::str(v).cast<std::string>();
  };
  if (py::isinstance<py::dict>(vars) || py::hasattr(vars, "keys")) {
    for (const py::handle& key : vars.attr("keys")()) {
      if (!py::isinstance<py::str>(key)) throw UsageError("a name in vars must be a str");
      std::string name = key.cast<std::string>();
      if (name.empty() || name.find('=') != std::string::npos)
        throw UsageError("'" + name + "' is not a variable name");
      words.push_back(name + "=" + word_of(vars[key]));
    }
    return words;
  }
  if (py::isinstance<py::str>(vars) || py::isinstance<py::bytes>(vars) || !py::isinstance<py::sequence>(vars))
    throw UsageError("vars must be a mapping of names to values or a list of 'NAME=VALUE' strings");
  for (const py::handle& item : vars) {
    if (!py::isinstance<py::str>(item)) throw UsageError("an item of vars must be a 'NAME=VALUE' str");
    std::string w = item.cast<std::string>();
    if (w.find('=') == std::string::npos || w[0] == '=') throw UsageError("'" + w + "' is not NAME=VALUE");
    words.push_back(w);
  }
  return words;
}

/// What compile() returns: the compilation, kept for the model and the back ends.
class Result {
 public:
  explicit Result(Compilation c) : c_(std::move(c)) {}

  bool ok() const { return c_.read_ok && c_.evaluated && c_.diags.ErrorCount() == 0; }
  const std::string& file() const { return c_.source.path(); }

  std::vector<Finding> diagnostics() const {
    return Findings(c_.diags.all(), [this](const std::string&) { return &c_.source; });
  }

  std::string Render(bool color) const { return RenderDiagnostics(c_, color); }

  /// The back end's text (nullopt when the config or the back end failed) and its findings.
  std::pair<std::optional<std::string>, std::vector<Finding>> Emit(const std::string& name, int64_t domid,
                                                                   const std::optional<std::string>& uuid) const {
    OutputRequest request;
    request.name = name;
    request.domid = domid;
    request.uuid = uuid;
    Output out;
    {
      py::gil_scoped_release release;
      out = ProduceOutput(c_, request, RealHost());
    }
    if (out.status == Output::Status::kBadRequest) throw UsageError(out.error);
    auto findings = Findings(out.diags.all(), [this](const std::string&) { return &c_.source; });
    if (out.status != Output::Status::kOk) return {std::nullopt, findings};
    return {out.text, findings};
  }

  py::object Model() const {
    if (!c_.read_ok || !c_.evaluated) return py::none();
    std::ostringstream out;
    Diagnostics ignored;
    EmitOptions options;
    options.file = c_.source.path();
    FindBackend("json")->emit(c_.config, options, out, &ignored);
    return py::module_::import("json").attr("loads")(out.str());
  }

 private:
  Compilation c_;
};

Result CompileConfig(const py::object& path, const py::object& text, const py::object& filename, const py::object& vars,
                     const Options& options) {
  if (path.is_none() && text.is_none()) throw UsageError("compile() needs a path or text=");
  CompileRequest r = options.Base();
  r.vars = VarsArg(vars);
  if (!path.is_none()) r.path = PathArg(path, "path");
  std::string shown = !filename.is_none() ? PathArg(filename, "filename") : !r.path.empty() ? r.path : "<text>";
  if (!text.is_none()) {
    if (py::isinstance<py::bytes>(text)) {
      r.text = std::string(py::bytes(text));
    } else if (py::isinstance<py::str>(text)) {
      r.text = text.cast<std::string>();
    } else {
      throw UsageError("text must be a str or bytes");
    }
    std::string read_as = r.path.empty() ? shown : r.path;
    std::string contents = *r.text;
    r = CheckRequest(std::move(r), read_as, shown, contents);
  } else {
    r.xm_file = shown;
    r.defconfig = shown;
  }
  RealHost host(options.session.root);
  Lease worker;
  py::gil_scoped_release release;
  return Result(Compile(r, host, worker.get()));
}

std::vector<Finding> CheckTree(const py::object& paths, const Options& options, const py::object& host_cpus) {
  CheckPathsRequest request;
  if (py::isinstance<py::str>(paths) || py::isinstance<py::bytes>(paths) || py::hasattr(paths, "__fspath__")) {
    request.paths.push_back(PathArg(paths, "a path"));
  } else if (py::isinstance<py::iterable>(paths)) {
    for (const py::handle& p : paths) request.paths.push_back(PathArg(p, "a path"));
  } else {
    throw UsageError("paths must be a path or a list of paths");
  }
  if (request.paths.empty()) throw UsageError("check() needs at least one path");
  request.base = options.Base();
  if (!host_cpus.is_none()) {
    int64_t n = host_cpus.cast<int64_t>();
    if (n < 1) throw UsageError("host_cpus must be at least 1");
    request.base.check.host_cpus = n;
  }
  request.root = options.session.root;
  Lease first;
  CheckedPaths checked;
  {
    py::gil_scoped_release release;
    // The further threads' workers end with their thread.
    checked = CheckPaths(request, first.get(), [] { return Pool().Take(); });
  }
  return Findings(checked.diagnostics, [&checked](const std::string& file) -> const SourceFile* {
    auto it = checked.sources.find(file);
    return it == checked.sources.end() ? nullptr : &it->second;
  });
}

}  // namespace
}  // namespace xmc::python

PYBIND11_MODULE(_xmc, m) {
  using namespace xmc::python;
  m.doc() = "xmc's compiled half; use the package `xmc`.";
  m.attr("__version__") = xmc::kVersion;
  static py::exception<UsageError> usage_error(m, "UsageError", PyExc_ValueError);
  usage_error.doc() = "A wrong argument to an xmc function (never a problem of the config itself).";
  // pybind11's translator type takes the pointer by value.
  py::register_exception_translator([](std::exception_ptr p) {  // NOLINT(performance-unnecessary-value-param)
    try {
      if (p) std::rethrow_exception(p);
    } catch (const UsageError& e) {
      usage_error(e.what());
    }
  });

  py::class_<Finding>(m, "Diagnostic", "One finding, as `xmc check` reports it.")
      .def_property_readonly(
          "file", [](const Finding& f) { return f.d.file; }, "The file it is in, as it was named.")
      .def_property_readonly(
          "line", [](const Finding& f) { return f.d.span.line; }, "1-based line; 0 for a finding on the whole file.")
      .def_property_readonly(
          "column", [](const Finding& f) { return f.d.span.column; }, "1-based byte column; 0 when none.")
      .def_property_readonly(
          "end_column", [](const Finding& f) { return f.d.span.end_column; },
          "The byte column just after the span; 0 when none.")
      .def_property_readonly("severity", &Finding::Severity, "'error', 'warning' or 'note'.")
      .def_property_readonly(
          "id", [](const Finding& f) { return std::string(xmc::InfoOf(f.d.id).id); },
          "The diagnostic's id, such as 'unknown-variable' (see xmc(1)).")
      .def_property_readonly(
          "message", [](const Finding& f) { return f.d.message; }, "The sentence, without the data path.")
      .def_property_readonly(
          "path", [](const Finding& f) { return f.d.path; }, "The data path, such as 'disk[1].mode', or ''.")
      .def_property_readonly(
          "notes", [](const Finding& f) { return f.d.notes; }, "Further lines: did-you-mean, explanations.")
      .def_property_readonly(
          "source_line", [](const Finding& f) { return f.source_line; }, "The text of its line, or ''.")
      .def("__str__", &Finding::Text, "As the CLI prints it: header, source line and caret, notes.")
      .def("__repr__", [](const Finding& f) {
        return "<xmc.Diagnostic " + f.d.file + ":" + std::to_string(f.d.span.line) + ":" +
               std::to_string(f.d.span.column) + " " + f.Severity() + " " + std::string(xmc::InfoOf(f.d.id).id) + ">";
      });

  py::class_<Result>(m, "Result", "A compiled config: its diagnostics, its model and every back end's output.")
      .def_property_readonly("ok", &Result::ok,
                             "True when the config was read and evaluated and no error was found "
                             "(warnings and notes may be there).")
      .def_property_readonly("file", &Result::file, "The config's name in the diagnostics.")
      .def_property_readonly("diagnostics", &Result::diagnostics, "Every finding, in source order.")
      .def_property_readonly("model", &Result::Model,
                             "The typed model as plain dicts and lists (the keys of `xmc compile --emit json`); "
                             "None when the config could not be read or evaluated.")
      .def(
          "emit",
          [](const Result& r, const std::string& name, int64_t domid, const std::optional<std::string>& uuid) {
            return r.Emit(name, domid, uuid).first;
          },
          py::arg("name"), py::kw_only(), py::arg("domid") = 1, py::arg("uuid") = py::none(),
          "The output of back end `name` (see backends()), or None when the config has errors or the "
          "back end cannot write it. domid and uuid are for 'xenstore' (uuid: the config's, else a fresh one).")
      .def(
          "emit_with_diagnostics",
          [](const Result& r, const std::string& name, int64_t domid, const std::optional<std::string>& uuid) {
            return r.Emit(name, domid, uuid);
          },
          py::arg("name"), py::kw_only(), py::arg("domid") = 1, py::arg("uuid") = py::none(),
          "Like emit(), with what the back end reported (settings it dropped or cannot express).")
      .def("render", &Result::Render, py::kw_only(), py::arg("color") = false,
           "The diagnostics as `xmc compile` prints them on stderr.")
      .def("__repr__", [](const Result& r) { return "<xmc.Result " + r.file() + (r.ok() ? " ok" : " failed") + ">"; });

  m.def(
      "compile",
      [](const py::object& path, const py::object& text, const py::object& filename, const py::object& vars,
         const py::object& root, const std::string& host, const std::string& frontend, bool pedantic,
         double eval_timeout) {
        return CompileConfig(path, text, filename, vars, OptionsOf(root, host, frontend, pedantic, eval_timeout));
      },
      py::arg("path") = py::none(), py::kw_only(), py::arg("text") = py::none(), py::arg("filename") = py::none(),
      py::arg("vars") = py::none(), py::arg("root") = py::none(), py::arg("host") = "auto",
      py::arg("frontend") = "auto", py::arg("pedantic") = false, py::arg("eval_timeout") = 10.0,
      "Compiles one config as `xmc compile` does. path: the file (read unless text= is given); text: "
      "the contents; filename: its name in the diagnostics; vars: NAME=VALUE variables (a mapping or "
      "'NAME=VALUE' strings); root: look up host files below it; host: 'auto', 'yes' or 'no' (check "
      "kernels and devices the config names); frontend: 'auto', 'native' or 'python'; eval_timeout: "
      "seconds the config's code may run (0: no limit).");
  m.def(
      "check",
      [](const py::object& paths, const py::object& root, const std::string& host, const py::object& host_cpus,
         const std::string& frontend, bool pedantic, double eval_timeout) {
        return CheckTree(paths, OptionsOf(root, host, frontend, pedantic, eval_timeout), host_cpus);
      },
      py::arg("paths"), py::kw_only(), py::arg("root") = py::none(), py::arg("host") = "auto",
      py::arg("host_cpus") = py::none(), py::arg("frontend") = "auto", py::arg("pedantic") = false,
      py::arg("eval_timeout") = 10.0,
      "Checks config files and whole trees as `xmc check` does (cross-file checks included) and returns "
      "every finding; an unreadable path is a finding with id 'io-error'.");
  m.def(
      "schema", [] { return py::module_::import("json").attr("loads")(xmc::SchemaJson(xmc::Schema::Builtin())); },
      "The config schema: every variable with its type, default, values, scope and documentation "
      "(`xmc schema --format json`).");

  struct BackendInfo {
    std::string name, help, suffix, checked_against;
  };
  py::class_<BackendInfo>(m, "Backend", "An output format of Result.emit().")
      .def_readonly("name", &BackendInfo::name, "The name emit() takes.")
      .def_readonly("help", &BackendInfo::help, "What it writes.")
      .def_readonly("suffix", &BackendInfo::suffix, "The suffix of its golden files.")
      .def_readonly("checked_against", &BackendInfo::checked_against, "The tool its tests compare with.")
      .def("__repr__", [](const BackendInfo& b) { return "<xmc.Backend " + b.name + ">"; });
  m.def(
      "backends",
      [] {
        std::vector<BackendInfo> out;
        for (const xmc::Backend& b : xmc::Backends()) {
          out.push_back(
              {std::string(b.name), std::string(b.help), std::string(b.suffix), std::string(b.checked_against)});
        }
        return out;
      },
      "Every back end, in the order of `xmc backends`.");
}
