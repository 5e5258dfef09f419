// Choosing a front end: the native parser for declarative files, the application's Python
// evaluator (PythonHost) for files with code.
#include "compiler/frontend/frontend.h"

#include "compiler/frontend/native.h"

namespace xmc {

FrontendResult EvaluatePython(const SourceFile& file, const EvalOptions& options, PythonHost* python,
                              Diagnostics* diags) {
  if (python == nullptr) {
    diags->Add<DiagId::kPythonStart>(file.path(), Span{}, "", "this program has no Python evaluator");
    FrontendResult result;
    result.eval.frontend = "python";
    return result;
  }
  return python->EvaluatePython(file, options, diags);
}

FrontendResult Evaluate(const SourceFile& file, const EvalOptions& options, PythonHost* python, Diagnostics* diags) {
  if (options.frontend != FrontendChoice::kPython) {
    NativeRejection rejection;
    if (auto eval = ParseNative(file, &rejection)) {
      FrontendResult r;
      r.eval = std::move(*eval);
      for (const auto& [k, v] : options.script_vars) r.script_names.push_back(k);
      return r;
    }
    if (options.frontend == FrontendChoice::kNative) {
      diags->Add<DiagId::kNativeOnly>(file.path(), rejection.span, "", rejection.reason);
      return FrontendResult{};
    }
  }
  return EvaluatePython(file, options, python, diags);
}

}  // namespace xmc
