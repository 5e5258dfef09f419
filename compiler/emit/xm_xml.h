// The Xen-API XML of `xm create -x` (xm.md 4): xm's sxp2xml applied to the SXP that
// BuildSxp makes from the checked DomainConfig, printed like Python 2.7 minidom's
// toprettyxml (tabs, attributes sorted by name, a final empty line).
#pragma once

#include <ostream>
#include <string>

#include "compiler/ir/domain_config.h"

namespace xmc {

/// Why xm's conversion failed: the message and the variable it came from.
struct XmXmlError {
  std::string message;
  std::string variable;
};

/// Writes the XML. Returns false (writing nothing) where xm's conversion raised a
/// ValueError, which xm reported as "Error: Invalid argument."; `error` says what failed.
bool EmitXmXml(const DomainConfig& config, std::ostream& out, XmXmlError* error);

}  // namespace xmc
