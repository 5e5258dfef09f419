#include <pybind11/embed.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "compiler/base/py2.h"
#include "compiler/frontend/frontend.h"
#include "compiler/frontend/native.h"

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

/// The arguments of a note from the Python side; a missing one reads as "".
struct NoteArgs {
  std::vector<std::string> items;
  std::string operator[](size_t i) const { return i < items.size() ? items[i] : std::string(); }
};

/// py2-leak: one warning per rewritten comprehension, naming every variable it leaves set.
void AddLeak(Diagnostics* diags, const std::string& file, Span span, const NoteArgs& args, const EvalOptions& options) {
  std::string names, known;
  const std::vector<std::string>& vars = args.items;
  for (size_t i = 0; i < vars.size(); ++i) {
    names += (i == 0 ? "" : i + 1 == vars.size() ? " and " : ", ") + ("'" + vars[i] + "'");
    if (known.empty() && std::find(options.known_variables.begin(), options.known_variables.end(), vars[i]) !=
                             options.known_variables.end()) {
      known = vars[i];
    }
  }
  bool one = vars.size() == 1;
  if (known.empty()) {
    one ? (void)diags->Add<DiagId::kPy2Leak>(file, span, "", names)
        : (void)diags->Add<DiagId::kPy2LeakMany>(file, span, "", names);
  } else {
    one ? (void)diags->Add<DiagId::kPy2LeakXm>(file, span, "", names, known)
        : (void)diags->Add<DiagId::kPy2LeakManyXm>(file, span, "", names, known);
  }
}

/// The notes the Python side sends, by catalogue id.
using NoteAdder = void (*)(Diagnostics*, const std::string&, Span, const NoteArgs&);
const std::pair<std::string_view, NoteAdder> kPythonNotes[] = {
    {"py2-division", [](Diagnostics* d, const std::string& f, Span s,
                        const NoteArgs& a) { d->Add<DiagId::kPy2Division>(f, s, "", a[0], a[1], a[2]); }},
    {"py2-print",
     [](Diagnostics* d, const std::string& f, Span s, const NoteArgs&) { d->Add<DiagId::kPy2Print>(f, s, ""); }},
    {"py2-long",
     [](Diagnostics* d, const std::string& f, Span s, const NoteArgs& a) { d->Add<DiagId::kPy2Long>(f, s, "", a[0]); }},
    {"py2-octal", [](Diagnostics* d, const std::string& f, Span s,
                     const NoteArgs& a) { d->Add<DiagId::kPy2Octal>(f, s, "", a[0], a[1]); }},
    {"py2-backtick",
     [](Diagnostics* d, const std::string& f, Span s, const NoteArgs&) { d->Add<DiagId::kPy2Backtick>(f, s, ""); }},
    {"py2-not-equal",
     [](Diagnostics* d, const std::string& f, Span s, const NoteArgs&) { d->Add<DiagId::kPy2NotEqual>(f, s, ""); }},
    {"py2-except",
     [](Diagnostics* d, const std::string& f, Span s, const NoteArgs&) { d->Add<DiagId::kPy2Except>(f, s, ""); }},
    {"py2-true-false", [](Diagnostics* d, const std::string& f, Span s,
                          const NoteArgs& a) { d->Add<DiagId::kPy2TrueFalse>(f, s, "", a[0]); }},
    {"py2-unordered",
     [](Diagnostics* d, const std::string& f, Span s, const NoteArgs&) { d->Add<DiagId::kPy2Unordered>(f, s, ""); }},
};

void AddNote(const std::string& file, const py::handle& note, const EvalOptions& options, Diagnostics* diags) {
  auto t = note.cast<py::tuple>();
  std::string key = t[0].cast<std::string>();
  Span span{t[1].cast<uint32_t>(), t[2].cast<uint32_t>(), t[3].cast<uint32_t>()};
  NoteArgs args{t[4].cast<std::vector<std::string>>()};
  if (key == "py2-leak") return AddLeak(diags, file, span, args, options);
  for (const auto& [id, add] : kPythonNotes) {
    if (id == key) return add(diags, file, span, args);
  }
}

