// Source text and positions. A SourceFile owns the bytes of one config file and maps
// 1-based line numbers to their text; a Span names a place in it. Columns are 1-based
// byte offsets, the convention of both front ends (Python's col_offset + 1).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace xmc {

/// A place in a source file: line and columns are 1-based; line 0 means "no place".
struct Span {
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t end_column = 0;  ///< one past the last byte on the same line; 0 if unknown

  bool valid() const { return line != 0; }
  /// The span shifted by `offset` bytes to the right and `length` wide (for spec strings).
  Span Sub(uint32_t offset, uint32_t length) const;
  bool operator==(const Span&) const = default;
};

/// The bytes of one file plus a line index.
class SourceFile {
 public:
  SourceFile() = default;
  SourceFile(std::string path, std::string text);

  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  /// The text of `line` (1-based) without its newline; empty when out of range.
  std::string_view Line(uint32_t line) const;
  uint32_t line_count() const { return static_cast<uint32_t>(line_starts_.size()); }
  /// The span of byte offset `offset` in the text.
  Span SpanAt(size_t offset, size_t length = 1) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<size_t> line_starts_;
};

}  // namespace xmc
