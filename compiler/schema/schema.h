// The key schema (schema/xm-vars.yaml, embedded in the binary and read with yaml-cpp):
// one entry per xm variable with its type, command-line converter, default, scope,
// allowed values or range, SXP placement, deprecation and documentation. It drives
// defaults, command-line conversion, checks and "did you mean" suggestions.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "compiler/ir/domain_config.h"

namespace xmc {

/// The schema's words for a variable's type, converter, scope and SXP placement, as enums;
/// Name() and Parse() translate to and from the YAML's words.
enum class VarType {
  kInt,
  kBool,
  kString,
  kCpus,
  kCpuid,
  kDisk,
  kVif,
  kVif2,
  kVfb,
  kVusb,
  kPci,
  kVscsi,
  kIoports,
  kIrq,
  kAccessControl
};
enum class Conv { kInt, kLong, kStr, kBool, kAppend, kNone };
enum class Scope { kAll, kPv, kHvm };
enum class SxpAt { kTop, kImage, kHvm, kDevice, kNone };
/// When a generic SXP place writes the variable: when xm held a true value, or any value.
enum class SxpWhen { kTruthy, kSet, kNonzero };

std::string_view Name(VarType v);
std::string_view Name(Conv v);
std::string_view Name(Scope v);
std::string_view Name(SxpAt v);
std::string_view Name(SxpWhen v);
/// The enum value called `word`; false if there is none.
bool Parse(std::string_view word, VarType* out);
bool Parse(std::string_view word, Conv* out);
bool Parse(std::string_view word, Scope* out);
bool Parse(std::string_view word, SxpAt* out);
bool Parse(std::string_view word, SxpWhen* out);

/// One place of a variable in xm's SXP (schema/README.md): the top level of (vm ...), the
/// image, the image's HVM list (for an HVM builder only) or the devices, at `order` among
/// the places there. A generic place writes (KEY VALUE) when `when` holds; a custom one is
/// written by the SXP writer's code for the variable.
struct SxpPlace {
  SxpAt at = SxpAt::kTop;
  int order = 0;
  SxpWhen when = SxpWhen::kTruthy;
  std::string key;  ///< the SXP key; empty: the variable's name
  bool custom = false;
};

/// What a back end does with a variable (schema/README.md): writes it with code of its own
/// (custom), writes it by the schema at `order` (generic), carries it only inside the SXP
/// it stores (sxp), leaves it out and says so when it is set (drop), or leaves it out
/// because it means nothing there (ignore). `reason` says why for drop and ignore.
struct Treatment {
  enum class Kind { kCustom, kGeneric, kSxp, kDrop, kIgnore };
  Kind kind = Kind::kCustom;
  std::string reason;
  int order = 0;  ///< kGeneric, kDrop: position among the back end's generic or dropped variables
  /// kGeneric: the value the target takes when the key is absent (xl's default): the key is
  /// written when the config set it or when xm's value, its default included, differs.
  /// Unset: written only when the config set it.
  std::optional<int64_t> target_default;
  /// kCustom: where the writer puts it (xl.cfg keys, libvirt elements, XenStore paths with
  /// DOM for /local/domain/<id> and VM for /vm/<uuid>), as tests/schema_effect_test.py sees it.
  std::vector<std::string> places;
};
std::string_view Name(Treatment::Kind v);
bool Parse(std::string_view word, Treatment::Kind* out);

struct VarSpec {
  std::string name;
  VarType type = VarType::kString;
  Conv conv = Conv::kStr;
  std::optional<XmValue> default_value;
  std::string default_from;  ///< "display" / "xauthority": taken from the environment
  Scope scope = Scope::kAll;
  SxpAt sxp = SxpAt::kNone;  ///< where its first SXP place is (of `sxp_with`'s, if set)
  std::vector<SxpPlace> sxp_places;
  std::string sxp_with;  ///< not placed itself: the code of this variable's place reads it
  /// Per back end (by its name in the back-end table): what it does with the variable.
  std::vector<std::pair<std::string, Treatment>> treatments;
  std::vector<std::string> values;
  /// The keys xm accepted in this variable's key=value specs (vif, vif2, vfb), in xend's order.
  std::vector<std::string> keys;
  std::optional<std::pair<int64_t, int64_t>> range;
  bool zero_is_unset = false;  ///< 0 is false to xm: the default applies (a warning, not out of range)
  bool int_only = false;       ///< xm computed with the value: anything but an int made xm fail
  std::string deprecated;
  std::vector<std::string> aliases;
  std::string doc;

