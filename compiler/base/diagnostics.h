// Diagnostics are values: each has an id from the catalogue (diagnostics.def), a
// severity, a file and span, a data path such as `disk[1].mode`, a message and notes.
// Stages append them to a Diagnostics sink; one renderer prints them (clang style).
// This module does not decide exit statuses; callers ask the sink.
#pragma once

#include <fmt/args.h>
#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/base/source.h"

namespace xmc {

enum class Severity { kNote, kWarning, kError };

enum class DiagId {
#define DIAG(Name, id, sev, xm, format) k##Name,
#define NOTE(Name, format)
#include "compiler/base/diagnostics.def"
#undef NOTE
#undef DIAG
};

/// The notes a diagnostic may carry: catalogue rows too (NOTE in diagnostics.def).
enum class NoteId {
#define DIAG(Name, id, sev, xm, format)
#define NOTE(Name, format) k##Name,
#include "compiler/base/diagnostics.def"
#undef NOTE
#undef DIAG
};

/// The argument of a `{select:A|B|...}` slot of a catalogue format: which alternative
/// the sentence takes (0 = A). The alternatives are catalogue text, never the caller's.
struct Choice {
  size_t index = 0;
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
#define NOTE(Name, format)
#include "compiler/base/diagnostics.def"
#undef NOTE
#undef DIAG
};

inline constexpr std::string_view kNoteCatalogue[] = {
#define DIAG(Name, id, sev, xm, format)
#define NOTE(Name, format) format,
#include "compiler/base/diagnostics.def"
#undef NOTE
#undef DIAG
};

inline constexpr std::string_view kSelect = "{select:";

/// The arguments a catalogue format takes, in order: a bit per argument, set for a
/// `{select:...}` slot (a Choice), clear for a `{}` (a value), and their number. The `{}`
/// of every alternative of a select each take an argument, after the Choice (only the
/// chosen alternative's are printed). `{path}` is the data path, not an argument.
struct Slots {
  uint64_t choices = 0;
  size_t count = 0;
};
constexpr Slots SlotsOf(std::string_view format) {
  Slots s;
  for (size_t i = 0; i + 1 < format.size(); ++i) {
    if (format[i] == '{' && format[i + 1] == '{') {
      ++i;
    } else if (format.substr(i, kSelect.size()) == kSelect) {
      s.choices |= uint64_t{1} << s.count++;
      for (i += kSelect.size(); i < format.size() && format[i] != '}'; ++i) {
        if (format[i] == '{' && i + 1 < format.size() && format[i + 1] == '}') {
          ++s.count;
          ++i;
        }
      }
    } else if (format[i] == '{' && format[i + 1] == '}') {
      ++s.count;
    }
  }
  return s;
}
/// The number of arguments of a catalogue format.
constexpr size_t PlaceholderCount(std::string_view format) { return SlotsOf(format).count; }

template <typename... Args, size_t... I>
constexpr uint64_t ChoiceBits(std::index_sequence<I...>) {
  return ((std::is_same_v<Args, Choice> ? uint64_t{1} << I : uint64_t{0}) | ... | uint64_t{0});
}

/// `format` with each select replaced by its chosen alternative and every argument slot
/// numbered ({0}, {1}, ...), for the values in order (Choices left out).
std::string Expand(std::string_view format, const std::vector<size_t>& choices);

/// Formats a catalogue row: `args` in order, Choices picking alternatives, `{path}` named.
template <typename... Args>
std::string FormatRow(std::string_view format, const std::string& path, const Args&... args) {
  fmt::dynamic_format_arg_store<fmt::format_context> store;
  std::vector<size_t> choices;
  auto take = [&](const auto& a) {
    if constexpr (std::is_same_v<std::decay_t<decltype(a)>, Choice>) {
      choices.push_back(a.index);
    } else {
      store.push_back(a);
    }
  };
  (take(args), ...);
  (void)take;  // a row without arguments
  store.push_back(fmt::arg("path", path));
  return fmt::vformat(Expand(format, choices), store);
}
}  // namespace diag_detail

