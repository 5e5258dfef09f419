#include "compiler/emit/xenstore.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "compiler/base/py2.h"
#include "compiler/base/strings.h"
#include "compiler/derive/xend_model.h"
#include "compiler/emit/sxp.h"
#include "compiler/schema/schema.h"

namespace xmc {

const RuntimeValue kRuntimeValues[] = {
    {"store-mfn", "machine frame of the XenStore ring (@introduce)"},
    {"store-port", "event channel of the XenStore ring"},
    {"store-ring-ref", "frame number of the XenStore ring"},
    {"console-port", "event channel of the console (also the console backend's location)"},
    {"console-ring-ref", "frame number of the PV console ring"},
    {"start-time", "time of creation (Python str() of the epoch seconds)"},
    {"device-uuid", "UUID xend generates for each device"},
    {"generated-mac", "MAC xend generates for a vif without mac= (00:16:3e:xx:xx:xx)"},
    {"native-protocol", "the PV guest's native ABI, read from its kernel (x86_64-abi, ...)"},
    {"elf-notes", "the PV kernel's ELF notes (written under /local/domain/<domid>/image/)"},
    {"device-model-pid", "process id of the device model"},
    {"device-model-fifo", "fifo xend opens to the device model"},
    {"console-tty", "pty the bootloader ran on"},
    {"bootloader-kernel", "kernel the bootloader extracted from the guest disk"},
    {"bootloader-ramdisk", "ramdisk the bootloader extracted"},
    {"bootloader-cmdline", "command line the bootloader chose"},
    {"backend-domid", "domain id of a backend domain given by name"},
};
const size_t kRuntimeValueCount = sizeof(kRuntimeValues) / sizeof(kRuntimeValues[0]);

std::string RuntimePlaceholder(const char* name) { return fmt::format("{{runtime:{}}}", name); }

namespace {

std::string R(const char* name) { return RuntimePlaceholder(name); }

// The keys of xend's platform types, in the source order of the dict display
// XENAPI_PLATFORM_CFG_TYPES in XendConfig.py. xend builds the one-line image by iterating
// that dict, so the image's order is this display's iteration order under CPython 2.7
// (PlatformOrder computes it; a test compares it with Python 2.7's own keys()).
// memory_sharing is not among them: the captures omit it from the image.
const char* const kPlatformDisplay[] = {"acpi",
                                        "apic",
                                        "boot",
                                        "device_model",
                                        "loader",
                                        "display",
                                        "fda",
                                        "fdb",
                                        "keymap",
                                        "isa",
                                        "localtime",
                                        "monitor",
                                        "monitor_path",
                                        "nographic",
                                        "nomigrate",
                                        "pae",
                                        "rtc_timeoffset",
                                        "parallel",
                                        "serial",
                                        "sdl",
                                        "opengl",
                                        "soundhw",
                                        "stdvga",
                                        "videoram",
                                        "usb",
                                        "usbdevice",
                                        "hpet",
                                        "vnc",
                                        "vncconsole",
                                        "vncdisplay",
                                        "vnclisten",
                                        "timer_mode",
                                        "tsc_mode",
                                        "vpt_align",
                                        "viridian",
                                        "vncpasswd",
                                        "vncunused",
                                        "xauthority",
                                        "pci",
                                        "vhpt",
                                        "guest_os_type",
                                        "hap",
                                        "nestedhvm",
                                        "xen_extended_power_mgmt",
                                        "pci_msitranslate",
                                        "pci_power_mgmt",
                                        "xen_platform_pci",
                                        "gfx_passthru",
                                        "oos"};

/// The iteration order of XENAPI_PLATFORM_CFG_TYPES under CPython 2.7 (a presized dict display).
const std::vector<std::string>& PlatformOrder() {
  static const std::vector<std::string> order = [] {
    py2::DictOrder d(std::size(kPlatformDisplay));
    for (const char* key : kPlatformDisplay) d.Insert(key);
    return d.Keys();
  }();
  return order;
}

/// A dict xend fills step by step before it writes it to XenStore key by key, in CPython
/// 2.7's iteration order (`xstransact.write` iterates `d.keys()`). A key set without a value
/// takes its place in the table but is not written (a run-time value xmc writes otherwise).
class XendDict {
 public:
  explicit XendDict(size_t presize = 0) : order_(presize) {}
  /// The dict display `{k: v, ...}` (CPython 2.7 presizes one of more than five entries).
  static XendDict Display(std::initializer_list<std::pair<std::string, std::string>> entries) {
    XendDict d(entries.size());
    for (const auto& [k, v] : entries) d.Set(k, v);
    return d;
  }
  /// d[k] = v (an existing key keeps its place).
  void Set(const std::string& k, std::optional<std::string> v) {
    order_.Insert(k);
    values_[k] = std::move(v);
  }
  /// d.update(other): the other dict's entries in its own iteration order.
  void Update(const XendDict& other) {
    std::vector<std::string> keys = other.order_.Keys();
    order_.ReserveForMerge(keys.size());
    for (const std::string& k : keys) Set(k, other.values_.at(k));
  }
  bool Has(const std::string& k) const { return values_.count(k) != 0; }
  /// The writes of this dict under `dir`.
  void WriteTo(std::vector<XsOp>* ops, const std::string& dir) const {
    for (const std::string& k : order_.Keys()) {
      if (const auto& v = values_.at(k)) ops->push_back({XsOp::Kind::kWrite, dir + "/" + k, *v});
    }
  }

