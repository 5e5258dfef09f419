#include "compiler/emit/xl.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "compiler/base/py2.h"
#include "compiler/base/strings.h"
#include "compiler/emit/xend.h"
#include "compiler/emit/xenstore.h"
#include "compiler/schema/schema.h"

namespace xmc {
namespace {

using Json = nlohmann::ordered_json;

// --- The translated domain ------------------------------------------------------------

struct XlDisk {
  std::optional<std::string> target;
  std::string format = "raw";
  std::string vdev;
  bool readwrite = true;
  bool cdrom = false;
  std::string backend;
  std::string script;
};

struct XlNic {
  std::vector<std::pair<std::string, std::string>> keys;  // in xl.cfg order
  std::string Get(const std::string& k) const {
    for (const auto& [key, v] : keys) {
      if (key == k) return v;
    }
    return "";
  }
  bool Has(const std::string& k) const {
    return std::any_of(keys.begin(), keys.end(), [&](const auto& kv) { return kv.first == k; });
  }
};

struct XlVfb {
  std::vector<std::pair<std::string, std::string>> keys;
};

struct XlPci {
  int64_t domain = 0, bus = 0, slot = 0, func = 0;
  std::optional<int64_t> vslot;
  std::optional<bool> msitranslate, power_mgmt;
};

/// A key of the xl.cfg: an atom (quoted string or bare number) or a list of atoms. Numbers
/// keep their typed value too, which the libxl JSON is built from.
struct XlEntry {
  std::string key;
  std::vector<std::string> items;  // for lists
  std::string atom;
  bool list = false;
  bool number = false;
  std::optional<int64_t> int_value;  // a number, or a string xl reads as one
  std::vector<int64_t> int_items;    // a list of numbers

  static XlEntry Atom(std::string key, std::string atom) {
    XlEntry e;
    e.key = std::move(key);
    e.atom = std::move(atom);
    return e;
  }
  static XlEntry List(std::string key, std::vector<std::string> items) {
    XlEntry e;
    e.key = std::move(key);
    e.items = std::move(items);
    e.list = true;
    return e;
  }
};

struct XlDomain {
  bool hvm = false;
  std::vector<XlEntry> entries;  // the xl.cfg, in order
  std::vector<std::string> comments;
  // What the JSON needs beyond the entries:
  std::vector<XlDisk> disks;
  std::vector<XlNic> nics;
  std::vector<XlVfb> vfbs;
  std::vector<XlPci> pcis;
  bool pci_msitranslate = false, pci_power_mgmt = false;
  std::vector<CpuMask> cpus;
  bool cpus_list = false;
  std::vector<std::pair<int64_t, int64_t>> ioports;  // first, last

  const XlEntry* Find(const std::string& key) const {
    for (const XlEntry& e : entries) {
      if (e.key == key) return &e;
    }
    return nullptr;
  }
};

template <typename T>
bool UserSet(const Field<T>& f) {
  return f.from_user() && f.value.has_value();
}

const char* const kTscModes[] = {"default", "always_emulate", "native", "native_paravirt"};
const char* const kTimerModes[] = {"delay_for_missed_ticks", "no_delay_for_missed_ticks", "no_missed_ticks_pending",
                                   "one_missed_tick_pending"};

/// A value as the user wrote it (vfb's vnc=1, gfx_passthru), read as xl reads a number.
int64_t ParseNum(const std::string& s) { return std::strtoll(s.c_str(), nullptr, 0); }

class Translator {
 public:
  /// `diags` receives what was left out or changed (nullptr: not reported, as for the JSON).
  Translator(const DomainConfig& c, const EmitOptions& options, Diagnostics* diags)
      : c_(c), options_(options), diags_(diags) {}

