#include "cli/printers.h"

#include <algorithm>

#include "cli/commands.h"
#include "version.h"

namespace xmc::cli {
namespace {

using Json = nlohmann::ordered_json;

/// xmc's columns count bytes; SARIF's (columnKind unicodeCodePoints) count characters.
uint32_t CodePointColumn(std::string_view line, uint32_t column) {
  uint32_t points = 1;
  for (size_t i = 0; i + 1 < column && i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xc0) != 0x80) ++points;
  }
  return column > line.size() + 1 ? points + (column - static_cast<uint32_t>(line.size()) - 1) : points;
}

}  // namespace

void JsonPrinter::Print(const Diagnostic& d, const SourceFile*) {
  Json j;
  j["file"] = d.file;
  j["line"] = d.span.line;
  j["column"] = d.span.column;
  j["end_column"] = d.span.end_column;
  j["severity"] = SeverityName(d.severity);
  j["id"] = std::string(InfoOf(d.id).id);
  j["message"] = d.message;
  j["path"] = d.path;
  j["notes"] = d.notes;
  findings_.push_back(j);
}

void JsonPrinter::Finish() { out_ << findings_.dump(2, ' ', false, Json::error_handler_t::replace) << "\n"; }

void SarifPrinter::Print(const Diagnostic& d, const SourceFile* source) {
  const DiagInfo& info = InfoOf(d.id);
  std::string id(info.id);
  if (!rule_index_.count(id)) {
    rule_index_[id] = rules_.size();
    rules_.push_back({{"id", id},
                      {"shortDescription", {{"text", ReadableFormat(info.format)}}},
                      {"defaultConfiguration", {{"level", SeverityName(info.severity)}}}});
  }
  Json result{{"ruleId", id},
              {"ruleIndex", rule_index_[id]},
              {"level", SeverityName(d.severity)},
              {"message", {{"text", FullMessage(d)}}}};
  if (!d.file.empty()) {
    Json physical{{"artifactLocation", {{"uri", UriOf(d.file)}}}};
    if (d.span.valid()) {
      std::string_view line = source ? source->Line(d.span.line) : std::string_view();
      uint32_t start = CodePointColumn(line, std::max<uint32_t>(d.span.column, 1));
      Json region{{"startLine", d.span.line}, {"startColumn", start}};
      if (d.span.end_column > d.span.column) region["endColumn"] = CodePointColumn(line, d.span.end_column);
      physical["region"] = region;
    }
    result["locations"] = Json::array({{{"physicalLocation", physical}}});
  }
  results_.push_back(result);
}

void SarifPrinter::Finish() {
  Json sarif{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
             {"version", "2.1.0"},
             {"runs", Json::array({{{"tool",
                                     {{"driver",
                                       {{"name", "xmc"},
                                        {"version", kVersion},
                                        {"informationUri", "https://xenbits.xen.org/"},
                                        {"rules", rules_}}}}},
                                    {"columnKind", "unicodeCodePoints"},
                                    {"results", results_}}})}};
  out_ << sarif.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

}  // namespace xmc::cli