 private:
  py2::DictOrder order_;
  std::map<std::string, std::optional<std::string>> values_;
};

// The ELF notes xmc assumes a PV kernel has, for the order of the domain's keys: those of
// the typical 2.6.32 x86_64 pvops kernel of the reference run (corpus/expected/README.txt),
// as xend stores them (image/<note>, features one key each). Their values are run-time.
const char* const kReferenceNotes[] = {"ENTRY",       "HYPERCALL_PAGE", "VIRT_BASE",     "PADDR_OFFSET",
                                       "XEN_VERSION", "GUEST_OS",       "GUEST_VERSION", "LOADER",
                                       "PAE_MODE",    "FEATURES",       "HV_START_LOW",  "SUSPEND_CANCEL"};
const char* const kReferenceFeatures[] = {"writable-page-tables", "pae-pgdir-above-4gb"};

class Builder {
 public:
  Builder(const DomainConfig& c, const EmitOptions& o)
      : m_(Derive(c)), c_(c), domid_(o.domid), uuid_(o.uuid), hvm_(m_.hvm) {
    dom_ = fmt::format("/local/domain/{}", domid_);
    vm_ = "/vm/" + uuid_;
    pv_ = c.guest_type() == GuestType::kPv;
    bootloader_ = XmTruthy(c.bootloader);
    has_vfb_ = !m_.vfbs.empty();
  }

  std::vector<XsOp> Build() {
    DomainDirs();
    if (bootloader_) Write(dom_ + "/console/tty", R("console-tty"));
    Image();
    ops_.push_back({XsOp::Kind::kIntroduce, fmt::format("{} {} {}", domid_, R("store-mfn"), R("store-port")), ""});
    Devices();
    if (hvm_ || has_vfb_) DeviceModel();
    VmDetails();
    DomainDetails();
    Console();
    return std::move(ops_);
  }

 private:
  void Write(const std::string& path, const std::string& value) { ops_.push_back({XsOp::Kind::kWrite, path, value}); }
  void Op(XsOp::Kind kind, const std::string& path, const std::string& value = "") {
    ops_.push_back({kind, path, value});
  }
  std::string Perms(const char* spec) const { return fmt::format(fmt::runtime(spec), domid_); }

  int64_t VcpusMax() const { return m_.vcpus_max; }
  int64_t VcpusOnline() const { return m_.vcpus_online; }

  void DomainDirs() {
    Op(XsOp::Kind::kRm, dom_);
    Op(XsOp::Kind::kMkdir, dom_);
    Op(XsOp::Kind::kPerms, dom_, Perms("n0 r{}"));
    Write(dom_ + "/vm", vm_);
    for (const char* sub : {"device", "control", "error", "memory", "guest", "hvmpv", "data"}) {
      Op(XsOp::Kind::kMkdir, dom_ + "/" + sub);
      Op(XsOp::Kind::kPerms, dom_ + "/" + sub, Perms("n{}"));
    }
  }