  XlDomain Run() {
    d_.hvm = c_.guest_type() == GuestType::kHvm;
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
    if (UserSet(c_.localtime)) Num("localtime", *c_.localtime.value ? 1 : 0);
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
    if (UserSet(c_.vcpus) || c_.maxvcpus.value || cpus) Num("vcpus", Effective(c_, &DomainConfig::vcpus));
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
    std::string out = KernelCommandLine(c_);
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
    auto flag = [&](const char* key, const auto& field) {
      if (UserSet(field)) Num(key, *field.value ? 1 : 0);
    };
    // The schema's `xl: {generic: N}` flags, in that order: KEY = 0|1 when the config set
    // it, or always (from xm's default) where xl's default differs (hpet: xm 0, xl 1).
    for (const VarSpec* spec : GenericIn(Schema::Builtin(), "xl")) {
      bool always = spec->TreatmentIn("xl")->always;
      VisitField(c_, spec->name, [&](const char* key, const auto& field) {
        using T = std::decay_t<decltype(*field.value)>;
        if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, bool>) {
          if (!always && !UserSet(field)) return;
          bool on = field.value ? *field.value != T{} : spec->default_value && spec->default_value->i != 0;
          Num(key, on ? 1 : 0);
        }
      });
    }
    if (UserSet(c_.timer_mode) && *c_.timer_mode.value >= 0 && *c_.timer_mode.value < 4) {
      Atom("timer_mode", kTimerModes[*c_.timer_mode.value]);
    }
    if (UserSet(c_.stdvga)) Atom("vga", *c_.stdvga.value ? "stdvga" : "cirrus");
    // xm started no VNC server unless vnc=1; xl does by default.
    bool vnc = c_.vnc.value.value_or(0) != 0;
    Num("vnc", vnc ? 1 : 0);
    if (vnc) {
      if (XmTruthy(c_.vnclisten)) Atom("vnclisten", XmStr(c_.vnclisten));
      if (c_.vncdisplay.value) Num("vncdisplay", *c_.vncdisplay.value);
      flag("vncunused", c_.vncunused);
    }
    if (UserSet(c_.vncpasswd)) Atom("vncpasswd", *c_.vncpasswd.value);
    if (XmTruthy(c_.keymap)) Atom("keymap", XmStr(c_.keymap));
    flag("sdl", c_.sdl);
    flag("opengl", c_.opengl);
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
    if (!c_.vif.value) return;
    std::vector<std::string> specs;
    int64_t n = static_cast<int64_t>(c_.vif.value->size());
    int64_t total = VifCount(c_);
    for (int64_t i = 0; i < total; ++i) {
      XlNic nic;
      if (i < n) {
        const Vif& v = (*c_.vif.value)[static_cast<size_t>(i)];
        std::string path = fmt::format("vif[{}]", i);
        for (const auto& [key, value] : v.pairs) {
          if (key == "type") {
            if (value == "ioemu") {
              if (d_.hvm) nic.keys.emplace_back("type", "ioemu");
            } else {
              nic.keys.emplace_back("type", "vif");  // xend: anything but ioemu meant PV only
            }
          } else if (key == "rate") {
            nic.keys.emplace_back("rate", value);
          } else if (key == "accel" || key == "policy" || key == "label") {
            Note<DiagId::kXlKeyDropped>(path, c_.vif.span, key);
          } else {
            nic.keys.emplace_back(key, value);
          }
        }
      }
      std::string spec;
      for (const auto& [k, v] : nic.keys) spec += (spec.empty() ? "" : ", ") + k + "=" + v;
      specs.push_back(spec);
      d_.nics.push_back(std::move(nic));
    }
    d_.entries.push_back(XlEntry::List("vif", specs));
  }

