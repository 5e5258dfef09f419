#include "compiler/base/source.h"

#include <algorithm>

namespace xmc {

Span Span::Sub(uint32_t offset, uint32_t length) const {
  if (!valid()) return *this;
  Span s = *this;
  s.column = column + offset;
  s.end_column = s.column + (length == 0 ? 1 : length);
  return s;
}

SourceFile::SourceFile(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n' && i + 1 < text_.size()) line_starts_.push_back(i + 1);
  }
}

std::string_view SourceFile::Line(uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  size_t begin = line_starts_[line - 1];
  size_t end = text_.find('\n', begin);
  if (end == std::string::npos) end = text_.size();
  std::string_view v(text_.data() + begin, end - begin);
  if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
  return v;
}

Span SourceFile::SpanAt(size_t offset, size_t length) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - line_starts_.begin());
  uint32_t col = static_cast<uint32_t>(offset - line_starts_[line - 1]) + 1;
  return Span{line, col, static_cast<uint32_t>(col + (length == 0 ? 1 : length))};
}

}  // namespace xmc
