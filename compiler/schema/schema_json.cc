// The schema as JSON (`xmc schema --format json`, the Python module's schema()).
#include <nlohmann/json.hpp>

#include "compiler/schema/schema.h"

namespace xmc {

std::string SchemaJson(const Schema& schema) {
  using Json = nlohmann::ordered_json;
  Json vars = Json::array();
  for (const VarSpec& v : schema.vars()) {
    Json j{{"name", v.name},
           {"type", Name(v.type)},
           {"conv", Name(v.conv)},
           {"scope", Name(v.scope)},
           {"sxp", Name(v.sxp)}};
    j["default"] = v.default_value ? Json(v.default_value->Repr()) : Json(nullptr);
    if (!v.default_from.empty()) j["default_from"] = v.default_from;
    if (!v.values.empty()) j["values"] = v.values;
    if (v.range) j["range"] = {v.range->first, v.range->second};
    if (!v.deprecated.empty()) j["deprecated"] = v.deprecated;
    if (!v.aliases.empty()) j["aliases"] = v.aliases;
    Json places = Json::array();
    for (const SxpPlace& p : v.sxp_places) {
      Json place{{"at", Name(p.at)}, {"order", p.order}, {"when", Name(p.when)}};
      if (!p.key.empty()) place["key"] = p.key;
      if (p.custom) place["custom"] = true;
      places.push_back(place);
    }
    j["sxp_places"] = places;
    if (!v.sxp_with.empty()) j["sxp_with"] = v.sxp_with;
    Json backends = Json::object();
    for (const auto& [backend, t] : v.treatments) {
      Json treatment{{"treatment", Name(t.kind)}};
      if (!t.reason.empty()) treatment["reason"] = t.reason;
      if (t.kind == Treatment::Kind::kGeneric || t.kind == Treatment::Kind::kDrop) treatment["order"] = t.order;
      if (!t.places.empty()) treatment["places"] = t.places;
      backends[backend] = treatment;
    }
    j["backends"] = backends;
    j["doc"] = v.doc;
    vars.push_back(j);
  }
  return Json{{"version", 1}, {"variables", vars}, {"options", schema.options()}}.dump(2);
}

}  // namespace xmc
