#include "compiler/emit/libvirt.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "compiler/base/py2.h"
#include "compiler/base/strings.h"
#include "compiler/derive/xend_model.h"
#include "compiler/schema/schema.h"

namespace xmc {
namespace {

/// A libvirt-style XML element: attributes in insertion order, single quotes.
struct Node {
  std::string tag;
  std::vector<std::pair<std::string, std::string>> attrs;
  std::string text;
  std::vector<Node> children;

  Node& Attr(const std::string& k, const std::string& v) {
    attrs.emplace_back(k, v);
    return *this;
  }
  Node& Add(Node n) {
    children.push_back(std::move(n));
    return children.back();
  }
};

Node N(std::string tag, std::vector<std::pair<std::string, std::string>> attrs = {}, std::string text = "") {
  return Node{std::move(tag), std::move(attrs), std::move(text), {}};
}

std::string Escape(const std::string& s, bool attr) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\'': out += attr ? "&apos;" : "'"; break;
      case '"': out += attr ? "&quot;" : "\""; break;
      default: out += c;
    }
  }
  return out;
}

void Write(const Node& n, int depth, std::string* out) {
  std::string pad(static_cast<size_t>(depth) * 2, ' ');
  *out += pad + "<" + n.tag;
  for (const auto& [k, v] : n.attrs) *out += " " + k + "='" + Escape(v, true) + "'";
  if (!n.children.empty()) {
    *out += ">\n";
    for (const Node& c : n.children) Write(c, depth + 1, out);
    *out += pad + "</" + n.tag + ">\n";
  } else if (!n.text.empty()) {
    *out += ">" + Escape(n.text, false) + "</" + n.tag + ">\n";
  } else {
    *out += "/>\n";
  }
}

/// A character device string of xm/qemu ("pty", "tcp:HOST:PORT", "unix:PATH,server"...)
/// as libvirt's source/protocol children; nullopt if libvirt has no such type.
std::optional<Node> CharDevice(const std::string& tag, const std::string& spec, bool console) {
  Node n = N(tag);
  std::string type = spec, rest;
  if (!spec.empty() && spec[0] == '/') {
    type = "dev";
    rest = spec;
  } else if (size_t colon = spec.find(':'); colon != std::string::npos) {
    type = spec.substr(0, colon);
    rest = spec.substr(colon + 1);
  }
  bool telnet = type == "telnet";
  if (telnet) type = "tcp";
  static const char* const kTypes[] = {"pty", "null", "vc", "stdio", "file", "pipe", "tcp", "udp", "unix", "dev"};
  if (std::find_if(std::begin(kTypes), std::end(kTypes), [&](const char* t) { return type == t; }) ==
      std::end(kTypes)) {
    return std::nullopt;
  }
  n.Attr("type", type);
  auto host_port = [](const std::string& hp) {
    size_t colon = hp.rfind(':');
    return colon == std::string::npos ? std::make_pair(std::string(), hp)
                                      : std::make_pair(hp.substr(0, colon), hp.substr(colon + 1));
  };
  if (type == "file" || type == "pipe" || type == "dev") {
    n.Add(N("source", {{"path", rest}}));
  } else if (type == "tcp") {
    auto parts = SplitAll(rest, ',');
    bool server = std::find(parts.begin(), parts.end(), "server") != parts.end();
    auto [host, port] = host_port(parts[0]);
    Node& src = n.Add(N("source", {{"mode", server ? "bind" : "connect"}}));
    if (!host.empty()) src.Attr("host", host);
    src.Attr("service", port);
    n.Add(N("protocol", {{"type", telnet ? "telnet" : "raw"}}));
  } else if (type == "udp") {
    size_t at = rest.find('@');
    auto [host, port] = host_port(rest.substr(0, at));
    if (at != std::string::npos) {
      auto [bhost, bport] = host_port(rest.substr(at + 1));
      Node& b = n.Add(N("source", {{"mode", "bind"}}));
      if (!bhost.empty()) b.Attr("host", bhost);
      b.Attr("service", bport);
    }
    Node& c = n.Add(N("source", {{"mode", "connect"}}));
    if (!host.empty()) c.Attr("host", host);
    c.Attr("service", port);
  } else if (type == "unix") {
    auto parts = SplitAll(rest, ',');
    bool server = std::find(parts.begin(), parts.end(), "server") != parts.end();
    n.Add(N("source", {{"mode", server ? "bind" : "connect"}, {"path", parts[0]}}));
  }
  Node target = N("target");
  if (console) target.Attr("type", "serial");
  target.Attr("port", "0");
  n.Add(target);
  return n;
}

