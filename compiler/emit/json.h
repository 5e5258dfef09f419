// The typed model as JSON (`xmc compile --emit json`), for tools and tests. Key order is
// stable: "format", "guest_type", then "config" with one key per set variable in schema
// order, then "origins" (where each value came from). Documented in schema/README.md.
#pragma once

#include <ostream>

#include "compiler/emit/backend.h"
#include "compiler/ir/domain_config.h"

namespace xmc {

void EmitJson(const DomainConfig& config, const EmitOptions& options, std::ostream& out, Diagnostics* diags);

}  // namespace xmc
