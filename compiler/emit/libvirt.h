// libvirt domain XML for the Xen (libxl) driver: what `virsh define` takes. A pure writer
// over the checked DomainConfig, laid out as libvirt writes domain XML (two-space
// indent, single-quoted attributes, libvirt's element order), modelled on what libvirt's
// own xen-xm converter produced (libvirt.md), but carrying xm's meaning where libvirt
// dropped or changed it: xm's HPET default off is written, phy:NAME means /dev/NAME, the
// kernel command line includes xend's ip=, the credit scheduler weight and cap become
// <cputune>, a per-vCPU cpus list becomes <vcpupin> elements.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "compiler/ir/domain_config.h"

namespace xmc {

/// What libvirt cannot express, tied to a variable.
struct LibvirtNote {
  std::string variable;
  std::string message;
};

void EmitLibvirtXml(const DomainConfig& config, std::ostream& out, std::vector<LibvirtNote>* notes);

}  // namespace xmc
