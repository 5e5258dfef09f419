// The stages between lowering and the checks that look at the machine: xm's defaults (the
// schema's, and those xm took from the environment) and the host paths xm resolved (kernel,
// ramdisk, loader, pygrub, pci '*' functions, vscsi devices), both through Host.
#pragma once

#include <string>

#include "compiler/base/diagnostics.h"
#include "compiler/host/host.h"
#include "compiler/ir/domain_config.h"
#include "compiler/schema/schema.h"

namespace xmc {

/// Applies schema defaults (and the environment's DISPLAY / XAUTHORITY) to unset fields,
/// and notes the environment the vfb writers need.
void ApplyDefaults(const Schema& schema, const Host& host, DomainConfig* config);

/// xm's host-dependent steps: kernel, ramdisk and loader must exist (relative paths
/// become absolute), a bare 'pygrub' bootloader is looked up, vscsi devices are found.
/// pci function '*' is expanded with the functions of that slot /sys lists.
void ResolveHost(const std::string& file, const Host& host, DomainConfig* config, Diagnostics* diags);

}  // namespace xmc
