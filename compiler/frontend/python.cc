#include <pybind11/embed.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <map>

#include "compiler/frontend/frontend.h"
#include "compiler/frontend/native.h"

namespace py = pybind11;

namespace xmc {

extern const char kXmcEvalPy[];  // xmc_eval.py, embedded at build time

namespace {

py::object EvalModule() {
  py::module_ sys = py::module_::import("sys");
  py::dict modules = sys.attr("modules");
  if (modules.contains("_xmc_eval")) return modules["_xmc_eval"];
  py::module_ types = py::module_::import("types");
  py::object mod = types.attr("ModuleType")("_xmc_eval");
  py::dict ns = mod.attr("__dict__");
  ns["__builtins__"] = py::module_::import("builtins");
  py::exec(py::str(kXmcEvalPy), ns);
  modules["_xmc_eval"] = mod;
  return mod;
}

Span ToSpan(const py::handle& t) {
  auto tup = t.cast<py::tuple>();
  return Span{tup[0].cast<uint32_t>(), tup[1].cast<uint32_t>(), tup[2].cast<uint32_t>()};
}

Value ToValue(const py::handle& node) {
  auto t = node.cast<py::tuple>();
  std::string kind = t[0].cast<std::string>();
  Span span = ToSpan(t[2]);
  std::string py_type = t[3].cast<std::string>();
  Value v;
  if (kind == "none") {
    v = Value::None(span);
  } else if (kind == "bool") {
    v = Value::Bool(t[1].cast<bool>(), span);
  } else if (kind == "int") {
    v = Value::Int(t[1].cast<int64_t>(), span);
  } else if (kind == "float") {
    v = Value::Float(t[1].cast<double>(), span);
  } else if (kind == "str") {
    v = Value::String(t[1].cast<std::string>(), span);
  } else if (kind == "list") {
    std::vector<Value> items;
    for (const py::handle& item : t[1].cast<py::list>()) items.push_back(ToValue(item));
    v = Value::List(std::move(items), span);
  } else if (kind == "dict") {
    std::vector<std::pair<Value, Value>> entries;
    for (const py::handle& e : t[1].cast<py::list>()) {
      auto kv = e.cast<py::tuple>();
      entries.emplace_back(ToValue(kv[0]), ToValue(kv[1]));
    }
    v = Value::Dict(std::move(entries), span);
  } else {
    return Value::Other(py_type, span);
  }
  if (!py_type.empty()) v.set_py_type(py_type);
  return v;
}

void AddNote(const std::string& file, const py::handle& note, const EvalOptions& options,
             Diagnostics* diags) {
  auto t = note.cast<py::tuple>();
  std::string key = t[0].cast<std::string>();
  Span span{t[1].cast<uint32_t>(), t[2].cast<uint32_t>(), t[3].cast<uint32_t>()};
  auto args = t[4].cast<std::vector<std::string>>();
  auto arg = [&](size_t i) { return i < args.size() ? args[i] : std::string(); };
  if (key == "py2-division") {
    diags->Add(DiagId::kPy2Division, file, span, "", arg(0), arg(1), arg(2));
  } else if (key == "py2-print") {
    diags->Add(DiagId::kPy2Print, file, span, "");
  } else if (key == "py2-long") {
    diags->Add(DiagId::kPy2Long, file, span, "", arg(0));
  } else if (key == "py2-octal") {
    diags->Add(DiagId::kPy2Octal, file, span, "", arg(0), arg(1));
  } else if (key == "py2-backtick") {
    diags->Add(DiagId::kPy2Backtick, file, span, "");
  } else if (key == "py2-not-equal") {
    diags->Add(DiagId::kPy2NotEqual, file, span, "");
  } else if (key == "py2-except") {
    diags->Add(DiagId::kPy2Except, file, span, "");
  } else if (key == "py2-leak") {
    // One warning per rewritten comprehension, naming every variable it leaves set.
    std::string names, known;
    for (size_t i = 0; i < args.size(); ++i) {
      names += (i == 0 ? "" : i + 1 == args.size() ? " and " : ", ") + ("'" + args[i] + "'");
      if (known.empty() && std::find(options.known_variables.begin(), options.known_variables.end(),
                                     args[i]) != options.known_variables.end()) {
        known = args[i];
      }
    }
    std::string subject = (args.size() == 1 ? "variable " : "variables ") + names +
                          (args.size() == 1 ? " is" : " are");
    diags->Add(DiagId::kPy2Leak, file, span, "", subject,
               known.empty() ? std::string()
                             : fmt::format("; '{}' is an xm variable, so it takes the last element's value", known));
  }
}

// A line such as `full-screen=1` is a syntax error in Python; say what it is.
bool DiagnoseInvalidName(const SourceFile& file, uint32_t line, const EvalOptions& options,
                         Diagnostics* diags) {
  std::string_view text = file.Line(line);
  size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  size_t start = i;
  auto is_name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  if (i >= text.size() || !(std::isalpha(static_cast<unsigned char>(text[i])) || text[i] == '_')) {
    return false;
  }
  bool has_bad = false;
  char bad = 0;
  while (i < text.size() && (is_name_char(text[i]) || text[i] == '-' || text[i] == '.')) {
    if (!is_name_char(text[i]) && !has_bad) {
      has_bad = true;
      bad = text[i];
    }
    ++i;
  }
  size_t end = i;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  if (!has_bad || i >= text.size() || text[i] != '=' || (i + 1 < text.size() && text[i + 1] == '=')) {
    return false;
  }
  std::string name(text.substr(start, end - start));
  if (bad == '.') return false;  // attribute assignment is valid Python
  Span span{line, static_cast<uint32_t>(start + 1), static_cast<uint32_t>(end + 1)};
  Diagnostic& d = diags->Add(DiagId::kInvalidName, file.path(), span, "", name, std::string(1, bad));
  std::string fixed = name;
  std::replace(fixed.begin(), fixed.end(), bad, '_');
  std::string suggestion = DidYouMean(fixed, options.known_variables);
  if (!suggestion.empty()) {
    d.notes.push_back(fmt::format("did you mean '{}'?", suggestion));
  } else {
    d.notes.push_back(fmt::format("xm has no variable of that name; remove the line"));
  }
  return true;
}

}  // namespace

FrontendResult EvaluatePython(const SourceFile& file, const EvalOptions& options,
                              PythonHost* python, Diagnostics* diags) {
  FrontendResult result;
  result.eval.frontend = "python";
  std::string error;
  if (python == nullptr || !python->EnsureStarted(&error)) {
    diags->Add(DiagId::kPythonError, file.path(), Span{}, "",
               "cannot start the embedded Python interpreter" + (error.empty() ? "" : ": " + error));
    return result;
  }
  try {
    py::gil_scoped_acquire gil;
    py::object mod = EvalModule();
    py::list vars;
    for (const auto& [k, v] : options.script_vars) vars.append(py::make_tuple(k, v));
    py::tuple r = mod.attr("evaluate")(file.path(), py::bytes(file.text()), vars, options.xm_file,
                                       options.xm_help ? 1 : 0, options.timeout_seconds);
    result.eval.ok = r[0].cast<bool>();
    for (const py::handle& b : r[1].cast<py::list>()) {
      auto t = b.cast<py::tuple>();
      result.eval.bindings.push_back(
          Binding{t[0].cast<std::string>(), ToSpan(t[1]), ToValue(t[2])});
    }
    result.eval.printed = r[2].cast<std::string>();
    result.eval.printed_stderr = r[3].cast<std::string>();
    for (const py::handle& n : r[4].cast<py::list>()) AddNote(file.path(), n, options, diags);
    if (!r[5].is_none()) {
      auto e = r[5].cast<py::tuple>();
      std::string kind = e[0].cast<std::string>();
      std::string message = e[1].cast<std::string>();
      Span span{e[2].cast<uint32_t>(), e[3].cast<uint32_t>(), e[4].cast<uint32_t>()};
      if (kind == "syntax") {
        if (!DiagnoseInvalidName(file, span.line, options, diags)) {
          if (span.valid() && span.end_column == 0) span.end_column = span.column + 1;
          diags->Add(DiagId::kSyntaxError, file.path(), span, "", message);
        }
      } else if (kind == "timeout") {
        diags->Add(DiagId::kEvalTimeout, file.path(), span, "", message);
      } else if (kind == "xm-vars") {
        diags->Add(DiagId::kCheckerError, file.path(), span, "", message);
      } else {
        diags->Add(DiagId::kPythonError, file.path(), span, "", message);
      }
    }
    result.script_names = r[6].cast<std::vector<std::string>>();
    result.read_names = r[7].cast<std::vector<std::string>>();
  } catch (const py::error_already_set& e) {
    diags->Add(DiagId::kPythonError, file.path(), Span{}, "",
               std::string("internal error in the Python front end: ") + e.what());
    result.eval.ok = false;
  }
  return result;
}

FrontendResult Evaluate(const SourceFile& file, const EvalOptions& options, PythonHost* python,
                        Diagnostics* diags) {
  if (options.frontend != FrontendChoice::kPython) {
    NativeRejection rejection;
    if (auto eval = ParseNative(file, &rejection)) {
      FrontendResult r;
      r.eval = std::move(*eval);
      for (const auto& [k, v] : options.script_vars) r.script_names.push_back(k);
      return r;
    }
    if (options.frontend == FrontendChoice::kNative) {
      diags->Add(DiagId::kSyntaxError, file.path(), rejection.span, "",
                 "--frontend=native: " + rejection.reason);
      return FrontendResult{};
    }
  }
  return EvaluatePython(file, options, python, diags);
}

}  // namespace xmc