class Builder {
 public:
  Builder(const DomainConfig& c, const EmitOptions& options, Diagnostics* diags)
      : m_(Derive(c)), c_(c), options_(options), diags_(diags), hvm_(m_.hvm) {}

  Node Build() {
    Node dom = N("domain", {{"type", "xen"}});
    dom.Add(N("name", {}, XmStr(c_.name)));
    if (c_.uuid.value) dom.Add(N("uuid", {}, XendUuid(*c_.uuid.value)));
    int64_t memory = Effective(c_, &DomainConfig::memory);
    dom.Add(N("memory", {{"unit", "KiB"}}, std::to_string(c_.maxmem.value.value_or(memory) * 1024)));
    dom.Add(N("currentMemory", {{"unit", "KiB"}}, std::to_string(memory * 1024)));
    Vcpus(&dom);
    if (!hvm_ && XmTruthy(c_.bootloader)) {
      dom.Add(N("bootloader", {}, XmStr(c_.bootloader)));
      if (XmTruthy(c_.bootargs)) dom.Add(N("bootloader_args", {}, XmStr(c_.bootargs)));
    }
    Os(&dom);
    if (hvm_) Features(&dom);
    Clock(&dom);
    dom.Add(N("on_poweroff", {}, Action(Lifecycle::kPoweroff)));
    dom.Add(N("on_reboot", {}, Action(Lifecycle::kReboot)));
    dom.Add(N("on_crash", {}, Action(Lifecycle::kCrash)));
    dom.Add(Devices());
    return dom;
  }

 private:
  /// Reports what libvirt cannot express, at the variable's span.
  template <DiagId id, typename... Args>
  void Note(const std::string& variable, Span span, const Args&... args) {
    diags_->Add<id>(options_.file, span, variable, args...);
  }

  void Vcpus(Node* dom) {
    int64_t vcpus = Effective(c_, &DomainConfig::vcpus);
    int64_t max = c_.maxvcpus.value.value_or(vcpus);
    Node v = N("vcpu", {{"placement", "static"}}, std::to_string(max));
    const CpuAffinity* aff = c_.cpus.value ? &*c_.cpus.value : nullptr;
    if (aff && !aff->per_vcpu && !aff->masks.empty()) v.Attr("cpuset", aff->masks[0].text);
    if (max > vcpus) v.Attr("current", std::to_string(vcpus));
    dom->Add(v);
    bool pins = aff && aff->per_vcpu && !aff->masks.empty();
    if (pins || c_.cpu_weight.value || c_.cpu_cap.value) {
      // libvirt's converter ignored these; <cputune> keeps xm's meaning.
      Node tune = N("cputune");
      if (c_.cpu_weight.value) tune.Add(N("shares", {}, std::to_string(*c_.cpu_weight.value)));
      if (c_.cpu_cap.value && *c_.cpu_cap.value > 0) {
        tune.Add(N("period", {}, "100000"));
        tune.Add(N("quota", {}, std::to_string(*c_.cpu_cap.value * 1000)));
      }
      if (pins) {
        for (size_t i = 0; i < aff->masks.size(); ++i) {
          tune.Add(N("vcpupin", {{"vcpu", std::to_string(i)}, {"cpuset", aff->masks[i].text}}));
        }
      }
      dom->Add(tune);
    }
  }

  std::string Cmdline() const {
    std::string out = m_.kernel_cmdline;
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
  }

  /// libvirt takes absolute paths only; xend ran in /, so a relative path meant /PATH there.
  std::string FromRoot(const std::string& path, const char* variable, Span span) {
    if (path.empty() || path[0] == '/') return path;
    std::string abs = py2::NormPath("/" + path);
    Note<DiagId::kLibvirtRelativePath>(variable, span, path, abs);
    return abs;
  }

