#include "compiler/base/diagnostics.h"

#include <algorithm>
#include <utility>

#include "compiler/base/strings.h"

namespace xmc {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "?";
}

std::string FullMessage(const Diagnostic& d) {
  std::string text = d.path.empty() ? d.message : d.path + ": " + d.message;
  for (const std::string& note : d.notes) text += "\n" + note;
  return text;
}

void PrintAll(const std::vector<Diagnostic>& diags,
              const std::function<const SourceFile*(const std::string&)>& source_of, DiagnosticPrinter& printer) {
  for (const Diagnostic& d : diags) printer.Print(d, source_of ? source_of(d.file) : nullptr);
  printer.Finish();
}

void TextPrinter::Print(const Diagnostic& d, const SourceFile* source) { out_ << Render(d, source, options_); }

namespace {

const char* SeverityColor(Severity s) {
  switch (s) {
    case Severity::kError: return "\033[1;31m";
    case Severity::kWarning: return "\033[1;35m";
    case Severity::kNote: return "\033[1;36m";
  }
  return "";
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      // Adjacent transposition counts as one edit ("memroy" -> "memory").
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev[j - 1]);  // approximation of Damerau distance
      }
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::vector<DiagInfo> AllDiagInfos() {
  return {std::begin(diag_detail::kCatalogue), std::end(diag_detail::kCatalogue)};
}

std::vector<std::string_view> AllNoteFormats() {
  return {std::begin(diag_detail::kNoteCatalogue), std::end(diag_detail::kNoteCatalogue)};
}

namespace {

/// The alternatives of the select starting at `format[at]` and the index of its closing brace.
std::vector<std::string_view> Alternatives(std::string_view format, size_t at, size_t* close) {
  std::vector<std::string_view> alts;
  size_t start = at + diag_detail::kSelect.size(), i = start;
  for (; i < format.size() && format[i] != '}'; ++i) {
    if (format[i] == '{' && i + 1 < format.size() && format[i + 1] == '}') {
      ++i;
    } else if (format[i] == '|') {
      alts.push_back(format.substr(start, i - start));
      start = i + 1;
    }
  }
  alts.push_back(format.substr(start, i - start));
  *close = i;
  return alts;
}

}  // namespace

namespace diag_detail {

std::string Expand(std::string_view format, const std::vector<size_t>& choices) {
  std::string out;
  size_t arg = 0, choice = 0;
  auto number = [&](std::string_view text, bool keep) {
    for (size_t k = 0; k < text.size(); ++k) {
      if (text.substr(k, 2) == "{}") {
        if (keep) out += "{" + std::to_string(arg) + "}";
        ++arg;
        ++k;
      } else if (keep) {
        out += text[k];
      }
    }
  };
  for (size_t i = 0; i < format.size(); ++i) {
    if (format.substr(i, 2) == "{{" || format.substr(i, 2) == "}}") {
      out += format.substr(i, 2);
      ++i;
    } else if (format.substr(i, kSelect.size()) == kSelect) {
      size_t close = 0;
      std::vector<std::string_view> alts = Alternatives(format, i, &close);
      size_t chosen = choice < choices.size() ? choices[choice] : 0;
      ++choice;
      for (size_t a = 0; a < alts.size(); ++a) number(alts[a], a == chosen);
      i = close;
    } else if (format.substr(i, 2) == "{}") {
      number(format.substr(i, 2), true);
      ++i;
    } else {
      out += format[i];
    }
  }
  return out;
}

}  // namespace diag_detail

std::string ReadableFormat(std::string_view format) {
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format.substr(i, diag_detail::kSelect.size()) == diag_detail::kSelect) {
      size_t close = 0;
      std::string joined;
      for (std::string_view alt : Alternatives(format, i, &close)) {
        if (!alt.empty()) joined += (joined.empty() ? "" : " | ") + std::string(alt);
      }
      out += "[" + joined + "]";
      i = close;
    } else {
      out += format[i];
    }
  }
  return out;
}

Diagnostic& Diagnostic::Suggest(std::string_view written, std::string_view suggestion) {
  if (suggestion.empty()) return *this;
  Fix(written, suggestion);
  return AddNote<NoteId::kDidYouMean>(std::string(suggestion));
}

bool NamesPath(DiagId id) { return InfoOf(id).format.find("{path}") != std::string_view::npos; }

Diagnostic& Diagnostics::Push(Diagnostic d) {
  if (limit_ > 0) {
    Cut& cut = cuts_[d.file];
    if (cut.kept >= limit_) {
      ++cut.dropped;
      cut.errors += d.severity == Severity::kError;
      cut.warnings += d.severity == Severity::kWarning;
      cut.xm_fatal = cut.xm_fatal || d.xm_fatal();
      dropped_ = std::move(d);  // the caller may still add notes to it
      return dropped_;
    }
    ++cut.kept;
  }
  all_.push_back(std::move(d));
  return all_.back();
}

void Diagnostics::AddCutSummaries() {
  // Without a limit Push leaves cuts_ alone, and the summaries are always kept.
  size_t limit = std::exchange(limit_, 0);
  for (auto& [file, cut] : cuts_) {
    if (cut.dropped > 0) Add<DiagId::kDiagnosticsCut>(file, Span{}, "", cut.dropped, cut.errors, cut.warnings, limit);
    cut.kept = 0;  // what comes after the summary (create's launch findings) is kept again
  }
  limit_ = limit;
}

size_t Diagnostics::CutErrors() const {
  size_t n = 0;
  for (const auto& [file, cut] : cuts_) n += cut.errors;
  return n;
}

