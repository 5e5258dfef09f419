#include "compiler/emit/json.h"

#include <nlohmann/json.hpp>

#include "compiler/ir/key_value_spec.h"

namespace xmc {
namespace {

using Json = nlohmann::ordered_json;

Json ToJson(const XmValue& v) {
  switch (v.kind) {
    case XmValue::Kind::kInt: return v.i;
    case XmValue::Kind::kFloat: return v.f;
    case XmValue::Kind::kString: return v.s;
    case XmValue::Kind::kOther: return v.repr;
    case XmValue::Kind::kList: {
      Json a = Json::array();
      for (const XmValue& item : v.items) a.push_back(ToJson(item));
      return a;
    }
  }
  return nullptr;
}

Json ToJson(int64_t v) { return v; }
Json ToJson(bool v) { return v; }
Json ToJson(const std::string& v) { return v; }

Json Pairs(const std::vector<std::pair<std::string, std::string>>& pairs) {
  Json o = Json::object();
  for (const auto& [k, v] : pairs) o[k] = v;
  return o;
}

Json ToJson(const CpuAffinity& a) {
  Json masks = Json::array();
  for (const CpuMask& m : a.masks) masks.push_back({{"mask", m.text}, {"cpus", m.Cpus()}});
  return {{"per_vcpu", a.per_vcpu}, {"masks", masks}};
}

Json ToJson(const CpuidPolicy& p) {
  Json entries = Json::array();
  for (const CpuidEntry& e : p.entries) entries.push_back({{"input", e.input}, {"registers", Pairs(e.regs)}});
  return {{"converted", p.converted}, {"entries", entries}, {"raw", p.raw}};
}

Json ToJson(const std::vector<Disk>& disks) {
  Json a = Json::array();
  for (const Disk& d : disks) {
    Json o = {{"spec", d.spec}, {"class", d.device_class}, {"uname", d.uname},
              {"type", d.type}, {"params", d.params},      {"dev", d.dev},
              {"vdev", d.vdev}, {"cdrom", d.cdrom},        {"ioemu", d.ioemu},
              {"mode", d.mode}, {"backend", d.backend},    {"protocol", d.protocol}};
    o["device_number"] = d.device_number ? Json(*d.device_number) : Json(nullptr);
    a.push_back(o);
  }
  return a;
}

template <typename T>
Json KeyValues(const std::vector<T>& list) {
  Json a = Json::array();
  for (const T& item : list) a.push_back(Pairs(item.pairs));
  return a;
}
Json ToJson(const std::vector<Vif>& v) { return KeyValues(v); }
Json ToJson(const std::vector<Vif2>& v) { return KeyValues(v); }
Json ToJson(const std::vector<Vfb>& v) { return KeyValues(v); }
Json ToJson(const std::vector<Vusb>& v) {
  Json a = Json::array();
  for (const Vusb& u : v) {
    Json ports = Json::object();
    for (const auto& [p, d] : u.ports) ports[std::to_string(p)] = d;
    a.push_back({{"usbver", u.usbver}, {"numports", u.numports}, {"ports", ports}});
  }
  return a;
}
Json ToJson(const std::vector<PciDevice>& v) {
  Json a = Json::array();
  for (const PciDevice& d : v) {
    a.push_back({{"key", d.key},
                 {"domain", d.domain},
                 {"bus", d.bus},
                 {"slot", d.slot},
                 {"func", d.func},
                 {"vdevfn", d.vdevfn},
                 {"opts", Pairs(d.opts)}});
  }
  return a;
}
Json ToJson(const std::vector<VscsiEntry>& v) {
  Json a = Json::array();
  for (const VscsiEntry& e : v) a.push_back({{"pdev", e.pdev}, {"vdev", e.vdev}, {"backend", e.backend}});
  return a;
}
Json ToJson(const std::vector<IoportRange>& v) {
  Json a = Json::array();
  for (const IoportRange& r : v) {
    a.push_back({{"from", r.first ? Json(*r.first) : Json(nullptr)}, {"to", r.last ? Json(*r.last) : Json(nullptr)}});
  }
  return a;
}
Json ToJson(const std::vector<Irq>& v) {
  Json a = Json::array();
  for (const Irq& i : v) a.push_back(i.number ? Json(*i.number) : ToJson(i.item));
  return a;
}
Json ToJson(const std::vector<AccessControl>& v) {
  Json a = Json::array();
  for (const AccessControl& ac : v) a.push_back({{"policy", ac.policy}, {"label", ac.label}});
  return a;
}

const char* OriginName(Origin o) {
  switch (o) {
    case Origin::kUnset: return "unset";
    case Origin::kDefault: return "default";
    case Origin::kEnvironment: return "environment";
    case Origin::kFile: return "file";
    case Origin::kCommandLine: return "command-line";
  }
  return "unset";
}

}  // namespace

void EmitJson(const DomainConfig& config, const EmitOptions&, std::ostream& out, Diagnostics*) {
  Json doc;
  doc["format"] = "xmc-model/1";
  GuestType g = config.guest_type();
  doc["guest_type"] = g == GuestType::kHvm ? "hvm" : g == GuestType::kPv ? "pv" : "other";
  Json cfg = Json::object();
  Json origins = Json::object();
  ForEachField(config, [&](const char* name, const auto& field) {
    if (!field.is_set()) return;
    cfg[name] = field.value ? ToJson(*field.value) : Json(nullptr);
    if (field.xm && field.value == std::nullopt) cfg[name] = ToJson(*field.xm);
    origins[name] = OriginName(field.origin);
  });
  doc["config"] = cfg;
  doc["origins"] = origins;
  // A string that is not UTF-8 (a config may hold any bytes) is written with U+FFFD for
  // each bad byte rather than making the writer throw.
  out << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace xmc
