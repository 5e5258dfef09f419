// From a checked DomainConfig to what the runtime needs: the libxl JSON (the xl back end,
// the mapping already checked against xl), the on_* policy, and the settings that the xl
// back end cannot express (a domain with any is started only with --force).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/ir/domain_config.h"
#include "runtime/launch.h"

namespace xmc::runtime {

/// The plan of `config` (from `source`); the xl back end's translation notes go to
/// `not_expressed` (each a diagnostic: what is left out or changed).
LaunchPlan PlanFor(const DomainConfig& config, const std::string& source, Diagnostics* not_expressed);

/// The config entry a failure of libxl's is about, from its message: a disk (its path or
/// its device), a vif (its bridge or MAC), the kernel or ramdisk (their paths), memory
/// (an allocation failure). Its data path ("disk[0]") and span; nullopt if none is named.
std::optional<std::pair<std::string, Span>> EntryResponsible(const DomainConfig& config, const std::string& error);

}  // namespace xmc::runtime