// A line such as `full-screen=1` is a syntax error in Python; say what it is.
bool DiagnoseInvalidName(const SourceFile& file, uint32_t line, const EvalOptions& options, Diagnostics* diags) {
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
  Diagnostic& d = diags->Add<DiagId::kInvalidName>(file.path(), span, "", name, std::string(1, bad));
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

FrontendResult EvaluatePython(const SourceFile& file, const EvalOptions& options, PythonHost* python,
                              Diagnostics* diags) {
  FrontendResult result;
  result.eval.frontend = "python";
  std::string error;
  if (python == nullptr || !python->EnsureStarted(&error)) {
    diags->Add<DiagId::kPythonStart>(file.path(), Span{}, "", error.empty() ? "" : ": " + error);
    return result;
  }
  try {
    py::gil_scoped_acquire gil;
    py::object mod = EvalModule();
    py::list vars;
    for (const auto& [k, v] : options.script_vars) vars.append(py::make_tuple(k, v));
    // The config asks the machine through the Host, in the Host's serialised protocol.
    RealHost real;
    const Host& host = options.host ? *options.host : real;
    py::cpp_function ask([&host](const std::string& request) -> py::str {
      auto decoded = DecodeRequest(request);
      HostReply reply;
      if (decoded) {
        reply = host.Ask(*decoded);
      } else {
        reply.error = "malformed host request";
      }
      return py::str(EncodeReply(reply));
    });
    py::dict r = mod.attr("evaluate")(file.path(), py::bytes(file.text()), vars, options.xm_file,
                                      options.xm_help ? 1 : 0, options.timeout_seconds, ask);
    result.eval.ok = r["ok"].cast<bool>();
    for (const py::handle& b : r["bindings"].cast<py::list>()) {
      auto t = b.cast<py::tuple>();
      result.eval.bindings.push_back(Binding{t[0].cast<std::string>(), ToSpan(t[1]), ToValue(t[2])});
    }
    result.eval.printed = r["printed"].cast<std::string>();
    result.eval.printed_stderr = r["printed_stderr"].cast<std::string>();
    for (const py::handle& n : r["notes"].cast<py::list>()) AddNote(file.path(), n, options, diags);
    if (!r["error"].is_none()) {
      auto e = r["error"].cast<py::tuple>();
      std::string kind = e[0].cast<std::string>();
      std::string message = e[1].cast<std::string>();
      Span span{e[2].cast<uint32_t>(), e[3].cast<uint32_t>(), e[4].cast<uint32_t>()};
      if (kind == "syntax") {
        if (!DiagnoseInvalidName(file, span.line, options, diags)) {
          if (span.valid() && span.end_column == 0) span.end_column = span.column + 1;
          diags->Add<DiagId::kSyntaxError>(file.path(), span, "", message);
        }
      } else if (kind == "timeout") {
        diags->Add<DiagId::kEvalTimeout>(file.path(), span, "", message);  // the limit in seconds
      } else if (kind == "refused") {
        diags->Add<DiagId::kHostRefused>(file.path(), span, "", message);
      } else if (kind == "xm-vars") {
        diags->Add<DiagId::kCheckerError>(file.path(), span, "", message);
      } else {
        diags->Add<DiagId::kPythonError>(file.path(), span, "", message);
      }
    }
    result.script_names = r["declared"].cast<std::vector<std::string>>();
    result.read_names = r["read_names"].cast<std::vector<std::string>>();
  } catch (const py::error_already_set& e) {
    diags->Add<DiagId::kPythonInternal>(file.path(), Span{}, "", e.what());
    result.eval.ok = false;
  }
  return result;
}

FrontendResult Evaluate(const SourceFile& file, const EvalOptions& options, PythonHost* python, Diagnostics* diags) {
  if (options.frontend != FrontendChoice::kPython) {
    NativeRejection rejection;
    if (auto eval = ParseNative(file, &rejection)) {
      FrontendResult r;
      r.eval = std::move(*eval);
      for (const auto& [k, v] : options.script_vars) r.script_names.push_back(k);
      return r;
    }
    if (options.frontend == FrontendChoice::kNative) {
      diags->Add<DiagId::kNativeOnly>(file.path(), rejection.span, "", rejection.reason);
      return FrontendResult{};
    }
  }
  return EvaluatePython(file, options, python, diags);
}

}  // namespace xmc
