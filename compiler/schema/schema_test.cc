#include "compiler/schema/schema.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

namespace xmc {

TEST_CASE("every IR field has a schema entry of the same type and vice versa") {
  const Schema& schema = Schema::Builtin();
  std::set<std::string> ir_names;
  for (const auto& [name, type] : FieldTypeNames()) {
    CAPTURE(name);
    ir_names.insert(name);
    const VarSpec* spec = schema.Find(name);
    REQUIRE(spec != nullptr);
    CHECK(spec->type == type);
  }
  for (const VarSpec& spec : schema.vars()) {
    CAPTURE(spec.name);
    CHECK(ir_names.count(spec.name) == 1);
  }
  CHECK(schema.vars().size() == FieldTypeNames().size());
}

TEST_CASE("schema entries are complete and consistent") {
  const Schema& schema = Schema::Builtin();
  std::set<std::string> convs{"int", "long", "str", "bool", "append", "none"};
  std::set<std::string> scopes{"all", "pv", "hvm"};
  std::set<std::string> sxps{"top", "image", "hvm", "device", "none"};
  std::set<std::string> names;
  for (const VarSpec& v : schema.vars()) {
    CAPTURE(v.name);
    CHECK(names.insert(v.name).second);
    CHECK(convs.count(v.conv) == 1);
    CHECK(scopes.count(v.scope) == 1);
    CHECK(sxps.count(v.sxp) == 1);
    CHECK(!v.doc.empty());
    if (v.default_value && (v.type == "int" || v.type == "bool")) {
      CHECK(v.default_value->kind == XmValue::Kind::kInt);
      if (v.range) {
        CHECK(v.default_value->i >= v.range->first);
        CHECK(v.default_value->i <= v.range->second);
      }
    }
    if (v.default_value && v.type == "string" && !v.values.empty()) {
      CHECK(std::find(v.values.begin(), v.values.end(), v.default_value->s) != v.values.end());
    }
    for (const std::string& alias : v.aliases) {
      CAPTURE(alias);
      CHECK(schema.Find(alias) == nullptr);  // an alias is never a real variable
    }
  }
  // xm.md section 2 lists 107 variables for 4.4 (vtpm and tpmif were removed in 4.3).
  CHECK(schema.vars().size() == 107);
}

TEST_CASE("the compiled-in schema table equals a fresh yaml-cpp parse of the YAML") {
  std::string error;
  auto parsed = Schema::Parse(Schema::BuiltinYaml(), &error);
  REQUIRE_MESSAGE(parsed.has_value(), error);
  const Schema& builtin = Schema::Builtin();
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
    CHECK(a.values == b.values);
    CHECK(a.range == b.range);
    CHECK(a.deprecated == b.deprecated);
    CHECK(a.aliases == b.aliases);
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
