#include "compiler/derive/xend_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "compiler/ir/key_value_spec.h"
#include "compiler/schema/schema.h"

namespace xmc {

std::string KernelCommandLine(const DomainConfig& c) {
  std::string args = XmStr(c.extra);
  if (XmTruthy(c.nfs_root) && XmTruthy(c.nfs_server)) {
    args = "nfsroot=" + XmStr(c.nfs_server) + ":" + XmStr(c.nfs_root) + " " + args;
  }
  std::string out;
  std::string root = XmStr(c.root);
  if (root.rfind("root=", 0) == 0) root = root.substr(5);
  if (!root.empty() && args.find("root=") == std::string::npos) out += "root=" + root + " ";
  bool dhcp_on = EffectiveStr(c, &DomainConfig::dhcp) != "off";
  if ((XmTruthy(c.ip) || dhcp_on) && args.find("ip=") == std::string::npos) {
    std::string nfs = XmTruthy(c.nfs_server) ? XmStr(c.nfs_server) : "127.0.255.255";
    out += "ip=" + XmStr(c.ip) + ":" + nfs + ":" + XmStr(c.gateway) + ":" + XmStr(c.netmask) + ":" + XmStr(c.hostname) +
           ":" + EffectiveStr(c, &DomainConfig::interface) + ":" + EffectiveStr(c, &DomainConfig::dhcp) + " ";
  }
  return out + args;
}

std::string LifecycleAction(const DomainConfig& c, Lifecycle which) {
  const Field<std::string>& f = which == Lifecycle::kPoweroff ? c.on_poweroff
                                : which == Lifecycle::kReboot ? c.on_reboot
                                                              : c.on_crash;
  if (f.xm) return XmStr(f);
  std::string restart = XmStr(c.restart);
  if (restart == "onreboot") return which == Lifecycle::kReboot ? "restart" : "destroy";
  if (restart == "always") return "restart";
  if (restart == "never") return "never";  // xend stored the invalid word (xm.md 9.10)
  return which == Lifecycle::kPoweroff ? "destroy" : "restart";
}

std::string HyphenatedAction(const std::string& action) {
  std::string a = action;
  std::replace(a.begin(), a.end(), '_', '-');
  if (a == "coredump-and-destroy") return "coredump-destroy";
  if (a == "coredump-and-restart") return "coredump-restart";
  return a;
}

int64_t VcpusMax(const DomainConfig& c) {
  int64_t vcpus = Effective(c, &DomainConfig::vcpus);
  return c.maxvcpus.value && *c.maxvcpus.value > 0 ? *c.maxvcpus.value : vcpus;
}

int64_t VcpusOnline(const DomainConfig& c) {
  return c.maxvcpus.value ? Effective(c, &DomainConfig::vcpus) : VcpusMax(c);
}

int64_t VcpusToList(const DomainConfig& c) { return std::clamp<int64_t>(VcpusMax(c), 0, kMaxVcpus); }

uint64_t OnlineMask(int64_t online) {
  if (online <= 0) return 0;
  if (online >= 64) return ~uint64_t{0};
  return (uint64_t{1} << online) - 1;
}

int64_t VifCount(const DomainConfig& c) {
  int64_t listed = c.vif.value ? static_cast<int64_t>(c.vif.value->size()) : 0;
  return std::clamp<int64_t>(std::max(listed, Effective(c, &DomainConfig::nics)), listed, std::max(listed, kMaxVifs));
}

std::string DeviceModelPath(const DomainConfig& c) {
  std::string dm = XmStr(c.device_model, "qemu-dm");
  if (dm.find('/') == std::string::npos) dm = "/usr/lib/xen/bin/" + dm;
  return dm;
}

VifRateLimit ParseVifRate(const std::string& rate) {
  // NUMBER[GMK][bB]/s[@INTERVAL[ms|us|s]] -> bytes per interval, interval in microseconds.
  size_t at = rate.find('@');
  std::string amount = rate.substr(0, at);
  double interval_us = 50000;
  if (at != std::string::npos) {
    std::string iv = rate.substr(at + 1);
    double n = std::atof(iv.c_str());
    if (iv.size() > 2 && iv.compare(iv.size() - 2, 2, "ms") == 0)
      n *= 1000;
    else if (iv.size() > 2 && iv.compare(iv.size() - 2, 2, "us") == 0)
      n *= 1;
    else if (!iv.empty() && iv.back() == 's')
      n *= 1000000;
    interval_us = n;
  }
  size_t i = 0;
  while (i < amount.size() && (std::isdigit(static_cast<unsigned char>(amount[i])) || amount[i] == '.')) ++i;
  double value = std::atof(amount.substr(0, i).c_str());
  std::string unit = amount.substr(i);
  double mult = 1;
  if (!unit.empty() && (unit[0] == 'G' || unit[0] == 'M' || unit[0] == 'K')) {
    mult = unit[0] == 'G' ? 1e9 : unit[0] == 'M' ? 1e6 : 1e3;
    unit = unit.substr(1);
  }
  double bytes_per_s = value * mult / (unit.rfind('b', 0) == 0 ? 8 : 1);
  auto per_interval = static_cast<int64_t>(std::llround(bytes_per_s * interval_us / 1e6));
  return {per_interval, static_cast<int64_t>(interval_us)};
}

std::string VifRateLimit::XenstoreText() const { return fmt::format("{},{}", bytes_per_interval, interval_usecs); }

// --- The typed devices ------------------------------------------------------------------

namespace {

const char* const kNicKeyNames[kNicKeys] = {"backend", "bridge", "ip",    "mac",   "script", "type",
                                            "vifname", "rate",   "model", "accel", "policy", "label"};
const char* const kVfbKeyNames[kVfbKeys] = {"vnclisten",  "vncunused", "vncdisplay", "display",   "videoram",
                                            "xauthority", "sdl",       "vnc",        "vncpasswd", "opengl",
                                            "keymap",     "serial",    "monitor",    "type"};

/// The typed values of a spec's pairs; a key lowering did not accept is not there (lowering
/// reported it, and xend refused the device).
template <typename Key, size_t N>
void Fill(const KeyValueSpec& spec, const char* const (&names)[N], KeyedValues<Key, N>* out) {
  for (const auto& pair : spec.pairs) {
    const std::string& key = pair.first;
    const std::string& value = pair.second;
    const auto* it = std::find_if(std::begin(names), std::end(names), [&key](const char* n) { return key == n; });
    if (it == std::end(names)) continue;
    auto k = static_cast<Key>(it - std::begin(names));
    if (!out->has(k)) out->written.push_back(k);
    out->values[static_cast<size_t>(k)] = value;
  }
}

}  // namespace

const char* KeyName(NicKey key) { return kNicKeyNames[static_cast<size_t>(key)]; }
const char* KeyName(VfbKey key) { return kVfbKeyNames[static_cast<size_t>(key)]; }

bool Nic::emulated_only() const { return has(NicKey::kType) && *(*this)[NicKey::kType] == "ioemu"; }
bool Nic::pv_only() const { return has(NicKey::kType) && *(*this)[NicKey::kType] != "ioemu"; }

std::string Nic::Script() const { return (*this)[NicKey::kScript].value_or("vif-bridge"); }

std::string Nic::ScriptPath() const {
  std::string s = Script();
  return !s.empty() && s[0] == '/' ? s : "/etc/xen/scripts/" + s;
}

std::optional<std::string> Framebuffer::Keymap() const {
  return has(VfbKey::kKeymap) ? (*this)[VfbKey::kKeymap] : inherited_keymap;
}

bool Framebuffer::Sdl() const {
  return (*this)[VfbKey::kType] == std::optional<std::string>("sdl") ||
         (*this)[VfbKey::kSdl] == std::optional<std::string>("1");
}

int64_t XendModel::vcpus_to_list() const { return std::clamp<int64_t>(vcpus_max, 0, kMaxVcpus); }

const std::string& XendModel::Action(Lifecycle which) const {
  return which == Lifecycle::kPoweroff ? on_poweroff : which == Lifecycle::kReboot ? on_reboot : on_crash;
}

XendModel Derive(const DomainConfig& c) {
  XendModel m(c);
  m.guest = c.guest_type();
  m.hvm = m.guest == GuestType::kHvm;
  m.kernel_cmdline = KernelCommandLine(c);
  m.on_poweroff = LifecycleAction(c, Lifecycle::kPoweroff);
  m.on_reboot = LifecycleAction(c, Lifecycle::kReboot);
  m.on_crash = LifecycleAction(c, Lifecycle::kCrash);
  m.vcpus_max = VcpusMax(c);
  m.vcpus_online = VcpusOnline(c);
  m.device_model_path = DeviceModelPath(c);
  int64_t listed = c.vif.value ? static_cast<int64_t>(c.vif.value->size()) : 0;
  if (c.vif.value) {
    for (int64_t i = 0; i < VifCount(c); ++i) {
      Nic nic;
      nic.index = i;
      if (i < listed) {
        const Vif& v = (*c.vif.value)[static_cast<size_t>(i)];
        nic.listed = true;
        nic.span = v.span;
        Fill(v, kNicKeyNames, &nic);
        if (nic.has(NicKey::kRate)) nic.rate = ParseVifRate(*nic[NicKey::kRate]);
      }
      m.nics.push_back(std::move(nic));
    }
  }
  if (c.vfb.value) {
    for (const Vfb& v : *c.vfb.value) {
      Framebuffer fb;
      fb.span = v.span;
      Fill(v, kVfbKeyNames, &fb);
      if (!fb.has(VfbKey::kKeymap) && XmTruthy(c.keymap)) fb.inherited_keymap = XmStr(c.keymap);
      m.vfbs.push_back(std::move(fb));
    }
  }
  if (c.vusb.value) {
    for (const Vusb& v : *c.vusb.value) m.usbs.push_back({v.usbver, v.numports, v.ports, v.span});
  }
  m.netchannel2 = c.vif2.value ? c.vif2.value->size() : 0;
  m.vif_declared = c.vif.value.has_value();
  return m;
}

}  // namespace xmc
