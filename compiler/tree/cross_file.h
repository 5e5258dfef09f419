// Checks across the configs of one tree (xmc check DIR): domain names, UUIDs and MACs
// that two configs share, and one disk writable in two domains. Each finding is reported
// at the later config, naming the earlier one.
//
// A config's part in these checks is a handful of facts taken right after it compiled
// (TreeFactsOf), so that a run over a whole fleet need not keep the compilations.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/ir/domain_config.h"

namespace xmc {

/// One identity a config claims that no other config of the tree may claim.
struct TreeFact {
  enum class Kind { kName, kUuid, kMac, kDisk };
  Kind kind;
  std::string key;    ///< the identity compared (normalised: case, dashes, /dev/ prefix)
  std::string value;  ///< as written, for the message
  std::string path;   ///< data path: "name", "vif[0].mac", "disk[1]"
  Span span;
};

std::vector<TreeFact> TreeFactsOf(const DomainConfig& config);

/// Takes the configs of a tree in order; each Add reports the facts `file` shares with
/// an earlier config.
class TreeChecker {
 public:
  /// Returns how many findings it added (all on `file`).
  size_t Add(const std::string& file, const std::vector<TreeFact>& facts, Diagnostics* diags);

 private:
  struct Seen {
    std::string file;
    Span span;
  };
  std::array<std::map<std::string, Seen>, 4> seen_;
};

/// One compiled config of the tree.
struct TreeEntry {
  std::string file;            ///< as displayed in diagnostics
  const DomainConfig* config;  ///< null if the file did not compile
};

/// The whole tree at once (TreeChecker over TreeFactsOf of each entry).
void CheckTree(const std::vector<TreeEntry>& entries, Diagnostics* diags);

}  // namespace xmc
