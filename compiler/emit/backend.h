// The back ends as one table: each row names an output format, says what it is, gives the
// suffix of its golden files and points at its writer. Every writer has one shape: it reads
// a checked DomainConfig and the emit options, writes to a stream and reports what it
// changed, left out or could not express as diagnostics (a writer that fails adds an
// error and its output must be discarded). The CLI's --emit choices and help, `create`'s
// dispatch, `xmc backends`, the golden runner and the README's table all come from here.
// Adding a back end: one writer file, one row below, its column in the schema, goldens.
#pragma once

#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "compiler/base/diagnostics.h"
#include "compiler/ir/domain_config.h"

namespace xmc {

/// What a writer may need beyond the model.
struct EmitOptions {
  std::string file;    ///< the config's name, for the diagnostics a writer reports
  int64_t domid = 1;   ///< xenstore: the domain id
  std::string uuid;    ///< xenstore: the domain's UUID (8-4-4-4-12)
  bool pretty = true;  ///< sxp: xm's 80-column layout (false: one line, as xend stored it)
};

using EmitFn = void (*)(const DomainConfig&, const EmitOptions&, std::ostream&, Diagnostics*);

/// One output format.
struct Backend {
  std::string_view name;             ///< the --emit value
  std::string_view help;             ///< one line for --help and the README
  std::string_view suffix;           ///< golden files: CASE<suffix>
  std::string_view checked_against;  ///< the oracle its tests compare with (README)
  EmitFn emit;
};

/// Every back end, in the order of --help.
std::span<const Backend> Backends();
/// The back end called `name`, or nullptr.
const Backend* FindBackend(std::string_view name);

}  // namespace xmc
