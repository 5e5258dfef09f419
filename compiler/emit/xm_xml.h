// The Xen-API XML of `xm create -x` (xm.md 4): xm's sxp2xml applied to the SXP that
// BuildSxp makes from the checked DomainConfig, printed like Python 2.7 minidom's
// toprettyxml (tabs, attributes sorted by name, a final empty line).
#pragma once

#include <ostream>
#include <string>

#include "compiler/emit/backend.h"
#include "compiler/ir/domain_config.h"

namespace xmc {

/// Writes the XML. Where xm's conversion raised a ValueError, which xm reported as
/// "Error: Invalid argument.", writes nothing and adds an error (id xenapi-invalid).
void EmitXmXml(const DomainConfig& config, const EmitOptions& options, std::ostream& out, Diagnostics* diags);

}  // namespace xmc
