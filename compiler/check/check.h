// Schema checks on the lowered model: allowed values, ranges, guest-type scope,
// deprecations and the relations xend enforced (maxmem >= memory, cpu_cap <= 100 x vcpus,
// a per-vCPU cpus list as long as vcpus). Only values the user wrote are checked;
// defaults are trusted. Every problem is reported, none stops the others.
#pragma once

#include "compiler/base/diagnostics.h"
#include "compiler/ir/domain_config.h"
#include "compiler/schema/schema.h"

namespace xmc {

/// Options of the checks that depend on the machine the domain will run on.
struct CheckOptions {
  int64_t host_cpus = 0;  ///< 0 = unknown
};

void Check(const std::string& file, const Schema& schema, const DomainConfig& config, const CheckOptions& options,
           Diagnostics* diags);

}  // namespace xmc