  std::string Cmdline() const { return m_.kernel_cmdline; }

  std::string VncPassword() const {
    if (hvm_) return XmStr(c_.vncpasswd);
    if (has_vfb_) {
      for (const Framebuffer& f : m_.vfbs) {
        if (f.has(VfbKey::kVncpasswd)) return *f[VfbKey::kVncpasswd];
      }
    }
    return "";
  }

  void Image() {
    Write(vm_ + "/image/ostype", hvm_ ? "hvm" : "linux");
    if (bootloader_) {
      Write(vm_ + "/image/kernel", R("bootloader-kernel"));
      Write(vm_ + "/image/cmdline", R("bootloader-cmdline"));
      Write(vm_ + "/image/ramdisk", R("bootloader-ramdisk"));
    } else {
      Write(vm_ + "/image/kernel", hvm_ ? "" : XmStr(c_.kernel));
      Write(vm_ + "/image/cmdline", hvm_ ? "" : Cmdline());
      Write(vm_ + "/image/ramdisk", hvm_ ? "" : XmStr(c_.ramdisk));
    }
    Op(XsOp::Kind::kPerms, vm_ + "/image/cmdline", Perms("n0 r{}"));
    std::string passwd = VncPassword();
    if (!passwd.empty()) {
      Write(vm_ + "/vncpasswd", passwd);
      Op(XsOp::Kind::kPerms, vm_ + "/vncpasswd", Perms("n0 r{}"));
    }
    if (!hvm_) return;
    Write(vm_ + "/image/dmargs", DeviceModelArgs(m_, domid_));
    Write(vm_ + "/image/device-model", DeviceModelPath());
    Write(vm_ + "/image/display", c_.env_display.value_or(""));
    Op(XsOp::Kind::kPerms, vm_ + "/image/dmargs", Perms("n0 r{}"));
    Write(fmt::format("/local/domain/0/device-model/{}/disable_pf", domid_),
          Effective(c_, &DomainConfig::xen_platform_pci) == 0 ? "1" : "0");
    Write(vm_ + "/rtc/timeoffset", EffectiveStr(c_, &DomainConfig::rtc_timeoffset));
    Op(XsOp::Kind::kPerms, vm_ + "/rtc/timeoffset", Perms("n0 r{}"));
  }

  std::string DeviceModelPath() const { return m_.device_model_path; }

  // --- Devices ---------------------------------------------------------------------------
  struct Device {
    std::string cls;     ///< xend's device class (vbd, tap, vif, vfb, vkbd, console, ...)
    std::string fclass;  ///< frontend directory class
    std::string bclass;  ///< backend directory class
    int64_t devid = 0;
    std::string backend_domid = "0";
    XendDict front, back;     ///< what the controller's getDeviceDetails returns
    bool sequential = false;  ///< ids come from device-misc/<class>/nextDeviceID
  };

  /// A device of one class whose ids come from device-misc/<class>/nextDeviceID.
  static Device Sequential(const std::string& cls, int64_t devid) {
    Device d;
    d.cls = d.fclass = d.bclass = cls;
    d.devid = devid;
    d.sequential = true;
    return d;
  }

  void AddDevice(Device d) {
    std::string front = fmt::format("{}/device/{}/{}", dom_, d.fclass, d.devid);
    std::string back = fmt::format("/local/domain/{}/backend/{}/{}/{}", d.backend_domid, d.bclass, domid_, d.devid);
    std::string vmdev = fmt::format("{}/device/{}/{}", vm_, d.cls, d.devid);
    if (d.sequential) Write(fmt::format("{}/device-misc/{}/nextDeviceID", dom_, d.cls), std::to_string(d.devid + 1));
    Op(XsOp::Kind::kRm, front);
    Op(XsOp::Kind::kRm, back);
    Op(XsOp::Kind::kRm, vmdev);
    Op(XsOp::Kind::kMkdir, back);
    Op(XsOp::Kind::kPerms, back, fmt::format("n{} r{}", d.backend_domid, domid_));
    Op(XsOp::Kind::kMkdir, front);
    Op(XsOp::Kind::kPerms, front, fmt::format("n{} r{}", domid_, d.backend_domid));
    // DevController.addStoreEntries, then createDevice's write of the /vm reference.
    d.front.Update(XendDict::Display({{"backend", back}, {"backend-id", d.backend_domid}, {"state", "1"}}));
    if (pv_) d.front.Update(XendDict::Display({{"protocol", R("native-protocol")}}));
    d.back.Update(XendDict::Display({{"domain", XmStr(c_.name)},
                                     {"frontend", front},
                                     {"frontend-id", std::to_string(domid_)},
                                     {"state", "1"},
                                     {"online", "1"}}));
    d.front.WriteTo(&ops_, front);
    d.back.WriteTo(&ops_, back);
    Op(XsOp::Kind::kMkdir, vmdev);
    XendDict::Display({{"backend", back},
                       {"backend-id", d.backend_domid},
                       {"frontend", front},
                       {"frontend-id", std::to_string(domid_)}})
        .WriteTo(&ops_, vmdev);
  }

