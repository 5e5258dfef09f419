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

/// The number of vCPUs the domain has (maxvcpus, else vcpus) and how many start online.
int64_t VcpusMax(const DomainConfig& c);
int64_t VcpusOnline(const DomainConfig& c);

/// The device model xend ran: a bare name is looked up in xend's private bin directory.
std::string DeviceModelPath(const DomainConfig& c);

}  // namespace xmc