  void Os(Node* dom) {
    Node os = N("os");
    os.Add(N("type", {{"arch", "x86_64"}, {"machine", hvm_ ? "xenfv" : "xenpv"}}, hvm_ ? "hvm" : "linux"));
    if (hvm_) {
      std::string loader = XmTruthy(c_.loader) ? XmStr(c_.loader) : XmStr(c_.kernel, "hvmloader");
      if (loader == "hvmloader") loader = "/usr/lib/xen/boot/hvmloader";
      os.Add(N("loader", {{"type", "rom"}},
               FromRoot(loader, XmTruthy(c_.loader) ? "loader" : "kernel",
                        XmTruthy(c_.loader) ? c_.loader.span : c_.kernel.span)));
      std::string boot = EffectiveStr(c_, &DomainConfig::boot);
      for (size_t i = 0; i < boot.size() && i < 4; ++i) {
        const char* dev = boot[i] == 'a' ? "fd" : boot[i] == 'd' ? "cdrom" : boot[i] == 'n' ? "network" : "hd";
        os.Add(N("boot", {{"dev", dev}}));
      }
    } else {  // with a bootloader too: libvirt hands them to it, as xend did
      if (XmTruthy(c_.kernel)) os.Add(N("kernel", {}, FromRoot(XmStr(c_.kernel), "kernel", c_.kernel.span)));
      if (XmTruthy(c_.ramdisk)) os.Add(N("initrd", {}, FromRoot(XmStr(c_.ramdisk), "ramdisk", c_.ramdisk.span)));
      std::string cmdline = Cmdline();
      if (!cmdline.empty()) os.Add(N("cmdline", {}, cmdline));
    }
    dom->Add(os);
  }

  void Features(Node* dom) {
    Node f = N("features");
    if (Effective(c_, &DomainConfig::acpi)) f.Add(N("acpi"));
    if (Effective(c_, &DomainConfig::apic)) f.Add(N("apic"));
    if (Effective(c_, &DomainConfig::pae)) f.Add(N("pae"));
    if (Effective(c_, &DomainConfig::hap) == 0) f.Add(N("hap", {{"state", "off"}}));
    if (Effective(c_, &DomainConfig::viridian)) f.Add(N("viridian"));
    dom->Add(f);
  }

  void Clock(Node* dom) {
    bool local = Effective(c_, &DomainConfig::localtime);
    if (!hvm_) {
      dom->Add(N("clock", {{"offset", local ? "localtime" : "utc"}, {"adjustment", "reset"}}));
      return;
    }
    Node clock = N("clock", {{"offset", "variable"},
                             {"adjustment", std::to_string(Effective(c_, &DomainConfig::rtc_timeoffset))},
                             {"basis", local ? "localtime" : "utc"}});
    // xm's HPET default was off; libxl's is on: always say which.
    clock.Add(N("timer", {{"name", "hpet"}, {"present", Effective(c_, &DomainConfig::hpet) ? "yes" : "no"}}));
    dom->Add(clock);
  }

  std::string Action(Lifecycle which) {
    std::string action = HyphenatedAction(m_.Action(which));
    if (action == "never") return which == Lifecycle::kPoweroff ? "destroy" : "restart";
    // libvirt's schema allows the coredump actions for on_crash only.
    if (which != Lifecycle::kCrash && action.rfind("coredump-", 0) == 0) {
      const bool poweroff = which == Lifecycle::kPoweroff;
      std::string plain = action.substr(std::string("coredump-").size());
      Note<DiagId::kLibvirtCoredumpAction>(poweroff ? "on_poweroff" : "on_reboot",
                                           (poweroff ? c_.on_poweroff : c_.on_reboot).span, action, plain);
      return plain;
    }
    return action;
  }

