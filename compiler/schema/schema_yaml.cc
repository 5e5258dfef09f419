#include <yaml-cpp/yaml.h>

#include "compiler/schema/schema.h"

// Reading schema/xm-vars.yaml with yaml-cpp. Used at build time by tools/schema_gen.cc
// (which turns the file into a C++ table) and by the tests; xmc itself never parses YAML.

namespace xmc {

namespace {

std::optional<XmValue> DefaultOf(const YAML::Node& node, const std::string& type) {
  if (!node || node.IsNull()) return std::nullopt;
  if (node.IsSequence()) {
    std::vector<XmValue> items;
    for (const auto& item : node) items.push_back(XmValue::String(item.as<std::string>()));
    return XmValue::List(std::move(items));
  }
  if (type == "int" || type == "bool") return XmValue::Int(node.as<int64_t>());
  return XmValue::String(node.as<std::string>());
}

std::vector<std::string> Strings(const YAML::Node& node) {
  std::vector<std::string> out;
  if (node && node.IsSequence()) {
    for (const auto& item : node) out.push_back(item.as<std::string>());
  }
  return out;
}

}  // namespace

bool VarSpec::is_list() const { return conv == "append"; }

Schema Schema::FromParts(std::vector<VarSpec> vars, std::vector<std::string> options) {
  Schema s;
  s.vars_ = std::move(vars);
  s.options_ = std::move(options);
  return s;
}

std::optional<Schema> Schema::Parse(const std::string& yaml, std::string* error) {
  try {
    YAML::Node root = YAML::Load(yaml);
    std::vector<VarSpec> vars;
    for (const auto& v : root["variables"]) {
      VarSpec spec;
      spec.name = v["name"].as<std::string>();
      spec.type = v["type"].as<std::string>();
      spec.conv = v["conv"].as<std::string>();
      spec.default_value = DefaultOf(v["default"], spec.type);
      if (v["default_from"]) spec.default_from = v["default_from"].as<std::string>();
      spec.scope = v["scope"].as<std::string>();
      spec.sxp = v["sxp"].as<std::string>();
      spec.values = Strings(v["values"]);
      if (v["range"]) {
        spec.range = std::make_pair(v["range"][0].as<int64_t>(), v["range"][1].as<int64_t>());
      }
      if (v["deprecated"]) spec.deprecated = v["deprecated"].as<std::string>();
      spec.aliases = Strings(v["aliases"]);
      spec.doc = v["doc"].as<std::string>();
      vars.push_back(std::move(spec));
    }
    return FromParts(std::move(vars), Strings(root["options"]));
  } catch (const YAML::Exception& e) {
    if (error) *error = e.what();
    return std::nullopt;
  }
}

}  // namespace xmc
