// Build-time tool: reads schema/xm-vars.yaml with yaml-cpp and writes the C++ table that
// xmc compiles in (BuiltinSchemaVars / BuiltinSchemaOptions), so that xmc starts without
// parsing YAML. Usage: xmc_schema_gen SCHEMA.yaml OUTPUT.cc
#include <fstream>
#include <iostream>
#include <sstream>

#include "compiler/schema/schema.h"

namespace {

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string Strings(const std::vector<std::string>& v) {
  std::string out = "{";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + Quote(v[i]);
  return out + "}";
}

std::string Default(const xmc::XmValue& x) {
  switch (x.kind) {
    case xmc::XmValue::Kind::kInt: return "XmValue::Int(" + std::to_string(x.i) + ")";
    case xmc::XmValue::Kind::kString: return "XmValue::String(" + Quote(x.s) + ")";
    case xmc::XmValue::Kind::kList: {
      std::string out = "XmValue::List({";
      for (size_t i = 0; i < x.items.size(); ++i) out += (i ? ", " : "") + Default(x.items[i]);
      return out + "})";
    }
    default: return "XmValue::String(\"\")";
  }
}

/// "access_control" -> "AccessControl": the enumerator of a schema word.
std::string Camel(std::string_view word) {
  std::string out;
  bool up = true;
  for (char c : word) {
    if (c == '_') {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: xmc_schema_gen SCHEMA.yaml OUTPUT.cc\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream text;
  text << in.rdbuf();
  std::string error;
  auto schema = xmc::Schema::Parse(text.str(), &error);
  if (!schema) {
    std::cerr << argv[1] << ": error: " << error << "\n";
    return 1;
  }
  std::ostringstream out;
  out << "// Generated from " << argv[1] << " by tools/schema_gen.cc; do not edit.\n"
      << "#include \"compiler/schema/schema.h\"\n\nnamespace xmc {\nnamespace {\n\n"
      << "// One small function per variable: compilers (and sanitizers above all) take far\n"
      << "// longer over one function of a hundred such blocks.\n";
  size_t index = 0;
  for (const xmc::VarSpec& v : schema->vars()) {
    out << "[[gnu::noinline]] void Add" << index++ << "(std::vector<VarSpec>* vars) {\n  {\n    VarSpec s;\n"
        << "    s.name = " << Quote(v.name) << ";\n"
        << "    s.type = VarType::k" << Camel(xmc::Name(v.type)) << ";\n"
        << "    s.conv = Conv::k" << Camel(xmc::Name(v.conv)) << ";\n";
    if (v.default_value) out << "    s.default_value = " << Default(*v.default_value) << ";\n";
    if (!v.default_from.empty()) out << "    s.default_from = " << Quote(v.default_from) << ";\n";
    out << "    s.scope = Scope::k" << Camel(xmc::Name(v.scope)) << ";\n"
        << "    s.sxp = SxpAt::k" << Camel(xmc::Name(v.sxp)) << ";\n";
    for (const xmc::SxpPlace& p : v.sxp_places) {
      out << "    s.sxp_places.push_back({SxpAt::k" << Camel(xmc::Name(p.at)) << ", " << p.order << ", SxpWhen::k"
          << Camel(xmc::Name(p.when)) << ", " << Quote(p.key) << ", " << (p.custom ? "true" : "false") << "});\n";
    }
    if (!v.sxp_with.empty()) out << "    s.sxp_with = " << Quote(v.sxp_with) << ";\n";
    for (const auto& [backend, t] : v.treatments) {
      out << "    s.treatments.push_back({" << Quote(backend) << ", Treatment{Treatment::Kind::k"
          << Camel(xmc::Name(t.kind)) << ", " << Quote(t.reason) << ", " << t.order << ", "
          << (t.target_default ? "std::optional<int64_t>{" + std::to_string(*t.target_default) + "}"
                               : std::string("std::nullopt"))
          << ", " << Strings(t.places) << "}});\n";
    }
    if (!v.values.empty()) out << "    s.values = " << Strings(v.values) << ";\n";
    if (!v.keys.empty()) out << "    s.keys = " << Strings(v.keys) << ";\n";
    if (v.range)
      out << "    s.range = std::make_pair(int64_t{" << v.range->first << "}, int64_t{" << v.range->second << "});\n";
    if (v.zero_is_unset) out << "    s.zero_is_unset = true;\n";
    if (v.int_only) out << "    s.int_only = true;\n";
    if (!v.deprecated.empty()) out << "    s.deprecated = " << Quote(v.deprecated) << ";\n";
    if (!v.aliases.empty()) out << "    s.aliases = " << Strings(v.aliases) << ";\n";
    out << "    s.doc = " << Quote(v.doc) << ";\n"
        << "    vars->push_back(std::move(s));\n  }\n}\n\n";
  }
  out << "}  // namespace\n\nstd::vector<VarSpec> BuiltinSchemaVars() {\n  std::vector<VarSpec> vars;\n"
      << "  vars.reserve(" << schema->vars().size() << ");\n";
  for (size_t i = 0; i < index; ++i) out << "  Add" << i << "(&vars);\n";
  out << "  return vars;\n}\n\n"
      << "std::vector<std::string> BuiltinSchemaOptions() { return " << Strings(schema->options()) << "; }\n\n"
      << "std::vector<std::string> BuiltinSchemaXlKeys() { return " << Strings(schema->xl_keys()) << "; }\n\n"
      << "std::vector<std::pair<std::string, std::string>> BuiltinSchemaRemoved() {\n  return {";
  for (const auto& [name, release] : schema->removed()) out << "{" << Quote(name) << ", " << Quote(release) << "}, ";
  out << "};\n}\n\n"
      << "}  // namespace xmc\n";
  std::ofstream file(argv[2]);
  file << out.str();
  return file ? 0 : 1;
}
