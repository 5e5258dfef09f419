// `xmc check` without its printing: the files and trees given are walked (walk.h), every
// config is compiled on a few threads (each with an evaluator of its own), xendomains
// settings files bring their AUTO directory in, and the cross-file checks (tree.h) run over
// the configs in walk order. The CLI renders the result; the Python module returns it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/base/source.h"
#include "compiler/frontend/frontend.h"
#include "compiler/pipeline.h"

namespace xmc {

struct CheckPathsRequest {
  std::vector<std::string> paths;  ///< files and directories, as given
  CompileRequest base;             ///< each file's request before its path and text are set
  std::string root;                ///< --root ("" = the machine's own files)
  unsigned threads = 2;            ///< compiling threads (at most the machine's cores)
};

struct CheckedPaths {
  std::vector<Diagnostic> diagnostics;  ///< walk findings, then each file's, then cross-file
  /// The files that have a finding, by their name in the diagnostics (for source lines).
  std::unordered_map<std::string, SourceFile> sources;
  size_t files = 0;  ///< files checked (configs and xendomains settings)
  /// Findings past --max-diagnostics: counted, not in `diagnostics` (a note says so).
  size_t cut_errors = 0, cut_warnings = 0;
  bool io_error = false;  ///< a path given or met could not be read
};

/// A factory of evaluators for the threads beyond the caller's.
using PythonFactory = std::function<std::unique_ptr<PythonHost>()>;

/// Checks `request.paths`; `python` evaluates on the calling thread.
CheckedPaths CheckPaths(const CheckPathsRequest& request, PythonHost* python, const PythonFactory& more_python);

/// How a checked file is compiled: `base` with `path` read from the host, shown as
/// `display`, `text` its contents; never unsandboxed.
CompileRequest CheckRequest(CompileRequest base, const std::string& path, const std::string& display, std::string text);

/// True for a file a walk does not take as a config: a NUL byte in its first 4 KiB.
bool LooksBinary(const std::string& text);

}  // namespace xmc
