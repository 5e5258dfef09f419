// The typed model of one domain (the IR). Lowering fills it from a Value tree; the schema
// pass applies defaults; checks and emitters read it. Every field keeps two things:
//   value  - the typed value (what the variable means), used by checks and typed writers;
//   xm     - the value as xm 4.4 held it (xm never converted script values, xm.md 1.5),
//            so the SXP writer can print byte for byte what xm printed.
// Unset differs from defaulted (`origin`). Field names equal the xm variable names and
// the schema's entries; a unit test keeps the two in step.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/source.h"

namespace xmc {

/// A value in xm's terms: one of the four types xm takes over from a script, or (inside
/// a list, or after xm's own processing) another Python value, kept as its str() text,
/// which sxp.show always prints quoted (None, dicts, unicode).
struct XmValue {
  enum class Kind { kInt, kFloat, kString, kList, kOther };
  Kind kind = Kind::kString;
  int64_t i = 0;
  double f = 0;
  std::string s;
  std::vector<XmValue> items;
  std::string repr;     ///< kOther: repr() text
  bool truthy = false;  ///< kOther: Python truthiness

  static XmValue Int(int64_t v);
  static XmValue Float(double v);
  static XmValue String(std::string v);
  static XmValue List(std::vector<XmValue> v);
  /// Another Python value: `str_text` is str(value), `repr_text` repr(value).
  static XmValue Other(std::string str_text, std::string repr_text, bool truthy);
  bool Truthy() const;
  /// Python 2 str() of the value (lists as repr).
  std::string Str() const;
  /// Python 2 repr() of the value.
  std::string Repr() const;
};

/// Where a field's value came from.
enum class Origin { kUnset, kDefault, kEnvironment, kFile, kCommandLine };

template <typename T>
struct Field {
  std::optional<T> value;
  std::optional<XmValue> xm;
  Origin origin = Origin::kUnset;
  Span span;

  bool is_set() const { return xm.has_value(); }
  bool from_user() const { return origin == Origin::kFile || origin == Origin::kCommandLine; }
};

/// str() of the value xm held, or `fallback` when unset.
template <typename T>
std::string XmStr(const Field<T>& f, const std::string& fallback = "") {
  return f.xm ? f.xm->Str() : fallback;
}

/// Python truthiness of the value xm held (false when unset).
template <typename T>
bool XmTruthy(const Field<T>& f) {
  return f.xm && f.xm->Truthy();
}

/// One range item of a cpus mask: N, N-M or ^N (exclusion).
struct CpuRange {
  int64_t first = 0;
  int64_t last = 0;
  bool exclude = false;
};

/// One cpus mask string ("0-3,^1") with its parsed ranges.
struct CpuMask {
  std::string text;
  std::vector<CpuRange> ranges;
  Span span;
  /// The CPUs selected, processed left to right as xend did.
  std::vector<int64_t> Cpus() const;
};

/// `cpus`: one mask for every vCPU (string form) or one per vCPU (list form).
struct CpuAffinity {
  bool per_vcpu = false;
  std::vector<CpuMask> masks;
};

/// A disk entry: xm splits on ',' without trimming (xm.md 3.3); the fields stay exactly
/// as split so the SXP matches, the typed view is derived.
struct Disk {
  std::string spec;
  std::vector<std::string> fields;  ///< the ',' split, untrimmed
  std::string uname, dev, mode, backend, protocol;
  std::string device_class;  ///< vbd, tap or tap2 (from the uname prefix)
  std::string type, params;  ///< uname split at the first ':'
  std::string vdev;          ///< dev without "ioemu:" and ":cdrom"/":disk"
  bool cdrom = false;
  bool ioemu = false;
  std::optional<int64_t> device_number;  ///< xend's virtual-device number (xm.md 6.4)
  bool extended_number = false;          ///< written as virtual-device-ext
  Span span;

