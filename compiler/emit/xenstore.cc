#include "compiler/emit/xenstore.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "compiler/base/py2.h"
#include "compiler/base/strings.h"
#include "compiler/emit/sxp.h"
#include "compiler/emit/xend.h"
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

// Orders of keys inside xend's dictionaries, as the reference captures show them.
const char* const kVmKeys[] = {
    "on_xend_stop", "pool_name",       "shadow_memory", "uuid",     "on_reboot",          "start_time",
    "on_poweroff",  "bootloader_args", "on_xend_start", "on_crash", "xend/restart_count", "vcpus",
    "vcpu_avail",   "bootloader",      "image",         "name"};
const char* const kDomainKeysPv[] = {"console/ring-ref",
                                     "console/port",
                                     "store/ring-ref",
                                     "vm",
                                     "control/platform-feature-multiprocessor-suspend",
                                     "memory/target",
                                     "control/platform-feature-xs_reset_watches",
                                     "description",
                                     "console/limit",
                                     "cpu",
                                     "console/type",
                                     "name",
                                     "domid",
                                     "store/port"};
const char* const kDomainKeysHvm[] = {"console/port",
                                      "control/platform-feature-multiprocessor-suspend",
                                      "description",
                                      "console/limit",
                                      "vm",
                                      "domid",
                                      "control/platform-feature-xs_reset_watches",
                                      "cpu",
                                      "memory/target",
                                      "store/ring-ref",
                                      "console/type",
                                      "store/port",
                                      "image/suspend-cancel",
                                      "name"};
// xend's platform dict order in the one-line image (observed; keys the captures never
// show are appended at the end, their place is not verified).
const char* const kPlatformOrder[] = {
    "videoram", "hpet", "stdvga", "vnclisten", "loader", "xen_platform_pci", "opengl", "nestedhvm", "rtc_timeoffset",
    "parallel", "pci", "hap", "localtime", "timer_mode", "pci_msitranslate", "oos", "apic", "sdl", "usbdevice",
    "vpt_align", "serial", "vncunused", "soundhw", "boot", "vncpasswd", "pae", "viridian", "acpi", "vnc", "nographic",
    "nomigrate", "usb", "tsc_mode", "guest_os_type", "device_model", "pci_power_mgmt", "xauthority", "isa",
    // not seen in the captures:
    "display", "fda", "fdb", "keymap", "monitor", "monitor_path", "vncdisplay", "vncconsole", "gfx_passthru",
    "xen_extended_power_mgmt", "vhpt"};  // (memory_sharing is not a platform key: the captures omit it)

/// Writes of one dict in the given key order (keys absent from `values` are skipped).
void WriteOrdered(std::vector<XsOp>* ops, const std::string& dir, const std::map<std::string, std::string>& values,
                  const std::vector<std::string>& order) {
  for (const std::string& k : order) {
    auto it = values.find(k);
    if (it != values.end()) ops->push_back({XsOp::Kind::kWrite, dir + "/" + k, it->second});
  }
  for (const auto& [k, v] : values) {
    if (std::find(order.begin(), order.end(), k) == order.end()) {
      ops->push_back({XsOp::Kind::kWrite, dir + "/" + k, v});
    }
  }
}

