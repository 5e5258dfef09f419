#include "compiler/ir/domain_config.h"

#include <algorithm>

#include "compiler/base/py2.h"
#include "compiler/ir/key_value_spec.h"

namespace xmc {

DomainConfig::DomainConfig() = default;
DomainConfig::~DomainConfig() = default;
DomainConfig::DomainConfig(const DomainConfig&) = default;
DomainConfig::DomainConfig(DomainConfig&&) noexcept = default;
DomainConfig& DomainConfig::operator=(const DomainConfig&) = default;
DomainConfig& DomainConfig::operator=(DomainConfig&&) noexcept = default;

XmValue XmValue::Int(int64_t v) {
  XmValue x;
  x.kind = Kind::kInt;
  x.i = v;
  return x;
}
XmValue XmValue::Float(double v) {
  XmValue x;
  x.kind = Kind::kFloat;
  x.f = v;
  return x;
}
XmValue XmValue::String(std::string v) {
  XmValue x;
  x.kind = Kind::kString;
  x.s = std::move(v);
  return x;
}
XmValue XmValue::List(std::vector<XmValue> v) {
  XmValue x;
  x.kind = Kind::kList;
  x.items = std::move(v);
  return x;
}

XmValue XmValue::Other(std::string str_text, std::string repr_text, bool truthy) {
  XmValue x;
  x.kind = Kind::kOther;
  x.s = std::move(str_text);
  x.repr = std::move(repr_text);
  x.truthy = truthy;
  return x;
}

bool XmValue::Truthy() const {
  switch (kind) {
    case Kind::kOther: return truthy;
    case Kind::kInt: return i != 0;
    case Kind::kFloat: return f != 0;
    case Kind::kString: return !s.empty();
    case Kind::kList: return !items.empty();
  }
  return false;
}

std::string XmValue::Str() const {
  switch (kind) {
    case Kind::kInt: return std::to_string(i);
    case Kind::kFloat: return py2::FloatStr(f);
    case Kind::kString: return s;
    case Kind::kList: return Repr();
    case Kind::kOther: return s;
  }
  return {};
}

std::string XmValue::Repr() const {
  switch (kind) {
    case Kind::kInt: return std::to_string(i);
    case Kind::kFloat: return py2::FloatRepr(f);
    case Kind::kString: return py2::StrRepr(s);
    case Kind::kOther: return repr;
    case Kind::kList: {
      std::string out = "[";
      for (size_t k = 0; k < items.size(); ++k) {
        if (k) out += ", ";
        out += items[k].Repr();
      }
      return out + "]";
    }
  }
  return {};
}

std::vector<int64_t> CpuMask::Cpus() const {
  int64_t top = -1;
  for (const CpuRange& r : ranges) top = std::max(top, r.last);
  std::vector<bool> set(static_cast<size_t>(top + 1), false);
  for (const CpuRange& r : ranges) {
    for (int64_t c = std::max<int64_t>(r.first, 0); c <= r.last; ++c) set[static_cast<size_t>(c)] = !r.exclude;
  }
  std::vector<int64_t> cpus;
  for (size_t c = 0; c < set.size(); ++c) {
    if (set[c]) cpus.push_back(static_cast<int64_t>(c));
  }
  return cpus;
}

Disk::TapImage Disk::tap_image() const {
  std::string rest = params;
  if (rest.rfind("tapdisk:", 0) == 0) rest = rest.substr(8);
  size_t colon = rest.find(':');
  if (colon == std::string::npos) return {"aio", rest};
  return {rest.substr(0, colon), rest.substr(colon + 1)};
}

std::string PhyPath(const std::string& params) {
  return !params.empty() && params[0] != '/' ? "/dev/" + params : params;
}

const std::string* KeyValueSpec::Get(const std::string& key) const {
  for (const auto& [k, v] : pairs) {
    if (k == key) return &v;
  }
  return nullptr;
}

GuestType DomainConfig::guest_type() const {
  const std::string b = builder.value.value_or("linux");
  if (b == "linux") return GuestType::kPv;
  if (b == "hvm") return GuestType::kHvm;
  return GuestType::kOther;
}

namespace {
template <typename T>
struct TypeName;
template <>
struct TypeName<int64_t> {
  static constexpr const char* kName = "int";
};
template <>
struct TypeName<bool> {
  static constexpr const char* kName = "bool";
};
template <>
struct TypeName<std::string> {
  static constexpr const char* kName = "string";
};
template <>
struct TypeName<CpuAffinity> {
  static constexpr const char* kName = "cpus";
};
template <>
struct TypeName<CpuidPolicy> {
  static constexpr const char* kName = "cpuid";
};
template <>
struct TypeName<std::vector<Disk>> {
  static constexpr const char* kName = "disk";
};
template <>
struct TypeName<std::vector<Vif>> {
  static constexpr const char* kName = "vif";
};
template <>
struct TypeName<std::vector<Vif2>> {
  static constexpr const char* kName = "vif2";
};
template <>
struct TypeName<std::vector<Vfb>> {
  static constexpr const char* kName = "vfb";
};
template <>
struct TypeName<std::vector<Vusb>> {
  static constexpr const char* kName = "vusb";
};
template <>
struct TypeName<std::vector<PciDevice>> {
  static constexpr const char* kName = "pci";
};
template <>
struct TypeName<std::vector<VscsiEntry>> {
  static constexpr const char* kName = "vscsi";
};
template <>
struct TypeName<std::vector<IoportRange>> {
  static constexpr const char* kName = "ioports";
};
template <>
struct TypeName<std::vector<Irq>> {
  static constexpr const char* kName = "irq";
};
template <>
struct TypeName<std::vector<AccessControl>> {
  static constexpr const char* kName = "access_control";
};
}  // namespace

std::vector<std::pair<std::string, std::string>> FieldTypeNames() {
  std::vector<std::pair<std::string, std::string>> out;
#define XMC_FIELD_TYPE(n, T) out.emplace_back(#n, TypeName<T>::kName);
  XMC_DOMAIN_FIELDS(XMC_FIELD_TYPE)
#undef XMC_FIELD_TYPE
  return out;
}

}  // namespace xmc
