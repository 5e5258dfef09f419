// Checks across the configs of one tree (xmc check DIR): domain names, UUIDs and MACs
// that two configs share, and one disk writable in two domains. Each finding is reported
// at the later config, naming the earlier one.
#pragma once

#include <string>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/ir/domain_config.h"

namespace xmc {

/// One compiled config of the tree.
struct TreeEntry {
  std::string file;            ///< as displayed in diagnostics
  const DomainConfig* config;  ///< null if the file did not compile
};

void CheckTree(const std::vector<TreeEntry>& entries, Diagnostics* diags);

}  // namespace xmc
