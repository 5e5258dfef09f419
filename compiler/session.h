// One session for every entry point: the options the command line, the language server's
// initialization options and the Python module's keywords take (and, next, a project's
// settings file) become a compile request here, and an output (a back end of the table,
// or `values`) is written here with its domid and UUID rules. The entry points parse their
// own syntax and render; they decide nothing about what an option means.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/host/host.h"
#include "compiler/pipeline.h"

namespace xmc {

/// The options every entry point shares, as words (each entry point's syntax parsed).
struct SessionOptions {
  std::string root;                                 ///< host lookups below this directory
  std::string frontend = "auto";                    ///< auto, native or python
  std::string host = "auto";                        ///< look at host files: auto, yes or no
  double eval_timeout = 10;                         ///< seconds (0: no limit)
  uint64_t eval_memory_mib = 512;                   ///< a sandboxed config's memory limit
  uint64_t max_input_kib = 4096;                    ///< the largest config read
  size_t max_diagnostics = kDefaultMaxDiagnostics;  ///< findings shown per file (0: all)
  bool unsandboxed = false;                         ///< a trusted config's code runs unconfined
  bool pedantic = false;                            ///< also what xm accepted as intended
  std::vector<std::string> pass_env;                ///< more of the environment for configs
};

/// The words the options with a choice take.
inline constexpr const char* kFrontendWords[] = {"auto", "native", "python"};
inline constexpr const char* kHostWords[] = {"auto", "yes", "no"};
/// The domain ids xend gave a guest (DOMID_FIRST_RESERVED is 0x7FF0).
inline constexpr int64_t kMinDomid = 1;
inline constexpr int64_t kMaxDomid = 32751;

/// Why the options cannot make a request (an option and what it takes), or "".
std::string CheckSessionOptions(const SessionOptions& options);

/// The compile request of checked options. `host_reason` (may be null) gets why host files
/// are not looked at, for a summary.
CompileRequest RequestOf(const SessionOptions& options, std::string* host_reason = nullptr);

/// `values`: not a back end of the table but an output of the front end (the evaluated
/// variables with source positions).
inline constexpr std::string_view kValuesOutput = "values";

/// Every output a compile can write: the table's back ends, then values.
std::vector<std::string> OutputNames();

struct OutputRequest {
  std::string name;                 ///< a back end, or values
  int64_t domid = 1;                ///< for xenstore
  std::optional<std::string> uuid;  ///< for xenstore: given, else the config's, else a fresh one
  /// As `xm create -n`/`-x` wrote it: only what stopped xm itself stops the output, not
  /// xmc's own errors.
  bool as_xm = false;
};

struct Output {
  enum class Status {
    kOk,
    kUnusable,    ///< the config was not read (kUnreadable) or did not compile
    kUnreadable,  ///< the file could not be read
    kFailed,      ///< the back end refused it (its diagnostics say why)
    kBadRequest,  ///< the request itself: no such output, domid out of range, a given UUID bad
  };
  Status status = Status::kOk;
  std::string text;
  Diagnostics diags;  ///< what the back end reported
  std::string error;  ///< kBadRequest, and a config's UUID that is not one
};

/// Writes output `r` of a compiled config (`host` gives a fresh UUID).
Output ProduceOutput(const Compilation& c, const OutputRequest& r, const Host& host);

/// The front end's evaluated variables with their source positions, as JSON.
std::string ValuesJson(const Evaluation& eval);

}  // namespace xmc
