#include "compiler/schema/schema.h"

#include <algorithm>

namespace xmc {

extern const char kSchemaYaml[];
std::vector<VarSpec> BuiltinSchemaVars();         // generated from schema/xm-vars.yaml
std::vector<std::string> BuiltinSchemaOptions();  // by tools/schema_gen.cc
std::vector<std::string> BuiltinSchemaXlKeys();
std::vector<std::pair<std::string, std::string>> BuiltinSchemaRemoved();

const Schema& Schema::Builtin() {
  // Read from YAML at build time (tools/schema_gen.cc), so starting xmc parses nothing.
  static const Schema schema = [] {
    Schema s = FromParts(BuiltinSchemaVars(), BuiltinSchemaOptions());
    s.SetOtherNames(BuiltinSchemaXlKeys(), BuiltinSchemaRemoved());
    return s;
  }();
  return schema;
}

const char* Schema::BuiltinYaml() { return kSchemaYaml; }

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

bool Schema::IsXlKey(const std::string& name) const {
  return std::find(xl_keys_.begin(), xl_keys_.end(), name) != xl_keys_.end();
}

const std::string* Schema::RemovedIn(const std::string& name) const {
  for (const auto& [n, release] : removed_) {
    if (n == name) return &release;
  }
  return nullptr;
}

bool Schema::IsOption(const std::string& name) const {
  return std::find(options_.begin(), options_.end(), name) != options_.end();
}

namespace {
std::vector<const VarSpec*> OfKind(const Schema& schema, std::string_view backend, Treatment::Kind kind) {
  std::vector<const VarSpec*> out;
  for (const VarSpec& v : schema.vars()) {
    const Treatment* t = v.TreatmentIn(backend);
    if (t && t->kind == kind) out.push_back(&v);
  }
  std::stable_sort(out.begin(), out.end(), [&](const VarSpec* a, const VarSpec* b) {
    return a->TreatmentIn(backend)->order < b->TreatmentIn(backend)->order;
  });
  return out;
}
}  // namespace

std::vector<const VarSpec*> GenericIn(const Schema& schema, std::string_view backend) {
  return OfKind(schema, backend, Treatment::Kind::kGeneric);
}

std::vector<std::pair<const VarSpec*, const SxpPlace*>> SxpPlacesAt(const Schema& schema,
                                                                    std::initializer_list<SxpAt> at) {
  std::vector<std::pair<const VarSpec*, const SxpPlace*>> out;
  for (const VarSpec& v : schema.vars()) {
    for (const SxpPlace& p : v.sxp_places) {
      if (std::find(at.begin(), at.end(), p.at) != at.end()) out.emplace_back(&v, &p);
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second->order < b.second->order; });
  return out;
}

std::vector<const VarSpec*> DroppedIn(const Schema& schema, std::string_view backend) {
  return OfKind(schema, backend, Treatment::Kind::kDrop);
}

}  // namespace xmc
