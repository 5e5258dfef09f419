#include "cli/lsp/protocol.h"

#include "cli/commands.h"

namespace xmc::cli::lsp {

/// The UTF-16 code units of the first `bytes` bytes of `line` (an invalid byte counts
/// as one unit, as editors show it as one replacement character).
uint32_t Utf16Units(std::string_view line, size_t bytes) {
  uint32_t units = 0;
  size_t i = 0;
  bytes = std::min(bytes, line.size());
  while (i < bytes) {
    auto c = static_cast<unsigned char>(line[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + len > line.size()) len = 1;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(line[i + k]) & 0xc0) != 0x80) len = 1;
    }
    units += len == 4 ? 2 : 1;
    i += len;
  }
  return units;
}

/// The byte offset in `line` of UTF-16 position `units` (clamped to the line).
size_t ByteOffset(std::string_view line, uint32_t units) {
  size_t i = 0;
  uint32_t u = 0;
  while (i < line.size() && u < units) {
    size_t next = i + 1;
    while (next < line.size() && next - i < 4 && (static_cast<unsigned char>(line[next]) & 0xc0) == 0x80) ++next;
    u += Utf16Units(line.substr(i, next - i), next - i);
    i = next;
  }
  return i;
}

/// The path of a file: URI, percent-decoded; "" for other schemes.
std::string PathOfUri(const std::string& uri) {
  static const std::string kScheme = "file://";
  if (uri.compare(0, kScheme.size(), kScheme) != 0) return "";
  std::string path;
  for (size_t i = kScheme.size(); i < uri.size(); ++i) {
    auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
    if (uri[i] == '%' && i + 2 < uri.size() && hex(uri[i + 1]) && hex(uri[i + 2])) {
      path += static_cast<char>(std::stoi(uri.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      path += uri[i];
    }
  }
  return path;
}

Json Position(const SourceFile& source, uint32_t line, uint32_t byte_column) {
  if (line == 0) return {{"line", 0}, {"character", 0}};
  std::string_view text = source.Line(line);
  return {{"line", line - 1}, {"character", Utf16Units(text, byte_column > 0 ? byte_column - 1 : 0)}};
}

std::string UriFor(const std::string& path) { return "file://" + UriOf(path); }

void Send(const std::string& uri, const Json& diagnostics, std::optional<int64_t> version) {
  Json params{{"uri", uri}, {"diagnostics", diagnostics}};
  if (version) params["version"] = *version;
  Transport::Write({{"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"}, {"params", params}});
}

void Reply(const Json& id, const Json& result) {
  Transport::Write({{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
}

void Error(const Json& id, int code, const std::string& message) {
  Transport::Write({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
}

}  // namespace xmc::cli::lsp