  void Devices() {
    // xend's creation order (xm.md 6.3): vkbd, vfb, vbd/tap, vif, then the others.
    if (has_vfb_) {
      Device kbd;
      kbd.cls = kbd.fclass = kbd.bclass = "vkbd";
      AddDevice(std::move(kbd));
      for (const Framebuffer& f : m_.vfbs) AddVfb(VfbKeys(f));
    } else if (hvm_ && c_.vnc.value.value_or(0) == 1) {
      // xend synthesises a vfb from the HVM image's VNC settings.
      std::map<std::string, std::string> keys{{"vnc", "1"}, {"vncunused", EffectiveStr(c_, &DomainConfig::vncunused)}};
      for (auto [name, field] :
           {std::pair{"vnclisten", &c_.vnclisten}, {"vncpasswd", &c_.vncpasswd}, {"keymap", &c_.keymap}}) {
        if (XmTruthy(*field)) keys[name] = XmStr(*field);
      }
      if (c_.vncdisplay.xm) keys["vncdisplay"] = XmStr(c_.vncdisplay);
      AddVfb(keys);
    }
    if (c_.disk.value) {
      bool first = true;
      for (const Disk& d : *c_.disk.value) {
        AddDisk(d, first);
        first = false;
      }
    }
    for (const Nic& nic : m_.nics) AddVif(nic);
    int64_t ioports = 0, irqs = 0;
    if (c_.ioports.value) {
      for (const IoportRange& r : *c_.ioports.value) {
        Device d = Sequential("ioports", ioports++);
        d.back.Set("to", "0x" + r.to);  // iopif's valid_cfg order
        d.back.Set("from", "0x" + r.from);
        d.back.Set("uuid", R("device-uuid"));
        AddDevice(std::move(d));
      }
    }
    if (c_.irq.value) {
      for (const Irq& irq : *c_.irq.value) {
        Device d = Sequential("irq", irqs++);
        d.back.Set("irq", irq.item.Repr());
        d.back.Set("uuid", R("device-uuid"));
        AddDevice(std::move(d));
      }
    }
    for (const char* cls : {"pci", "vscsi", "vusb", "vif2"}) {
      bool present = (std::string(cls) == "pci" && c_.pci.value && !c_.pci.value->empty()) ||
                     (std::string(cls) == "vscsi" && c_.vscsi.value && !c_.vscsi.value->empty()) ||
                     (std::string(cls) == "vusb" && !m_.usbs.empty()) ||
                     (std::string(cls) == "vif2" && m_.netchannel2 > 0);
      if (present) {
        Op(XsOp::Kind::kComment, fmt::format("not modelled: the {} devices (xend's own controller writes them)", cls));
      }
    }
  }

  std::map<std::string, std::string> VfbKeys(const Framebuffer& f) const {
    std::map<std::string, std::string> keys;
    for (VfbKey k : f.written) {
      if (k != VfbKey::kType) keys[KeyName(k)] = *f[k];
    }
    if (f.has(VfbKey::kType)) keys[*f[VfbKey::kType]] = "1";
    if (!keys.count("keymap") && f.Keymap()) keys["keymap"] = *f.Keymap();
    if (!keys.count("display") && c_.env_display) keys["display"] = *c_.env_display;
    if (!keys.count("xauthority")) keys["xauthority"] = c_.env_xauthority;
    return keys;
  }

