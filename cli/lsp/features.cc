#include "cli/lsp/features.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "cli/commands.h"
#include "compiler/emit/backend.h"
#include "compiler/schema/schema.h"

namespace xmc::cli::lsp {
namespace {

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

/// The variable the statement around byte `at` of a line assigns (`NAME = ...`, statements
/// split at ';') when `at` is in its value; else "".
std::string AssignedName(const std::string& line, size_t at) {
  size_t start = at == 0 ? std::string::npos : line.rfind(';', at - 1);
  start = start == std::string::npos ? 0 : start + 1;
  size_t eq = line.find('=', start);
  if (eq == std::string::npos || at <= eq || (eq + 1 < line.size() && line[eq + 1] == '=')) return "";
  size_t b = line.find_first_not_of(" \t", start);
  size_t e = b;
  while (e < eq && IsNameChar(line[e])) ++e;
  if (b == e || line.find_first_not_of(" \t", e) != eq) return "";
  return line.substr(b, e - b);
}

/// The line of a request's position in `doc` and the byte of it the position is at.
void LineAt(const Document& doc, const Json& params, std::string* line, size_t* byte) {
  SourceFile source(doc.path, doc.text);
  auto n = params.at("position").at("line").get<uint32_t>();
  *line = std::string(source.Line(n + 1));
  *byte = ByteOffset(*line, params.at("position").at("character").get<uint32_t>());
}

}  // namespace

Json ToLsp(const Diagnostic& d, const SourceFile& source, bool code_links) {
  const Span& s = d.span;
  Json start = Position(source, s.line, s.column);
  Json end = s.end_column > s.column ? Position(source, s.line, s.end_column) : start;
  std::string message = FullMessage(d);
  Json j{{"range", {{"start", start}, {"end", end}}},
         {"severity", d.severity == Severity::kError     ? 1
                      : d.severity == Severity::kWarning ? 2
                                                         : 3},
         {"code", std::string(InfoOf(d.id).id)},
         {"source", "xmc"},
         {"message", message}};
  if (code_links) j["codeDescription"] = {{"href", "man:xmc(1)#" + std::string(InfoOf(d.id).id)}};
  // A did-you-mean: the edit of its quick fix, where the word stands in the span.
  if (!d.replacement.empty() && s.valid()) {
    std::string_view line = source.Line(s.line);
    size_t from = s.column > 0 ? s.column - 1 : 0;
    size_t to = s.end_column > s.column ? std::min<size_t>(s.end_column - 1, line.size()) : line.size();
    size_t at = from < line.size() ? line.substr(from, to - from).find(d.original) : std::string_view::npos;
    if (at != std::string_view::npos && !d.original.empty()) {
      size_t b = from + at;
      Json range{{"start", {{"line", s.line - 1}, {"character", Utf16Units(line, b)}}},
                 {"end", {{"line", s.line - 1}, {"character", Utf16Units(line, b + d.original.size())}}}};
      j["data"] = {{"fix", {{"range", range}, {"newText", d.replacement}}}};
    }
  }
  return j;
}

void LspPrinter::Print(const Diagnostic& d, const SourceFile* source) {
  Json j = ToLsp(d, source != nullptr ? *source : SourceFile(d.file, std::string()), code_links_);
  if (!d.related_file.empty()) {
    const std::string* other = text_of_ ? text_of_(d.related_file) : nullptr;
    SourceFile related(d.related_file, other ? *other : std::string());
    Json start = Position(related, d.related_span.line, d.related_span.column);
    j["relatedInformation"] =
        Json::array({{{"location", {{"uri", UriFor(d.related_file)}, {"range", {{"start", start}, {"end", start}}}}},
                      {"message", "the earlier config"}}});
  }
  diagnostics.push_back(std::move(j));
}

Json Hover(const Document& doc, const Json& params) {
  std::string line;
  size_t at = 0;
  LineAt(doc, params, &line, &at);
  size_t b = at, e = at;
  while (b > 0 && IsNameChar(line[b - 1])) --b;
  while (e < line.size() && IsNameChar(line[e])) ++e;
  if (b == e) return nullptr;
  std::string word = line.substr(b, e - b);
  const VarSpec* v = Schema::Builtin().Find(word);
  std::string text;
  if (v != nullptr && AssignedName(line, b).empty()) {
    text = "```\n" + ExplainText(*v) + "```";
  } else if (const VarSpec* owner = Schema::Builtin().Find(AssignedName(line, b))) {
    // Inside the value of NAME = ...: one of its values, or a key of its specs.
    const std::vector<std::string>& keys = owner->keys;
    if (std::find(owner->values.begin(), owner->values.end(), word) != owner->values.end()) {
      text = "`" + word + "`: one of the values of `" + owner->name + "`\n\n```\n" + ExplainText(*owner) + "```";
    } else if (e < line.size() && line[e] == '=' && std::find(keys.begin(), keys.end(), word) != keys.end()) {
      std::string all;
      for (const std::string& k : keys) all += (all.empty() ? "" : ", ") + k;
      text = "`" + word + "=`: a key of a `" + owner->name + "` spec (xm accepted " + all + ")\n\n" + owner->doc;
    }
  }
  if (text.empty()) return nullptr;
  return {{"contents", {{"kind", "markdown"}, {"value", text}}},
          {"range",
           {{"start", {{"line", params.at("position").at("line")}, {"character", Utf16Units(line, b)}}},
            {"end", {{"line", params.at("position").at("line")}, {"character", Utf16Units(line, e)}}}}}};
}

Json Completion(const Document& doc, const Json& params) {
  std::string line;
  size_t at = 0;
  Json items = Json::array();
  LineAt(doc, params, &line, &at);
  const Schema& schema = Schema::Builtin();
  std::string name = AssignedName(line, at);
  if (name.empty()) {
    // A variable name at the start of a statement.
    size_t b = at;
    while (b > 0 && IsNameChar(line[b - 1])) --b;
    size_t start = b == 0 ? std::string::npos : line.rfind(';', b - 1);
    start = start == std::string::npos ? 0 : start + 1;
    if (line.find_first_not_of(" \t", start) < b) return items;
    std::string prefix = line.substr(b, at - b);
    for (const VarSpec& v : schema.vars()) {
      if (v.name.compare(0, prefix.size(), prefix) != 0) continue;
      // Scope-aware: no HVM-only keys in a PV config, no PV-only keys in an HVM one.
      if (doc.scope != Scope::kAll && v.scope != Scope::kAll && v.scope != doc.scope) continue;
      items.push_back({{"label", v.name},
                       {"kind", 6},
                       {"detail", std::string(Name(v.type)) + (v.is_list() ? " list" : "")},
                       {"documentation", v.doc}});
    }
    return items;
  }
  // Inside a string of NAME's value: its allowed values, or a key of its specs.
  const VarSpec* v = schema.Find(name);
  std::string before = line.substr(0, at);
  size_t statement = before.rfind(';');
  size_t eq = before.find('=', statement == std::string::npos ? 0 : statement);
  if (v == nullptr || eq == std::string::npos || before.find_first_of("'\"", eq) == std::string::npos) {
    return items;
  }
  for (const std::string& value : v->values) items.push_back({{"label", value}, {"kind", 20}});
  size_t last = before.find_last_not_of(" \tabcdefghijklmnopqrstuvwxyz_0123456789");
  if (last != std::string::npos && (before[last] == '\'' || before[last] == '"' || before[last] == ',')) {
    for (const std::string& key : v->keys) {
      items.push_back({{"label", key + "="}, {"kind", 10}, {"detail", "a key of a " + v->name + " spec"}});
    }
  }
  return items;
}

Json CodeActions(const Document* doc, const Json& params) {
  Json actions = Json::array();
  std::string uri = params.at("textDocument").at("uri");
  // The kinds the client asked for (context.only), or all.
  auto wanted = [&params](const std::string& kind) {
    if (!params.contains("context") || !params["context"].contains("only")) return true;
    for (const Json& k : params["context"]["only"]) {
      if (k.is_string() && kind.compare(0, k.get<std::string>().size(), k.get<std::string>()) == 0) return true;
    }
    return false;
  };
  std::optional<std::string> xl;
  if (doc != nullptr && doc->config && !doc->path.empty() && wanted("refactor")) {
    std::ostringstream out;
    Diagnostics emit_diags;
    EmitOptions options;
    options.file = doc->path;
    FindBackend("xl")->emit(*doc->config, options, out, &emit_diags);
    if (emit_diags.ErrorCount() == 0) xl = out.str();
  }
  if (xl) {
    // NAME.xl.cfg beside the config, with what `xmc compile --emit xl` writes.
    std::string stem = uri.substr(uri.rfind('/') + 1);
    if (stem.size() > 4 && stem.compare(stem.size() - 4, 4, ".cfg") == 0) stem.resize(stem.size() - 4);
    std::string target = uri.substr(0, uri.rfind('/') + 1) + stem + ".xl.cfg";
    Json insert{{"range", {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}}},
                {"newText", *xl}};
    actions.push_back(
        {{"title", "Convert to xl.cfg (" + stem + ".xl.cfg)"},
         {"kind", "refactor"},
         {"edit",
          {{"documentChanges",
            Json::array({{{"kind", "create"}, {"uri", target}, {"options", {{"overwrite", true}}}},
                         {{"textDocument", {{"uri", target}, {"version", nullptr}}}, {"edits", {insert}}}})}}}});
  }
  if (!params.contains("context") || !params["context"].contains("diagnostics") || !wanted("quickfix")) {
    return actions;
  }
  for (const Json& d : params["context"]["diagnostics"]) {
    if (!d.contains("data") || !d["data"].is_object() || !d["data"].contains("fix")) continue;
    const Json& fix = d["data"]["fix"];
    actions.push_back({{"title", "Replace with '" + fix.value("newText", std::string()) + "'"},
                       {"kind", "quickfix"},
                       {"diagnostics", Json::array({d})},
                       {"isPreferred", true},
                       {"edit", {{"changes", {{uri, Json::array({fix})}}}}}});
  }
  return actions;
}

}  // namespace xmc::cli::lsp
