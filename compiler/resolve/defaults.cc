#include "compiler/ir/key_value_spec.h"
#include "compiler/resolve/resolve.h"

namespace xmc {
namespace {

template <typename T>
void SetDefault(const XmValue& x, Field<T>& f);

template <>
void SetDefault(const XmValue& x, Field<int64_t>& f) {
  f.value = x.i;
}
template <>
void SetDefault(const XmValue& x, Field<bool>& f) {
  f.value = x.i != 0;
}
template <>
void SetDefault(const XmValue& x, Field<std::string>& f) {
  f.value = x.s;
}
template <typename T>
void SetDefault(const XmValue&, Field<T>& f) {
  f.value = T{};
}
}  // namespace

void ApplyDefaults(const Schema& schema, const Host& host, DomainConfig* config) {
  config->env_display = host.Getenv("DISPLAY");
  if (auto x = host.Getenv("XAUTHORITY"); x && !x->empty()) {
    config->env_xauthority = *x;
  } else if (auto home = host.Getenv("HOME"); home && !home->empty()) {
    config->env_xauthority = *home + "/.Xauthority";
  } else {
    config->env_xauthority = host.PasswdHome() + "/.Xauthority";
  }
  ForEachField(*config, [&](const char* name, auto& field) {
    if (field.is_set()) return;
    const VarSpec* spec = schema.Find(name);
    if (spec == nullptr) return;
    if (spec->default_from == "display") {
      if (auto d = host.Getenv("DISPLAY")) {
        field.xm = XmValue::String(*d);
        field.origin = Origin::kEnvironment;
        SetDefault(*field.xm, field);
      }
      return;
    }
    if (spec->default_from == "xauthority") {
      field.xm = XmValue::String(config->env_xauthority);
      field.origin = Origin::kEnvironment;
      SetDefault(*field.xm, field);
      return;
    }
    if (!spec->default_value) return;
    field.xm = *spec->default_value;
    field.origin = Origin::kDefault;
    SetDefault(*field.xm, field);
  });
}

}  // namespace xmc
