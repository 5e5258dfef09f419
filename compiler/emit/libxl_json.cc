// libxl JSON: what the real xl 4.17 makes of the xl.cfg that xl.cc writes (`xl -N create`).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "compiler/base/strings.h"
#include "compiler/emit/xl.h"
#include "compiler/emit/xl_domain.h"

namespace xmc {
namespace {

using Json = nlohmann::ordered_json;

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
      if (nic.has(NicKey::kBackend)) j["backend_domname"] = *nic[NicKey::kBackend];
      j["devid"] = i;
      if (nic.has(NicKey::kModel)) j["model"] = *nic[NicKey::kModel];
      if (nic.has(NicKey::kMac)) j["mac"] = AsciiLower(*nic[NicKey::kMac]);
      for (auto [key, name] : {std::pair{NicKey::kIp, "ip"},
                               {NicKey::kBridge, "bridge"},
                               {NicKey::kVifname, "ifname"},
                               {NicKey::kScript, "script"}}) {
        if (nic.has(key)) j[name] = *nic[key];
      }
      if (nic.has(NicKey::kType)) j["nictype"] = nic.emulated_only() ? "vif_ioemu" : "vif";
      if (nic.rate) {
        j["rate_bytes_per_interval"] = nic.rate->bytes_per_interval;
        j["rate_interval_usecs"] = nic.rate->interval_usecs;
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
      auto val = [&](VfbKey k) { return d.vfbs[i].Value(k); };
      Json j;
      j["devid"] = i;
      Json vnc = Json::object();
      if (auto v = val(VfbKey::kVnc)) vnc["enable"] = Bool(ParseNum(*v) != 0);
      if (auto v = val(VfbKey::kVnclisten)) vnc["listen"] = *v;
      if (auto v = val(VfbKey::kVncpasswd)) vnc["passwd"] = *v;
      if (auto v = val(VfbKey::kVncdisplay); v && ParseNum(*v) != 0) vnc["display"] = ParseNum(*v);  // 0: the default
      if (auto v = val(VfbKey::kVncunused)) vnc["findunused"] = Bool(ParseNum(*v) != 0);
      j["vnc"] = vnc;
      Json sdl = Json::object();
      if (auto v = val(VfbKey::kSdl)) sdl["enable"] = Bool(ParseNum(*v) != 0);
      if (auto v = val(VfbKey::kOpengl)) sdl["opengl"] = Bool(ParseNum(*v) != 0);
      if (auto v = val(VfbKey::kDisplay)) sdl["display"] = *v;
      if (auto v = val(VfbKey::kXauthority)) sdl["xauthority"] = *v;
      j["sdl"] = sdl;
      if (auto v = val(VfbKey::kKeymap)) j["keymap"] = *v;
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

void EmitLibxlJson(const DomainConfig& config, const EmitOptions& options, std::ostream& out, Diagnostics*) {
  // The translation's notes belong to the xl.cfg; the JSON is what xl makes of that file.
  XlDomain d = TranslateToXl(config, options, nullptr);
  std::string text;
  WriteYajl(BuildJson(config, d), 0, &text);
  out << text << "\n";
}

}  // namespace xmc
