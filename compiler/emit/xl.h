// xm to xl: the translation of a checked DomainConfig into the xl toolstack's terms
// (xl.md 3-6), and its two writers: an xl.cfg file and the libxl_domain_config JSON
// that `xl create -n` prints for that file (xl.md 7). Both are pure functions of the IR.
//
// The translation keeps xm's meaning: xm defaults that differ from xl's are written out
// (on_crash, memory, hpet, vnc, boot, pci_msitranslate), renamed keys are renamed
// (builder -> type, cpu_cap -> cap, irq -> irqs, bootargs -> bootloader_args, loader or
// a custom kernel -> firmware_override), xm's kernel IP and NFS variables are folded into
// the command line, and disks are rewritten in xl's key=value syntax (phy:NAME gains xm's
// implicit /dev/). What xl cannot express is left out with a note naming the variable.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "compiler/emit/backend.h"
#include "compiler/ir/domain_config.h"

namespace xmc {

/// Writes the xl.cfg; what was left out or changed is reported to `diags` (warnings,
/// id xl-translation) and listed in comments at the end.
void EmitXlCfg(const DomainConfig& config, const EmitOptions& options, std::ostream& out, Diagnostics* diags);

/// Writes the libxl JSON xl 4.17 prints for the emitted xl.cfg (yajl layout).
void EmitLibxlJson(const DomainConfig& config, const EmitOptions& options, std::ostream& out, Diagnostics* diags);

}  // namespace xmc
