// Diagnostics are values: each has an id from the catalogue (diagnostics.def), a
// severity, a file and span, a data path such as `disk[1].mode`, a message and notes.
// Stages append them to a Diagnostics sink; one renderer prints them (clang style).
// This module does not decide exit statuses; callers ask the sink.
#pragma once

#include <fmt/format.h>

#include <map>
#include <string>
#include <string_view>
#include <utility>
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

namespace diag_detail {
inline constexpr Severity Error = Severity::kError;
inline constexpr Severity Warning = Severity::kWarning;
inline constexpr Severity Note = Severity::kNote;
inline constexpr bool Fatal = true;
inline constexpr bool Silent = false;

inline constexpr DiagInfo kCatalogue[] = {
#define DIAG(Name, id, sev, xm, format) {id, sev, xm, format},
#include "compiler/base/diagnostics.def"
#undef DIAG
};

/// The number of positional `{}` placeholders of a catalogue format (`{path}` excluded).
constexpr size_t PlaceholderCount(std::string_view format) {
  size_t n = 0;
  for (size_t i = 0; i + 1 < format.size(); ++i) {
    if (format[i] == '{' && format[i + 1] == '{') {
      ++i;
    } else if (format[i] == '{' && format[i + 1] == '}') {
      ++n;
    }
  }
  return n;
}
}  // namespace diag_detail

/// The catalogue row of `id`.
constexpr const DiagInfo& InfoOf(DiagId id) { return diag_detail::kCatalogue[static_cast<size_t>(id)]; }
/// All catalogue rows, in declaration order.
std::vector<DiagInfo> AllDiagInfos();
/// True if the row's sentence names its data path itself (`{path}` in the format), so the
/// text rendering does not print the path in front of it.
bool NamesPath(DiagId id);

/// One reported problem.
struct Diagnostic {
  DiagId id;
  Severity severity;
  std::string file;
  Span span;
  std::string path;     ///< data path, e.g. "disk[1].mode"; empty for file-level problems
  std::string message;  ///< the sentence, without the data path in front
  std::vector<std::string> notes;
  /// A did-you-mean as an edit (the language server's quick fix): `original` as written,
  /// inside the span, should read `replacement`. Empty when there is none.
  std::string original, replacement;
  /// Where the other party of a cross-file finding is (the earlier config), or "".
  std::string related_file;
  Span related_span;

  /// Records a did-you-mean: `original` (as written, inside the span) should read
  /// `replacement`; returns the note to add, or "" when `replacement` is empty.
  std::string Suggest(std::string_view written, std::string_view suggestion) {
    if (suggestion.empty()) return "";
    original = written;
    replacement = suggestion;
    return fmt::format("did you mean '{}'?", suggestion);
  }

  bool xm_fatal() const { return InfoOf(id).xm_fatal; }
};

/// The sink stages append to.
class Diagnostics {
 public:
  /// Adds a diagnostic formatted from the catalogue row of `id`; `path` is the data path
  /// (or ""). The number of `args` must match the row's placeholders: checked when compiling.
  template <DiagId id, typename... Args>
  Diagnostic& Add(const std::string& file, Span span, std::string path, const Args&... args) {
    constexpr const DiagInfo& info = InfoOf(id);
    static_assert(sizeof...(Args) == diag_detail::PlaceholderCount(info.format),
                  "the number of arguments differs from the catalogue format's placeholders");
    std::string message = fmt::format(fmt::runtime(info.format), args..., fmt::arg("path", path));
    return Push(Diagnostic{id, info.severity, file, span, std::move(path), std::move(message), {}, {}, {}, {}, {}});
  }
  Diagnostic& Push(Diagnostic d);

  /// Keeps at most `n` diagnostics per file (0: all); the rest are counted, not kept, so
  /// a config that makes a million findings costs neither memory nor a flood of output.
  /// They still count in ErrorCount, WarningCount and HasXmFatal; AddCutSummaries says
  /// how many there were.
  void set_limit_per_file(size_t n) { limit_ = n; }
  /// One diagnostics-cut note per file that had more than the limit, after its others.
  void AddCutSummaries();
  /// The errors and the warnings that were counted but not kept.
  size_t CutErrors() const;
  size_t CutWarnings() const;

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
  struct Cut {
    size_t kept = 0, dropped = 0, errors = 0, warnings = 0;
    bool xm_fatal = false;
  };
  std::vector<Diagnostic> all_;
  size_t limit_ = 0;
  std::map<std::string, Cut> cuts_;  ///< per file, while a limit is set
  Diagnostic dropped_;               ///< what Push returns for a diagnostic not kept
};

/// Text rendering options.
struct RenderOptions {
  bool color = false;
};

/// The most bytes of a source line a diagnostic shows (a window around the column).
inline constexpr size_t kEchoWidth = 160;

/// A source line as a diagnostic shows it (cut to kEchoWidth around `column`, control
/// characters and invalid bytes escaped) and the caret line under it.
std::pair<std::string, std::string> EchoLine(std::string_view line, uint32_t column, uint32_t end_column);

/// Renders one diagnostic: `file:line:col: error: path: message [id]`, the source line
/// and a caret line under the span (when `source` has that line).
std::string Render(const Diagnostic& d, const SourceFile* source, const RenderOptions& options);
/// The same with the text of the diagnostic's line given ("" = no source line shown).
std::string Render(const Diagnostic& d, std::string_view line, const RenderOptions& options);

/// "did you mean 'x'?" for the closest of `candidates` to `word` (empty if none is close).
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace xmc