  void AddVfb(std::map<std::string, std::string> keys) {
    Device d;
    d.cls = d.fclass = d.bclass = "vfb";
    keys["uuid"] = R("device-uuid");
    // vfbif writes the keys of its CONFIG_ENTRIES, in that list's order, that the device has.
    for (const char* k : {"type", "vncdisplay", "vnclisten", "vncpasswd", "vncunused", "display", "xauthority",
                          "keymap", "vnc", "sdl", "uuid", "location", "protocol", "opengl"}) {
      if (keys.count(k)) d.back.Set(k, keys[k]);
    }
    AddDevice(std::move(d));
  }

  void AddDisk(const Disk& disk, bool first) {
    Device d;
    d.cls = disk.device_class == "vbd" ? "vbd" : "tap";  // tap2 falls back to tap without tap-ctl
    d.fclass = "vbd";
    d.bclass = d.cls;
    d.devid = disk.device_number.value_or(0);
    std::string backend = Strip(disk.backend);
    if (!backend.empty())
      d.backend_domid = std::all_of(backend.begin(), backend.end(), ::isdigit) ? backend : R("backend-domid");
    // blkif's getDeviceDetails.
    d.back = XendDict::Display({{"dev", disk.vdev},
                                {"type", disk.device_class == "vbd" ? disk.type : "tap"},
                                {"params", disk.params},
                                {"mode", Strip(disk.mode)}});
    d.back.Set("uuid", R("device-uuid"));
    d.back.Set("bootable", first ? "1" : "0");
    d.front =
        XendDict::Display({{disk.extended_number ? "virtual-device-ext" : "virtual-device", std::to_string(d.devid)},
                           {"device-type", disk.cdrom ? "cdrom" : "disk"}});
    AddDevice(std::move(d));
  }

  void AddVif(const Nic& nic) {
    Device d = Sequential("vif", nic.index);
    std::string mac = nic[NicKey::kMac].value_or(R("generated-mac"));
    // netif's getDeviceDetails: script and mac, the optional keys, the handle, then the
    // script's full path and the parsed rate in the places the first values took.
    d.back = XendDict::Display({{"script", nic.Script()}, {"mac", mac}});
    for (NicKey k : {NicKey::kType, NicKey::kIp, NicKey::kBridge, NicKey::kVifname, NicKey::kRate}) {
      if (nic.has(k)) d.back.Set(KeyName(k), *nic[k]);
    }
    d.back.Set("uuid", R("device-uuid"));
    for (NicKey k : {NicKey::kModel, NicKey::kAccel}) {
      if (nic.has(k)) d.back.Set(KeyName(k), *nic[k]);
    }
    d.back.Set("handle", std::to_string(nic.index));
    d.back.Set("script", nic.ScriptPath());
    if (nic.rate) d.back.Set("rate", nic.rate->XenstoreText());
    if (!nic.emulated_only()) {
      d.front = XendDict::Display({{"handle", std::to_string(nic.index)}, {"mac", mac}});
    }
    if (const std::optional<std::string>& backend = nic[NicKey::kBackend]) {
      d.backend_domid = std::all_of(backend->begin(), backend->end(), ::isdigit) ? *backend : R("backend-domid");
    }
    AddDevice(std::move(d));
  }

  void DeviceModel() {
    Write(dom_ + "/image/device-model-fifo", R("device-model-fifo"));
    Op(XsOp::Kind::kMkdir, fmt::format("/local/domain/0/device-model/{}", domid_));
    Op(XsOp::Kind::kPerms, fmt::format("/local/domain/0/device-model/{}", domid_), Perms("n0 b{}"));
    Write(dom_ + "/image/device-model-pid", R("device-model-pid"));
  }

