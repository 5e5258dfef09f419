#include "compiler/emit/xl.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "compiler/base/py2.h"
#include "compiler/base/strings.h"
#include "compiler/derive/xend_model.h"
#include "compiler/emit/xenstore.h"
#include "compiler/emit/xl_domain.h"
#include "compiler/schema/schema.h"

namespace xmc {
namespace {

template <typename T>
bool UserSet(const Field<T>& f) {
  return f.from_user() && f.value.has_value();
}

const char* const kTscModes[] = {"default", "always_emulate", "native", "native_paravirt"};
const char* const kTimerModes[] = {"delay_for_missed_ticks", "no_delay_for_missed_ticks", "no_missed_ticks_pending",
                                   "one_missed_tick_pending"};

class Translator {
 public:
  /// `diags` receives what was left out or changed (nullptr: not reported, as for the JSON).
  Translator(const DomainConfig& c, const EmitOptions& options, Diagnostics* diags)
      : m_(Derive(c)), c_(c), options_(options), diags_(diags) {}

  XlDomain Run() {
    d_.hvm = m_.hvm;
    Atom("name", XmStr(c_.name));
    Atom("type", d_.hvm ? "hvm" : "pv");
    if (c_.uuid.value) Atom("uuid", XendUuid(*c_.uuid.value));  // xl reads only the dashed form
    if (XmTruthy(c_.pool)) Atom("pool", XmStr(c_.pool));
    if (d_.hvm && UserSet(c_.hap)) Num("hap", *c_.hap.value != 0);
    if (d_.hvm && UserSet(c_.oos)) Num("oos", *c_.oos.value != 0);
    if (XmTruthy(c_.blkif) || XmTruthy(c_.netif)) Num("driver_domain", 1);
    Memory();
    Cpus();
    if (d_.hvm)
      Hvm();
    else
      Pv();
    if (UserSet(c_.rtc_timeoffset) && *c_.rtc_timeoffset.value != 0) {
      Num("rtc_timeoffset", *c_.rtc_timeoffset.value);
    }
    // xl's default: UTC.
    if (UserSet(c_.localtime) || Effective(c_, &DomainConfig::localtime)) {
      Num("localtime", Effective(c_, &DomainConfig::localtime) ? 1 : 0);
    }
    if (UserSet(c_.nomigrate)) Num("nomigrate", *c_.nomigrate.value != 0 ? 1 : 0);
    if (UserSet(c_.tsc_mode) && *c_.tsc_mode.value > 0 && *c_.tsc_mode.value < 4) {
      Atom("tsc_mode", kTscModes[*c_.tsc_mode.value]);
    }
    Disks();
    Vifs();
    Vfbs();
    Pci();
    Ioports();
    Actions();
    Dropped();
    return std::move(d_);
  }

 private:
  void Atom(const std::string& key, const std::string& value) { d_.entries.push_back(XlEntry::Atom(key, value)); }
  /// A number xl.cfg writes as a quoted string.
  void Num(const std::string& key, int64_t value) {
    // xl.cfg's grammar has no minus sign: a negative number is written as a string, which
    // xl reads as a number all the same.
    XlEntry e = XlEntry::Atom(key, std::to_string(value));
    e.number = value >= 0;
    e.int_value = value;
    d_.entries.push_back(std::move(e));
  }
  void List(const std::string& key, std::vector<std::string> items) {
    if (!items.empty()) d_.entries.push_back(XlEntry::List(key, std::move(items)));
  }
  /// Reports what the translation left out or changed at `path` and lists it in the
  /// comments at the end of the xl.cfg ("disk: disk[1]: ..." names the variable first).
  template <DiagId id, typename... Args>
  void Note(const std::string& path, Span span, const Args&... args) {
    Diagnostics local;
    Diagnostic& d = (diags_ ? diags_ : &local)->Add<id>(options_.file, span, path, args...);
    std::string variable = path.substr(0, path.find_first_of("[."));
    d_.comments.push_back(variable == path ? fmt::format("{}: {}", path, d.message)
                                           : fmt::format("{}: {}: {}", variable, path, d.message));
  }

  void Memory() {
    // xm's default was 128 MiB, xl's is 32: always say it.
    Num("memory", Effective(c_, &DomainConfig::memory));
    if (c_.maxmem.value) Num("maxmem", *c_.maxmem.value);
    if (d_.hvm && UserSet(c_.shadow_memory)) Num("shadow_memory", *c_.shadow_memory.value);
    if (d_.hvm && UserSet(c_.videoram)) Num("videoram", *c_.videoram.value);
  }

