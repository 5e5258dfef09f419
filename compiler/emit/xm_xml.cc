#include "compiler/emit/xm_xml.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <sstream>

#include "compiler/base/py2.h"
#include "compiler/base/strings.h"
#include "compiler/derive/xend_model.h"
#include "compiler/emit/sxp.h"
#include "compiler/schema/schema.h"

namespace xmc {
namespace {

/// Just enough of a DOM for minidom's toprettyxml.
struct Element {
  std::string tag;
  std::map<std::string, std::string> attrs;  // minidom writes them sorted by name
  std::vector<Element> children;
  std::optional<std::string> text;  // a single text child

  Element& Add(Element e) {
    children.push_back(std::move(e));
    return children.back();
  }
};

Element Make(std::string tag, std::map<std::string, std::string> attrs = {}) {
  Element e;
  e.tag = std::move(tag);
  e.attrs = std::move(attrs);
  return e;
}

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '"': out += "&quot;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

void Write(const Element& e, const std::string& indent, std::string* out) {
  *out += indent + "<" + e.tag;
  for (const auto& [k, v] : e.attrs) *out += " " + k + "=\"" + Escape(v) + "\"";
  if (e.text) {
    *out += ">" + Escape(*e.text) + "</" + e.tag + ">\n";
  } else if (!e.children.empty()) {
    *out += ">\n";
    for (const Element& c : e.children) Write(c, indent + "\t", out);
    *out += indent + "</" + e.tag + ">\n";
  } else {
    *out += "/>\n";
  }
}

Element NameElement(const std::string& label) {
  Element name = Make("name");
  Element l = Make("label");
  l.text = label;
  Element d = Make("description");
  d.text = " ";
  name.Add(std::move(l));
  name.Add(std::move(d));
  return name;
}

Element OtherConfig(const std::string& key, const std::string& value) {
  return Make("other_config", {{"key", key}, {"value", value}});
}

/// A Python exception in sxp2xml (ValueError, or one xm did not expect: TypeError,
/// AttributeError): the variable whose value caused it and how to report it (at that
/// variable's span). Caught in EmitXmXml; it never leaves this file.
struct ValueError {
  std::string variable;
  std::function<void(Diagnostics*, const std::string& file, Span span)> report;
};

/// get_child_by_name(sxp, name, default) as a str().
std::string Get(const Sexp& s, const std::string& name, const std::string& fallback) {
  const Sexp* v = s.ChildValue(name);
  return v ? v->Str() : fallback;
}

/// Python's TypeError on the value of `variable`, described by `what`.
ValueError TypeError(const char* variable, const std::string& what) {
  return ValueError{variable, [what](Diagnostics* d, const std::string& f, Span sp) {
                      d->Add<DiagId::kXenApiTypeError>(f, sp, "", what);
                    }};
}

/// int() of a value (a child of the SXP, or `fallback` when absent) as Python 2 computed
/// it, times `scale` first (int(x * scale)): a number (a float truncated), a string of an
/// integer; a ValueError for another string, a TypeError for a list or another object.
/// n * scale, which for xm was a long beyond 2**63: that xmc refuses with a diagnostic
/// rather than writing a wrong number.
int64_t Scaled(int64_t n, int64_t scale, const std::string& text, const char* variable) {
  int64_t out = 0;
  if (__builtin_mul_overflow(n, scale, &out)) {
    throw ValueError{variable, [text](Diagnostics* d, const std::string& f, Span s) {
                       d->Add<DiagId::kXenApiNotInt>(f, s, "", text);
                     }};
  }
  return out;
}

int64_t PyInt(const Sexp* v, const std::string& fallback, const char* variable, int64_t scale = 1) {
  if (v == nullptr || v->kind == Sexp::Kind::kString) {
    std::string text = v ? v->text : fallback;
    int64_t n = 0;
    if (!ParsePyInt(text, &n)) {
      throw ValueError{variable, [text](Diagnostics* d, const std::string& f, Span s) {
                         d->Add<DiagId::kXenApiNotInt>(f, s, "", text);
                       }};
    }
    return Scaled(n, scale, text, variable);
  }
  if (v->kind == Sexp::Kind::kNumber) {
    int64_t n = 0;
    if (ParsePyInt(v->text, &n)) return Scaled(n, scale, v->text, variable);
    double d = std::trunc(std::strtod(v->text.c_str(), nullptr) * static_cast<double>(scale));
    if (!std::isfinite(d) || std::fabs(d) >= 9223372036854775808.0) {
      // int() of inf or nan: xm's ValueError (OverflowError alike). A finite one beyond
      // 2**63 was a long to xm, which xmc does not write (see Scaled).
      std::string text = v->text;
      throw ValueError{variable, [text](Diagnostics* diag, const std::string& f, Span s) {
                         diag->Add<DiagId::kXenApiNotInt>(f, s, "", text);
                       }};
    }
    return static_cast<int64_t>(d);
  }
  throw TypeError(variable, fmt::format("'{}' is {}, not a number", variable, v->Str()));
}

/// get_child_by_name(sxp, name, default) used as it stood, as an XML attribute or in a
/// string concatenation: anything but a string raised Python's TypeError, which xm did not
/// catch (its "Unexpected error"). `variable` is the config variable behind the value.
std::string GetString(const Sexp& s, const std::string& name, const std::string& fallback, const char* variable) {
  const Sexp* v = s.ChildValue(name);
  if (v == nullptr) return fallback;
  if (v->kind != Sexp::Kind::kString)
    throw TypeError(variable, fmt::format("'{}' is {}, not a string", variable, v->Str()));
  return v->text;
}

/// Xen-API's names for the lifecycle actions; xm failed on the others (and on a value
/// that is not a string: no replace() to call, an AttributeError).
std::string Action(const Sexp& vm, const char* variable, const char* fallback, bool crash) {
  const Sexp* v = vm.ChildValue(variable);
  if (v != nullptr && v->kind != Sexp::Kind::kString) {
    std::string what = fmt::format("'{}' is {}, not a string", variable, v->Str());
    throw ValueError{variable, [what](Diagnostics* d, const std::string& f, Span s) {
                       d->Add<DiagId::kXenApiAttributeError>(f, s, "", what);
                     }};
  }
  std::string value = v ? v->text : fallback;
  std::string a = value;
  for (char& c : a) {
    if (c == '-') c = '_';
  }
  static const char* const kNormal[] = {"destroy", "restart"};
  static const char* const kCrash[] = {"destroy",  "coredump_and_destroy", "restart", "coredump_and_restart",
                                       "preserve", "rename_restart"};
  bool ok = false;
  if (crash) {
    for (const char* k : kCrash) ok = ok || a == k;
  } else {
    for (const char* k : kNormal) ok = ok || a == k;
  }
  if (!ok) {
    std::string expected =
        crash ? "destroy, restart, preserve, rename-restart, coredump_and_destroy or coredump_and_restart"
              : "destroy or restart";
    throw ValueError{variable, [=](Diagnostics* d, const std::string& f, Span s) {
                       d->Add<DiagId::kXenApiAction>(f, s, "", value, variable, expected);
                     }};
  }
  return a;
}

std::string HashName(const std::string& prefix, const std::string& key) {
  return prefix + std::to_string(py2::StringHash(key));
}

std::vector<const Sexp*> Devices(const Sexp& vm, std::initializer_list<const char*> classes) {
  std::vector<const Sexp*> out;
  for (const Sexp& item : vm.items) {
    if (!item.is_list() || item.items.size() < 2 || item.items[0].text != "device") continue;
    const Sexp& dev = item.items[1];
    if (!dev.is_list() || dev.items.empty()) continue;
    for (const char* c : classes) {
      if (dev.items[0].text == c) out.push_back(&dev);
    }
  }
  return out;
}

/// The most cpumap parameters written for a cpus string (one per vCPU): xm wrote that
/// many; beyond this xmc refuses rather than write megabytes (xm took minutes there).
constexpr int64_t kMaxCpumaps = 65536;

Element Convert(const Sexp& vm_sxp) {
  Element vm = Make("vm");
  std::string vcpus = Get(vm_sxp, "vcpus", "1");  // str(): any value goes
  vm.attrs = {{"is_a_template", "false"},
              {"auto_power_on", "false"},
              {"actions_after_shutdown", Action(vm_sxp, "on_poweroff", "destroy", false)},
              {"actions_after_reboot", Action(vm_sxp, "on_reboot", "restart", false)},
              {"actions_after_crash", Action(vm_sxp, "on_crash", "restart", true)},
              {"PCI_bus", ""},
              {"vcpus_max", vcpus},
              {"vcpus_at_startup", vcpus},
              {"s3_integrity", Get(vm_sxp, "s3_integrity", "0")},
              {"superpages", Get(vm_sxp, "superpages", "0")},
              {"pool_name", Get(vm_sxp, "pool_name", "Pool-0")}};
  // With access_control set, xm's conversion gave the vm an (empty) security label.
  if (vm_sxp.Child("security") != nullptr) vm.attrs["security_label"] = "";
  vm.Add(NameElement(Get(vm_sxp, "name", "")));
  Element version = Make("version");
  version.text = "0";
  vm.Add(std::move(version));

  // The image, read after the attributes and the name as xm did: a false builder left it
  // None, and image[0] raised a TypeError.
  const Sexp* image_outer = vm_sxp.ChildValue("image");
  if (image_outer != nullptr && !image_outer->is_list())
    throw TypeError("builder", "'builder' is false, so xm made no image");
  if (image_outer == nullptr)
    throw ValueError{"builder",
                     [](Diagnostics* d, const std::string& f, Span s) { d->Add<DiagId::kXenApiNoImage>(f, s, ""); }};
  const Sexp& image = *image_outer;
  bool hvm = !image.items.empty() && image.items[0].text == "hvm";
  if (hvm) {
    GetString(image, "boot", "abcd", "boot");  // set on a boot_param element xm never added
    vm.Add(Make("hvm", {{"boot_policy", "BIOS order"}}));
  } else if (!image.items.empty() && image.items[0].text == "linux") {  // another builder: neither
    // In xm's order of evaluation: kernel, bootloader, ramdisk, root, args, bootloader_args.
    std::string kernel = GetString(image, "kernel", "", "kernel");
    std::string bootloader = GetString(vm_sxp, "bootloader", "", "bootloader");
    std::string ramdisk = GetString(image, "ramdisk", "", "ramdisk");
    std::string root = GetString(image, "root", "", "root");
    std::string args = GetString(image, "args", "", "extra");
    vm.Add(Make("pv", {{"kernel", kernel},
                       {"bootloader", bootloader},
                       {"ramdisk", ramdisk},
                       {"args", "root=" + root + " " + args},
                       {"bootloader_args", GetString(vm_sxp, "bootloader_args", "", "bootargs")}}));
  }

  // MiB to bytes as xm's conversion computed it: int(memory) * 1024 * 1024, but maxmem
  // as it stood * 1024 * 1024, which repeats a string (maxmem = '512') 1048576 times.
  // int(None) when the SXP has no memory (memory = 0 is false to xm): a TypeError.
  if (vm_sxp.ChildValue("memory") == nullptr) throw TypeError("memory", "'memory' is 0, which xm left out of the SXP");
  int64_t memory_mib = PyInt(vm_sxp.ChildValue("memory"), "0", "memory");
  std::string memory = std::to_string(memory_mib * 1024 * 1024);
  std::string maxmem = memory;
  if (const Sexp* v = vm_sxp.ChildValue("maxmem"); v != nullptr && v->kind == Sexp::Kind::kString) {
    // int() of the repeated text: digits only (any blank or sign ends up inside), leading
    // zeros dropped.
    const std::string& t = v->text;
    if (t.empty() || !std::all_of(t.begin(), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
      Sexp twice = Sexp::String(t + t);
      PyInt(&twice, "", "maxmem");  // the ValueError xm got
    }
    size_t zeros = t.find_first_not_of('0');
    maxmem.clear();
    if (zeros == std::string::npos) {
      maxmem = "0";
    } else {
      maxmem.reserve(t.size() << 20);
      maxmem = t.substr(zeros);
      for (int i = 1; i < (1 << 20); ++i) maxmem += t;
    }
  } else if (v != nullptr) {
    maxmem = std::to_string(PyInt(v, "", "maxmem", 1024 * 1024));
  }
  vm.Add(
      Make("memory", {{"static_min", "0"}, {"static_max", maxmem}, {"dynamic_min", memory}, {"dynamic_max", memory}}));

  std::vector<Element> vdis;
  for (const Sexp* dev : Devices(vm_sxp, {"vbd", "tap", "tap2"})) {
    std::string uname = Get(*dev, "uname", "");
    std::string device = Get(*dev, "dev", "");
    std::string mode = Get(*dev, "mode", "");
    bool cdrom = device.size() >= 6 && device.compare(device.size() - 6, 6, ":cdrom") == 0;
    if (cdrom) device.resize(device.size() - 6);
    bool rw = mode == "w" || mode == "w!";
    std::string vdi = HashName("vdi", uname);
    vm.Add(Make("vbd", {{"name", HashName("vdb", uname)},
                        {"vdi", vdi},
                        {"mode", rw ? "RW" : "RO"},
                        {"device", device},
                        {"bootable", "1"},
                        {"type", cdrom ? "CD" : "disk"},
                        {"qos_algorithm_type", ""}}));
    Element v = Make("vdi", {{"name", vdi},
                             {"src", uname},
                             {"read_only", rw ? "False" : "True"},
                             {"size", "-1"},
                             {"type", "system"},
                             {"sharable", mode == "w!" ? "True" : "False"}});
    v.Add(NameElement(vdi));
    vdis.push_back(std::move(v));
  }

  size_t index = 0;
  for (const Sexp* dev : Devices(vm_sxp, {"vif"})) {
    // A vif without vifname is called ethN, N counting only such vifs.
    std::string device = dev->ChildValue("vifname") ? Get(*dev, "vifname", "") : fmt::format("eth{}", index++);
    Element vif = Make("vif", {{"name", HashName("vif", device)},
                               {"device", device},
                               {"mac", Get(*dev, "mac", "")},
                               {"mtu", ""},
                               {"qos_algorithm_type", ""},
                               {"security_label", ""}});
    if (const Sexp* bridge = dev->ChildValue("bridge")) vif.attrs["network"] = bridge->Str();
    vm.Add(std::move(vif));
  }

  for (const Sexp* dev : Devices(vm_sxp, {"pci"})) {
    for (const Sexp& d : dev->items) {
      if (!d.is_list() || d.items.empty() || d.items[0].text != "dev") continue;
      Element pci = Make("pci");
      for (const char* key : {"domain", "bus", "slot", "func", "vdevfn", "key"}) pci.attrs[key] = Get(d, key, "");
      // Each option is its own (opts (KEY VALUE)).
      for (const Sexp& item : d.items) {
        if (!item.is_list() || item.items.size() != 2 || item.items[0].text != "opts") continue;
        const Sexp& kv = item.items[1];
        if (kv.is_list() && kv.items.size() == 2) {
          pci.Add(Make("pci_opt", {{"key", kv.items[0].Str()}, {"value", kv.items[1].Str()}}));
        }
      }
      vm.Add(std::move(pci));
    }
  }

  // Consoles of an HVM image (a PV image has no nographic entry, which counts as 1).
  if (PyInt(image.ChildValue("nographic"), "1", "nographic") != 1) {
    if (PyInt(image.ChildValue("vnc"), "0", "vnc") == 1) {
      Element console = Make("console", {{"protocol", "rfb"}});
      console.Add(OtherConfig("type", "vnc"));
      console.Add(OtherConfig("vncunused", Get(image, "vncunused", "1")));
      console.Add(OtherConfig("vnclisten", GetString(image, "vnclisten", "127.0.0.1", "vnclisten")));
      console.Add(OtherConfig("vncdisplay", Get(image, "vncdisplay", "0")));
      console.Add(OtherConfig("vncpasswd", GetString(image, "vncpasswd", "", "vncpasswd")));
      vm.Add(std::move(console));
    }
    if (PyInt(image.ChildValue("sdl"), "0", "sdl") == 1) {
      Element console = Make("console", {{"protocol", "rfb"}});
      console.Add(OtherConfig("type", "sdl"));
      console.Add(OtherConfig("display", GetString(image, "display", "", "display")));
      console.Add(OtherConfig("xauthority", GetString(image, "xauthority", "/root/.Xauthority", "xauthority")));
      console.Add(OtherConfig("opengl", Get(image, "opengl", "1")));
      vm.Add(std::move(console));
    }
  }
  // One console per PV vfb; it is empty because xm already rewrote the vfb's type key.
  for (const Sexp* dev : Devices(vm_sxp, {"vfb"})) {
    Element console = Make("console", {{"protocol", "rfb"}});
    std::string type = Get(*dev, "type", "");
    if (type == "vnc" || type == "sdl") console.Add(OtherConfig("type", type));
    vm.Add(std::move(console));
  }

  // The platform keys sxp2xml copied from the image, in its order: the schema's
  // `xml: {generic: N}`. tsc_mode is not one: in xm's list a missing comma glued it to the
  // next name (xm.md 4.2).
  for (const VarSpec* spec : GenericIn(Schema::Builtin(), "xml")) {
    const std::string& key = spec->name;
    if (const Sexp* v = image.ChildValue(key)) vm.Add(Make("platform", {{"key", key}, {"value", v->Str()}}));
  }

  vm.Add(Make("vcpu_param", {{"key", "weight"}, {"value", Get(vm_sxp, "cpu_weight", "256")}}));
  vm.Add(Make("vcpu_param", {{"key", "cap"}, {"value", Get(vm_sxp, "cpu_cap", "0")}}));
  if (const Sexp* cpus = vm_sxp.ChildValue("cpus")) {
    if (cpus->is_list()) {
      for (size_t i = 0; i < cpus->items.size(); ++i) {
        std::string mask = cpus->items[i].Str();
        if (!mask.empty()) vm.Add(Make("vcpu_param", {{"key", fmt::format("cpumap{}", i)}, {"value", mask}}));
      }
    } else {
      // range(int(vcpus)): one cpumap per vCPU.
      int64_t vcpus_n = PyInt(vm_sxp.ChildValue("vcpus"), "1", "vcpus");
      if (vcpus_n > kMaxCpumaps) {
        throw ValueError{"vcpus", [vcpus_n](Diagnostics* d, const std::string& f, Span s) {
                           d->Add<DiagId::kXenApiVcpus>(f, s, "", vcpus_n);
                         }};
      }
      for (int64_t i = 0; i < vcpus_n; ++i) {
        vm.Add(Make("vcpu_param", {{"key", fmt::format("cpumap{}", i)}, {"value", cpus->Str()}}));
      }
    }
  }
  vm.Add(OtherConfig("transient", "True"));

  Element xm = Make("xm");
  xm.Add(std::move(vm));
  for (Element& v : vdis) xm.Add(std::move(v));
  return xm;
}

}  // namespace

void EmitXmXml(const DomainConfig& config, const EmitOptions& options, std::ostream& out, Diagnostics* diags) {
  try {
    Element root = Convert(BuildSxp(config));
    std::string text = "<?xml version=\"1.0\" ?>\n";
    Write(root, "", &text);
    out << text << '\n';  // xm's print adds a newline after toprettyxml's
  } catch (const ValueError& e) {
    Span span;
    VisitField(config, e.variable, [&](const char*, const auto& field) { span = field.span; });
    e.report(diags, options.file, span);
  }
}

}  // namespace xmc
