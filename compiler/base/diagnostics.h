// Diagnostics are values: each has an id from the catalogue (diagnostics.def), a
// severity, a file and span, a data path such as `disk[1].mode`, a message and notes.
// Stages append them to a Diagnostics sink; one renderer prints them (clang style).
// This module does not decide exit statuses; callers ask the sink.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/source.h"

namespace xmc {

enum class Severity { kNote, kWarning, kError };

enum class DiagId {
#define DIAG(Name, id, sev, xm, format) k##Name,
#include "compiler/base/diagnostics.def"
#undef DIAG
};

/// One row of the catalogue.
struct DiagInfo {
  std::string_view id;
  Severity severity;
  bool xm_fatal;  ///< xm 4.4 stopped with an error here
  std::string_view format;
};

/// The catalogue row of `id`.
const DiagInfo& InfoOf(DiagId id);
/// All catalogue rows, in declaration order.
std::vector<DiagInfo> AllDiagInfos();

/// One reported problem.
struct Diagnostic {
  DiagId id;
  Severity severity;
  std::string file;
  Span span;
  std::string path;  ///< data path, e.g. "disk[1].mode"; empty for file-level problems
  std::string message;
  std::vector<std::string> notes;

  bool xm_fatal() const { return InfoOf(id).xm_fatal; }
};

/// The sink stages append to.
class Diagnostics {
 public:
  /// Adds a diagnostic formatted from the catalogue entry of `id`.
  template <typename... Args>
  Diagnostic& Add(DiagId id, const std::string& file, Span span, std::string path,
                  const Args&... args) {
    const DiagInfo& info = InfoOf(id);
    std::string message;
    try {
      message = fmt::format(fmt::runtime(info.format), args...);
    } catch (const fmt::format_error&) {
      // A call site with the wrong number of arguments (tests/diag_calls.py guards
      // against it): keep the report rather than abort.
      message = std::string(info.format);
    }
    return Push(Diagnostic{id, info.severity, file, span, std::move(path), std::move(message), {}});
  }
  Diagnostic& Push(Diagnostic d);

  const std::vector<Diagnostic>& all() const { return all_; }
  size_t ErrorCount() const;
  size_t WarningCount() const;
  /// True if some diagnostic marks a place where xm itself stopped with an error.
  bool HasXmFatal() const;
  bool empty() const { return all_.empty(); }
  void Append(const Diagnostics& other);
  /// Orders by file, line, column (stable), so output does not depend on stage order.
  void Sort();

 private:
  std::vector<Diagnostic> all_;
};

/// Text rendering options.
struct RenderOptions {
  bool color = false;
};

/// Renders one diagnostic: `file:line:col: error: path: message [id]`, the source line
/// and a caret line under the span (when `source` has that line).
std::string Render(const Diagnostic& d, const SourceFile* source, const RenderOptions& options);

/// "did you mean 'x'?" for the closest of `candidates` to `word` (empty if none is close).
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace xmc
