// From a checked DomainConfig to what the runtime needs: the libxl JSON (the xl back end,
// the mapping already checked against xl), the on_* policy, and the settings that the xl
// back end cannot express (a domain with any is started only with --force).
#pragma once

#include <string>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/ir/domain_config.h"
#include "runtime/launch.h"

namespace xmc::runtime {

/// The plan of `config` (from `source`); the xl back end's translation notes go to
/// `not_expressed` (each a diagnostic: what is left out or changed).
LaunchPlan PlanFor(const DomainConfig& config, const std::string& source, Diagnostics* not_expressed);

}  // namespace xmc::runtime