  void Cpus() {
    bool cpus = c_.cpus.value.has_value() && !c_.cpus.value->masks.empty();
    // xl's default is one vCPU.
    int64_t vcpus = Effective(c_, &DomainConfig::vcpus);
    if (UserSet(c_.vcpus) || c_.maxvcpus.value || cpus || vcpus != 1) Num("vcpus", vcpus);
    if (c_.maxvcpus.value) Num("maxvcpus", *c_.maxvcpus.value);
    if (cpus) {
      d_.cpus = c_.cpus.value->masks;
      d_.cpus_list = c_.cpus.value->per_vcpu;
      if (d_.cpus_list) {
        std::vector<std::string> items;
        for (const CpuMask& m : d_.cpus) items.push_back(m.text);
        List("cpus", items);
      } else {
        Atom("cpus", d_.cpus[0].text);
      }
    }
    if (c_.cpu.value) Note<DiagId::kXlCpu>("cpu", c_.cpu.span);
    if (c_.cpu_weight.value) Num("cpu_weight", *c_.cpu_weight.value);
    if (c_.cpu_cap.value) Num("cap", *c_.cpu_cap.value);
  }

  /// xend's command line without its trailing blank.
  std::string Cmdline() const {
    std::string out = m_.kernel_cmdline;
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
  }

  void Pv() {
    // With a bootloader, xend and libxl alike hand kernel, ramdisk and the command line to
    // it (pygrub --kernel, --ramdisk, --args): they are kept.
    bool bootloader = XmTruthy(c_.bootloader);
    if (XmTruthy(c_.kernel)) Atom("kernel", XmStr(c_.kernel));
    if (XmTruthy(c_.ramdisk)) Atom("ramdisk", XmStr(c_.ramdisk));
    std::string cmdline = Cmdline();
    if (!cmdline.empty()) Atom("cmdline", cmdline);
    if (bootloader) {
      Atom("bootloader", XmStr(c_.bootloader));
      std::string args = XmTruthy(c_.bootargs) ? XmStr(c_.bootargs) : c_.console_autoconnect ? "" : "-q";
      std::vector<std::string> words;
      for (const std::string& w : SplitAll(args, ' ')) {
        if (!w.empty()) words.push_back(w);
      }
      List("bootloader_args", words);
    }
  }