  /// One-line SXP of xend's image config (xm.md 6.2), notes as a placeholder for PV.
  std::string ImageLine() const {
    std::vector<Sexp> image{Sexp::String(hvm_ ? "hvm" : "linux")};
    auto str = [](const std::string& s) { return Sexp::String(s); };
    if (hvm_ || bootloader_) {
      image.push_back(Sexp::List({str("kernel"), str("")}));
    } else {
      image.push_back(Sexp::List({str("kernel"), str(XmStr(c_.kernel))}));
      if (XmTruthy(c_.ramdisk)) image.push_back(Sexp::List({str("ramdisk"), str(XmStr(c_.ramdisk))}));
      std::string cmdline = Cmdline();
      if (!cmdline.empty()) image.push_back(Sexp::List({str("args"), str(cmdline)}));
    }
    image.push_back(Sexp::List({str("superpages"), SxpOf(EffectiveXm(c_, &DomainConfig::superpages))}));
    // xend's platform dict: the image's non-empty values, plus the paths xend resolved.
    std::map<std::string, Sexp> platform;
    Sexp vm = BuildSxp(c_);
    const Sexp* img = vm.ChildValue("image");
    if (img != nullptr) {
      for (const Sexp& item : img->items) {
        if (!item.is_list() || item.items.size() < 2) continue;
        const std::string& key = item.items[0].text;
        const Sexp& value = item.items[1];
        if (!value.is_list() && value.kind == Sexp::Kind::kString && value.text.empty()) continue;
        platform[key] = value;
      }
    }
    if (hvm_) {
      platform.erase("kernel");
      std::string loader = XmTruthy(c_.loader) ? XmStr(c_.loader) : XmStr(c_.kernel, "hvmloader");
      if (loader == "hvmloader") loader = "/usr/lib/xen/boot/hvmloader";
      platform["loader"] = str(loader);
      platform["device_model"] = str(DeviceModelPath());
      platform["pci"] = Sexp::List({});
    } else {
      platform = {{"videoram", platform.count("videoram") ? platform["videoram"] : Sexp::Number("4")},
                  {"pci", Sexp::List({})},
                  {"nomigrate", platform["nomigrate"]},
                  {"tsc_mode", platform["tsc_mode"]}};
      if (has_vfb_) platform["device_model"] = str(DeviceModelPath());
    }
    for (const std::string& key : PlatformOrder()) {
      auto it = platform.find(key);
      if (it != platform.end()) image.push_back(Sexp::List({str(key), it->second}));
    }
    if (hvm_) {
      image.push_back(Sexp::List({str("notes"), Sexp::List({str("SUSPEND_CANCEL"), Sexp::Number("1")})}));
      return SxpFlat(Sexp::List(std::move(image)));
    }
    std::string line = SxpFlat(Sexp::List(std::move(image)));
    return line.substr(0, line.size() - 1) + " (notes " + R("elf-notes") + "))";
  }

  int64_t ShadowMemory() const {
    if (!hvm_) return 0;
    int64_t maxmem = c_.maxmem.value.value_or(Effective(c_, &DomainConfig::memory));
    int64_t kib = 4 * (256 * VcpusMax() + 2 * maxmem);
    int64_t mib = (kib + 1023) / 1024;
    return std::max(mib, Effective(c_, &DomainConfig::shadow_memory));
  }

  void VmDetails() {
    // _storeVmDetails: the set keys of LEGACY_XENSTORE_VM_PARAMS (XendConfig.py) in that
    // list's order, then image and xend/restart_count.
    std::string bootloader_args = !bootloader_             ? ""
                                  : XmTruthy(c_.bootargs)  ? XmStr(c_.bootargs)
                                  : c_.console_autoconnect ? ""
                                                           : "-q";
    XendDict v;
    v.Set("uuid", uuid_);
    v.Set("name", XmStr(c_.name));
    v.Set("vcpus", std::to_string(VcpusMax()));
    v.Set("vcpu_avail", std::to_string(OnlineMask(VcpusOnline())));
    v.Set("shadow_memory", std::to_string(ShadowMemory()));
    v.Set("start_time", R("start-time"));
    v.Set("on_poweroff", m_.on_poweroff);
    v.Set("on_crash", m_.on_crash);
    v.Set("on_reboot", m_.on_reboot);
    v.Set("on_xend_start", EffectiveStr(c_, &DomainConfig::on_xend_start));
    v.Set("on_xend_stop", EffectiveStr(c_, &DomainConfig::on_xend_stop));
    v.Set("bootloader", bootloader_ ? XmStr(c_.bootloader) : "");
    v.Set("bootloader_args", bootloader_args);
    v.Set("pool_name", XmTruthy(c_.pool) ? XmStr(c_.pool) : "Pool-0");
    v.Set("image", ImageLine());
    v.Set("xend/restart_count", "0");
    v.WriteTo(&ops_, vm_);
    Op(XsOp::Kind::kPerms, vm_ + "/uuid", Perms("n0 r{}"));
  }

