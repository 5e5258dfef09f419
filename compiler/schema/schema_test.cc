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

TEST_CASE("a broken schema document is reported, not crashed on") {
  std::string error;
  CHECK_FALSE(Schema::Parse("variables: [ {name: x} ]", &error).has_value());
  CHECK(!error.empty());
}

}  // namespace xmc
