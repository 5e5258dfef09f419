// Front ends: text in, a frozen Evaluation (Value tree with spans) out. The native
// PEGTL parser handles declarative files without starting Python; every other file runs
// in CPython as xm ran it, through the application's PythonHost: in this process
// (python.cc, tests and the Python module) or in a sandboxed child of the evaluator
// worker (compiler/sandbox, the CLI). `Evaluate` chooses automatically unless the caller
// forces one.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/base/source.h"
#include "compiler/base/value.h"
#include "compiler/host/host.h"

namespace xmc {

/// Which front end to use.
enum class FrontendChoice { kAuto, kNative, kPython };

struct EvalOptions;
struct FrontendResult;

/// Runs a config's Python code. Implemented by the application (STYLE 11): library code
/// asks, never starts an interpreter itself.
class PythonHost {
 public:
  virtual ~PythonHost() = default;
  /// Evaluates `file` (a file with code); problems go to `diags`.
  virtual FrontendResult EvaluatePython(const SourceFile& file, const EvalOptions& options, Diagnostics* diags) = 0;
};

/// What the evaluator is handed (xm.md 1.4).
struct EvalOptions {
  /// Undeclared NAME=VALUE words of the command line, in order.
  std::vector<std::pair<std::string, std::string>> script_vars;
  std::string xm_file;  ///< the path xm printed in "Using config file"
  bool xm_help = false;
  FrontendChoice frontend = FrontendChoice::kAuto;
  /// Stop a config that runs longer than this (seconds; 0 = no limit).
  double timeout_seconds = 10;
  /// Names of xm's variables, used to word diagnostics (a leaking comprehension variable
  /// that is also a config variable; an invalid name close to a real one).
  std::vector<std::string> known_variables;
  /// What the config's code may learn about the machine (os.path.exists, open, ...); the
  /// same Host the rest of the compilation uses. Null: the real machine.
  const Host* host = nullptr;
  /// The config's memory limit in a sandboxed child (MiB; 0 = none).
  uint64_t memory_mib = 512;
  /// --unsandboxed: a trusted config, given the real os, open and import.
  bool trusted = false;
  /// Where the config reads with the rights of the user running xmc (ReadPolicy in
  /// compiler/host/host.h): the trees being checked and the config's own directory.
  std::vector<std::string> own_dirs;
  /// --pass-env: environment variables a config sees beyond the default few.
  std::vector<std::string> pass_env;
};

/// What a config may print before xmc cuts it (per stream).
inline constexpr size_t kEvalOutputCapBytes = size_t{1} << 20;

/// Result of evaluation plus the names the script declared with xm_vars.var() or received
/// from the command line (not "unknown variables").
struct FrontendResult {
  Evaluation eval;
  std::vector<std::string> script_names;
  /// Names the script reads somewhere (helper variables, not typos). Empty for the
  /// native front end, where nothing can be read.
  std::vector<std::string> read_names;
};

/// Evaluates `file` with the chosen front end; problems go to `diags`.
FrontendResult Evaluate(const SourceFile& file, const EvalOptions& options, PythonHost* python, Diagnostics* diags);

/// The Python front end alone (`python` null: a diagnostic).
FrontendResult EvaluatePython(const SourceFile& file, const EvalOptions& options, PythonHost* python,
                              Diagnostics* diags);

/// The Python evaluator's result (JSON text of xmc_eval.py's evaluate_wire) as a
/// FrontendResult; a malformed text is a diagnostic, never a crash.
FrontendResult DecodeEvaluation(const std::string& text, const SourceFile& file, const EvalOptions& options,
                                Diagnostics* diags);

}  // namespace xmc