size_t Diagnostics::CutWarnings() const {
  size_t n = 0;
  for (const auto& [file, cut] : cuts_) n += cut.warnings;
  return n;
}

size_t Diagnostics::ErrorCount() const {
  return CutErrors() +
         std::count_if(all_.begin(), all_.end(), [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

size_t Diagnostics::WarningCount() const {
  return CutWarnings() +
         std::count_if(all_.begin(), all_.end(), [](const Diagnostic& d) { return d.severity == Severity::kWarning; });
}

bool Diagnostics::HasXmFatal() const {
  return std::any_of(all_.begin(), all_.end(), [](const Diagnostic& d) { return d.xm_fatal(); }) ||
         std::any_of(cuts_.begin(), cuts_.end(), [](const auto& c) { return c.second.xm_fatal; });
}

void Diagnostics::Append(const Diagnostics& other) {
  for (const Diagnostic& d : other.all_) Push(d);
  for (const auto& [file, cut] : other.cuts_) {
    Cut& mine = cuts_[file];
    mine.dropped += cut.dropped;
    mine.errors += cut.errors;
    mine.warnings += cut.warnings;
    mine.xm_fatal = mine.xm_fatal || cut.xm_fatal;
  }
}

void Diagnostics::Sort() {
  std::stable_sort(all_.begin(), all_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.file != b.file) return a.file < b.file;
    if (a.span.line != b.span.line) return a.span.line < b.span.line;
    return a.span.column < b.span.column;
  });
}

std::pair<std::string, std::string> EchoLine(std::string_view line, uint32_t column, uint32_t end_column) {
  // The window: kEchoWidth bytes, starting a little before the column on a long line.
  size_t col = column - 1;
  size_t start = line.size() <= kEchoWidth || col < kEchoWidth / 3 ? 0 : col - kEchoWidth / 3;
  while (start > 0 && start < line.size() && (static_cast<unsigned char>(line[start]) & 0xc0) == 0x80) --start;
  size_t stop = std::min(line.size(), start + kEchoWidth);
  while (stop < line.size() && (static_cast<unsigned char>(line[stop]) & 0xc0) == 0x80) ++stop;
  size_t end = end_column > column ? end_column - 1 : col + 1;
  std::string echo = start > 0 ? "..." : "", caret = start > 0 ? "   " : "";
  for (size_t i = start; i < stop;) {
    // One unit: a UTF-8 character (shown as it is), a tab, or an escaped byte.
    size_t n = 1;
    auto c = static_cast<unsigned char>(line[i]);
    if (c >= 0xc2 && c <= 0xf4) {
      size_t want = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      std::string_view unit = line.substr(i, want);
      if (unit.size() == want && EscapeForDisplay(unit) == unit) n = want;
    }
    std::string shown = c == '\t' ? std::string("\t") : EscapeForDisplay(line.substr(i, n));
    size_t width = c == '\t' ? 1 : n > 1 ? 1 : shown.size();
    echo += shown;
    char mark = i < col ? ' ' : i == col ? '^' : i < end ? '~' : 0;
    if (mark != 0) caret += c == '\t' && mark == ' ' ? std::string("\t") : std::string(width, mark);
    if (mark == '^' && width > 1) caret.replace(caret.size() - width + 1, width - 1, std::string(width - 1, '~'));
    i += n;
  }
  if (col >= stop && col <= line.size()) caret += '^';  // just past the end of the line
  if (stop < line.size()) echo += "...";
  while (!caret.empty() && caret.back() == ' ') caret.pop_back();
  return {echo, caret};
}

std::string Render(const Diagnostic& d, const SourceFile* source, const RenderOptions& options) {
  return Render(d, source != nullptr && d.span.valid() ? source->Line(d.span.line) : std::string_view(), options);
}

std::string Render(const Diagnostic& d, std::string_view line, const RenderOptions& options) {
  std::string out;
  const char* bold = options.color ? "\033[1m" : "";
  const char* reset = options.color ? "\033[0m" : "";
  out += bold;
  out += d.file.empty() ? std::string("xmc") : EscapeForDisplay(d.file);
  if (d.span.valid()) out += fmt::format(":{}:{}", d.span.line, d.span.column);
  out += ": ";
  out += reset;
  if (options.color) out += SeverityColor(d.severity);
  out += SeverityName(d.severity);
  out += ":";
  out += reset;
  out += " ";
  if (!d.path.empty() && !NamesPath(d.id)) out += EscapeForDisplay(d.path) + ": ";
  out += EscapeForDisplay(d.message);
  out += fmt::format(" [{}]\n", InfoOf(d.id).id);
  if (!line.empty() && d.span.valid()) {
    auto [echo, caret] = EchoLine(line, std::max<uint32_t>(d.span.column, 1), d.span.end_column);
    out += echo;
    out += "\n";
    if (options.color) out += "\033[1;32m";
    out += caret;
    out += reset;
    out += "\n";
  }
  for (const std::string& note : d.notes) {
    out += fmt::format("{}note: {}{}\n", bold, reset, EscapeForDisplay(note));
  }
  return out;
}

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::string::npos;
  for (const std::string& c : candidates) {
    size_t dist = EditDistance(word, c);
    // Also catch a dropped or added plural 's' and prefix-style near misses.
    if (dist < best_distance) {
      best_distance = dist;
      best = c;
    }
  }
  // Small for the length: one edit up to 5 letters ('spice' is not 'apic'), two up to 9.
  size_t limit = word.size() <= 5 ? 1 : (word.size() <= 9 ? 2 : 3);
  if (best.empty() || best_distance > limit) return {};
  return best;
}

}  // namespace xmc
