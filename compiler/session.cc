#include "compiler/session.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "compiler/base/strings.h"
#include "compiler/emit/backend.h"

namespace xmc {
namespace {

template <size_t N>
bool OneOf(const std::string& word, const char* const (&words)[N], std::string* list) {
  bool found = false;
  for (size_t i = 0; i < N; ++i) {
    *list += std::string(i == 0 ? "'" : i + 1 == N ? " or '" : ", '") + words[i] + "'";
    found = found || word == words[i];
  }
  return found;
}

using OrderedJson = nlohmann::ordered_json;

OrderedJson SpanJson(const Span& s) { return OrderedJson::array({s.line, s.column, s.end_column}); }

/// The front end's Value tree, with spans (for comparing front ends and for tools).
OrderedJson ValueJson(const Value& v) {
  OrderedJson j;
  j["type"] = v.TypeName();
  switch (v.kind()) {
    case Value::Kind::kNone: j["value"] = nullptr; break;
    case Value::Kind::kBool: j["value"] = v.as_bool(); break;
    case Value::Kind::kInt: j["value"] = v.as_int(); break;
    case Value::Kind::kFloat: j["value"] = v.as_float(); break;
    case Value::Kind::kString: j["value"] = v.as_string(); break;
    case Value::Kind::kOther: j["value"] = nullptr; break;
    case Value::Kind::kList: {
      OrderedJson items = OrderedJson::array();
      for (const Value& item : v.items()) items.push_back(ValueJson(item));
      j["value"] = items;
      break;
    }
    case Value::Kind::kDict: {
      OrderedJson entries = OrderedJson::array();
      for (const auto& [k, val] : v.entries()) entries.push_back({ValueJson(k), ValueJson(val)});
      j["value"] = entries;
      break;
    }
  }
  j["span"] = SpanJson(v.span());
  return j;
}

}  // namespace

std::string CheckSessionOptions(const SessionOptions& o) {
  std::string words;
  if (!OneOf(o.frontend, kFrontendWords, &words)) return "frontend must be " + words + ", not '" + o.frontend + "'";
  words.clear();
  if (!OneOf(o.host, kHostWords, &words)) return "host must be " + words + ", not '" + o.host + "'";
  if (!(o.eval_timeout >= 0)) return "eval_timeout must be a number of seconds >= 0 (0: no limit)";
  return "";
}

CompileRequest RequestOf(const SessionOptions& o, std::string* host_reason) {
  CompileRequest r;
  r.frontend = o.frontend == "native"   ? FrontendChoice::kNative
               : o.frontend == "python" ? FrontendChoice::kPython
                                        : FrontendChoice::kAuto;
  r.eval_timeout_seconds = o.eval_timeout;
  r.eval_memory_mib = o.eval_memory_mib;
  r.max_input_bytes = o.max_input_kib * 1024;
  r.max_diagnostics = o.max_diagnostics;
  r.unsandboxed = o.unsandboxed;
  r.pedantic = o.pedantic;
  r.pass_env = o.pass_env;
  std::string reason;
  r.host_files = WantHostFiles(o.host, o.root, &reason);
  if (host_reason != nullptr) *host_reason = reason;
  return r;
}

std::vector<std::string> OutputNames() {
  std::vector<std::string> names;
  for (const Backend& b : Backends()) names.emplace_back(b.name);
  names.emplace_back(kValuesOutput);
  return names;
}

Output ProduceOutput(const Compilation& c, const OutputRequest& r, const Host& host) {
  Output out;
  const Backend* backend = FindBackend(r.name);
  if (backend == nullptr && r.name != kValuesOutput) {
    std::string names;
    for (const std::string& n : OutputNames()) names += (names.empty() ? "" : ", ") + n;
    out.status = Output::Status::kBadRequest;
    out.error = "no output '" + r.name + "' (one of " + names + ")";
    return out;
  }
  if (r.domid < kMinDomid || r.domid > kMaxDomid) {
    out.status = Output::Status::kBadRequest;
    out.error = "domid must be " + std::to_string(kMinDomid) + " to " + std::to_string(kMaxDomid);
    return out;
  }
  if (r.uuid && r.name == "xenstore" && XendUuid(*r.uuid).empty()) {
    out.status = Output::Status::kBadRequest;
    out.error = "'" + *r.uuid + "' is not a UUID (32 hex digits, dashes anywhere)";
    return out;
  }
  if (!c.read_ok) {
    out.status = Output::Status::kUnreadable;
    return out;
  }
  if (r.name == kValuesOutput) {
    // The front end's result alone: later stages' problems do not hide it.
    if (!c.evaluated) {
      out.status = Output::Status::kUnusable;
      return out;
    }
    out.text = ValuesJson(c.frontend.eval);
    return out;
  }
  if (!c.evaluated || (r.as_xm ? c.xm_failed() : c.diags.ErrorCount() > 0)) {
    out.status = Output::Status::kUnusable;
    return out;
  }
  EmitOptions options;
  options.file = c.source.path();
  options.domid = r.domid;
  if (r.name == "xenstore") {
    // The UUID xend gave the domain: the one asked for, else the config's, else a fresh one.
    std::string uuid = r.uuid.value_or(c.config.uuid.value.value_or(""));
    options.uuid = uuid.empty() ? FreshUuid(host) : XendUuid(uuid);
    if (options.uuid.empty()) {  // the config's (a given one was checked above)
      out.status = Output::Status::kUnusable;
      out.error = "'" + uuid + "' is not a UUID (32 hex digits, dashes anywhere)";
      return out;
    }
  }
  std::ostringstream text;
  backend->emit(c.config, options, text, &out.diags);
  if (out.diags.ErrorCount() > 0) {
    out.status = Output::Status::kFailed;
    return out;
  }
  out.text = text.str();
  return out;
}

std::string ValuesJson(const Evaluation& eval) {
  OrderedJson bindings = OrderedJson::array();
  for (const Binding& b : eval.bindings) {
    bindings.push_back({{"name", b.name}, {"span", SpanJson(b.name_span)}, {"value", ValueJson(b.value)}});
  }
  OrderedJson doc{{"frontend", eval.frontend}, {"printed", eval.printed}, {"bindings", bindings}};
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace xmc
