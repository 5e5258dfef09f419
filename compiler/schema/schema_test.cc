#include "compiler/schema/schema.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

namespace xmc {

TEST_CASE("every IR field has a schema entry of the same type and vice versa") {
  const Schema& schema = Schema::Builtin();
  std::set<std::string> ir_names;
  for (const auto& field : FieldTypeNames()) {
    const auto& name = field.first;  // not a structured binding: CAPTURE's lambda takes it
    const auto& type = field.second;
    CAPTURE(name);
    ir_names.insert(name);
    const VarSpec* spec = schema.Find(name);
    REQUIRE(spec != nullptr);
    CHECK(Name(spec->type) == type);
  }
  for (const VarSpec& spec : schema.vars()) {
    CAPTURE(spec.name);
    CHECK(ir_names.count(spec.name) == 1);
  }
  CHECK(schema.vars().size() == FieldTypeNames().size());
}

TEST_CASE("schema entries are complete and consistent") {
  const Schema& schema = Schema::Builtin();
  std::set<std::string> names;
  for (const VarSpec& v : schema.vars()) {
    CAPTURE(v.name);
    CHECK(names.insert(v.name).second);
    CHECK(!v.doc.empty());
    if (v.default_value && (v.type == VarType::kInt || v.type == VarType::kBool)) {
      CHECK(v.default_value->kind == XmValue::Kind::kInt);
      if (v.range) {
        CHECK(v.default_value->i >= v.range->first);
        CHECK(v.default_value->i <= v.range->second);
      }
    }
    if (v.default_value && v.type == VarType::kString && !v.values.empty()) {
      CHECK(std::find(v.values.begin(), v.values.end(), v.default_value->s) != v.values.end());
    }
    for (const std::string& alias : v.aliases) {
      CAPTURE(alias);
      CHECK(schema.Find(alias) == nullptr);  // an alias is never a real variable
    }
  }
}

TEST_CASE("the compiled-in schema table equals a fresh yaml-cpp parse of the YAML") {
  std::string error;
  auto parsed = Schema::Parse(Schema::BuiltinYaml(), &error);
  REQUIRE_MESSAGE(parsed.has_value(), error);
  const Schema& builtin = Schema::Builtin();
  CHECK(parsed->xl_keys() == builtin.xl_keys());
  CHECK(parsed->removed() == builtin.removed());
  CHECK_FALSE(builtin.xl_keys().empty());
  REQUIRE(parsed->vars().size() == builtin.vars().size());
  for (size_t i = 0; i < builtin.vars().size(); ++i) {
    const VarSpec& a = builtin.vars()[i];
    const VarSpec& b = parsed->vars()[i];
    CAPTURE(a.name);
    CHECK(a.name == b.name);
    CHECK(a.type == b.type);
    CHECK(a.conv == b.conv);
    CHECK(a.default_value.has_value() == b.default_value.has_value());
    if (a.default_value && b.default_value) CHECK(a.default_value->Repr() == b.default_value->Repr());
    CHECK(a.default_from == b.default_from);
    CHECK(a.scope == b.scope);
    CHECK(a.sxp == b.sxp);
    CHECK(a.sxp_with == b.sxp_with);
    REQUIRE(a.sxp_places.size() == b.sxp_places.size());
    for (size_t k = 0; k < a.sxp_places.size(); ++k) {
      CHECK(a.sxp_places[k].at == b.sxp_places[k].at);
      CHECK(a.sxp_places[k].order == b.sxp_places[k].order);
      CHECK(a.sxp_places[k].when == b.sxp_places[k].when);
      CHECK(a.sxp_places[k].key == b.sxp_places[k].key);
      CHECK(a.sxp_places[k].custom == b.sxp_places[k].custom);
    }
    CHECK(a.values == b.values);
    CHECK(a.range == b.range);
    CHECK(a.zero_is_unset == b.zero_is_unset);
    CHECK(a.int_only == b.int_only);
    CHECK(a.deprecated == b.deprecated);
    CHECK(a.aliases == b.aliases);
    REQUIRE(a.treatments.size() == b.treatments.size());
    for (size_t k = 0; k < a.treatments.size(); ++k) {
      CHECK(a.treatments[k].first == b.treatments[k].first);
      CHECK(a.treatments[k].second.kind == b.treatments[k].second.kind);
      CHECK(a.treatments[k].second.reason == b.treatments[k].second.reason);
      CHECK(a.treatments[k].second.order == b.treatments[k].second.order);
      CHECK(a.treatments[k].second.target_default == b.treatments[k].second.target_default);
      CHECK(a.treatments[k].second.places == b.treatments[k].second.places);
    }
    CHECK(a.doc == b.doc);
  }
  CHECK(parsed->options() == builtin.options());
}

TEST_CASE("a broken schema document is reported, not crashed on") {
  std::string error;
  CHECK_FALSE(Schema::Parse("variables: [ {name: x} ]", &error).has_value());
  CHECK(!error.empty());
}

}  // namespace xmc

#include "compiler/emit/backend.h"

namespace xmc {

TEST_CASE("every variable has a declared treatment in every back end") {
  for (const Backend& backend : Backends()) {
    for (const VarSpec& v : Schema::Builtin().vars()) {
      const Treatment* t = v.TreatmentIn(backend.name);
      CHECK_MESSAGE(t != nullptr, "back end '", backend.name, "' has no treatment for '", v.name,
                    "' in schema/xm-vars.yaml");
      if (t && (t->kind == Treatment::Kind::kDrop || t->kind == Treatment::Kind::kIgnore)) {
        CHECK_MESSAGE(!t->reason.empty(), backend.name, ": ", v.name, " is left out without a reason");
      }
    }
  }
}

TEST_CASE("xl's generic variables are what its generic code can write: HVM flags") {
  // compiler/emit/xl.cc writes `xl: {generic: N}` as KEY = 0|1 in the HVM part.
  for (const VarSpec* v : GenericIn(Schema::Builtin(), "xl")) {
    CAPTURE(v->name);
    CHECK(v->scope == Scope::kHvm);
    CHECK((v->type == VarType::kInt || v->type == VarType::kBool));
  }
}

}  // namespace xmc
