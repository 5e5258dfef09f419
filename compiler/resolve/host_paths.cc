#include <algorithm>

#include "compiler/lower/lists.h"
#include "compiler/lower/specs.h"
#include "compiler/resolve/resolve.h"

namespace xmc {

void ResolveHost(const std::string& file, const Host& host, DomainConfig* config, Diagnostics* diags) {
  DomainConfig& c = *config;
  bool has_bootloader = c.bootloader.xm && c.bootloader.xm->Truthy();
  // A bootloader exempts kernel and ramdisk from xm's check, never the loader.
  auto resolve = [&](Field<std::string>& f, auto missing, bool bare_hvmloader_ok) {
    if (!f.xm || !f.xm->Truthy() || f.xm->kind != XmValue::Kind::kString) return;
    const std::string& path = f.xm->s;
    if (has_bootloader && &f != &c.loader) return;
    if (bare_hvmloader_ok && path == "hvmloader") return;
    std::string abs = host.AbsPath(path);
    if (!host.IsFile(abs)) {
      diags->Add<decltype(missing)::value>(file, f.span, "", path);
      return;
    }
    // xm made only a bare file name absolute (against the current directory); a path with
    // a directory part (./k, ../boot/k) stays as written once it exists.
    if (path.find('/') != std::string::npos) return;
    f.xm = XmValue::String(abs);
    f.value = abs;
  };
  // pci function '*': the functions sysfs lists for that domain:bus:slot, in `ls` order
  // (xen.util.pci's get_all_pci_names); none there, no device.
  if (!c.pci_wildcards.empty() && c.pci.value) {
    std::vector<std::string> names = host.ListDir("/sys/bus/pci/devices");
    std::sort(names.begin(), names.end());
    std::vector<PciDevice> out;
    size_t next = 0;
    const std::vector<PciDevice>& in = *c.pci.value;
    for (const DomainConfig::PciWildcard& w : c.pci_wildcards) {
      for (; next < w.position && next < in.size(); ++next) out.push_back(in[next]);
      std::vector<PciFunc> funcs;
      for (const std::string& n : names) {
        auto addr = ParsePciAddress(n);
        if (addr && addr->domain == w.base.domain && addr->bus == w.base.bus && addr->slot == w.base.slot &&
            addr->funcs.size() == 1) {
          funcs.push_back(addr->funcs[0]);
        }
      }
      std::string error;  // sysfs lists each function once
      AddPciFunctions(w.base, ArrangePciFunctions(funcs, &error), w.vslot, &out);
    }
    for (; next < in.size(); ++next) out.push_back(in[next]);
    c.pci.value = std::move(out);
    c.pci_wildcards.clear();
  }
  resolve(c.kernel, std::integral_constant<DiagId, DiagId::kKernelMissing>{}, true);
  resolve(c.ramdisk, std::integral_constant<DiagId, DiagId::kRamdiskMissing>{}, false);
  resolve(c.loader, std::integral_constant<DiagId, DiagId::kLoaderMissing>{}, true);
  if (has_bootloader && c.bootloader.xm->kind == XmValue::Kind::kString && c.bootloader.xm->s == "pygrub") {
    bool found = false;
    for (const char* dir : {"/usr/bin", "/usr/lib/xen/bin"}) {
      std::string path = std::string(dir) + "/pygrub";
      if (!found && host.Exists(path)) {
        c.bootloader.xm = XmValue::String(path);
        c.bootloader.value = path;
        found = true;
      }
    }
    if (!found) {
      diags->Add<DiagId::kPygrubMissing>(file, c.bootloader.span, "bootloader");
      c.bootloader.xm = XmValue::Other("None", "None", false);
    }
  }
  if (c.vscsi.value) {
    for (const VscsiEntry& e : *c.vscsi.value) {
      std::string dev = e.pdev;
      bool found = host.Exists("/sys/bus/scsi/devices/" + dev) || host.Exists("/dev/" + dev) ||
                   (!dev.empty() && dev[0] == '/' && host.Exists(dev));
      if (!found) {
        diags->Add<DiagId::kVscsiMissing>(file, e.span, "vscsi", dev);
      }
    }
  }
}

}  // namespace xmc