  void Hvm() {
    std::string firmware = XmTruthy(c_.loader) ? XmStr(c_.loader) : XmStr(c_.kernel);
    std::string base = firmware.substr(firmware.rfind('/') == std::string::npos ? 0 : firmware.rfind('/') + 1);
    if (!firmware.empty() && base != "hvmloader") Atom("firmware_override", firmware);
    // KEY = 0|1 when the config set it or xm's value differs from xl's default.
    auto flag = [&](const char* key, const auto& field, std::optional<bool> xl_default) {
      bool on = field.value && *field.value;
      if (UserSet(field) || (field.value && xl_default && on != *xl_default)) Num(key, on ? 1 : 0);
    };
    // The schema's `xl: {generic: N}` flags, in that order: KEY = 0|1 when the config set
    // it, or when xm's value (its default included) differs from xl's (hpet: xm 0, xl 1).
    for (const VarSpec* spec : GenericIn(Schema::Builtin(), "xl")) {
      std::optional<int64_t> xl_default = spec->TreatmentIn("xl")->target_default;
      VisitField(c_, spec->name, [&](const char* key, const auto& field) {
        using T = std::decay_t<decltype(*field.value)>;
        if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, bool>) {
          bool on = field.value ? *field.value != T{} : spec->default_value && spec->default_value->i != 0;
          if (UserSet(field) || (xl_default && on != (*xl_default != 0))) Num(key, on ? 1 : 0);
        }
      });
    }
    // xl's default is no_delay_for_missed_ticks (1), as xm's.
    int64_t timer_mode = Effective(c_, &DomainConfig::timer_mode);
    if ((UserSet(c_.timer_mode) || timer_mode != 1) && timer_mode >= 0 && timer_mode < 4) {
      Atom("timer_mode", kTimerModes[timer_mode]);
    }
    if (UserSet(c_.stdvga)) Atom("vga", *c_.stdvga.value ? "stdvga" : "cirrus");
    // xm started no VNC server unless vnc=1; xl does by default.
    bool vnc = c_.vnc.value.value_or(0) != 0;
    Num("vnc", vnc ? 1 : 0);
    if (vnc) {
      if (XmTruthy(c_.vnclisten)) Atom("vnclisten", XmStr(c_.vnclisten));
      if (c_.vncdisplay.value) Num("vncdisplay", *c_.vncdisplay.value);
      flag("vncunused", c_.vncunused, true);
    }
    if (UserSet(c_.vncpasswd)) Atom("vncpasswd", *c_.vncpasswd.value);
    if (XmTruthy(c_.keymap)) Atom("keymap", XmStr(c_.keymap));
    flag("sdl", c_.sdl, false);
    flag("opengl", c_.opengl, std::nullopt);
    if (UserSet(c_.display)) Atom("display", *c_.display.value);
    if (UserSet(c_.xauthority)) Atom("xauthority", *c_.xauthority.value);
    // A flag to xend (any non-zero value switched it on); a boolean to xl.
    if (UserSet(c_.gfx_passthru)) Num("gfx_passthru", *c_.gfx_passthru.value != 0 ? 1 : 0);
    if (XmTruthy(c_.serial)) Atom("serial", XmStr(c_.serial));
    Atom("boot", EffectiveStr(c_, &DomainConfig::boot));  // xm: c, xl: cda
    if (XmTruthy(c_.usbdevice)) Atom("usbdevice", XmStr(c_.usbdevice));
    if (XmTruthy(c_.soundhw)) Atom("soundhw", XmStr(c_.soundhw));
    if (XmTruthy(c_.device_model)) {
      std::string dm = XmStr(c_.device_model);
      if (dm.find("stubdom-dm") != std::string::npos) {
        Num("device_model_stubdomain_override", 1);
        Note<DiagId::kXlStubdom>("device_model", c_.device_model.span, dm);
      } else if (dm.substr(dm.rfind('/') == std::string::npos ? 0 : dm.rfind('/') + 1) != "qemu-dm") {
        Note<DiagId::kXlDeviceModel>("device_model", c_.device_model.span, dm);
      }
    }
  }

  void Disks() {
    if (!c_.disk.value) return;
    std::vector<std::string> specs;
    for (size_t i = 0; i < c_.disk.value->size(); ++i) {
      const Disk& disk = (*c_.disk.value)[i];
      std::string path = fmt::format("disk[{}]", i);
      XlDisk x;
      x.vdev = disk.vdev;
      x.cdrom = disk.cdrom;
      std::string mode = Strip(disk.mode);
      x.readwrite = !x.cdrom && mode != "r";
      if (mode == "w!") {
        Note<DiagId::kXlSharedDisk>(path, c_.disk.span);
      }
      std::string params = disk.params;
      std::string type = disk.type;
      if (disk.device_class != "vbd") {
        // The tap driver names the image format.
        auto [driver, image] = disk.tap_image();
        params = image;
        if (driver == "qcow" || driver == "qcow2" || driver == "vhd") x.format = driver;
      } else if (type == "phy") {
        params = PhyPath(params);
      } else if (type != "file" && !type.empty()) {
        x.script = "block-" + type;
      }
      if (!disk.uname.empty()) x.target = params;
      if (x.cdrom && !x.target) x.format = "empty";
      if (x.cdrom && !x.target) x.target = "";
      std::string backend = Strip(disk.backend);
      if (!backend.empty() && backend != "0") {
        x.backend = backend;
        if (std::all_of(backend.begin(), backend.end(), ::isdigit)) {
          Note<DiagId::kXlDiskBackend>(path, c_.disk.span, backend);
        }
      }
      if (!Strip(disk.protocol).empty()) {
        Note<DiagId::kXlDiskProtocol>(path, c_.disk.span, Strip(disk.protocol));
      }
      std::string spec = fmt::format("vdev={}, access={}", x.vdev, x.readwrite ? "rw" : "ro");
      if (x.cdrom) spec += ", devtype=cdrom";
      if (x.format != "raw") spec += ", format=" + x.format;
      if (!x.backend.empty()) spec += ", backend=" + x.backend;
      if (!x.script.empty()) spec += ", script=" + x.script;
      if (x.target) spec += ", target=" + *x.target;
      specs.push_back(spec);
      d_.disks.push_back(std::move(x));
    }
    List("disk", specs);
  }

