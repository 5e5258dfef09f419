// The document store of xmc lsp: the open documents (their unsaved text and what their
// last check found) and the workspace folder's other configs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/lsp/protocol.h"
#include "compiler/host/host.h"
#include "compiler/ir/domain_config.h"
#include "compiler/schema/schema.h"
#include "compiler/tree/cross_file.h"

namespace xmc::cli::lsp {

struct Document {
  std::string uri;
  std::string path;
  std::string text;
  int64_t version = 0;                   ///< the version of `text`, as the editor numbered it
  std::optional<Clock::time_point> due;  ///< when to check it (debounced edits)
  int64_t checked_version = 0;           ///< the version `own` was computed for
  int64_t checks = 0;                    ///< how often it was checked (xmc/statistics)
  std::optional<DomainConfig> config;    ///< its model, when it last compiled without errors
  Json own = Json::array();              ///< its own findings, as published
  Scope scope = Scope::kAll;             ///< its guest type when it last compiled (kAll: unknown)
  std::vector<TreeFact> facts;           ///< for the cross-file checks
};

/// A config of the workspace folder that is not open: what the cross-file checks need.
struct OnDisk {
  FileInfo seen;  ///< the file when it was last read (kind kOther: never)
  std::string text;
  std::vector<TreeFact> facts;
};

}  // namespace xmc::cli::lsp