  void DomainDetails() {
    // _storeDomDetails: a display of six entries, the console/store/control keys, the
    // kernel's ELF notes, then the update() with the cpu/N/availability dict.
    XendDict d = XendDict::Display({{"domid", std::to_string(domid_)},
                                    {"vm", vm_},
                                    {"name", XmStr(c_.name)},
                                    {"console/limit", "1048576"},
                                    {"memory/target", std::to_string(Effective(c_, &DomainConfig::memory) * 1024)},
                                    {"description", XmStr(c_.description)}});
    d.Set("console/port", R("console-port"));
    if (!hvm_) d.Set("console/ring-ref", R("console-ring-ref"));
    d.Set("console/type", hvm_ || has_vfb_ ? "ioemu" : "xenconsoled");
    d.Set("store/port", R("store-port"));
    d.Set("store/ring-ref", R("store-ring-ref"));
    d.Set("control/platform-feature-xs_reset_watches", "1");
    d.Set("control/platform-feature-multiprocessor-suspend", "1");
    if (hvm_) {
      d.Set("image/suspend-cancel", "1");  // an HVM guest's only note
    } else {
      // The kernel's notes are run-time (one comment line below); they still take their
      // places in the dict, as the reference kernel's notes did.
      Op(XsOp::Kind::kComment, fmt::format("runtime: {}/image/* = the kernel's ELF notes {}", dom_, R("elf-notes")));
      py2::DictOrder notes;
      for (const char* n : kReferenceNotes) notes.Insert(n);
      for (const std::string& n : notes.Keys()) {
        if (n == "FEATURES") {
          for (const char* f : kReferenceFeatures) d.Set(std::string("image/features/") + f, std::nullopt);
        } else {
          std::string key = AsciiLower(n);
          std::replace(key.begin(), key.end(), '_', '-');
          d.Set("image/" + key, std::nullopt);
        }
      }
    }
    XendDict cpus;
    int64_t online = VcpusOnline();
    for (int64_t n = 0; n < m_.vcpus_to_list(); ++n) {
      cpus.Set(fmt::format("cpu/{}/availability", n), n < online ? "online" : "offline");
    }
    d.Update(cpus);
    d.WriteTo(&ops_, dom_);
  }

  void Console() {
    Device d = Sequential("console", 0);
    d.back.Set("location", R("console-port"));  // the console controller's valid_cfg order
    d.back.Set("uuid", R("device-uuid"));
    d.back.Set("protocol", "vt100");
    AddDevice(std::move(d));
  }

  XendModel m_;
  const DomainConfig& c_;
  int64_t domid_;
  std::string uuid_;
  bool hvm_;
  bool pv_ = false;
  bool bootloader_ = false;
  bool has_vfb_ = false;
  std::string dom_, vm_;
  std::vector<XsOp> ops_;
};

std::string EscapeValue(const std::string& v) {
  std::string out;
  for (unsigned char ch : v) {
    switch (ch) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (ch < 0x20 || ch >= 0x7f) {
          out += fmt::format("\\x{:02x}", ch);
        } else {
          out += static_cast<char>(ch);
        }
    }
  }
  return out;
}

}  // namespace

