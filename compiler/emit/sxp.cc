#include "compiler/emit/sxp.h"

#include <fmt/format.h>

#include "compiler/base/py2.h"
#include "compiler/derive/xend_model.h"
#include "compiler/ir/key_value_spec.h"
#include "compiler/schema/schema.h"

namespace xmc {
namespace {

constexpr size_t kWidth = 80;

Sexp A(const std::string& s) { return Sexp::String(s); }
Sexp Num(int64_t n) { return Sexp::Number(std::to_string(n)); }

/// (name value)
Sexp Pair(const std::string& name, Sexp value) { return Sexp::List({A(name), std::move(value)}); }
Sexp Pair(const std::string& name, const XmValue& value) { return Pair(name, SxpOf(value)); }

template <typename T>
const XmValue* Xm(const Field<T>& f) {
  return f.xm ? &*f.xm : nullptr;
}

std::string DictRepr(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::vector<std::string> keys;
  for (const auto& kv : entries) keys.push_back(kv.first);
  std::string out = "{";
  bool first = true;
  for (const std::string& k : py2::IterationOrder(keys)) {
    for (const auto& kv : entries) {
      if (kv.first != k) continue;
      if (!first) out += ", ";
      first = false;
      out += py2::StrRepr(k) + ": " + kv.second;
    }
  }
  return out + "}";
}

/// cpuid / cpuid_check as xm held them after preprocessing: a dict (shown as its repr,
/// quoted) or the raw list of strings.
XmValue CpuidValue(const Field<CpuidPolicy>& f) {
  if (!f.value) return XmValue::List({});
  const CpuidPolicy& p = *f.value;
  if (p.scalar && !p.converted) return *p.scalar;  // not a list, not converted: as it was
  if (!p.converted) {
    std::vector<XmValue> items;
    for (const std::string& s : p.raw) items.push_back(XmValue::String(s));
    return XmValue::List(std::move(items));
  }
  std::vector<std::pair<std::string, std::string>> outer;
  for (const CpuidEntry& e : p.entries) {
    std::vector<std::pair<std::string, std::string>> regs;
    for (const auto& [r, v] : e.regs) regs.emplace_back(r, py2::StrRepr(v));
    outer.emplace_back(e.input, DictRepr(regs));
  }
  std::string repr = DictRepr(outer);
  return XmValue::Other(repr, repr, !outer.empty());
}

/// Python 2's `value == 0`: true only for a number equal to zero (a bool is one).
bool EqualsZero(const XmValue& v) {
  return (v.kind == XmValue::Kind::kInt && v.i == 0) || (v.kind == XmValue::Kind::kFloat && v.f == 0.0);
}

/// The preprocessed pci list of tuples (domain bus slot func vdevfn opts key).
Sexp PciTuples(const DomainConfig& c) {
  std::vector<Sexp> tuples;
  if (c.pci.value) {
    for (const PciDevice& d : *c.pci.value) {
      std::vector<Sexp> opts;
      for (const auto& [k, v] : d.opts) opts.push_back(Sexp::List({A(k), A(v)}));
      tuples.push_back(Sexp::List({A(fmt::format("0x{:04x}", d.domain)), A(fmt::format("0x{:02x}", d.bus)),
                                   A(fmt::format("0x{:02x}", d.slot)), A(fmt::format("0x{:x}", d.func)),
                                   A(fmt::format("0x{:02x}", d.vdevfn)), Sexp::List(std::move(opts)), A(d.key)}));
      tuples.back().tuple = true;
    }
  }
  return Sexp::List(std::move(tuples));
}

/// Key/value pairs of a dict built by inserting `pairs` in order, in Python 2.7 order.
std::vector<Sexp> DictPairs(const std::vector<std::pair<std::string, Sexp>>& pairs,
                            const std::vector<std::string>& erased = {}) {
  py2::DictOrder order;
  for (const auto& kv : pairs) order.Insert(kv.first);
  for (const std::string& k : erased) order.Erase(k);
  std::vector<Sexp> out;
  for (const std::string& k : order.Keys()) {
    for (auto it = pairs.rbegin(); it != pairs.rend(); ++it) {
      if (it->first == k) {
        out.push_back(Pair(k, it->second));
        break;
      }
    }
  }
  return out;
}

std::vector<Sexp> KeyValueDevice(const std::string& cls, const KeyValueSpec& spec) {
  std::vector<std::pair<std::string, Sexp>> pairs;
  for (const auto& [k, v] : spec.pairs) pairs.emplace_back(k, A(v));
  std::vector<Sexp> dev{A(cls)};
  for (Sexp& p : DictPairs(pairs)) dev.push_back(std::move(p));
  return dev;
}

Sexp Device(std::vector<Sexp> body) { return Sexp::List({A("device"), Sexp::List(std::move(body))}); }

bool HvmBuilder(const DomainConfig& c) {
  return c.builder.xm && c.builder.xm->kind == XmValue::Kind::kString && c.builder.xm->s == "hvm";
}

std::string StrOf(const Field<std::string>& f) { return f.xm ? f.xm->Str() : std::string(); }

/// The places of kind `at` (and `also`, for the image's HVM list) in the schema's order:
/// a generic place writes (KEY VALUE) when its condition holds, a custom one runs the
/// code kCode has for the variable there.
void WritePlaces(const DomainConfig& c, std::initializer_list<SxpAt> at, std::vector<Sexp>* out);

void TopCpuid(const char* name, const Field<CpuidPolicy>& f, std::vector<Sexp>* out) {
  XmValue v = CpuidValue(f);
  if (v.Truthy()) out->push_back(Pair(name, v));
}

void TopVcpus(const DomainConfig& c, std::vector<Sexp>* vm) {
  const XmValue* vcpus = Xm(c.vcpus);
  if (XmTruthy(c.maxvcpus) && vcpus && vcpus->Truthy()) {
    int64_t n = vcpus->kind == XmValue::Kind::kInt ? vcpus->i : 0;
    if (n >= 0 && n < 63) {
      vm->push_back(Pair("vcpu_avail", Num((int64_t{1} << n) - 1)));
    } else {
      // A Python 2 long: shown quoted.
      vm->push_back(Pair("vcpu_avail", Sexp::Other(n >= 63 && n < 64 ? "9223372036854775807" : "0")));
    }
    vm->push_back(Pair("vcpus", *c.maxvcpus.xm));
  } else if (XmTruthy(c.maxvcpus)) {
    vm->push_back(Pair("vcpus", *c.maxvcpus.xm));
  } else if (vcpus && vcpus->Truthy()) {
    vm->push_back(Pair("vcpus", *vcpus));
  }
}

void TopBootloader(const DomainConfig& c, std::vector<Sexp>* vm) {
  if (!XmTruthy(c.bootloader)) return;
  vm->push_back(Pair("bootloader", *c.bootloader.xm));
  if (XmTruthy(c.bootargs)) {
    vm->push_back(Pair("bootloader_args", *c.bootargs.xm));
  } else {
    vm->push_back(Pair("bootloader_args", A(c.console_autoconnect ? "" : "-q")));
  }
}

void TopSecurity(const DomainConfig& c, std::vector<Sexp>* vm) {
  if (!c.access_control.value || c.access_control.value->empty()) return;
  const AccessControl& ac = c.access_control.value->front();
  vm->push_back(
      Pair("security",
           Sexp::List({Sexp::List({A("access_control"), Pair("policy", A(ac.policy)), Pair("label", A(ac.label))})})));
}

/// (image (BUILDER ...)): the image and HVM-list places.
void TopImage(const DomainConfig& c, std::vector<Sexp>* vm) {
  if (c.builder.xm && !c.builder.xm->Truthy()) {  // a false builder: xm made no image (None)
    vm->push_back(Pair("image", Sexp::Other("None")));
    return;
  }
  std::vector<Sexp> image;
  WritePlaces(c, {SxpAt::kImage, SxpAt::kHvm}, &image);
  vm->push_back(Sexp::List({A("image"), Sexp::List(std::move(image))}));
}

void ImageIp(const DomainConfig& c, std::vector<Sexp>* image) {
  bool dhcp_on = c.dhcp.xm && !(c.dhcp.xm->kind == XmValue::Kind::kString && c.dhcp.xm->s == "off");
  if (!XmTruthy(c.ip) && !dhcp_on) return;
  std::string nfs = XmTruthy(c.nfs_server) ? StrOf(c.nfs_server) : "127.0.255.255";
  image->push_back(Pair("ip", A(StrOf(c.ip) + ":" + nfs + ":" + StrOf(c.gateway) + ":" + StrOf(c.netmask) + ":" +
                                StrOf(c.hostname) + ":" + StrOf(c.interface) + ":" + StrOf(c.dhcp))));
}

void ImageRoot(const DomainConfig& c, std::vector<Sexp>* image) {
  if (!XmTruthy(c.root)) return;
  std::string root = StrOf(c.root);
  if (root.rfind("root=", 0) == 0) root = root.substr(5);
  image->push_back(Pair("root", A(root)));
}

void ImageMonitor(const DomainConfig& c, std::vector<Sexp>* image) {
  if (XmTruthy(c.monitor_path)) {
    image->push_back(Pair("monitor_path", *c.monitor_path.xm));
    image->push_back(Pair("monitor", Num(1)));
  } else if (XmTruthy(c.monitor)) {
    image->push_back(Pair("monitor", *c.monitor.xm));
  }
}

void ImageArgs(const DomainConfig& c, std::vector<Sexp>* image) {
  if (XmTruthy(c.nfs_root) && XmTruthy(c.nfs_server)) {
    image->push_back(
        Pair("args", A("nfsroot=" + StrOf(c.nfs_server) + ":" + StrOf(c.nfs_root) + " " + StrOf(c.extra))));
  } else if (XmTruthy(c.extra)) {
    image->push_back(Pair("args", *c.extra.xm));
  }
}

void DeviceDisks(const DomainConfig& c, std::vector<Sexp>* vm) {
  if (!c.disk.value) return;
  for (const Disk& d : *c.disk.value) {
    std::vector<Sexp> body{A(d.device_class), Pair("uname", A(d.uname)), Pair("dev", A(d.dev)),
                           Pair("mode", A(d.mode))};
    if (!d.backend.empty()) body.push_back(Pair("backend", A(d.backend)));
    if (!d.protocol.empty()) body.push_back(Pair("protocol", A(d.protocol)));
    vm->push_back(Device(std::move(body)));
  }
}

void DevicePci(const DomainConfig& c, std::vector<Sexp>* vm) {
  if (!c.pci.value || c.pci.value->empty()) return;
  std::vector<Sexp> pci{A("pci")};
  for (const PciDevice& d : *c.pci.value) {
    std::vector<std::pair<std::string, Sexp>> pairs{{"domain", A(fmt::format("0x{:04x}", d.domain))},
                                                    {"bus", A(fmt::format("0x{:02x}", d.bus))},
                                                    {"slot", A(fmt::format("0x{:02x}", d.slot))},
                                                    {"func", A(fmt::format("0x{:x}", d.func))},
                                                    {"vdevfn", A(fmt::format("0x{:02x}", d.vdevfn))}};
    if (!d.opts.empty()) {
      std::vector<Sexp> opts;
      for (const auto& [k, v] : d.opts) opts.push_back(Sexp::List({A(k), A(v)}));
      pairs.emplace_back("opts", Sexp::List(std::move(opts)));
    }
    pairs.emplace_back("key", A(d.key));
    // xm wrote each option as its own (opts (KEY VALUE)), where the dict put 'opts'.
    std::vector<Sexp> dev{A("dev")};
    for (Sexp& p : DictPairs(pairs)) {
      if (p.items[0].text != "opts") {
        dev.push_back(std::move(p));
        continue;
      }
      for (Sexp& opt : p.items[1].items) dev.push_back(Pair("opts", std::move(opt)));
    }
    pci.push_back(Sexp::List(std::move(dev)));
  }
  vm->push_back(Device(std::move(pci)));
}

void DeviceVscsi(const DomainConfig& c, std::vector<Sexp>* vm) {
  if (!c.vscsi.value) return;
  for (const VscsiEntry& e : *c.vscsi.value) {
    std::vector<Sexp> body{
        A("vscsi"), Pair("feature-host", Num(e.vdev == "host" ? 1 : 0)),
        Sexp::List({A("dev"), Pair("state", Num(1)), Pair("p-dev", A(e.pdev)), Pair("v-dev", A(e.vdev))})};
    if (!e.backend.empty()) body.push_back(Pair("backend", A(e.backend)));
    vm->push_back(Device(std::move(body)));
  }
}

void DeviceVusb(const DomainConfig& c, std::vector<Sexp>* vm) {
  if (!c.vusb.value) return;
  for (const Vusb& u : *c.vusb.value) {
    std::vector<Sexp> ports{A("port")};
    for (int64_t p = 1; p <= u.numports; ++p) {
      auto it = u.ports.find(p);
      ports.push_back(Sexp::List({Num(p), A(it == u.ports.end() ? "" : it->second)}));
    }
    vm->push_back(Device(
        {A("vusb"), Pair("usb-ver", Num(u.usbver)), Pair("num-ports", Num(u.numports)), Sexp::List(std::move(ports))}));
  }
}

void DeviceIoports(const DomainConfig& c, std::vector<Sexp>* vm) {
  if (!c.ioports.value) return;
  for (const IoportRange& r : *c.ioports.value) {
    vm->push_back(Device({A("ioports"), Pair("from", A("0x" + r.from)), Pair("to", A("0x" + r.to))}));
  }
}

void DeviceIrqs(const DomainConfig& c, std::vector<Sexp>* vm) {
  if (!c.irq.value) return;
  // xm sends repr() of each element: 7 gives (irq 7), '7' gives (irq "'7'").
  for (const Irq& irq : *c.irq.value) vm->push_back(Device({A("irq"), Pair("irq", A(irq.item.Repr()))}));
}

void DeviceVifs(const DomainConfig& c, std::vector<Sexp>* vm) {
  if (!c.vif.value) return;
  for (const Vif& v : *c.vif.value) vm->push_back(Device(KeyValueDevice("vif", v)));
  for (int64_t i = static_cast<int64_t>(c.vif.value->size()); i < VifCount(c); ++i) vm->push_back(Device({A("vif")}));
}

void DeviceVif2s(const DomainConfig& c, std::vector<Sexp>* vm) {
  if (!c.vif2.value) return;
  for (const Vif2& v : *c.vif2.value) vm->push_back(Device(KeyValueDevice("vif2", v)));
}

void DeviceVfbs(const DomainConfig& c, std::vector<Sexp>* vm) {
  if (!c.vfb.value) return;
  for (const Vfb& f : *c.vfb.value) {
    std::vector<std::pair<std::string, Sexp>> pairs;
    std::vector<std::string> erased;
    for (const auto& [k, v] : f.pairs) pairs.emplace_back(k, A(v));
    if (const std::string* type = f.Get("type")) {
      pairs.emplace_back(*type, A("1"));
      erased.push_back("type");
    }
    std::vector<Sexp> body{A("vfb")};
    for (Sexp& p : DictPairs(pairs, erased)) body.push_back(std::move(p));
    auto has = [&](const char* k) {
      for (const auto& kv : pairs) {
        if (kv.first == k) return true;
      }
      return false;
    };
    if (!has("keymap") && XmTruthy(c.keymap)) body.push_back(Pair("keymap", *c.keymap.xm));
    if (!has("display") && c.env_display) body.push_back(Pair("display", A(*c.env_display)));
    if (!has("xauthority")) body.push_back(Pair("xauthority", A(c.env_xauthority)));
    vm->push_back(Device({A("vkbd")}));
    vm->push_back(Device(std::move(body)));
  }
}

/// The SXP writer's code for the custom places of the schema (sxp: {custom: true}).
struct PlaceCode {
  const char* name;
  SxpAt at;
  void (*write)(const DomainConfig&, std::vector<Sexp>*);
};
const PlaceCode kCode[] = {
    {"cpuid", SxpAt::kTop, [](const DomainConfig& c, std::vector<Sexp>* o) { TopCpuid("cpuid", c.cpuid, o); }},
    {"cpuid_check", SxpAt::kTop,
     [](const DomainConfig& c, std::vector<Sexp>* o) { TopCpuid("cpuid_check", c.cpuid_check, o); }},
    {"vcpus", SxpAt::kTop, TopVcpus},
    {"blkif", SxpAt::kTop,
     [](const DomainConfig& c, std::vector<Sexp>* o) {
       if (XmTruthy(c.blkif)) o->push_back(Pair("backend", Sexp::List({A("blkif")})));
     }},
    {"netif", SxpAt::kTop,
     [](const DomainConfig& c, std::vector<Sexp>* o) {
       if (XmTruthy(c.netif)) o->push_back(Pair("backend", Sexp::List({A("netif")})));
     }},
    {"bootloader", SxpAt::kTop, TopBootloader},
    {"builder", SxpAt::kTop, TopImage},
    {"access_control", SxpAt::kTop, TopSecurity},
    {"builder", SxpAt::kImage, [](const DomainConfig& c, std::vector<Sexp>* o) { o->push_back(SxpOf(*c.builder.xm)); }},
    {"ip", SxpAt::kImage, ImageIp},
    {"root", SxpAt::kImage, ImageRoot},
    {"monitor_path", SxpAt::kImage, ImageMonitor},
    {"extra", SxpAt::kImage, ImageArgs},
    // The HVM list has cpuid, cpuid_check and pci always, in the form xm's preprocessing left them.
    {"cpuid", SxpAt::kHvm,
     [](const DomainConfig& c, std::vector<Sexp>* o) { o->push_back(Pair("cpuid", CpuidValue(c.cpuid))); }},
    {"cpuid_check", SxpAt::kHvm,
     [](const DomainConfig& c, std::vector<Sexp>* o) { o->push_back(Pair("cpuid_check", CpuidValue(c.cpuid_check))); }},
    {"pci", SxpAt::kHvm,
     [](const DomainConfig& c, std::vector<Sexp>* o) {
       // A false value that is not a list: xm's preprocessing left it as it was.
       const XmValue* v = Xm(c.pci);
       o->push_back(v && !v->Truthy() && v->kind != XmValue::Kind::kList ? Pair("pci", *v) : Pair("pci", PciTuples(c)));
     }},
    {"disk", SxpAt::kDevice, DeviceDisks},
    {"pci", SxpAt::kDevice, DevicePci},
    {"vscsi", SxpAt::kDevice, DeviceVscsi},
    {"vusb", SxpAt::kDevice, DeviceVusb},
    {"ioports", SxpAt::kDevice, DeviceIoports},
    {"irq", SxpAt::kDevice, DeviceIrqs},
    {"vif", SxpAt::kDevice, DeviceVifs},
    {"vif2", SxpAt::kDevice, DeviceVif2s},
    {"vfb", SxpAt::kDevice, DeviceVfbs},
};

const PlaceCode* CodeFor(std::string_view name, SxpAt at) {
  for (const PlaceCode& code : kCode) {
    if (code.name == name && code.at == at) return &code;
  }
  return nullptr;
}

void WritePlaces(const DomainConfig& c, std::initializer_list<SxpAt> at, std::vector<Sexp>* out) {
  bool hvm = HvmBuilder(c);
  for (const auto& [spec, place] : SxpPlacesAt(Schema::Builtin(), at)) {
    if (place->at == SxpAt::kHvm && !hvm) continue;
    if (place->custom) {
      if (const PlaceCode* code = CodeFor(spec->name, place->at)) code->write(c, out);
      continue;
    }
    const std::string& key = place->key.empty() ? spec->name : place->key;
    SxpWhen when = place->when;  // a copy: clang 14 cannot capture a structured binding
    VisitField(c, spec->name, [&](const char*, const auto& f) {
      bool write = when == SxpWhen::kSet       ? f.xm.has_value()
                   : when == SxpWhen::kNonzero ? f.xm && !EqualsZero(*f.xm)
                                               : XmTruthy(f);
      if (write) out->push_back(Pair(key, *f.xm));
    });
  }
}

void AppendPretty(const Sexp& s, size_t col, bool force_break, std::string* out) {
  if (!s.is_list()) {
    *out += s.Printed();
    return;
  }
  std::string flat = SxpFlat(s);
  if (s.items.empty() || s.tuple || (!force_break && col + flat.size() <= kWidth)) {
    *out += flat;
    return;
  }
  *out += '(';
  AppendPretty(s.items[0], col + 1, false, out);
  for (size_t i = 1; i < s.items.size(); ++i) {
    *out += '\n';
    out->append(col + 4, ' ');
    AppendPretty(s.items[i], col + 4, false, out);
  }
  *out += '\n';
  out->append(col, ' ');
  *out += ')';
}

}  // namespace

Sexp Sexp::String(std::string raw) {
  Sexp s;
  s.kind = Kind::kString;
  s.text = std::move(raw);
  return s;
}

Sexp Sexp::Number(std::string text) {
  Sexp s;
  s.kind = Kind::kNumber;
  s.text = std::move(text);
  return s;
}

Sexp Sexp::Other(std::string str_text) {
  Sexp s;
  s.kind = Kind::kOther;
  s.text = std::move(str_text);
  return s;
}

Sexp Sexp::List(std::vector<Sexp> items) {
  Sexp s;
  s.kind = Kind::kList;
  s.items = std::move(items);
  return s;
}

std::string Sexp::Printed() const {
  switch (kind) {
    case Kind::kString: return SxpString(text);
    case Kind::kNumber: return text;
    case Kind::kOther: return py2::StrRepr(text);
    case Kind::kList: return SxpFlat(*this);
  }
  return text;
}

const Sexp* Sexp::Child(const std::string& name) const {
  for (const Sexp& item : items) {
    if (item.is_list() && !item.items.empty() && !item.items[0].is_list() && item.items[0].text == name) {
      return &item;
    }
  }
  return nullptr;
}

const Sexp* Sexp::ChildValue(const std::string& name) const {
  const Sexp* child = Child(name);
  return child != nullptr && child->items.size() > 1 ? &child->items[1] : nullptr;
}

std::string Sexp::Str() const {
  switch (kind) {
    case Kind::kString:
    case Kind::kNumber:
    case Kind::kOther: return text;
    case Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += ", ";
        out += items[i].kind == Kind::kString ? py2::StrRepr(items[i].text) : items[i].Str();
      }
      return out + "]";
    }
  }
  return text;
}

