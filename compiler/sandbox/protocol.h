// The messages between xmc, the evaluator worker (xmc-eval) and the worker's sandboxed
// children. A frame is a 4-byte little-endian length, a type byte and a payload of that
// length less one; every payload is JSON text, except 'D' (a system call's number, 4 bytes
// little-endian, from a child; its name, from the worker) and 'Z' (empty). Nothing a child sends is trusted: frames are
// bounded, and the decoders here and DecodeEvaluation turn anything else into an error.
//
//   xmc -> worker   'E' EvalRequest           worker -> xmc   'H' a child's Host request
//   xmc -> worker   'A' the Host's reply                      'R' the child's result
//                                                             'F' Failure (no result)
//                                                             'D' a call the child was refused
//                                                             'Z' ready (once, first)
//   child -> worker 'H' / 'R' / 'D'           worker -> child 'E' its config, then 'A'
//
// A new worker first asks its own 'H' questions (what every config gets), then says 'Z';
// xmc sends no 'E' before that, so the zygote the worker forks meanwhile holds no config
// (cli/eval_worker.cc).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/frontend/frontend.h"

namespace xmc::sandbox {

/// The largest frame accepted (the result of a config, a file a config reads).
inline constexpr size_t kMaxFrame = size_t{48} << 20;

struct Frame {
  char type = 0;
  std::string payload;
};

/// Writes one frame, whole (EINTR and short writes handled); false on an error.
bool WriteFrame(int fd, char type, std::string_view payload);

/// Writes one frame, whole, by `deadline` (then `fd` must be a socket; nullopt: without
/// end, as WriteFrame): kTimeout when the reader has not taken it all by then (a child that
/// asked and does not read its answer), so the writer's own time limit still holds.
enum class WriteStatus { kDone, kError, kTimeout };
WriteStatus WriteFrameBy(int fd, char type, std::string_view payload,
                         std::optional<std::chrono::steady_clock::time_point> deadline);

/// Takes the first whole frame off the front of `buffer`. nullopt when it holds no whole
/// frame yet; sets `bad` when it starts with something that cannot be a frame.
std::optional<Frame> TakeFrame(std::string* buffer, bool* bad);

/// Reads frames from a descriptor, waiting at most until a deadline.
class FrameReader {
 public:
  enum class Status { kFrame, kEof, kError, kBad, kTimeout };
  explicit FrameReader(int fd) : fd_(fd) {}
  /// The next frame; `deadline` nullopt waits without end.
  Status Read(Frame* frame, std::optional<std::chrono::steady_clock::time_point> deadline);
  int fd() const { return fd_; }

 private:
  int fd_;
  std::string buffer_;
};

/// What xmc asks the worker to evaluate.
struct EvalRequest {
  std::string path;
  std::string text;
  EvalOptions options;  // script_vars, xm_file, xm_help, timeout_seconds, memory_mib, trusted
};
std::string EncodeEvalRequest(const EvalRequest& request);
std::optional<EvalRequest> DecodeEvalRequest(const std::string& json);

/// Why a child gave no result.
struct Failure {
  enum class Kind { kTimeout, kCrashed, kMemory, kMalformed, kInternal };
  Kind kind = Kind::kInternal;
  std::string detail;  ///< "signal SIGSEGV", "exit status 3", ...
  uint32_t line = 0;   ///< where the child said it was (0: unknown)
};
std::string EncodeFailure(const Failure& failure);
std::optional<Failure> DecodeFailure(const std::string& json);

/// The innermost line of `path` in a Python traceback as faulthandler writes it
/// (most recent call first); 0 if there is none.
uint32_t TracebackLine(std::string_view trace, std::string_view path);

/// The diagnostics for the system calls a child was refused (names as the worker sent
/// them): one per kind of capability, naming the calls.
void AddDenied(const std::vector<std::string>& calls, const std::string& file, Diagnostics* diags);

/// Turns a failure into the diagnostic on `file`, at the line the child was on: for a time
/// limit, the innermost loop around it (the loop that did not end).
void AddFailure(const Failure& failure, const SourceFile& file, const EvalOptions& options, Diagnostics* diags);

}  // namespace xmc::sandbox