std::string DeviceModelArgs(const XendModel& m, int64_t domid) {
  const DomainConfig& c = m.config;
  std::vector<std::string> a{"-domain-name", XmStr(c.name)};
  if (XmTruthy(c.nographic)) {
    a.push_back("-nographic");
  } else {
    a.push_back("-videoram");
    a.push_back(EffectiveStr(c, &DomainConfig::videoram));
    if (XmTruthy(c.keymap)) {
      a.push_back("-k");
      a.push_back(XmStr(c.keymap));
    }
    if (c.vnc.value.value_or(0) == 1) {
      std::string listen = XmTruthy(c.vnclisten) ? XmStr(c.vnclisten) : "127.0.0.1";
      std::string display = XmStr(c.vncdisplay, "0");
      a.push_back("-vnc");
      a.push_back(listen + ":" + display + (XmTruthy(c.vncpasswd) ? ",password" : ""));
      if (Effective(c, &DomainConfig::vncunused)) a.push_back("-vncunused");
    } else if (c.sdl.value.value_or(0) == 1 && c.env_display) {
      a.push_back("-sdl");
      if (c.opengl.value.value_or(1) == 0) a.push_back("-disable-opengl");
    }
    if (XmTruthy(c.parallel)) {
      a.push_back("-parallel");
      a.push_back(XmStr(c.parallel));
    }
    if (XmTruthy(c.monitor) || XmTruthy(c.monitor_path)) {
      a.push_back("-monitor");
      a.push_back(XmTruthy(c.monitor_path) ? XmStr(c.monitor_path) : "pty");
    }
  }
  int64_t vcpus_max = m.vcpus_max;
  int64_t online = m.vcpus_online;
  a.push_back("-vcpus");
  a.push_back(std::to_string(vcpus_max));
  a.push_back("-vcpu_avail");
  a.push_back(fmt::format("0x{:x}", OnlineMask(online)));
  a.push_back("-boot");
  a.push_back(EffectiveStr(c, &DomainConfig::boot));
  for (auto [flag, field] : {std::pair{"-fda", &c.fda}, {"-fdb", &c.fdb}, {"-soundhw", &c.soundhw}}) {
    if (XmTruthy(*field)) {
      a.push_back(flag);
      a.push_back(XmStr(*field));
    }
  }
  if (XmTruthy(c.localtime)) a.push_back("-localtime");
  if (XmTruthy(c.serial)) {
    a.push_back("-serial");
    a.push_back(XmStr(c.serial));
  }
  if (XmTruthy(c.stdvga)) a.push_back("-std-vga");
  if (XmTruthy(c.isa)) a.push_back("-isa");
  if (Effective(c, &DomainConfig::acpi) != 0) a.push_back("-acpi");
  if (XmTruthy(c.usb)) a.push_back("-usb");
  if (XmTruthy(c.usbdevice)) {
    a.push_back("-usbdevice");
    a.push_back(XmStr(c.usbdevice));
  }
  if (XmTruthy(c.gfx_passthru)) a.push_back("-gfx_passthru");
  int vlan = 0;
  for (const Nic& nic : m.nics) {
    if (!nic.listed) break;       // the padding up to nics had no emulated NIC
    if (nic.pv_only()) continue;  // netfront: no emulated NIC
    ++vlan;
    a.push_back("-net");
    a.push_back(fmt::format("nic,vlan={},macaddr={},model={}", vlan,
                            nic[NicKey::kMac].value_or(RuntimePlaceholder("generated-mac")),
                            nic[NicKey::kModel].value_or("rtl8139")));
    a.push_back("-net");
    a.push_back(fmt::format("tap,vlan={},ifname=vif{}.{}-emu,bridge={},script=no,downscript=no", vlan, domid, nic.index,
                            nic[NicKey::kBridge].value_or("xenbr0")));
  }
  if (vlan == 0) {
    a.push_back("-net");
    a.push_back("none");
  }
  std::string out;
  for (size_t i = 0; i < a.size(); ++i) out += (i ? " " : "") + a[i];
  return out;
}

std::vector<XsOp> BuildXenstoreWrites(const DomainConfig& config, const EmitOptions& options) {
  return Builder(config, options).Build();
}

void EmitXenstore(const DomainConfig& config, const EmitOptions& options, std::ostream& out, Diagnostics*) {
  for (const XsOp& op : BuildXenstoreWrites(config, options)) {
    switch (op.kind) {
      case XsOp::Kind::kWrite: out << op.path << " = " << EscapeValue(op.value) << '\n'; break;
      case XsOp::Kind::kMkdir: out << op.path << " mkdir\n"; break;
      case XsOp::Kind::kRm: out << op.path << " rm\n"; break;
      case XsOp::Kind::kPerms: out << op.path << " perms " << op.value << '\n'; break;
      case XsOp::Kind::kIntroduce: out << "@introduce " << op.path << '\n'; break;
      case XsOp::Kind::kComment: out << "# " << op.path << '\n'; break;
    }
  }
}

}  // namespace xmc