  bool is_list() const;  ///< a list variable (NAME=VALUE appends)
  /// The treatment back end `backend` gives this variable, or nullptr if none is declared.
  const Treatment* TreatmentIn(std::string_view backend) const;
};

class Schema;
/// `schema` as the JSON document of `xmc schema --format json` (version 1).
std::string SchemaJson(const Schema& schema);

class Schema {
 public:
  /// The schema compiled into the binary (generated from the YAML at build time).
  static const Schema& Builtin();
  /// The YAML text the built-in schema was generated from.
  static const char* BuiltinYaml();
  /// Parses a schema document with yaml-cpp; on failure returns nullopt and sets `error`.
  static std::optional<Schema> Parse(const std::string& yaml, std::string* error);
  static Schema FromParts(std::vector<VarSpec> vars, std::vector<std::string> options);

  const std::vector<VarSpec>& vars() const { return vars_; }
  const VarSpec* Find(const std::string& name) const;
  std::vector<std::string> Names() const;
  /// The variable an alias or common misspelling stands for, if any.
  const VarSpec* FindAlias(const std::string& name) const;
  bool IsOption(const std::string& name) const;
  const std::vector<std::string>& options() const { return options_; }
  /// Names that are not xm variables but mean something elsewhere: xl.cfg keys, and xm
  /// variables removed before 4.4 (name, the release that removed it).
  const std::vector<std::string>& xl_keys() const { return xl_keys_; }
  const std::vector<std::pair<std::string, std::string>>& removed() const { return removed_; }
  bool IsXlKey(const std::string& name) const;
  const std::string* RemovedIn(const std::string& name) const;
  void SetOtherNames(std::vector<std::string> xl_keys, std::vector<std::pair<std::string, std::string>> removed);

 private:
  std::vector<VarSpec> vars_;
  std::vector<std::string> options_;
  std::vector<std::string> xl_keys_;
  std::vector<std::pair<std::string, std::string>> removed_;
};

/// The variables back end `backend` writes generically, in its order.
std::vector<const VarSpec*> GenericIn(const Schema& schema, std::string_view backend);
/// The SXP places at any of `at` (with their variables), by order.
std::vector<std::pair<const VarSpec*, const SxpPlace*>> SxpPlacesAt(const Schema& schema,
                                                                    std::initializer_list<SxpAt> at);
/// The variables back end `backend` drops (and says so), in its order.
std::vector<const VarSpec*> DroppedIn(const Schema& schema, std::string_view backend);

/// The schema entry of `member` (nullptr if the schema has none).
template <typename T>
const VarSpec* SpecOf(const DomainConfig& c, Field<T> DomainConfig::*member) {
  const Field<T>& f = c.*member;
  const VarSpec* out = nullptr;
  ForEachField(c, [&](const char* name, const auto& field) {
    if (static_cast<const void*>(&field) == static_cast<const void*>(&f)) out = Schema::Builtin().Find(name);
  });
  return out;
}

/// The field's value, or when it has none the schema's default for it: writers take
/// defaults from the schema, never restate them.
template <typename T>
T Effective(const DomainConfig& c, Field<T> DomainConfig::*member) {
  const Field<T>& f = c.*member;
  if (f.value) return *f.value;
  T out{};
  const VarSpec* spec = SpecOf(c, member);
  if (spec == nullptr || !spec->default_value) return out;
  const XmValue& d = *spec->default_value;
  if constexpr (std::is_same_v<T, int64_t>) out = d.i;
  if constexpr (std::is_same_v<T, bool>) out = d.i != 0;
  if constexpr (std::is_same_v<T, std::string>) out = d.s;
  return out;
}

/// The value xm held, or when it held none the schema's default (xm's starting value);
/// an empty string when neither exists. The xm-level counterpart of Effective().
template <typename T>
XmValue EffectiveXm(const DomainConfig& c, Field<T> DomainConfig::*member) {
  const Field<T>& f = c.*member;
  if (f.xm) return *f.xm;
  const VarSpec* spec = SpecOf(c, member);
  return spec && spec->default_value ? *spec->default_value : XmValue::String("");
}

/// str() of EffectiveXm: XmStr with the schema's default as the fallback.
template <typename T>
std::string EffectiveStr(const DomainConfig& c, Field<T> DomainConfig::*member) {
  return EffectiveXm(c, member).Str();
}

}  // namespace xmc
