#include <yaml-cpp/yaml.h>

#include <algorithm>

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

template <typename E>
E Word(const YAML::Node& node, const char* what) {
  E out{};
  std::string word = node.as<std::string>();
  if (!Parse(word, &out)) throw YAML::Exception(node.Mark(), std::string("unknown ") + what + " '" + word + "'");
  return out;
}

/// A treatment: custom | sxp | {generic: ORDER[, target_default: V]} | {drop: REASON[, order: N]} |
/// {ignore: REASON}.
Treatment TreatmentOf(const YAML::Node& node) {
  Treatment t;
  if (node.IsScalar()) {
    t.kind = Word<Treatment::Kind>(node, "treatment");
    return t;
  }
  bool ordered_drop = node.IsMap() && node.size() == 2 && node["order"] && node["drop"];
  bool with_default = node.IsMap() && node.size() == 2 && node["generic"] && node["target_default"];
  if (with_default) {
    t.kind = Treatment::Kind::kGeneric;
    t.order = node["generic"].as<int>();
    t.target_default = node["target_default"].as<int64_t>();
    return t;
  }
  if (!node.IsMap() || (node.size() != 1 && !ordered_drop)) {
    throw YAML::Exception(
        node.Mark(),
        "a treatment is a word, {kind: value}, {drop: REASON, order: N} or {generic: N, target_default: V}");
  }
  if (ordered_drop) {
    t.kind = Treatment::Kind::kDrop;
    t.reason = node["drop"].as<std::string>();
    t.order = node["order"].as<int>();
    return t;
  }
  auto kv = *node.begin();
  t.kind = Word<Treatment::Kind>(kv.first, "treatment");
  if (t.kind == Treatment::Kind::kCustom) {
    t.places = Strings(kv.second);
  } else if (t.kind == Treatment::Kind::kGeneric) {
    t.order = kv.second.as<int>();
  } else {
    t.reason = kv.second.as<std::string>();
  }
  return t;
}

/// sxp: none | {with: VAR} | a place | a list of places, where a place is
/// {at: top|image|hvm|device, order: N[, when: truthy|set][, key: K][, custom: true]}.
/// The sxp treatment follows: ignore for none, custom when code writes or reads it,
/// generic (at its first place's order) otherwise.
void SxpOf(const YAML::Node& node, VarSpec* spec) {
  Treatment t;
  if (node.IsScalar()) {
    if (node.as<std::string>() != "none")
      throw YAML::Exception(node.Mark(), "an SXP placement is none, {with: VAR} or places");
    t.kind = Treatment::Kind::kIgnore;
    t.reason = "xm did not put it in the SXP";
    spec->treatments.push_back({"sxp", t});
    return;
  }
  if (node.IsMap() && node["with"]) {
    spec->sxp_with = node["with"].as<std::string>();
    t.kind = Treatment::Kind::kCustom;
    spec->treatments.push_back({"sxp", t});
    return;
  }
  t.kind = Treatment::Kind::kGeneric;
  std::vector<YAML::Node> places;
  if (node.IsSequence()) {
    for (const auto& p : node) places.push_back(p);
  } else {
    places.push_back(node);
  }
  for (const YAML::Node& p : places) {
    SxpPlace place;
    place.at = Word<SxpAt>(p["at"], "SXP placement");
    place.order = p["order"].as<int>();
    place.when = place.at == SxpAt::kHvm ? SxpWhen::kSet : SxpWhen::kTruthy;
    if (p["when"]) place.when = Word<SxpWhen>(p["when"], "SXP condition");
    if (p["key"]) place.key = p["key"].as<std::string>();
    place.custom = p["custom"] && p["custom"].as<bool>();
    if (place.custom) t.kind = Treatment::Kind::kCustom;
    spec->sxp_places.push_back(place);
  }
  if (spec->sxp_places.empty()) throw YAML::Exception(node.Mark(), "an SXP placement without a place");
  spec->sxp = spec->sxp_places.front().at;
  if (t.kind == Treatment::Kind::kGeneric) t.order = spec->sxp_places.front().order;
  spec->treatments.push_back({"sxp", t});
}

}  // namespace

std::optional<Schema> Schema::Parse(const std::string& yaml, std::string* error) {
  try {
    YAML::Node root = YAML::Load(yaml);
    std::vector<VarSpec> vars;
    for (const auto& v : root["variables"]) {
      VarSpec spec;
      spec.name = v["name"].as<std::string>();
      spec.type = Word<VarType>(v["type"], "type");
      spec.conv = Word<Conv>(v["conv"], "conv");
      spec.default_value = DefaultOf(v["default"], v["type"].as<std::string>());
      if (v["default_from"]) spec.default_from = v["default_from"].as<std::string>();
      spec.scope = Word<Scope>(v["scope"], "scope");
      SxpOf(v["sxp"], &spec);
      // The other back ends' columns; a back end may give a default for the variables it
      // ignores (or take the column of another back end: `libxl-json: xl`).
      for (const auto& b : root["backends"]) {
        std::string backend = b.first.as<std::string>();
        if (backend == "sxp") continue;
        Treatment::Kind word;
        bool names_backend = b.second.IsScalar() && !xmc::Parse(b.second.as<std::string>(), &word);
        if (v[backend]) {
          spec.treatments.emplace_back(backend, TreatmentOf(v[backend]));
        } else if (names_backend && v[b.second.as<std::string>()]) {
          spec.treatments.emplace_back(backend, TreatmentOf(v[b.second.as<std::string>()]));
        } else if (b.second && !b.second.IsNull() && !names_backend) {
          spec.treatments.emplace_back(backend, TreatmentOf(b.second));
        }
      }
      spec.values = Strings(v["values"]);
      spec.keys = Strings(v["keys"]);
      if (v["range"]) {
        spec.range = std::make_pair(v["range"][0].as<int64_t>(), v["range"][1].as<int64_t>());
      }
      spec.zero_is_unset = v["zero_is_unset"] && v["zero_is_unset"].as<bool>();
      spec.int_only = v["int_only"] && v["int_only"].as<bool>();
      if (v["deprecated"]) spec.deprecated = v["deprecated"].as<std::string>();
      spec.aliases = Strings(v["aliases"]);
      spec.doc = v["doc"].as<std::string>();
      vars.push_back(std::move(spec));
    }
    for (VarSpec& spec : vars) {
      if (spec.sxp_with.empty()) continue;
      auto with = std::find_if(vars.begin(), vars.end(), [&](const VarSpec& o) { return o.name == spec.sxp_with; });
      if (with == vars.end() || with->sxp_places.empty()) {
        throw YAML::Exception(YAML::Mark(),
                              spec.name + ": sxp: {with: " + spec.sxp_with + "} names no placed variable");
      }
      spec.sxp = with->sxp_places.front().at;
    }
    Schema out = FromParts(std::move(vars), Strings(root["options"]));
    std::vector<std::pair<std::string, std::string>> removed;
    for (const auto& r : root["removed"]) removed.emplace_back(r["name"].as<std::string>(), r["in"].as<std::string>());
    out.SetOtherNames(Strings(root["xl_keys"]), std::move(removed));
    return out;
  } catch (const YAML::Exception& e) {
    if (error) *error = e.what();
    return std::nullopt;
  }
}

}  // namespace xmc
