#include "compiler/schema/schema.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace xmc {

extern const char kSchemaYaml[];

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

std::optional<Schema> Schema::Parse(const std::string& yaml, std::string* error) {
  try {
    YAML::Node root = YAML::Load(yaml);
    Schema schema;
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
      schema.vars_.push_back(std::move(spec));
    }
    schema.options_ = Strings(root["options"]);
    return schema;
  } catch (const YAML::Exception& e) {
    if (error) *error = e.what();
    return std::nullopt;
  }
}

const Schema& Schema::Builtin() {
  static const Schema schema = [] {
    std::string error;
    auto parsed = Parse(kSchemaYaml, &error);
    if (!parsed) {
      std::fprintf(stderr, "xmc: internal error: the built-in schema does not parse: %s\n",
                   error.c_str());
      std::abort();
    }
    return std::move(*parsed);
  }();
  return schema;
}

const VarSpec* Schema::Find(const std::string& name) const {
  for (const VarSpec& v : vars_) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

std::vector<std::string> Schema::Names() const {
  std::vector<std::string> names;
  for (const VarSpec& v : vars_) names.push_back(v.name);
  return names;
}

const VarSpec* Schema::FindAlias(const std::string& name) const {
  for (const VarSpec& v : vars_) {
    if (std::find(v.aliases.begin(), v.aliases.end(), name) != v.aliases.end()) return &v;
  }
  return nullptr;
}

bool Schema::IsOption(const std::string& name) const {
  return std::find(options_.begin(), options_.end(), name) != options_.end();
}

}  // namespace xmc