  void Vifs() {
    if (!m_.vif_declared) return;
    std::vector<std::string> specs;
    for (const Nic& from : m_.nics) {
      XlNic nic = from;
      for (NicKey k : from.written) {
        if (k == NicKey::kType) {
          if (!from.emulated_only()) {
            nic.Set(k, "vif");  // xend: anything but ioemu meant PV only
          } else if (!d_.hvm) {
            nic.Erase(k);
          }
        } else if (k == NicKey::kAccel || k == NicKey::kPolicy || k == NicKey::kLabel) {
          Note<DiagId::kXlKeyDropped>(fmt::format("vif[{}]", from.index), c_.vif.span, KeyName(k));
          nic.Erase(k);
        }
      }
      std::string spec;
      for (NicKey k : nic.written) spec += (spec.empty() ? "" : ", ") + std::string(KeyName(k)) + "=" + *nic[k];
      specs.push_back(spec);
      d_.nics.push_back(std::move(nic));
    }
    d_.entries.push_back(XlEntry::List("vif", specs));
  }

  void Vfbs() {
    if (d_.hvm) return;
    std::vector<std::string> specs;
    for (size_t i = 0; i < m_.vfbs.size(); ++i) {
      const Framebuffer& f = m_.vfbs[i];
      XlVfb x;
      x.fb = f;
      for (VfbKey k : f.written) {
        if (k == VfbKey::kType) {
          x.keys.emplace_back(*f[k], "1");
        } else if (k == VfbKey::kSerial || k == VfbKey::kMonitor || k == VfbKey::kVideoram) {
          Note<DiagId::kXlKeyDropped>(fmt::format("vfb[{}]", i), c_.vfb.span, KeyName(k));
        } else {
          x.keys.emplace_back(KeyName(k), *f[k]);
        }
      }
      if (f.inherited_keymap &&
          std::none_of(x.keys.begin(), x.keys.end(), [](const auto& kv) { return kv.first == "keymap"; })) {
        x.keys.emplace_back("keymap", *f.inherited_keymap);
      }
      std::string spec;
      for (const auto& [k, v] : x.keys) spec += (spec.empty() ? "" : ", ") + k + "=" + v;
      specs.push_back(spec);
      d_.vfbs.push_back(std::move(x));
    }
    List("vfb", specs);
  }

  void Pci() {
    if (!c_.pci.value || c_.pci.value->empty()) return;
    // xm's default for MSI translation was on, xl's is off.
    d_.pci_msitranslate = Effective(c_, &DomainConfig::pci_msitranslate) != 0;
    d_.pci_power_mgmt = Effective(c_, &DomainConfig::pci_power_mgmt) != 0;
    if (d_.pci_msitranslate) Num("pci_msitranslate", 1);
    if (d_.pci_power_mgmt) Num("pci_power_mgmt", 1);
    std::vector<std::string> specs;
    for (const PciDevice& p : *c_.pci.value) {
      XlPci x{p.domain, p.bus, p.slot, p.func, {}, {}, {}};
      std::string spec = fmt::format("{:04x}:{:02x}:{:02x}.{:x}", p.domain, p.bus, p.slot, p.func);
      if ((p.vdevfn & 0x100) == 0) {
        x.vslot = p.vdevfn >> 3;
        spec += fmt::format("@{:x}", *x.vslot);
      }
      for (const auto& [k, v] : p.opts) {
        spec += "," + k + "=" + v;
        if (k == "msitranslate") x.msitranslate = v == "1";
        if (k == "power_mgmt") x.power_mgmt = v == "1";
      }
      specs.push_back(spec);
      d_.pcis.push_back(x);
    }
    List("pci", specs);
  }

  void Ioports() {
    if (c_.ioports.value) {
      std::vector<std::string> items;
      for (const IoportRange& r : *c_.ioports.value) {
        items.push_back(r.from == r.to ? r.from : r.from + "-" + r.to);
        d_.ioports.emplace_back(r.first.value_or(0), r.last.value_or(0));
      }
      List("ioports", items);
    }
    if (c_.irq.value && !c_.irq.value->empty()) {
      XlEntry e = XlEntry::List("irqs", {});
      e.number = true;
      for (const Irq& irq : *c_.irq.value) {
        if (irq.number) {
          e.items.push_back(std::to_string(*irq.number));
          e.int_items.push_back(*irq.number);
        }
      }
      if (!e.items.empty()) d_.entries.push_back(e);
    }
  }