class Builder {
 public:
  Builder(const DomainConfig& c, const EmitOptions& o)
      : c_(c), domid_(o.domid), uuid_(o.uuid), hvm_(c.guest_type() == GuestType::kHvm) {
    dom_ = fmt::format("/local/domain/{}", domid_);
    vm_ = "/vm/" + uuid_;
    pv_ = c.guest_type() == GuestType::kPv;
    bootloader_ = XmTruthy(c.bootloader);
    has_vfb_ = c.vfb.value && !c.vfb.value->empty();
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

  int64_t VcpusMax() const { return xmc::VcpusMax(c_); }
  int64_t VcpusOnline() const { return xmc::VcpusOnline(c_); }

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

  std::string Cmdline() const { return KernelCommandLine(c_); }

  std::string VncPassword() const {
    if (hvm_) return XmStr(c_.vncpasswd);
    if (has_vfb_) {
      for (const Vfb& f : *c_.vfb.value) {
        if (const std::string* p = f.Get("vncpasswd")) return *p;
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
    std::string passwd = VncPassword();
    if (!passwd.empty()) {
      Write(vm_ + "/vncpasswd", passwd);
      Op(XsOp::Kind::kPerms, vm_ + "/vncpasswd", Perms("n0 r{}"));
    }
    Op(XsOp::Kind::kPerms, vm_ + "/image/cmdline", Perms("n0 r{}"));
    if (!hvm_) return;
    Write(vm_ + "/image/dmargs", DeviceModelArgs(c_, domid_));
    Write(vm_ + "/image/device-model", DeviceModelPath());
    Write(vm_ + "/image/display", c_.env_display.value_or(""));
    Op(XsOp::Kind::kPerms, vm_ + "/image/dmargs", Perms("n0 r{}"));
    Write(fmt::format("/local/domain/0/device-model/{}/disable_pf", domid_),
          Effective(c_, &DomainConfig::xen_platform_pci) == 0 ? "1" : "0");
    Write(vm_ + "/rtc/timeoffset", EffectiveStr(c_, &DomainConfig::rtc_timeoffset));
    Op(XsOp::Kind::kPerms, vm_ + "/rtc/timeoffset", Perms("n0 r{}"));
  }

  std::string DeviceModelPath() const { return xmc::DeviceModelPath(c_); }

  // --- Devices ---------------------------------------------------------------------------
  struct Device {
    std::string cls;     ///< xend's device class (vbd, tap, vif, vfb, vkbd, console, ...)
    std::string fclass;  ///< frontend directory class
    std::string bclass;  ///< backend directory class
    int64_t devid = 0;
    std::string backend_domid = "0";
    std::map<std::string, std::string> front, back;
    std::vector<std::string> front_order, back_order;
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
    d.front["backend-id"] = d.backend_domid;
    d.front["state"] = "1";
    d.front["backend"] = back;
    if (pv_) d.front["protocol"] = R("native-protocol");
    d.back["domain"] = XmStr(c_.name);
    d.back["frontend"] = front;
    d.back["frontend-id"] = std::to_string(domid_);
    d.back["state"] = "1";
    d.back["online"] = "1";
    if (d.cls != "vkbd") d.back["uuid"] = R("device-uuid");
    WriteOrdered(&ops_, front, d.front, d.front_order);
    WriteOrdered(&ops_, back, d.back, d.back_order);
    Op(XsOp::Kind::kMkdir, vmdev);
    WriteOrdered(&ops_, vmdev,
                 {{"frontend", front},
                  {"frontend-id", std::to_string(domid_)},
                  {"backend-id", d.backend_domid},
                  {"backend", back}},
                 {"frontend", "frontend-id", "backend-id", "backend"});
  }

  static std::vector<std::string> V(std::initializer_list<const char*> keys) {
    return std::vector<std::string>(keys.begin(), keys.end());
  }

  void Devices() {
    // xend's creation order (xm.md 6.3): vkbd, vfb, vbd/tap, vif, then the others.
    if (has_vfb_) {
      Device kbd;
      kbd.cls = kbd.fclass = kbd.bclass = "vkbd";
      kbd.front_order = V({"protocol", "state", "backend-id", "backend"});
      kbd.back_order = V({"frontend-id", "domain", "frontend", "state", "online"});
      AddDevice(std::move(kbd));
      for (const Vfb& f : *c_.vfb.value) AddVfb(VfbKeys(f));
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
    if (c_.vif.value) {
      int64_t n = static_cast<int64_t>(c_.vif.value->size());
      for (int64_t i = 0; i < VifCount(c_); ++i) AddVif(i < n ? &(*c_.vif.value)[static_cast<size_t>(i)] : nullptr, i);
    }
    int64_t ioports = 0, irqs = 0;
    if (c_.ioports.value) {
      for (const IoportRange& r : *c_.ioports.value) {
        Device d = Sequential("ioports", ioports++);
        d.back = {{"from", "0x" + r.from}, {"to", "0x" + r.to}};
        AddDevice(std::move(d));
      }
    }
    if (c_.irq.value) {
      for (const Irq& irq : *c_.irq.value) {
        Device d = Sequential("irq", irqs++);
        d.back = {{"irq", irq.item.Repr()}};
        AddDevice(std::move(d));
      }
    }
    for (const char* cls : {"pci", "vscsi", "vusb", "vif2"}) {
      bool present = (std::string(cls) == "pci" && c_.pci.value && !c_.pci.value->empty()) ||
                     (std::string(cls) == "vscsi" && c_.vscsi.value && !c_.vscsi.value->empty()) ||
                     (std::string(cls) == "vusb" && c_.vusb.value && !c_.vusb.value->empty()) ||
                     (std::string(cls) == "vif2" && c_.vif2.value && !c_.vif2.value->empty());
      if (present) {
        Op(XsOp::Kind::kComment, fmt::format("not modelled: the {} devices (xend's own controller writes them)", cls));
      }
    }
  }

  std::map<std::string, std::string> VfbKeys(const Vfb& f) const {
    std::map<std::string, std::string> keys;
    for (const auto& [k, v] : f.pairs) {
      if (k != "type") keys[k] = v;
    }
    if (const std::string* type = f.Get("type")) keys[*type] = "1";
    if (!keys.count("keymap") && XmTruthy(c_.keymap)) keys["keymap"] = XmStr(c_.keymap);
    if (!keys.count("display") && c_.env_display) keys["display"] = *c_.env_display;
    if (!keys.count("xauthority")) keys["xauthority"] = c_.env_xauthority;
    return keys;
  }

  void AddVfb(const std::map<std::string, std::string>& keys) {
    Device d;
    d.cls = d.fclass = d.bclass = "vfb";
    d.back = keys;
    d.front_order = V({"protocol", "state", "backend-id", "backend"});
    d.back_order = V({"vncunused", "domain", "vnc", "xauthority", "vnclisten", "vncdisplay", "vncpasswd", "keymap",
                      "display", "sdl", "opengl", "uuid", "frontend", "state", "online", "frontend-id"});
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
    d.front[disk.extended_number ? "virtual-device-ext" : "virtual-device"] = std::to_string(d.devid);
    d.front["device-type"] = disk.cdrom ? "cdrom" : "disk";
    d.back["bootable"] = first ? "1" : "0";
    d.back["dev"] = disk.vdev;
    d.back["params"] = disk.params;
    d.back["mode"] = Strip(disk.mode);
    d.back["type"] = disk.device_class == "vbd" ? disk.type : "tap";
    d.front_order =
        V({"virtual-device", "virtual-device-ext", "device-type", "protocol", "backend-id", "state", "backend"});
    d.back_order = V(
        {"domain", "frontend", "uuid", "bootable", "dev", "state", "params", "mode", "online", "frontend-id", "type"});
    AddDevice(std::move(d));
  }

  void AddVif(const Vif* vif, int64_t index) {
    Device d = Sequential("vif", index);
    auto get = [&](const char* k) -> const std::string* { return vif ? vif->Get(k) : nullptr; };
    std::string mac = get("mac") ? *get("mac") : R("generated-mac");
    const std::string* type = get("type");
    bool emulated_only = type != nullptr && *type == "ioemu";
    if (!emulated_only) {
      d.front["mac"] = mac;
      d.front["handle"] = std::to_string(index);
    }
    d.back["handle"] = std::to_string(index);
    d.back["mac"] = mac;
    std::string script = get("script") ? *get("script") : "vif-bridge";
    d.back["script"] = script[0] == '/' ? script : "/etc/xen/scripts/" + script;
    for (const char* k : {"bridge", "ip", "vifname", "type", "model", "accel"}) {
      if (const std::string* v = get(k)) d.back[k] = *v;
    }
    if (const std::string* rate = get("rate")) d.back["rate"] = VifRate(*rate);
    if (const std::string* backend = get("backend")) {
      d.backend_domid = std::all_of(backend->begin(), backend->end(), ::isdigit) ? *backend : R("backend-domid");
    }
    d.front_order = V({"mac", "handle", "protocol", "backend-id", "state", "backend"});
    d.back_order = V({"bridge", "domain", "handle", "uuid", "script", "ip", "state", "frontend", "mac", "vifname",
                      "online", "frontend-id", "type", "model", "rate", "accel"});
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
    for (const char* key : kPlatformOrder) {
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
    std::map<std::string, std::string> v;
    v["on_xend_stop"] = EffectiveStr(c_, &DomainConfig::on_xend_stop);
    v["on_xend_start"] = EffectiveStr(c_, &DomainConfig::on_xend_start);
    v["pool_name"] = XmTruthy(c_.pool) ? XmStr(c_.pool) : "Pool-0";
    v["shadow_memory"] = std::to_string(ShadowMemory());
    v["uuid"] = uuid_;
    v["on_poweroff"] = LifecycleAction(c_, Lifecycle::kPoweroff);
    v["on_reboot"] = LifecycleAction(c_, Lifecycle::kReboot);
    v["on_crash"] = LifecycleAction(c_, Lifecycle::kCrash);
    v["start_time"] = R("start-time");
    v["bootloader"] = bootloader_ ? XmStr(c_.bootloader) : "";
    v["bootloader_args"] = !bootloader_             ? ""
                           : XmTruthy(c_.bootargs)  ? XmStr(c_.bootargs)
                           : c_.console_autoconnect ? ""
                                                    : "-q";
    v["xend/restart_count"] = "0";
    v["vcpus"] = std::to_string(VcpusMax());
    v["vcpu_avail"] = std::to_string(OnlineMask(VcpusOnline()));
    v["image"] = ImageLine();
    v["name"] = XmStr(c_.name);
    WriteOrdered(&ops_, vm_, v, std::vector<std::string>(std::begin(kVmKeys), std::end(kVmKeys)));
    Op(XsOp::Kind::kPerms, vm_ + "/uuid", Perms("n0 r{}"));
  }

  void DomainDetails() {
    std::map<std::string, std::string> d;
    if (!hvm_) d["console/ring-ref"] = R("console-ring-ref");
    d["console/port"] = R("console-port");
    d["store/ring-ref"] = R("store-ring-ref");
    d["store/port"] = R("store-port");
    d["vm"] = vm_;
    d["control/platform-feature-multiprocessor-suspend"] = "1";
    d["control/platform-feature-xs_reset_watches"] = "1";
    d["memory/target"] = std::to_string(Effective(c_, &DomainConfig::memory) * 1024);
    d["description"] = XmStr(c_.description);
    d["console/limit"] = "1048576";
    d["console/type"] = hvm_ || has_vfb_ ? "ioemu" : "xenconsoled";
    d["name"] = XmStr(c_.name);
    d["domid"] = std::to_string(domid_);
    if (hvm_) d["image/suspend-cancel"] = "1";
    std::vector<std::string> order;
    for (const char* k : hvm_ ? std::vector<const char*>(std::begin(kDomainKeysHvm), std::end(kDomainKeysHvm))
                              : std::vector<const char*>(std::begin(kDomainKeysPv), std::end(kDomainKeysPv))) {
      if (std::string(k) == "cpu") {
        int64_t online = VcpusOnline();
        for (int64_t n = 0; n < VcpusToList(c_); ++n) {
          std::string key = fmt::format("cpu/{}/availability", n);
          d[key] = n < online ? "online" : "offline";
          order.push_back(key);
        }
      } else {
        order.push_back(k);
      }
    }
    if (!hvm_)
      Op(XsOp::Kind::kComment, fmt::format("runtime: {}/image/* = the kernel's ELF notes {}", dom_, R("elf-notes")));
    WriteOrdered(&ops_, dom_, d, order);
  }

  void Console() {
    Device d = Sequential("console", 0);
    d.back = {{"protocol", "vt100"}, {"location", R("console-port")}};
    d.front_order = V({"protocol", "state", "backend-id", "backend"});
    d.back_order = V({"domain", "protocol", "uuid", "frontend", "state", "location", "online", "frontend-id"});
    AddDevice(std::move(d));
  }

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

std::string DeviceModelArgs(const DomainConfig& c, int64_t domid) {
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
  int64_t vcpus_max = VcpusMax(c);
  int64_t online = VcpusOnline(c);
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
  if (c.vif.value) {
    for (size_t i = 0; i < c.vif.value->size(); ++i) {
      const Vif& v = (*c.vif.value)[i];
      const std::string* type = v.Get("type");
      if (type != nullptr && *type != "ioemu") continue;  // netfront: no emulated NIC
      ++vlan;
      const std::string* mac = v.Get("mac");
      const std::string* model = v.Get("model");
      const std::string* bridge = v.Get("bridge");
      a.push_back("-net");
      a.push_back(fmt::format("nic,vlan={},macaddr={},model={}", vlan, mac ? *mac : RuntimePlaceholder("generated-mac"),
                              model ? *model : "rtl8139"));
      a.push_back("-net");
      a.push_back(fmt::format("tap,vlan={},ifname=vif{}.{}-emu,bridge={},script=no,downscript=no", vlan, domid, i,
                              bridge ? *bridge : "xenbr0"));
    }
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
