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

#include "compiler/emit/backend.h"
#include "compiler/ir/domain_config.h"

namespace xmc {

/// Writes the domain XML; what libvirt cannot express is reported to `diags` (warnings,
/// id libvirt-translation) and left out.
void EmitLibvirtXml(const DomainConfig& config, const EmitOptions& options, std::ostream& out, Diagnostics* diags);

}  // namespace xmc