  /// A tap or tap2 disk's params, [tapdisk:]DRIVER:PATH, split; without a DRIVER the
  /// driver is blktap's default "aio" and the whole rest is the path.
  struct TapImage {
    std::string driver, path;
  };
  TapImage tap_image() const;
};

/// The host path of a phy: disk's params: xm's phy:NAME meant /dev/NAME.
std::string PhyPath(const std::string& params);

// The key=value specs (vif, vif2, vfb, vusb) as xm split them are declared in
// compiler/ir/key_value_spec.h and only declared here: what a key means to xend is derived
// once (compiler/derive/), and the typed writers (XenStore, xl, libxl JSON, libvirt, the
// runtime's plan) read that, never the strings (tests/layering_test.py keeps it so).
struct Vif;
struct Vif2;
struct Vfb;
struct Vusb;

/// One PCI function to pass through.
struct PciDevice {
  std::string spec;  ///< the whole entry
  std::string key;   ///< text before the first ','
  int64_t domain = 0, bus = 0, slot = 0, func = 0;
  int64_t vdevfn = 0x100;
  std::vector<std::pair<std::string, std::string>> opts;
  bool has_opts = false;
  Span span;
};

struct IoportRange {
  std::string spec;
  std::string from, to;  ///< hex text as xm forwards it, without 0x
  std::optional<int64_t> first, last;
  Span span;
};

struct Irq {
  XmValue item;  ///< xm prints repr() of each element
  std::optional<int64_t> number;
  Span span;
};

struct CpuidEntry {
  std::string spec;
  std::string input;                                      ///< LEAF[,SUBLEAF] as written
  std::vector<std::pair<std::string, std::string>> regs;  ///< in input order
  Span span;
};

/// cpuid / cpuid_check after xm's preprocessing: inputs in first-seen order.
struct CpuidPolicy {
  std::vector<CpuidEntry> entries;
  bool converted = false;        ///< xm converts cpuid_check only when cpuid is set (quirk 9.9)
  std::vector<std::string> raw;  ///< the unconverted strings
  /// A number or string instead of a list: xm printed it as it was unless it converted the
  /// policy (a number then failed; a string's characters never make an entry).
  std::optional<XmValue> scalar;
};

struct VscsiEntry {
  std::string spec;
  std::string pdev, vdev, backend;
  Span span;
};

struct AccessControl {
  std::string spec;
  std::string policy, label;
  Span span;
};

// Every xm variable, with its C++ type. (name, type)
// clang-format off
#define XMC_DOMAIN_FIELDS(X)                                                                    \
  X(name, std::string) X(uuid, std::string) X(description, std::string)                         \
  X(builder, std::string) X(features, std::string) X(target, int64_t) X(pool, std::string)      \
  X(on_xend_start, std::string) X(on_xend_stop, std::string) X(restart, std::string)            \
  X(on_poweroff, std::string) X(on_reboot, std::string) X(on_crash, std::string)                \
  X(memory, int64_t) X(maxmem, int64_t) X(shadow_memory, int64_t) X(memory_sharing, bool)       \
  X(vcpus, int64_t) X(maxvcpus, int64_t) X(vcpu_avail, int64_t) X(cpu, int64_t)                 \
  X(cpus, CpuAffinity) X(cpu_cap, int64_t) X(cpu_weight, int64_t) X(superpages, int64_t)        \
  X(machine_address_size, int64_t) X(suppress_spurious_page_faults, bool) X(vhpt, int64_t)      \
  X(tsc_mode, int64_t) X(nomigrate, int64_t) X(s3_integrity, int64_t) X(oos, int64_t)           \
  X(hap, int64_t) X(nestedhvm, int64_t) X(cpuid, CpuidPolicy) X(cpuid_check, CpuidPolicy)       \
  X(kernel, std::string) X(ramdisk, std::string) X(loader, std::string)                         \
  X(bootloader, std::string) X(bootargs, std::string) X(bootentry, std::string)                 \
  X(root, std::string) X(extra, std::string) X(ip, std::string) X(gateway, std::string)         \
  X(netmask, std::string) X(hostname, std::string) X(interface, std::string)                    \
  X(dhcp, std::string) X(nfs_server, std::string) X(nfs_root, std::string)                      \
  X(disk, std::vector<Disk>) X(vif, std::vector<Vif>) X(vif2, std::vector<Vif2>)                \
  X(nics, int64_t) X(pci, std::vector<PciDevice>) X(pci_msitranslate, int64_t)                  \
  X(pci_power_mgmt, int64_t) X(vscsi, std::vector<VscsiEntry>) X(vusb, std::vector<Vusb>)       \
  X(ioports, std::vector<IoportRange>) X(irq, std::vector<Irq>) X(blkif, bool) X(netif, bool)   \
  X(device_model, std::string) X(acpi, int64_t) X(apic, int64_t) X(pae, int64_t)                \
  X(hpet, int64_t) X(timer_mode, int64_t) X(vpt_align, int64_t) X(viridian, int64_t)            \
  X(rtc_timeoffset, int64_t) X(localtime, bool) X(boot, std::string) X(fda, std::string)        \
  X(fdb, std::string) X(serial, std::string) X(parallel, std::string) X(monitor, bool)          \
  X(monitor_path, std::string) X(soundhw, std::string) X(stdvga, bool) X(isa, bool)             \
  X(usb, bool) X(usbdevice, std::string) X(guest_os_type, std::string)                          \
  X(xen_platform_pci, int64_t) X(gfx_passthru, int64_t) X(videoram, int64_t)                \
  X(keymap, std::string) X(xen_extended_power_mgmt, int64_t) X(vnc, int64_t)                    \
  X(vncdisplay, int64_t) X(vnclisten, std::string) X(vncunused, bool) X(vncpasswd, std::string) \
  X(vncconsole, bool) X(vncviewer, bool) X(sdl, int64_t) X(opengl, int64_t)                     \
  X(display, std::string) X(xauthority, std::string) X(nographic, bool)                         \
  X(vfb, std::vector<Vfb>) X(access_control, std::vector<AccessControl>)
// clang-format on

/// Guest type, derived from `builder`.
enum class GuestType { kPv, kHvm, kOther };

struct DomainConfig {
  // Defined where the key=value specs are complete (domain_config.cc), so that code that
  // holds a DomainConfig needs no more than this header.
  DomainConfig();
  ~DomainConfig();
  DomainConfig(const DomainConfig&);
  DomainConfig(DomainConfig&&) noexcept;
  DomainConfig& operator=(const DomainConfig&);
  DomainConfig& operator=(DomainConfig&&) noexcept;

#define XMC_DECLARE_FIELD(n, T) Field<T> n;
  XMC_DOMAIN_FIELDS(XMC_DECLARE_FIELD)
#undef XMC_DECLARE_FIELD

