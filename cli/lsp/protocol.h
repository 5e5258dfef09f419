// The protocol layer of xmc lsp: JSON-RPC framing over stdin and stdout, positions in
// UTF-16 code units (xmc's own columns are bytes), file URIs, and the messages the server
// sends (replies, errors, published findings).
#pragma once

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/base/source.h"

namespace xmc::cli::lsp {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// JSON-RPC error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kServerNotInitialized = -32002;

/// The message framing of the protocol: a header with Content-Length, a blank line, the
/// JSON body. Reads from a descriptor with a deadline, so that the server can run its
/// debounced checks while the editor is quiet.
class Transport {
 public:
  enum class Status { kMessage, kTimeout, kEnd, kBadHeader, kWatch };

  /// A descriptor to wait on besides stdin (inotify): Read returns kWatch when it is readable.
  void Watch(int fd) { watch_fd_ = fd; }

  Status Read(std::string* body, std::optional<Clock::time_point> deadline) {
    for (;;) {
      size_t header_end = buffer_.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        std::optional<size_t> length;
        size_t pos = 0;
        while (pos < header_end) {
          size_t eol = buffer_.find("\r\n", pos);
          std::string line = buffer_.substr(pos, eol - pos);
          pos = eol + 2;
          static const std::string kKey = "content-length:";
          std::string lower;
          for (char c : line.substr(0, kKey.size())) lower += static_cast<char>(std::tolower(c));
          if (lower == kKey) {
            std::string digits = line.substr(kKey.size());
            size_t n = 0;
            bool ok = false;
            for (char c : digits) {
              if (c == ' ' || c == '\t') continue;
              if (c < '0' || c > '9' || n > (size_t{1} << 28)) {
                ok = false;
                break;
              }
              n = n * 10 + static_cast<size_t>(c - '0');
              ok = true;
            }
            if (ok) length = n;
          }
        }
        if (!length) {
          buffer_.erase(0, header_end + 4);  // skip it: the next header may be good
          return Status::kBadHeader;
        }
        if (buffer_.size() >= header_end + 4 + *length) {
          *body = buffer_.substr(header_end + 4, *length);
          buffer_.erase(0, header_end + 4 + *length);
          return Status::kMessage;
        }
      } else if (buffer_.size() > (size_t{1} << 16) && buffer_.find("\r\n\r\n") == std::string::npos) {
        buffer_.clear();  // no header ends in 64 KiB of text: garbage
        return Status::kBadHeader;
      }
      int timeout = -1;
      if (deadline) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
        if (left <= 0) return Status::kTimeout;
        timeout = static_cast<int>(left);
      }
      pollfd p[2] = {{0, POLLIN, 0}, {watch_fd_, POLLIN, 0}};
      int n = ::poll(p, watch_fd_ >= 0 ? 2 : 1, timeout);
      if (n < 0 && errno == EINTR) continue;
      if (n == 0) return Status::kTimeout;
      if (watch_fd_ >= 0 && (p[1].revents & POLLIN) != 0 && (p[0].revents & (POLLIN | POLLHUP)) == 0) {
        return Status::kWatch;
      }
      char chunk[65536];
      ssize_t got = ::read(0, chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return Status::kEnd;
      buffer_.append(chunk, static_cast<size_t>(got));
    }
  }

  static void Write(const Json& message) {
    std::string body = message.dump(-1, ' ', false, Json::error_handler_t::replace);
    std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    const char* p = out.data();
    size_t left = out.size();
    while (left > 0) {
      ssize_t n = ::write(1, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // the editor is gone; the next read ends the session
      p += n;
      left -= static_cast<size_t>(n);
    }
  }

 private:
  std::string buffer_;
  int watch_fd_ = -1;
};

/// The UTF-16 code units of the first `bytes` bytes of `line` (an invalid byte counts
/// as one unit, as editors show it as one replacement character).
uint32_t Utf16Units(std::string_view line, size_t bytes);

/// The byte offset in `line` of UTF-16 position `units` (clamped to the line).
size_t ByteOffset(std::string_view line, uint32_t units);

/// The path of a file: URI, percent-decoded; "" for other schemes.
std::string PathOfUri(const std::string& uri);

/// The LSP position of byte column `byte_column` (1-based) of line `line` of `source`.
Json Position(const SourceFile& source, uint32_t line, uint32_t byte_column);
/// The file: URI of a path.
std::string UriFor(const std::string& path);

/// Sends the findings of `uri` (computed for `version` of an open document).
void Send(const std::string& uri, const Json& diagnostics, std::optional<int64_t> version);
void Reply(const Json& id, const Json& result);
void Error(const Json& id, int code, const std::string& message);

}  // namespace xmc::cli::lsp