std::string SxpString(const std::string& s) {
  if (s == "@") return s;
  bool bare = !s.empty();
  for (unsigned char c : s) {
    if (!(std::isalnum(c) && c < 0x80) && c != '.' && c != '-' && c != '_' && c != ':' && c != '/' && c != '~') {
      bare = false;
      break;
    }
  }
  return bare ? s : py2::StrRepr(s);
}

Sexp SxpOf(const XmValue& v) {
  switch (v.kind) {
    case XmValue::Kind::kInt: return Sexp::Number(std::to_string(v.i));
    case XmValue::Kind::kFloat: return Sexp::Number(py2::FloatStr(v.f));
    case XmValue::Kind::kString: return Sexp::String(v.s);
    case XmValue::Kind::kOther: return Sexp::Other(v.s);
    case XmValue::Kind::kList: {
      std::vector<Sexp> items;
      for (const XmValue& item : v.items) items.push_back(SxpOf(item));
      return Sexp::List(std::move(items));
    }
  }
  return Sexp::String("");
}

std::string SxpFlat(const Sexp& s) {
  if (!s.is_list()) return s.Printed();
  std::string out = "(";
  for (size_t i = 0; i < s.items.size(); ++i) {
    if (i) out += ' ';
    out += SxpFlat(s.items[i]);
  }
  return out + ")";
}

std::string SxpPretty(const Sexp& s, bool force_break) {
  std::string out;
  AppendPretty(s, 0, force_break, &out);
  return out;
}

Sexp BuildSxp(const DomainConfig& c) {
  std::vector<Sexp> vm{A("vm")};
  WritePlaces(c, {SxpAt::kTop}, &vm);
  WritePlaces(c, {SxpAt::kDevice}, &vm);
  return Sexp::List(std::move(vm));
}

std::vector<std::pair<std::string, SxpAt>> SxpCodePlaces() {
  std::vector<std::pair<std::string, SxpAt>> out;
  for (const PlaceCode& code : kCode) out.emplace_back(code.name, code.at);
  return out;
}

void EmitSxp(const DomainConfig& config, const EmitOptions& options, std::ostream& out, Diagnostics*) {
  Sexp vm = BuildSxp(config);
  out << (options.pretty ? SxpPretty(vm, true) : SxpFlat(vm)) << '\n';
}

}  // namespace xmc