  /// Names the script set that are not xm variables but that xm's make_config still
  /// reads or that change xm's own behaviour (console_autoconnect).
  bool console_autoconnect = false;
  /// The environment xm consulted for vfb entries (xm.md 3.3), captured by ApplyDefaults
  /// so that writers never read the environment themselves.
  std::optional<std::string> env_display;
  std::string env_xauthority;
  /// pci entries with function '*': xm took the functions the machine's sysfs listed for
  /// that slot. ResolveHost expands them (into pci at `position`); left here when host
  /// files are not read.
  struct PciWildcard {
    PciDevice base;
    std::optional<int64_t> vslot;
    size_t position = 0;  ///< index in pci.value where its devices go
    std::string path;     ///< data path of the entry (pci[N])
  };
  std::vector<PciWildcard> pci_wildcards;

  GuestType guest_type() const;
};

/// The C++ type category of each field, as the schema names it ("int", "bool", "string",
/// "cpus", "disk", ...), keyed by field name. Used by the IR/schema consistency test.
std::vector<std::pair<std::string, std::string>> FieldTypeNames();

/// Calls f(name, field) for every field of `config`.
template <typename Config, typename F>
void ForEachField(Config& config, F&& f) {
#define XMC_VISIT_FIELD(n, T) f(#n, config.n);
  XMC_DOMAIN_FIELDS(XMC_VISIT_FIELD)
#undef XMC_VISIT_FIELD
}

/// Calls f(name, field) for the field called `name` only (nothing if there is none).
template <typename Config, typename F>
void VisitField(Config& config, std::string_view name, F&& f) {
  ForEachField(config, [&](const char* n, auto& field) {
    if (name == n) f(n, field);
  });
}

}  // namespace xmc