  Node Devices() {
    Node dev = N("devices");
    if (hvm_ && XmTruthy(c_.device_model)) dev.Add(N("emulator", {}, m_.device_model_path));
    bool ide = false;
    if (c_.disk.value) {
      for (const xmc::Disk& d : *c_.disk.value) ide = AddDisk(d, &dev) || ide;
    }
    if (ide) dev.Add(N("controller", {{"type", "ide"}, {"index", "0"}}));
    for (const Nic& nic : m_.nics) AddInterface(nic, &dev);
    if (hvm_) {
      std::string parallel = XmStr(c_.parallel);
      if (!parallel.empty() && parallel != "none") {
        if (auto p = CharDevice("parallel", parallel, false))
          dev.Add(*p);
        else
          Note<DiagId::kLibvirtUnknownChar>("parallel", c_.parallel.span, parallel);
      }
      std::string serial = XmStr(c_.serial);
      if (!serial.empty() && serial != "none") {
        auto s = CharDevice("serial", serial, false);
        auto con = CharDevice("console", serial, true);
        if (s && con) {
          dev.Add(*s);
          dev.Add(*con);
        } else {
          Note<DiagId::kLibvirtUnknownChar>("serial", c_.serial.span, serial);
        }
      }
      std::string usbdevice = XmStr(c_.usbdevice);
      if (usbdevice == "tablet" || usbdevice == "mouse" || usbdevice == "keyboard") {
        dev.Add(N("input", {{"type", usbdevice}, {"bus", "usb"}}));
      } else if (!usbdevice.empty()) {
        Note<DiagId::kLibvirtUsbdevice>("usbdevice", c_.usbdevice.span, usbdevice);
      }
    } else {
      dev.Add(ConsoleXen());
    }
    dev.Add(N("input", {{"type", "mouse"}, {"bus", hvm_ ? "ps2" : "xen"}}));
    dev.Add(N("input", {{"type", "keyboard"}, {"bus", hvm_ ? "ps2" : "xen"}}));
    bool graphics = Graphics(&dev);
    if (hvm_) {
      for (const std::string& model : SplitAll(XmStr(c_.soundhw), ',')) {
        if (model.empty()) continue;
        if (model == "all") {
          dev.Add(N("sound", {{"model", "sb16"}}));
          dev.Add(N("sound", {{"model", "es1370"}}));
        } else if (model == "hda") {
          dev.Add(N("sound", {{"model", "ich6"}}));  // qemu's Intel HD Audio is libvirt's ich6
        } else if (model == "sb16" || model == "es1370" || model == "ac97" || model == "pcspk") {
          dev.Add(N("sound", {{"model", model}}));
        } else {
          Note<DiagId::kLibvirtSoundModel>("soundhw", c_.soundhw.span, model);
        }
      }
    }
    if (graphics || hvm_) {
      Node video = N("video");
      bool std_vga = hvm_ && Effective(c_, &DomainConfig::stdvga);
      std::string type = !hvm_ ? "xen" : std_vga ? "vga" : "cirrus";
      int64_t vram = hvm_ ? 16384 : 4096;
      if (c_.videoram.from_user() && c_.videoram.value) vram = *c_.videoram.value * 1024;
      video.Add(N("model", {{"type", type}, {"vram", std::to_string(vram)}, {"heads", "1"}, {"primary", "yes"}}));
      dev.Add(video);
    }
    if (c_.pci.value) {
      for (const PciDevice& p : *c_.pci.value) {
        Node h = N("hostdev", {{"mode", "subsystem"}, {"type", "pci"}, {"managed", "no"}});
        Node src = N("source");
        src.Add(N("address", {{"domain", fmt::format("0x{:04x}", p.domain)},
                              {"bus", fmt::format("0x{:02x}", p.bus)},
                              {"slot", fmt::format("0x{:02x}", p.slot)},
                              {"function", fmt::format("0x{:x}", p.func)}}));
        h.Add(src);
        dev.Add(h);
      }
    }
    dev.Add(N("memballoon", {{"model", "xen"}}));
    return dev;
  }

  Node ConsoleXen() {
    Node con = N("console", {{"type", "pty"}});
    con.Add(N("target", {{"type", "xen"}, {"port", "0"}}));
    return con;
  }

