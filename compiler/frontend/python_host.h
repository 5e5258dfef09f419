// The Python evaluator run in this process: the embedded CPython and xmc_eval.py. Linked
// only into programs that embed Python (the evaluator worker xmc-eval, the unit tests, the
// Python module); xmc itself never loads libpython and evaluates configs with code in
// sandboxed children of the worker (compiler/sandbox).
#pragma once

#include <pybind11/embed.h>

#include <optional>
#include <string>

#include "compiler/frontend/frontend.h"
#include "compiler/host/host.h"

namespace xmc {

/// Starts the interpreter isolated (no PYTHON* variables, no site, no user site, nothing of
/// the current or script directory on sys.path, a fixed hash seed, no signal handlers).
bool StartIsolatedInterpreter(std::string* error);

/// Loads the evaluator module (and every module it imports) into the running interpreter.
void PrepareEvaluator();

/// For a fork server only, before its first child: builds the modules and builtins every
/// config gets (their environment asked of `host`) once; each forked child then uses its
/// own copy of them instead of building them. Never in a process that evaluates more
/// than one config itself: they would share what a config changes in them.
void PrepareForkedEvaluations(const Host& host);

/// Runs `file` through xmc_eval.py's evaluate_wire, asking `host` what the config asks;
/// returns the result's JSON text (DecodeEvaluation reads it). Throws pybind11's
/// error_already_set on an error of the evaluator itself.
std::string RunEvaluator(const SourceFile& file, const EvalOptions& options, const Host& host);

/// Evaluates in this process, starting an interpreter on first use. For tests and for
/// callers that are already inside Python: no sandbox, the time limit is a signal.
// Hidden like the pybind11 types it holds (GCC warns otherwise).
class __attribute__((visibility("hidden"))) InProcessPython : public PythonHost {
 public:
  FrontendResult EvaluatePython(const SourceFile& file, const EvalOptions& options, Diagnostics* diags) override;
  /// True once this object has started the interpreter.
  bool started() const { return interpreter_.has_value(); }

 private:
  std::optional<pybind11::scoped_interpreter> interpreter_;
};

}  // namespace xmc