  void Vfbs() {
    if (!c_.vfb.value || d_.hvm) return;
    std::vector<std::string> specs;
    for (size_t i = 0; i < c_.vfb.value->size(); ++i) {
      const Vfb& f = (*c_.vfb.value)[i];
      XlVfb x;
      for (const auto& [k, v] : f.pairs) {
        if (k == "type") {
          x.keys.emplace_back(v, "1");
        } else if (k == "serial" || k == "monitor" || k == "videoram") {
          Note<DiagId::kXlKeyDropped>(fmt::format("vfb[{}]", i), c_.vfb.span, k);
        } else {
          x.keys.emplace_back(k, v);
        }
      }
      if (XmTruthy(c_.keymap) &&
          std::none_of(x.keys.begin(), x.keys.end(), [](const auto& kv) { return kv.first == "keymap"; })) {
        x.keys.emplace_back("keymap", XmStr(c_.keymap));
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
      std::string action = HyphenatedAction(LifecycleAction(c_, which));
      if (action == "never") action = which == Lifecycle::kPoweroff ? "destroy" : "restart";
      Atom(key, action);
    }
    if (XmStr(c_.restart) == "never") Note<DiagId::kXlRestartNever>("restart", c_.restart.span);
  }

  void Dropped() {
    // xm variables with no xl counterpart, reported when they were given a value that
    // would have changed something.
    auto drop = [&](const char* name, const auto& field) {
      if (field.from_user() && field.xm && field.xm->Truthy()) {
        Note<DiagId::kXlDropped>(name, field.span);
      }
    };
    // The schema's `xl: {drop: REASON, order: N}` variables, in that order.
    for (const VarSpec* spec : DroppedIn(Schema::Builtin(), "xl")) {
      VisitField(c_, spec->name, drop);
    }
    if (c_.on_xend_start.from_user() && XmStr(c_.on_xend_start) != "ignore") {
      Note<DiagId::kXlXendStart>("on_xend_start", c_.on_xend_start.span);
    }
    if (c_.on_xend_stop.from_user() && XmStr(c_.on_xend_stop) != "ignore") {
      Note<DiagId::kXlXendStop>("on_xend_stop", c_.on_xend_stop.span);
    }
    // xm's default is 1 (protection on): what xl cannot express is turning it off.
    if (c_.s3_integrity.from_user() && Effective(c_, &DomainConfig::s3_integrity) != 1) {
      Note<DiagId::kXlDropped>("s3_integrity", c_.s3_integrity.span);
    }
    if (c_.guest_os_type.from_user() && XmStr(c_.guest_os_type) != "default") drop("guest_os_type", c_.guest_os_type);
    if (c_.cpuid.value && !c_.cpuid.value->raw.empty()) Note<DiagId::kXlCpuid>("cpuid", c_.cpuid.span);
    if (c_.cpuid_check.value && !c_.cpuid_check.value->raw.empty()) drop("cpuid_check", c_.cpuid_check);
    if (c_.access_control.value && !c_.access_control.value->empty()) {
      Note<DiagId::kXlAcm>("access_control", c_.access_control.span);
    }
    if (c_.vscsi.value && !c_.vscsi.value->empty()) Note<DiagId::kXlVscsi>("vscsi", c_.vscsi.span);
    if (c_.vusb.value && !c_.vusb.value->empty()) Note<DiagId::kXlVusb>("vusb", c_.vusb.span);
    if (c_.vif2.value && !c_.vif2.value->empty()) Note<DiagId::kXlVif2>("vif2", c_.vif2.span);
    if (c_.vfb.value && !c_.vfb.value->empty() && d_.hvm) Note<DiagId::kXlHvmVfb>("vfb", c_.vfb.span);
  }

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

// --- libxl JSON as xl parses the xl.cfg --------------------------------------------------------

Json Bool(bool b) { return b ? "True" : "False"; }

Json Bitmap(const std::vector<int64_t>& bits) {
  Json a = Json::array();
  for (int64_t b : bits) a.push_back(b);
  return a;
}

std::string ActionJson(const std::string& a) {
  if (a == "rename-restart") return "restart_rename";
  std::string out = a;
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

Json BuildJson(const DomainConfig& config, const XlDomain& d) {
  auto get = [&](const char* key) -> const XlEntry* { return d.Find(key); };
  auto atom = [&](const char* key) { return get(key) ? get(key)->atom : std::string(); };
  auto num = [&](const char* key) { return get(key) ? get(key)->int_value.value_or(0) : 0; };
  Json c_info;
  c_info["type"] = d.hvm ? "hvm" : "pv";
  if (get("hap")) c_info["hap"] = Bool(num("hap") != 0);
  if (get("oos")) c_info["oos"] = Bool(num("oos") != 0);
  c_info["name"] = atom("name");
  if (get("uuid")) c_info["uuid"] = atom("uuid");
  if (get("pool")) c_info["pool_name"] = atom("pool");
  c_info["run_hotplug_scripts"] = "True";
  if (get("driver_domain")) c_info["driver_domain"] = "True";

  Json b;
  int64_t max_vcpus = get("maxvcpus") ? num("maxvcpus") : get("vcpus") ? num("vcpus") : 0;
  if (get("vcpus")) {
    b["max_vcpus"] = max_vcpus;
    std::vector<int64_t> avail;
    for (int64_t i = 0; i < std::min(num("vcpus"), kMaxVcpus); ++i) avail.push_back(i);
    b["avail_vcpus"] = Bitmap(avail);
  }
  if (!d.cpus.empty()) {
    Json aff = Json::array();
    if (d.cpus_list) {
      for (const CpuMask& m : d.cpus) aff.push_back(Bitmap(m.Cpus()));
    } else {
      for (int64_t i = 0; i < std::clamp<int64_t>(max_vcpus, 1, kMaxVcpus); ++i)
        aff.push_back(Bitmap(d.cpus[0].Cpus()));
    }
    b["vcpu_hard_affinity"] = aff;
    if (d.cpus_list) b["numa_placement"] = "False";
  }
  if (get("tsc_mode")) b["tsc_mode"] = atom("tsc_mode");
  int64_t memory = num("memory");
  b["max_memkb"] = (get("maxmem") ? num("maxmem") : memory) * 1024;
  b["target_memkb"] = memory * 1024;
  if (get("videoram")) b["video_memkb"] = num("videoram") * 1024;
  if (get("shadow_memory")) b["shadow_memkb"] = num("shadow_memory") * 1024;
  if (get("rtc_timeoffset")) b["rtc_timeoffset"] = static_cast<uint32_t>(num("rtc_timeoffset"));
  if (get("localtime")) b["localtime"] = Bool(num("localtime") != 0);
  if (get("nomigrate")) b["disable_migrate"] = Bool(num("nomigrate") != 0);
  Json sched = Json::object();
  if (get("cpu_weight")) sched["weight"] = num("cpu_weight");
  if (get("cap")) sched["cap"] = num("cap");
  b["sched_params"] = sched;
  if (get("ioports")) {
    Json a = Json::array();
    for (const auto& [first, last] : d.ioports) {
      // In unsigned arithmetic: a range up to 2**63 - 1 must not overflow.
      a.push_back({{"first", first}, {"number", static_cast<uint64_t>(last) - static_cast<uint64_t>(first) + 1}});
    }
    b["ioports"] = a;
  }
  if (const XlEntry* irqs = get("irqs")) {
    Json a = Json::array();
    for (int64_t i : irqs->int_items) a.push_back(i);
    b["irqs"] = a;
  }
  b["claim_mode"] = "True";
  if (get("kernel")) b["kernel"] = atom("kernel");
  if (get("cmdline")) b["cmdline"] = atom("cmdline");
  if (get("ramdisk")) b["ramdisk"] = atom("ramdisk");
  if (get("acpi")) b["acpi"] = Bool(num("acpi") != 0);
  if (get("bootloader")) b["bootloader"] = atom("bootloader");
  if (const XlEntry* args = get("bootloader_args")) b["bootloader_args"] = args->items;
  if (get("timer_mode")) b["timer_mode"] = atom("timer_mode");
  if (get("nestedhvm")) b["nested_hvm"] = Bool(num("nestedhvm") != 0);
  if (get("apic")) b["apic"] = Bool(num("apic") != 0);
  if (d.hvm) {
    Json h;
    if (get("firmware_override")) h["firmware"] = atom("firmware_override");
    if (get("pae")) h["pae"] = Bool(num("pae") != 0);
    if (get("viridian")) h["viridian"] = Bool(num("viridian") != 0);
    if (get("hpet")) h["hpet"] = Bool(num("hpet") != 0);
    if (get("vpt_align")) h["vpt_align"] = Bool(num("vpt_align") != 0);
    if (get("nographic")) h["nographic"] = Bool(num("nographic") != 0);
    Json vga = Json::object();
    if (get("vga")) vga["kind"] = atom("vga") == "stdvga" ? "std" : "cirrus";
    h["vga"] = vga;
    Json vnc = Json::object();
    if (get("vnc")) vnc["enable"] = Bool(num("vnc") != 0);
    if (get("vnclisten")) vnc["listen"] = atom("vnclisten");
    if (get("vncpasswd")) vnc["passwd"] = atom("vncpasswd");
    if (get("vncdisplay") && num("vncdisplay") != 0) vnc["display"] = num("vncdisplay");  // 0: libxl's default
    if (get("vncunused")) vnc["findunused"] = Bool(num("vncunused") != 0);
    h["vnc"] = vnc;
    if (get("keymap")) h["keymap"] = atom("keymap");
    Json sdl = Json::object();
    if (get("sdl")) sdl["enable"] = Bool(num("sdl") != 0);
    if (get("opengl")) sdl["opengl"] = Bool(num("opengl") != 0);
    if (get("display")) sdl["display"] = atom("display");
    if (get("xauthority")) sdl["xauthority"] = atom("xauthority");
    h["sdl"] = sdl;
    h["spice"] = Json::object();
    if (get("gfx_passthru")) h["gfx_passthru"] = Bool(num("gfx_passthru") != 0);
    if (get("serial")) h["serial"] = atom("serial");
    if (get("boot")) h["boot"] = atom("boot");
    if (get("usb")) h["usb"] = Bool(num("usb") != 0);
    if (get("usbdevice")) h["usbdevice"] = atom("usbdevice");
    if (get("soundhw")) h["soundhw"] = atom("soundhw");
    if (get("xen_platform_pci")) h["xen_platform_pci"] = Bool(num("xen_platform_pci") != 0);
    h["rdm"] = Json::object();
    b["type.hvm"] = h;
  } else {
    // xl gives a PV guest with PCI devices the host's memory map (xl.md: e820_host).
    b["type.pv"] = d.pcis.empty() ? Json::object() : Json{{"e820_host", "True"}};
  }
  b["arch_arm"] = Json::object();
  b["arch_x86"] = Json::object();
  if (get("device_model_stubdomain_override")) b["device_model_stubdomain"] = "True";

  Json doc;
  doc["c_info"] = c_info;
  doc["b_info"] = b;
  if (!d.disks.empty()) {
    Json a = Json::array();
    for (const XlDisk& disk : d.disks) {
      Json j;
      if (!disk.backend.empty()) j["backend_domname"] = disk.backend;
      if (disk.target) j["pdev_path"] = *disk.target;
      j["vdev"] = disk.vdev;
      j["format"] = disk.format;
      if (!disk.script.empty()) j["script"] = disk.script;
      if (disk.cdrom) j["removable"] = 1;
      if (disk.readwrite) j["readwrite"] = 1;
      if (disk.cdrom) j["is_cdrom"] = 1;
      a.push_back(j);
    }
    doc["disks"] = a;
  }
  if (!d.nics.empty()) {
    Json a = Json::array();
    for (size_t i = 0; i < d.nics.size(); ++i) {
      const XlNic& nic = d.nics[i];
      Json j;
      if (nic.Has("backend")) j["backend_domname"] = nic.Get("backend");
      j["devid"] = i;
      if (nic.Has("model")) j["model"] = nic.Get("model");
      if (nic.Has("mac")) j["mac"] = AsciiLower(nic.Get("mac"));
      if (nic.Has("ip")) j["ip"] = nic.Get("ip");
      if (nic.Has("bridge")) j["bridge"] = nic.Get("bridge");
      if (nic.Has("vifname")) j["ifname"] = nic.Get("vifname");
      if (nic.Has("script")) j["script"] = nic.Get("script");
      if (nic.Has("type")) j["nictype"] = nic.Get("type") == "ioemu" ? "vif_ioemu" : "vif";
      if (nic.Has("rate")) {
        VifRateLimit rate = ParseVifRate(nic.Get("rate"));
        j["rate_bytes_per_interval"] = rate.bytes_per_interval;
        j["rate_interval_usecs"] = rate.interval_usecs;
      }
      a.push_back(j);
    }
    doc["nics"] = a;
  }
  if (!d.pcis.empty()) {
    Json a = Json::array();
    for (const XlPci& p : d.pcis) {
      Json j;
      if (p.func) j["func"] = p.func;
      if (p.slot) j["dev"] = p.slot;
      if (p.bus) j["bus"] = p.bus;
      if (p.domain) j["domain"] = p.domain;
      if (p.vslot && *p.vslot) j["vdevfn"] = *p.vslot << 3;
      j["vfunc_mask"] = 1;
      if (p.msitranslate.value_or(d.pci_msitranslate)) j["msitranslate"] = true;
      if (p.power_mgmt.value_or(d.pci_power_mgmt)) j["power_mgmt"] = true;
      if (!d.hvm) j["rdm_policy"] = "strict";  // what xl 4.17 sets for a PV guest's device
      a.push_back(j);
    }
    doc["pcidevs"] = a;
  }
  if (!d.vfbs.empty()) {
    Json a = Json::array();
    Json kbs = Json::array();
    for (size_t i = 0; i < d.vfbs.size(); ++i) {
      auto val = [&](const char* k) -> std::optional<std::string> {
        for (const auto& [key, v] : d.vfbs[i].keys) {
          if (key == k) return v;
        }
        return std::nullopt;
      };
      Json j;
      j["devid"] = i;
      Json vnc = Json::object();
      if (auto v = val("vnc")) vnc["enable"] = Bool(ParseNum(*v) != 0);
      if (auto v = val("vnclisten")) vnc["listen"] = *v;
      if (auto v = val("vncpasswd")) vnc["passwd"] = *v;
      if (auto v = val("vncdisplay"); v && ParseNum(*v) != 0) vnc["display"] = ParseNum(*v);  // 0: the default
      if (auto v = val("vncunused")) vnc["findunused"] = Bool(ParseNum(*v) != 0);
      j["vnc"] = vnc;
      Json sdl = Json::object();
      if (auto v = val("sdl")) sdl["enable"] = Bool(ParseNum(*v) != 0);
      if (auto v = val("opengl")) sdl["opengl"] = Bool(ParseNum(*v) != 0);
      if (auto v = val("display")) sdl["display"] = *v;
      if (auto v = val("xauthority")) sdl["xauthority"] = *v;
      j["sdl"] = sdl;
      if (auto v = val("keymap")) j["keymap"] = *v;
      a.push_back(j);
      kbs.push_back({{"devid", i}});
    }
    doc["vfbs"] = a;
    doc["vkbs"] = kbs;
  }
  std::string poweroff = atom("on_poweroff"), reboot = atom("on_reboot"), crash = atom("on_crash");
  if (poweroff != "destroy") doc["on_poweroff"] = ActionJson(poweroff);
  if (reboot != "destroy") doc["on_reboot"] = ActionJson(reboot);
  if (crash != "destroy") doc["on_crash"] = ActionJson(crash);
  doc["on_soft_reset"] = "soft_reset";
  (void)config;
  return doc;
}

/// yajl's pretty layout, as libxl prints it: four spaces, empty objects as "{", an empty
/// line and "}".
void WriteYajl(const Json& j, int indent, std::string* out) {
  std::string pad(static_cast<size_t>(indent) * 4, ' ');
  std::string inner(static_cast<size_t>(indent + 1) * 4, ' ');
  if (j.is_object()) {
    if (j.empty()) {
      *out += "{\n\n" + pad + "}";
      return;
    }
    *out += "{\n";
    size_t i = 0;
    for (auto it = j.begin(); it != j.end(); ++it, ++i) {
      *out += inner + Json(it.key()).dump(-1, ' ', false, Json::error_handler_t::replace) + ": ";
      WriteYajl(it.value(), indent + 1, out);
      *out += i + 1 < j.size() ? ",\n" : "\n";
    }
    *out += pad + "}";
  } else if (j.is_array()) {
    if (j.empty()) {
      *out += "[\n\n" + pad + "]";
      return;
    }
    *out += "[\n";
    for (size_t i = 0; i < j.size(); ++i) {
      *out += inner;
      WriteYajl(j[i], indent + 1, out);
      *out += i + 1 < j.size() ? ",\n" : "\n";
    }
    *out += pad + "]";
  } else {
    *out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

}  // namespace

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

void EmitLibxlJson(const DomainConfig& config, const EmitOptions& options, std::ostream& out, Diagnostics*) {
  // The translation's notes belong to the xl.cfg; the JSON is what xl makes of that file.
  XlDomain d = Translator(config, options, nullptr).Run();
  std::string text;
  WriteYajl(BuildJson(config, d), 0, &text);
  out << text << "\n";
}

}  // namespace xmc