/// The catalogue row of `id`.
constexpr const DiagInfo& InfoOf(DiagId id) { return diag_detail::kCatalogue[static_cast<size_t>(id)]; }
/// The format of a note row.
constexpr std::string_view NoteFormat(NoteId id) { return diag_detail::kNoteCatalogue[static_cast<size_t>(id)]; }
/// All note rows, in declaration order.
std::vector<std::string_view> AllNoteFormats();
/// A catalogue format as a reader sees it: each select as its alternatives joined by " | "
/// in brackets (SARIF rule texts, the man page); `{}` and `{path}` stay.
std::string ReadableFormat(std::string_view format);
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
  std::string path;                ///< data path, e.g. "disk[1].mode"; empty for file-level problems
  std::string message;             ///< the sentence, without the data path in front
  std::vector<std::string> notes;  ///< each from a note row (AddNote), or a did-you-mean
  /// A did-you-mean as an edit (the language server's quick fix): `original` as written,
  /// inside the span, should read `replacement`. Empty when there is none.
  std::string original, replacement;
  /// Where the other party of a cross-file finding is (the earlier config), or "".
  std::string related_file;
  Span related_span;

  /// Records the edit of a did-you-mean: `written` (inside the span) should read
  /// `suggestion` (nothing when it is empty). For a sentence that says it itself.
  Diagnostic& Fix(std::string_view written, std::string_view suggestion) {
    if (suggestion.empty()) return *this;
    original = written;
    replacement = suggestion;
    return *this;
  }
  /// The same, and the did-you-mean note.
  Diagnostic& Suggest(std::string_view written, std::string_view suggestion);

  /// Adds a note from its catalogue row; the arguments are counted as for Add.
  template <NoteId note, typename... Args>
  Diagnostic& AddNote(const Args&... args) {
    constexpr std::string_view format = NoteFormat(note);
    static_assert(sizeof...(Args) == diag_detail::PlaceholderCount(format),
                  "the number of arguments differs from the note row's placeholders");
    static_assert(
        diag_detail::ChoiceBits<Args...>(std::index_sequence_for<Args...>{}) == diag_detail::SlotsOf(format).choices,
        "a Choice goes exactly where the note row has a {select:...}");
    notes.push_back(diag_detail::FormatRow(format, path, args...));
    return *this;
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
    static_assert(diag_detail::ChoiceBits<Args...>(std::index_sequence_for<Args...>{}) ==
                      diag_detail::SlotsOf(info.format).choices,
                  "a Choice goes exactly where the catalogue row has a {select:...}");
    std::string message = diag_detail::FormatRow(info.format, path, args...);
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

// --- Printing the stream of findings ----------------------------------------------------

/// A printer of findings. Text, JSON and SARIF (cli/printers.h), the language server's
/// publications (cli/lsp/features.h) and the Python module's Diagnostic objects are each one:
/// they are given the one stream of findings, in order, each with its source file when it
/// is known, then Finish.
class DiagnosticPrinter {
 public:
  virtual ~DiagnosticPrinter() = default;
  virtual void Print(const Diagnostic& d, const SourceFile* source) = 0;
  virtual void Finish() {}
};

/// Gives `printer` every diagnostic with its source (`source_of` may answer nullptr), then
/// finishes it.
void PrintAll(const std::vector<Diagnostic>& diags,
              const std::function<const SourceFile*(const std::string&)>& source_of, DiagnosticPrinter& printer);

/// "error", "warning" or "note".
const char* SeverityName(Severity s);

/// A finding as one text, for formats with one message field (SARIF, the language server):
/// the data path in front, the notes on lines of their own.
std::string FullMessage(const Diagnostic& d);

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

/// The text printer: Render() of each finding onto a stream.
class TextPrinter : public DiagnosticPrinter {
 public:
  TextPrinter(std::ostream& out, RenderOptions options) : out_(out), options_(options) {}
  void Print(const Diagnostic& d, const SourceFile* source) override;

 private:
  std::ostream& out_;
  RenderOptions options_;
};

/// The closest of `candidates` to `word`, for a did-you-mean (empty if none is close).
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace xmc
