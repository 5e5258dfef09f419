// What xend derived from an xm config: the typed devices (what each vif and vfb key means,
// the vifs padded up to nics), the PV kernel command line, the lifecycle actions after
// xend's defaults, the vCPU counts, the device model's path. Derive() computes it once;
// the typed writers (XenStore, xl.cfg, libxl JSON, libvirt) and the runtime's plan read it
// and never the key=value strings (compiler/ir/key_value_spec.h, which they cannot
// include: tests/layering_test.py). Pure functions of the DomainConfig; nothing here prints.
#pragma once

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/domain_config.h"

namespace xmc {

/// xend's PV command line (xm.md 5.2): "root=ROOT " and "ip=IP:NFS:GW:MASK:HOST:IF:DHCP "
/// unless already in the args, then the args (with xm's "nfsroot=SERVER:PATH " in front).
std::string KernelCommandLine(const DomainConfig& c);

enum class Lifecycle { kPoweroff, kReboot, kCrash };

/// The action xend stored, after its defaults (destroy, restart, restart) and the old
/// `restart` variable (onreboot, always, never).
std::string LifecycleAction(const DomainConfig& c, Lifecycle which);

/// An action in the hyphenated spelling xl and libvirt use (coredump_and_restart ->
/// coredump-restart, rename_restart -> rename-restart).
std::string HyphenatedAction(const std::string& action);

/// The most vCPUs and vifs a writer lays out one by one. Far beyond what xend accepted
/// (512 vCPUs, 64 nics: the schema's ranges, reported as errors); it keeps absurd values
/// from making a writer loop for ever.
inline constexpr int64_t kMaxVcpus = 4096;
inline constexpr int64_t kMaxVifs = 1024;

/// The number of vCPUs the domain has (maxvcpus, else vcpus) and how many start online.
int64_t VcpusMax(const DomainConfig& c);
int64_t VcpusOnline(const DomainConfig& c);
/// VcpusMax bounded to 0..kMaxVcpus, for writers that list vCPUs one by one.
int64_t VcpusToList(const DomainConfig& c);
/// The bitmask of the first `online` vCPUs ((1 << online) - 1), saturating; 0 for <= 0.
uint64_t OnlineMask(int64_t online);
/// The number of vifs xm created: the vif list padded with empty entries up to nics
/// (xm.md 3.1), bounded by kMaxVifs.
int64_t VifCount(const DomainConfig& c);

/// The device model xend ran: a bare name is looked up in xend's private bin directory.
std::string DeviceModelPath(const DomainConfig& c);

/// A vif's rate limit (`10Mb/s[@50ms]`, xm.md 3.3): bytes per interval, the interval.
struct VifRateLimit {
  int64_t bytes_per_interval = 0;
  int64_t interval_usecs = 0;
  /// The rate as xend wrote it to XenStore: "BYTES,MICROSECONDS".
  std::string XenstoreText() const;
};
VifRateLimit ParseVifRate(const std::string& rate);

// --- The typed devices ------------------------------------------------------------------

/// The keys of a vif entry (xend's netif), in the schema's order.
enum class NicKey { kBackend, kBridge, kIp, kMac, kScript, kType, kVifname, kRate, kModel, kAccel, kPolicy, kLabel };
inline constexpr size_t kNicKeys = 12;
/// The keys of a vfb entry (xend's vfbif); kType is the legacy type=vnc|sdl.
enum class VfbKey {
  kVnclisten,
  kVncunused,
  kVncdisplay,
  kDisplay,
  kVideoram,
  kXauthority,
  kSdl,
  kVnc,
  kVncpasswd,
  kOpengl,
  kKeymap,
  kSerial,
  kMonitor,
  kType
};
inline constexpr size_t kVfbKeys = 14;

const char* KeyName(NicKey key);
const char* KeyName(VfbKey key);

/// The values of one device's keys, by key, with the order the entry gave them in (the
/// first place of a key given twice, whose later value counts, as xm's dict did).
template <typename Key, size_t N>
struct KeyedValues {
  std::array<std::optional<std::string>, N> values;
  std::vector<Key> written;

  const std::optional<std::string>& operator[](Key k) const { return values[static_cast<size_t>(k)]; }
  bool has(Key k) const { return (*this)[k].has_value(); }
  void Set(Key k, std::string value) {
    if (!has(k)) written.push_back(k);
    values[static_cast<size_t>(k)] = std::move(value);
  }
  void Erase(Key k) {
    values[static_cast<size_t>(k)].reset();
    written.erase(std::remove(written.begin(), written.end(), k), written.end());
  }
};

/// One network interface xend created: an entry of vif, or an empty one padding the list
/// up to nics (xm.md 3.1).
struct Nic : KeyedValues<NicKey, kNicKeys> {
  int64_t index = 0;
  bool listed = false;               ///< from the vif list (not padding)
  Span span;                         ///< the entry's span (padding: none)
  std::optional<VifRateLimit> rate;  ///< the parsed rate=

  /// type=ioemu: an emulated NIC only (no netfront); any other type: netfront only.
  bool emulated_only() const;
  bool pv_only() const;
  /// The hotplug script xend ran (vif-bridge unless given) and its path.
  std::string Script() const;
  std::string ScriptPath() const;
};

/// One PV framebuffer (a vfb entry).
struct Framebuffer : KeyedValues<VfbKey, kVfbKeys> {
  Span span;
  /// The domain's keymap when the entry names none (xend passed it down), else unset.
  std::optional<std::string> inherited_keymap;
  /// The keymap the device gets: its own, else the domain's.
  std::optional<std::string> Keymap() const;
  /// SDL rather than VNC: type=sdl, or sdl=1.
  bool Sdl() const;
};

/// One PV USB controller (a vusb entry).
struct UsbController {
  int64_t version = 2;
  int64_t ports = 8;
  std::map<int64_t, std::string> devices;  ///< port -> host BUS-PORT
  Span span;
};

/// What xend derived from one config.
struct XendModel {
  const DomainConfig& config;  ///< the variables themselves, for what needs no derivation
  GuestType guest = GuestType::kPv;
  bool hvm = false;
  std::string kernel_cmdline;
  std::string on_poweroff, on_reboot, on_crash;  ///< after xend's defaults
  int64_t vcpus_max = 0, vcpus_online = 0;
  std::string device_model_path;
  std::vector<Nic> nics;
  std::vector<Framebuffer> vfbs;
  std::vector<UsbController> usbs;
  size_t netchannel2 = 0;     ///< vif2 entries (xend's own controller wrote them; not modelled)
  bool vif_declared = false;  ///< vif has a value (its default is []): the xl.cfg lists vif, even empty

  explicit XendModel(const DomainConfig& c) : config(c) {}
  /// vcpus_max bounded to 0..kMaxVcpus, for writers that list vCPUs one by one.
  int64_t vcpus_to_list() const;
  const std::string& Action(Lifecycle which) const;
};

XendModel Derive(const DomainConfig& c);

}  // namespace xmc