  void Actions() {
    for (auto [key, which] : {std::pair{"on_poweroff", Lifecycle::kPoweroff},
                              {"on_reboot", Lifecycle::kReboot},
                              {"on_crash", Lifecycle::kCrash}}) {
      std::string action = HyphenatedAction(m_.Action(which));
      if (action == "never") action = which == Lifecycle::kPoweroff ? "destroy" : "restart";
      Atom(key, action);
    }
    if (XmStr(c_.restart) == "never") Note<DiagId::kXlRestartNever>("restart", c_.restart.span);
  }

  void Dropped() {
    // xm variables with no xl counterpart, reported when they were given a value that
    // would have changed something.
    auto drop = [&](const char* name, const auto& field) {
      if (field.xm && field.xm->Truthy()) {
        Note<DiagId::kXlDropped>(name, field.span);
      }
    };
    // The schema's `xl: {drop: REASON, order: N}` variables, in that order.
    for (const VarSpec* spec : DroppedIn(Schema::Builtin(), "xl")) {
      VisitField(c_, spec->name, drop);
    }
    // What xl cannot do, whether the config or xm's default asked for it.
    if (XmStr(c_.on_xend_start) != "ignore") {
      Note<DiagId::kXlXendStart>("on_xend_start", c_.on_xend_start.span);
    }
    if (XmStr(c_.on_xend_stop) != "ignore") {
      Note<DiagId::kXlXendStop>("on_xend_stop", c_.on_xend_stop.span);
    }
    // xm's default is 1 (protection on): what xl cannot express is turning it off.
    if (Effective(c_, &DomainConfig::s3_integrity) != 1) {
      Note<DiagId::kXlDropped>("s3_integrity", c_.s3_integrity.span);
    }
    if (XmStr(c_.guest_os_type, "default") != "default") drop("guest_os_type", c_.guest_os_type);
    if (c_.cpuid.value && !c_.cpuid.value->raw.empty()) Note<DiagId::kXlCpuid>("cpuid", c_.cpuid.span);
    if (c_.cpuid_check.value && !c_.cpuid_check.value->raw.empty()) drop("cpuid_check", c_.cpuid_check);
    if (c_.access_control.value && !c_.access_control.value->empty()) {
      Note<DiagId::kXlAcm>("access_control", c_.access_control.span);
    }
    if (c_.vscsi.value && !c_.vscsi.value->empty()) Note<DiagId::kXlVscsi>("vscsi", c_.vscsi.span);
    if (!m_.usbs.empty()) Note<DiagId::kXlVusb>("vusb", c_.vusb.span);
    if (m_.netchannel2 > 0) Note<DiagId::kXlVif2>("vif2", c_.vif2.span);
    if (!m_.vfbs.empty() && d_.hvm) Note<DiagId::kXlHvmVfb>("vfb", c_.vfb.span);
  }

  XendModel m_;
  const DomainConfig& c_;
  const EmitOptions& options_;
  Diagnostics* diags_;
  XlDomain d_;
};

// --- Writing xl.cfg ------------------------------------------------------------------------

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default: out += ch;
    }
  }
  return out + "\"";
}

}  // namespace

std::optional<std::string> XlVfb::Value(VfbKey key) const {
  for (const auto& [k, v] : keys) {
    if (k == KeyName(key)) return v;
  }
  return std::nullopt;
}

XlDomain TranslateToXl(const DomainConfig& config, const EmitOptions& options, Diagnostics* diags) {
  return Translator(config, options, diags).Run();
}

void EmitXlCfg(const DomainConfig& config, const EmitOptions& options, std::ostream& out, Diagnostics* diags) {
  XlDomain d = Translator(config, options, diags).Run();
  out << "# xl.cfg written by xmc from an xm config; see xl.cfg(5).\n";
  for (const XlEntry& e : d.entries) {
    out << e.key << " = ";
    if (e.list) {
      out << "[ ";
      for (size_t i = 0; i < e.items.size(); ++i) {
        out << (i ? ", " : "") << (e.number ? e.items[i] : Quote(e.items[i]));
      }
      out << " ]\n";
    } else {
      out << (e.number ? e.atom : Quote(e.atom)) << "\n";
    }
  }
  if (!d.comments.empty()) {
    out << "\n# Not carried over from the xm config:\n";
    for (const std::string& c : d.comments) out << "#   " << c << "\n";
  }
}

}  // namespace xmc
