// The Python evaluator's result (xmc_eval.py's evaluate_wire: JSON text) turned into a
// FrontendResult and diagnostics. The one decoder for both ways a config is evaluated: in
// this process (tests, the Python module) and in a sandboxed child (the CLI), where the
// text comes from a process that ran code of anyone's: it is checked like any input.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/base/json_shape.h"
#include "compiler/frontend/frontend.h"
#include "compiler/host/host.h"

namespace xmc {
namespace {

using Json = nlohmann::json;

/// Thrown on anything that is not the shape evaluate_wire writes.
struct Malformed {
  std::string what;
};

const Json& At(const Json& j, size_t i) {
  if (!j.is_array() || i >= j.size()) throw Malformed{"a short tuple"};
  return j[i];
}
const Json& Field(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) throw Malformed{std::string("no field '") + key + "'"};
  return j[key];
}
/// A wire string: Latin-1 code points of bytes.
std::string Bytes(const Json& j) {
  if (!j.is_string()) throw Malformed{"a string expected"};
  auto bytes = FromLatin1Utf8(j.get_ref<const std::string&>());
  if (!bytes) throw Malformed{"a string that is not bytes"};
  return *bytes;
}
uint32_t Count(const Json& j) {
  if (!j.is_number_integer() && !j.is_number_unsigned()) throw Malformed{"a number expected"};
  int64_t v = j.get<int64_t>();
  return v < 0 ? 0 : static_cast<uint32_t>(std::min<int64_t>(v, UINT32_MAX));
}
Span ToSpan(const Json& t) { return Span{Count(At(t, 0)), Count(At(t, 1)), Count(At(t, 2))}; }
std::vector<std::string> Strings(const Json& j) {
  if (!j.is_array()) throw Malformed{"a list expected"};
  std::vector<std::string> out;
  for (const Json& s : j) out.push_back(Bytes(s));
  return out;
}

Value ToValue(const Json& node, int depth = 0) {
  if (depth > 100) throw Malformed{"a value nested too deeply"};
  std::string kind = Bytes(At(node, 0));
  const Json& data = At(node, 1);
  Span span = ToSpan(At(node, 2));
  std::string py_type = Bytes(At(node, 3));
  Value v;
  if (kind == "none") {
    v = Value::None(span);
  } else if (kind == "bool") {
    if (!data.is_boolean()) throw Malformed{"a bool expected"};
    v = Value::Bool(data.get<bool>(), span);
  } else if (kind == "int") {
    if (!data.is_number_integer()) throw Malformed{"an integer expected"};
    v = Value::Int(data.get<int64_t>(), span);
  } else if (kind == "float") {
    if (data.is_number()) {
      v = Value::Float(data.get<double>(), span);
    } else {
      std::string text = Bytes(data);  // nan, inf, -inf
      if (text != "nan" && text != "inf" && text != "-inf") throw Malformed{"a float expected"};
      v = Value::Float(std::strtod(text.c_str(), nullptr), span);
    }
  } else if (kind == "str") {
    v = Value::String(Bytes(data), span);
  } else if (kind == "list") {
    if (!data.is_array()) throw Malformed{"a list expected"};
    std::vector<Value> items;
    for (const Json& item : data) items.push_back(ToValue(item, depth + 1));
    v = Value::List(std::move(items), span);
  } else if (kind == "dict") {
    if (!data.is_array()) throw Malformed{"a dict expected"};
    std::vector<std::pair<Value, Value>> entries;
    for (const Json& e : data) entries.emplace_back(ToValue(At(e, 0), depth + 1), ToValue(At(e, 1), depth + 1));
    v = Value::Dict(std::move(entries), span);
  } else if (kind == "other") {
    return Value::Other(py_type, span);
  } else {
    throw Malformed{"a value of unknown kind"};
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

void AddNote(const std::string& file, const Json& note, const EvalOptions& options, Diagnostics* diags) {
  std::string key = Bytes(At(note, 0));
  Span span{Count(At(note, 1)), Count(At(note, 2)), Count(At(note, 3))};
  NoteArgs args{Strings(At(note, 4))};
  if (key == "py2-leak") return AddLeak(diags, file, span, args, options);
  if (key == "env-withheld") {
    // Said only of a variable xmc has and did not pass: one that is not set anywhere is
    // simply missing, as it was for xm.
    RealHost real;
    const Host& host = options.host ? *options.host : real;
    if (!PassedToConfigs(args[0], options.pass_env) && host.Getenv(args[0])) {
      diags->Add<DiagId::kEnvWithheld>(file, span, "", args[0], args[0]);
    }
    return;
  }
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
    d.Suggest(name, suggestion);
  } else {
    d.AddNote<NoteId::kNoSuchVariable>();
  }
  return true;
}

void AddError(const SourceFile& file, const Json& e, const EvalOptions& options, Diagnostics* diags) {
  std::string kind = Bytes(At(e, 0));
  std::string message = Bytes(At(e, 1));
  Span span{Count(At(e, 2)), Count(At(e, 3)), Count(At(e, 4))};
  if (kind == "syntax") {
    if (!DiagnoseInvalidName(file, span.line, options, diags)) {
      if (span.valid() && span.end_column == 0) span.end_column = span.column + 1;
      diags->Add<DiagId::kSyntaxError>(file.path(), span, "", message);
    }
  } else if (kind == "timeout") {
    diags->Add<DiagId::kEvalTimeout>(file.path(), span, "", message);  // the limit in seconds
  } else if (kind == "refused") {
    diags->Add<DiagId::kHostRefused>(file.path(), span, "", message);
  } else if (kind == "python" && message == "MemoryError" && options.memory_mib > 0) {
    diags->Add<DiagId::kEvalMemory>(file.path(), span, "", options.memory_mib);
  } else if (kind == "xm-vars") {
    diags->Add<DiagId::kCheckerError>(file.path(), span, "", message);
  } else {
    diags->Add<DiagId::kPythonError>(file.path(), span, "", message);
  }
}

}  // namespace

FrontendResult DecodeEvaluation(const std::string& text, const SourceFile& file, const EvalOptions& options,
                                Diagnostics* diags) {
  FrontendResult result;
  result.eval.frontend = "python";
  Diagnostics local;  // nothing of a malformed result is kept
  try {
    // A child's: its shape bounded before the parser allocates anything for it.
    if (std::string why = JsonShapeProblem(text); !why.empty()) throw Malformed{why};
    Json r = Json::parse(text);
    FrontendResult decoded;
    decoded.eval.frontend = "python";
    const Json& ok = Field(r, "ok");
    if (!ok.is_boolean()) throw Malformed{"'ok' is not a bool"};
    decoded.eval.ok = ok.get<bool>();
    const Json& bindings = Field(r, "bindings");
    if (!bindings.is_array()) throw Malformed{"'bindings' is not a list"};
    for (const Json& b : bindings) {
      decoded.eval.bindings.push_back(Binding{Bytes(At(b, 0)), ToSpan(At(b, 1)), ToValue(At(b, 2))});
    }
    decoded.eval.printed = Bytes(Field(r, "printed"));
    decoded.eval.printed_stderr = Bytes(Field(r, "printed_stderr"));
    const Json& notes = Field(r, "notes");
    if (!notes.is_array()) throw Malformed{"'notes' is not a list"};
    for (const Json& n : notes) AddNote(file.path(), n, options, &local);
    if (r.contains("cut") && r["cut"].is_boolean() && r["cut"].get<bool>()) {
      local.Add<DiagId::kEvalOutputCut>(file.path(), Span{}, "", kEvalOutputCapBytes);
    }
    const Json& error = Field(r, "error");
    if (!error.is_null()) AddError(file, error, options, &local);
    if (decoded.eval.ok != error.is_null()) throw Malformed{"'ok' and 'error' disagree"};
    decoded.script_names = Strings(Field(r, "declared"));
    decoded.read_names = Strings(Field(r, "read_names"));
    result = std::move(decoded);
    diags->Append(local);
  } catch (const Malformed& m) {
    diags->Add<DiagId::kPythonInternal>(file.path(), Span{}, "", "malformed result from the evaluator: " + m.what);
    result.eval.ok = false;
  } catch (const nlohmann::json::exception& e) {
    diags->Add<DiagId::kPythonInternal>(file.path(), Span{}, "",
                                        std::string("malformed result from the evaluator: ") + e.what());
    result.eval.ok = false;
  }
  return result;
}

}  // namespace xmc
