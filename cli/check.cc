// xmc check: files and whole trees; xmc explain; xmc schema.

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/printers.h"
#include "compiler/base/strings.h"
#include "compiler/host/host.h"
#include "compiler/pipeline.h"
#include "compiler/sandbox/client.h"
#include "compiler/schema/schema.h"
#include "compiler/tree/check_paths.h"
#include "version.h"

namespace xmc::cli {
namespace {

using Json = nlohmann::ordered_json;

/// Renders a check's findings as `format` on stdout and its summary on stderr.
int Report(const CommonOptions& common, const CheckCmdOptions& options, const CheckedPaths& checked) {
  const std::vector<Diagnostic>& all = checked.diagnostics;
  auto SourceOf = [&checked](const std::string& file) -> const SourceFile* {
    auto it = checked.sources.find(file);
    return it == checked.sources.end() ? nullptr : &it->second;
  };
  size_t errors = checked.cut_errors, warnings = checked.cut_warnings, skipped = 0;
  for (const Diagnostic& d : all) {
    errors += d.severity == Severity::kError;
    warnings += d.severity == Severity::kWarning;
    skipped += d.id == DiagId::kSkippedFile;
  }
  std::unique_ptr<DiagnosticPrinter> printer;
  if (options.format == "json") {
    printer = std::make_unique<JsonPrinter>(std::cout);
  } else if (options.format == "sarif") {
    printer = std::make_unique<SarifPrinter>(std::cout);
  } else {
    printer = std::make_unique<TextPrinter>(std::cout, RenderOptions{common.color});
  }
  PrintAll(all, SourceOf, *printer);
  size_t files = checked.files;
  std::cerr << fmt::format("xmc check: {} file{} checked, {} error{}, {} warning{}, {} skipped\n", files,
                           files == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
                           skipped);
  if (!common.host_files)
    std::cerr << "xmc check: host files (kernels, pygrub, devices) were not checked: " << common.host_reason << "\n";
  if (checked.io_error) return 2;
  return errors > 0 || (options.werror && warnings > 0) ? 1 : 0;
}

std::string DefaultText(const VarSpec& v) {
  if (!v.default_from.empty()) return v.default_from == "display" ? "$DISPLAY" : "$XAUTHORITY or ~/.Xauthority";
  if (!v.default_value) return "unset";
  if (v.default_value->kind == XmValue::Kind::kList) return "[]";
  return v.default_value->Repr();
}

}  // namespace

/// A path as a URI reference: every byte but the unreserved ones and '/' percent-encoded.
std::string UriOf(const std::string& path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

CompileRequest RequestFromOptions(const CommonOptions& common) { return RequestOf(common.session); }

int RunCheck(const CommonOptions& common, const CheckCmdOptions& options, PythonHost* python) {
  CheckPathsRequest request;
  request.paths = options.paths;
  request.base = RequestFromOptions(common);
  request.base.check.host_cpus = options.host_cpus;
  request.root = common.session.root;
  CheckedPaths checked = CheckPaths(request, python, [] { return std::make_unique<sandbox::SandboxedPython>(); });
  return Report(common, options, checked);
}

std::string ExplainText(const VarSpec& v) {
  std::ostringstream out;
  out << v.name << "\n\n  " << v.doc << "\n\n";
  out << "  type:        " << Name(v.type) << (v.is_list() ? " (a list)" : "") << "\n";
  out << "  default:     " << DefaultText(v) << "\n";
  out << "  guests:      " << (v.scope == Scope::kAll ? "PV and HVM" : v.scope == Scope::kPv ? "PV" : "HVM") << "\n";
  if (!v.values.empty()) {
    out << "  values:      ";
    for (size_t i = 0; i < v.values.size(); ++i) out << (i ? ", " : "") << v.values[i];
    out << "\n";
  }
  if (v.range) out << "  range:       " << v.range->first << " to " << v.range->second << "\n";
  if (!v.deprecated.empty()) out << "  deprecated:  " << v.deprecated << "\n";
  out << "  command line: " << v.name << "=VALUE"
      << (v.conv == Conv::kNone     ? " is a script variable (xm does not declare it)"
          : v.conv == Conv::kAppend ? " appends one entry"
          : v.conv == Conv::kBool   ? " takes yes/y/no/n"
                                    : "")
      << "\n";
  if (!v.aliases.empty()) {
    out << "  also written: ";
    for (size_t i = 0; i < v.aliases.size(); ++i) out << (i ? ", " : "") << v.aliases[i];
    out << " (not xm names; xmc suggests '" << v.name << "' for them)\n";
  }
  return out.str();
}

int RunExplain(const std::string& key) {
  const Schema& schema = Schema::Builtin();
  const VarSpec* v = schema.Find(key);
  if (v == nullptr) {
    const VarSpec* alias = schema.FindAlias(key);
    std::string suggestion = alias ? alias->name : DidYouMean(key, schema.Names());
    Diagnostics d;
    d.Add<DiagId::kUnknownKey>("", Span{}, key, Choice{suggestion.empty() ? 0u : 1u}, suggestion);
    std::cerr << Render(d.all().front(), nullptr, RenderOptions{});
    return 1;
  }
  std::cout << ExplainText(*v);
  return 0;
}

int RunSchema(const std::string& format) {
  const Schema& schema = Schema::Builtin();
  if (format == "yaml") {
    std::cout << Schema::BuiltinYaml();
    return 0;
  }
  if (format == "json") {
    std::cout << SchemaJson(schema) << "\n";
    return 0;
  }
  // man: xmc-config(5)
  std::ostringstream m;
  m << ".TH XMC-CONFIG 5 \"2026\" \"xmc " << kVersion << "\" \"File Formats\"\n"
    << ".SH NAME\nxmc-config \\- variables of Xen xm domain configuration files\n"
    << ".SH DESCRIPTION\n"
    << "An xm domain configuration file is a Python script; the variables it leaves set "
       "describe the domain. This page lists every variable xm 4.4 knew, generated from xmc's "
       "schema. Values of other Python types than string, integer, float and list are ignored by "
       "xm; xmc reports them.\n"
    << ".SH VARIABLES\n";
  for (const VarSpec& v : schema.vars()) {
    m << ".TP\n.B " << RoffEscape(v.name) << "\n"
      << RoffEscape(v.doc) << "\n.br\n"
      << "Type: " << RoffEscape(std::string(Name(v.type))) << (v.is_list() ? " (list)" : "")
      << "; default: " << RoffEscape(DefaultText(v)) << "; guests: "
      << (v.scope == Scope::kAll  ? "PV and HVM"
          : v.scope == Scope::kPv ? "PV"
                                  : "HVM")
      << ".\n";
    if (!v.values.empty()) {
      m << ".br\nValues: ";
      for (size_t i = 0; i < v.values.size(); ++i) m << (i ? ", " : "") << RoffEscape(v.values[i]);
      m << ".\n";
    }
    if (v.range) m << ".br\nRange: " << v.range->first << " to " << v.range->second << ".\n";
    if (!v.deprecated.empty()) m << ".br\nDeprecated: " << RoffEscape(v.deprecated) << ".\n";
  }
  m << ".SH SEE ALSO\n.BR xl.cfg (5)\n";
  std::cout << m.str();
  return 0;
}

}  // namespace xmc::cli
