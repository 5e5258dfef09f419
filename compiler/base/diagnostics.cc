#include "compiler/base/diagnostics.h"

#include <algorithm>

namespace xmc {
namespace {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "?";
}

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

bool NamesPath(DiagId id) { return InfoOf(id).format.find("{path}") != std::string_view::npos; }

Diagnostic& Diagnostics::Push(Diagnostic d) {
  all_.push_back(std::move(d));
  return all_.back();
}

size_t Diagnostics::ErrorCount() const {
  return std::count_if(all_.begin(), all_.end(), [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

size_t Diagnostics::WarningCount() const {
  return std::count_if(all_.begin(), all_.end(), [](const Diagnostic& d) { return d.severity == Severity::kWarning; });
}

bool Diagnostics::HasXmFatal() const {
  return std::any_of(all_.begin(), all_.end(), [](const Diagnostic& d) { return d.xm_fatal(); });
}

void Diagnostics::Append(const Diagnostics& other) { all_.insert(all_.end(), other.all_.begin(), other.all_.end()); }

void Diagnostics::Sort() {
  std::stable_sort(all_.begin(), all_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.file != b.file) return a.file < b.file;
    if (a.span.line != b.span.line) return a.span.line < b.span.line;
    return a.span.column < b.span.column;
  });
}

std::string Render(const Diagnostic& d, const SourceFile* source, const RenderOptions& options) {
  std::string out;
  const char* bold = options.color ? "\033[1m" : "";
  const char* reset = options.color ? "\033[0m" : "";
  out += bold;
  out += d.file.empty() ? std::string("xmc") : d.file;
  if (d.span.valid()) out += fmt::format(":{}:{}", d.span.line, d.span.column);
  out += ": ";
  out += reset;
  if (options.color) out += SeverityColor(d.severity);
  out += SeverityName(d.severity);
  out += ":";
  out += reset;
  out += " ";
  if (!d.path.empty() && !NamesPath(d.id)) out += d.path + ": ";
  out += d.message;
  out += fmt::format(" [{}]\n", InfoOf(d.id).id);
  if (source != nullptr && d.span.valid()) {
    std::string_view line = source->Line(d.span.line);
    if (!line.empty()) {
      out += line;
      out += "\n";
      std::string caret;
      uint32_t col = std::max<uint32_t>(d.span.column, 1);
      for (uint32_t i = 1; i < col && i - 1 < line.size(); ++i) {
        caret += line[i - 1] == '\t' ? '\t' : ' ';
      }
      caret += '^';
      uint32_t end = d.span.end_column;
      if (end > line.size() + 1) end = static_cast<uint32_t>(line.size() + 1);
      for (uint32_t i = col + 1; i < end; ++i) caret += '~';
      if (options.color) out += "\033[1;32m";
      out += caret;
      out += reset;
      out += "\n";
    }
  }
  for (const std::string& note : d.notes) {
    out += fmt::format("{}note: {}{}\n", bold, reset, note);
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
