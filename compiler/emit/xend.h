// What xend derived from an xm config, needed by several writers (XenStore, xl, libvirt):
// the PV kernel command line, the lifecycle actions after xend's defaults, the vCPU counts,
// the device model's path. Pure functions of the DomainConfig; nothing here prints.
#pragma once

#include <string>

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
};
VifRateLimit ParseVifRate(const std::string& rate);
/// The rate as xend wrote it to XenStore: "BYTES,MICROSECONDS".
std::string VifRate(const std::string& rate);

}  // namespace xmc