  /// Returns true for an IDE disk.
  bool AddDisk(const xmc::Disk& d, Node* dev) {
    std::string driver = d.type.empty() ? "phy" : d.type;
    std::string params = d.params;
    std::string format;
    if (d.device_class != "vbd") {
      auto [tap_driver, image] = d.tap_image();
      params = image;
      format = tap_driver == "aio" ? "raw" : tap_driver;
    } else if (d.type.empty() && !d.uname.empty()) {
      params = d.uname;  // no TYPE: prefix
    }
    if (driver == "phy") params = PhyPath(params);
    std::string bus = !hvm_ || d.vdev.rfind("xvd", 0) == 0 ? "xen" : d.vdev.rfind("sd", 0) == 0 ? "scsi" : "ide";
    if (driver == "nbd") {
      // xm's nbd:HOST PORT ran the block-nbd script: libvirt's network disk.
      auto parts = SplitAll(Strip(params), ' ');
      Node disk = N("disk", {{"type", "network"}, {"device", d.cdrom ? "cdrom" : "disk"}});
      Node src = N("source", {{"protocol", "nbd"}});
      src.Add(N("host", {{"name", parts[0]}, {"port", parts.size() > 1 ? parts.back() : "10809"}}));
      disk.Add(src);
      disk.Add(N("target", {{"dev", d.vdev}, {"bus", bus}}));
      if (Strip(d.mode) == "r") disk.Add(N("readonly"));
      dev->Add(disk);
      return bus == "ide";
    }
    if (d.device_class == "vbd" && driver != "phy" && driver != "file" && !d.uname.empty() &&
        (params.empty() || params[0] != '/')) {
      Note<DiagId::kLibvirtBlockScript>("disk", c_.disk.span, d.vdev, driver);
      return false;
    }
    bool block = driver == "phy";
    Node disk = N("disk", {{"type", block ? "block" : "file"}, {"device", d.cdrom ? "cdrom" : "disk"}});
    Node drv = N("driver", {{"name", driver}});
    if (!format.empty()) drv.Attr("type", format);
    disk.Add(drv);
    if (!d.uname.empty()) disk.Add(N("source", {{block ? "dev" : "file", FromRoot(params, "disk", c_.disk.span)}}));
    std::string vdev = d.vdev;
    disk.Add(N("target", {{"dev", vdev}, {"bus", bus}}));
    std::string mode = Strip(d.mode);
    if (mode == "r" || mode == "ro" || d.cdrom) disk.Add(N("readonly"));
    if (mode == "w!") disk.Add(N("shareable"));
    if (bus == "ide" && vdev.size() >= 3 && vdev.rfind("hd", 0) == 0) {
      int index = vdev[2] - 'a';
      disk.Add(N("address", {{"type", "drive"},
                             {"controller", "0"},
                             {"bus", std::to_string(index / 2)},
                             {"target", "0"},
                             {"unit", std::to_string(index % 2)}}));
    }
    if (!Strip(d.backend).empty()) Note<DiagId::kLibvirtDiskBackend>("disk", c_.disk.span, vdev);
    dev->Add(disk);
    return bus == "ide";
  }

  void AddInterface(const Nic& nic, Node* dev) {
    auto get = [&](NicKey k) -> const std::string* { return nic.has(k) ? &*nic[k] : nullptr; };
    const std::string* script = get(NicKey::kScript);
    bool bridge = get(NicKey::kBridge) || !script || *script == "vif-bridge" || *script == "vif-vnic" ||
                  script->find("/vif-bridge") != std::string::npos;
    Node n = N("interface", {{"type", bridge ? "bridge" : "ethernet"}});
    if (const std::string* mac = get(NicKey::kMac)) n.Add(N("mac", {{"address", *mac}}));
    if (const std::string* b = get(NicKey::kBridge)) {
      n.Add(N("source", {{"bridge", *b}}));
    } else if (bridge) {
      // xend's vif-bridge script used the host's default bridge; libvirt needs a name.
      n.Add(N("source", {{"bridge", "xenbr0"}}));
      Note<DiagId::kLibvirtDefaultBridge>("vif", c_.vif.span);
    }
    if (const std::string* ip = get(NicKey::kIp)) {
      for (const std::string& a : SplitAll(*ip, ' ')) {
        if (a.empty()) continue;
        size_t slash = a.find('/');
        Node addr = N("ip", {{"address", a.substr(0, slash)}});
        if (slash != std::string::npos) addr.Attr("prefix", a.substr(slash + 1));
        n.Add(addr);
      }
    }
    if (script) n.Add(N("script", {{"path", *script}}));
    if (const std::string* name = get(NicKey::kVifname)) n.Add(N("target", {{"dev", *name}}));
    const std::string* type = get(NicKey::kType);
    if (const std::string* model = get(NicKey::kModel)) {
      n.Add(N("model", {{"type", *model}}));
    } else if (type && *type == "netfront") {
      n.Add(N("model", {{"type", "netfront"}}));
    }
    if (const std::string* rate = get(NicKey::kRate)) {
      // libvirt counts KB/s; xm's rate is N[GMK]{b,B}/s
      std::string r = rate->substr(0, rate->find('@'));
      size_t i = 0;
      while (i < r.size() && std::isdigit(static_cast<unsigned char>(r[i]))) ++i;
      double value = std::atof(r.substr(0, i).c_str());
      std::string unit = r.substr(i);
      double mult = unit.empty() ? 1 : unit[0] == 'G' ? 1e6 : unit[0] == 'M' ? 1e3 : unit[0] == 'K' ? 1 : 1e-3;
      if (!unit.empty() && (unit[0] == 'G' || unit[0] == 'M' || unit[0] == 'K')) unit = unit.substr(1);
      double kbs = value * mult / (unit.rfind('b', 0) == 0 ? 8 : 1);
      Node bw = N("bandwidth");
      bw.Add(N("outbound", {{"average", std::to_string(static_cast<int64_t>(kbs))}}));
      n.Add(bw);
    }
    dev->Add(n);
  }

  /// VNC or SDL; returns true if a graphics device was written.
  bool Graphics(Node* dev) {
    std::map<std::string, std::string> keys;
    bool vnc = false, sdl = false;
    if (hvm_) {
      vnc = c_.vnc.value.value_or(0) == 1;
      sdl = !vnc && c_.sdl.value.value_or(0) == 1;
      if (XmTruthy(c_.vnclisten)) keys["vnclisten"] = XmStr(c_.vnclisten);
      if (XmTruthy(c_.vncpasswd)) keys["vncpasswd"] = XmStr(c_.vncpasswd);
      if (XmTruthy(c_.keymap)) keys["keymap"] = XmStr(c_.keymap);
      keys["vncunused"] = Effective(c_, &DomainConfig::vncunused) ? "1" : "0";
      if (c_.vncdisplay.value) keys["vncdisplay"] = std::to_string(*c_.vncdisplay.value);
      if (c_.display.from_user()) keys["display"] = XmStr(c_.display);
      if (c_.xauthority.from_user()) keys["xauthority"] = XmStr(c_.xauthority);
      if (!m_.vfbs.empty()) Note<DiagId::kLibvirtHvmVfb>("vfb", c_.vfb.span);
    } else if (!m_.vfbs.empty()) {
      const Framebuffer& f = m_.vfbs.front();
      for (VfbKey k : f.written) keys[KeyName(k)] = *f[k];
      sdl = f.Sdl();
      vnc = !sdl;
      if (!keys.count("keymap") && f.Keymap()) keys["keymap"] = *f.Keymap();
      if (m_.vfbs.size() > 1) Note<DiagId::kLibvirtFirstVfb>("vfb", c_.vfb.span);
    }
    if (vnc) {
      bool autoport = keys.count("vncunused") == 0 || keys["vncunused"] != "0";
      std::string port = autoport ? "-1" : std::to_string(5900 + std::atoi(keys["vncdisplay"].c_str()));
      Node g = N("graphics", {{"type", "vnc"}, {"port", port}, {"autoport", autoport ? "yes" : "no"}});
      if (keys.count("vnclisten")) g.Attr("listen", keys["vnclisten"]);
      if (keys.count("keymap")) g.Attr("keymap", keys["keymap"]);
      if (keys.count("vncpasswd") && !keys["vncpasswd"].empty()) g.Attr("passwd", keys["vncpasswd"]);
      Node listen = N("listen", {{"type", "address"}});
      if (keys.count("vnclisten")) listen.Attr("address", keys["vnclisten"]);
      g.Add(listen);
      dev->Add(g);
      return true;
    }
    if (sdl) {
      Node g = N("graphics", {{"type", "sdl"}});
      if (keys.count("display")) g.Attr("display", keys["display"]);
      if (keys.count("xauthority")) g.Attr("xauth", keys["xauthority"]);
      dev->Add(g);
      return true;
    }
    return false;
  }

  XendModel m_;
  const DomainConfig& c_;
  const EmitOptions& options_;
  Diagnostics* diags_;
  bool hvm_;
};

}  // namespace

void EmitLibvirtXml(const DomainConfig& config, const EmitOptions& options, std::ostream& out, Diagnostics* diags) {
  Node dom = Builder(config, options, diags).Build();
  std::string text;
  Write(dom, 0, &text);
  out << text;
}

}  // namespace xmc
