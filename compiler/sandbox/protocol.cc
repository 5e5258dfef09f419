#include "compiler/sandbox/protocol.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <nlohmann/json.hpp>

#include "compiler/base/json_shape.h"
#include "compiler/host/host.h"

namespace xmc::sandbox {
namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

const char* const kKindNames[] = {"timeout", "crashed", "memory", "malformed", "internal"};

std::optional<std::string> Wire(const Json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return std::nullopt;
  return FromLatin1Utf8(j[key].get<std::string>());
}

}  // namespace

WriteStatus WriteFrameBy(int fd, char type, std::string_view payload,
                         std::optional<std::chrono::steady_clock::time_point> deadline) {
  if (payload.size() + 1 > kMaxFrame) return WriteStatus::kError;
  auto n = static_cast<uint32_t>(payload.size() + 1);
  std::string head{static_cast<char>(n & 0xff), static_cast<char>((n >> 8) & 0xff), static_cast<char>((n >> 16) & 0xff),
                   static_cast<char>((n >> 24) & 0xff), type};
  for (std::string_view part : {std::string_view(head), payload}) {
    while (!part.empty()) {
      ssize_t w = deadline ? ::send(fd, part.data(), part.size(), MSG_DONTWAIT | MSG_NOSIGNAL)
                           : ::write(fd, part.data(), part.size());
      if (w < 0 && errno == EINTR) continue;
      if (w < 0 && deadline && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return WriteStatus::kTimeout;
        pollfd p{fd, POLLOUT, 0};
        int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready == 0) return WriteStatus::kTimeout;
        if (ready < 0 && errno != EINTR) return WriteStatus::kError;
        continue;
      }
      if (w <= 0) return WriteStatus::kError;
      part.remove_prefix(static_cast<size_t>(w));
    }
  }
  return WriteStatus::kDone;
}

bool WriteFrame(int fd, char type, std::string_view payload) {
  return WriteFrameBy(fd, type, payload, std::nullopt) == WriteStatus::kDone;
}

std::optional<Frame> TakeFrame(std::string* buffer, bool* bad) {
  *bad = false;
  if (buffer->size() < 4) return std::nullopt;
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>((*buffer)[i])); };
  uint32_t n = b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24);
  if (n == 0 || n > kMaxFrame) {
    *bad = true;
    return std::nullopt;
  }
  if (buffer->size() < 4 + size_t{n}) return std::nullopt;
  Frame f;
  f.type = (*buffer)[4];
  f.payload = buffer->substr(5, n - 1);
  buffer->erase(0, 4 + size_t{n});
  return f;
}

FrameReader::Status FrameReader::Read(Frame* frame, std::optional<Clock::time_point> deadline) {
  for (;;) {
    bool bad = false;
    if (auto f = TakeFrame(&buffer_, &bad)) {
      *frame = std::move(*f);
      return Status::kFrame;
    }
    if (bad) return Status::kBad;
    int timeout_ms = -1;
    if (deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
      if (left <= 0) return Status::kTimeout;
      timeout_ms = static_cast<int>(std::min<int64_t>(left + 1, 1 << 30));
    }
    struct pollfd p {
      fd_, POLLIN, 0
    };
    int rc = ::poll(&p, 1, timeout_ms);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0) return Status::kError;
    if (rc == 0) continue;  // the deadline is checked above
    char chunk[65536];
    ssize_t r = ::read(fd_, chunk, sizeof chunk);
    if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (r < 0) return Status::kError;
    if (r == 0) return buffer_.empty() ? Status::kEof : Status::kBad;
    buffer_.append(chunk, static_cast<size_t>(r));
  }
}

std::string EncodeEvalRequest(const EvalRequest& r) {
  Json vars = Json::array();
  for (const auto& [k, v] : r.options.script_vars) vars.push_back({ToLatin1Utf8(k), ToLatin1Utf8(v)});
  Json j{{"path", ToLatin1Utf8(r.path)},
         {"text", ToLatin1Utf8(r.text)},
         {"vars", vars},
         {"xm_file", ToLatin1Utf8(r.options.xm_file)},
         {"xm_help", r.options.xm_help},
         {"timeout", r.options.timeout_seconds},
         {"memory_mib", r.options.memory_mib},
         {"trusted", r.options.trusted}};
  return j.dump();
}

std::optional<EvalRequest> DecodeEvalRequest(const std::string& json) {
  Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  EvalRequest r;
  auto path = Wire(j, "path"), text = Wire(j, "text"), xm_file = Wire(j, "xm_file");
  if (!path || !text || !xm_file || !j.contains("vars") || !j["vars"].is_array()) return std::nullopt;
  r.path = *path;
  r.text = *text;
  r.options.xm_file = *xm_file;
  for (const Json& kv : j["vars"]) {
    if (!kv.is_array() || kv.size() != 2 || !kv[0].is_string() || !kv[1].is_string()) return std::nullopt;
    auto k = FromLatin1Utf8(kv[0].get<std::string>()), v = FromLatin1Utf8(kv[1].get<std::string>());
    if (!k || !v) return std::nullopt;
    r.options.script_vars.emplace_back(*k, *v);
  }
  if (!j.value("xm_help", Json()).is_boolean() || !j.value("timeout", Json()).is_number() ||
      !j.value("memory_mib", Json()).is_number_unsigned() || !j.value("trusted", Json()).is_boolean()) {
    return std::nullopt;
  }
  r.options.xm_help = j["xm_help"].get<bool>();
  r.options.timeout_seconds = j["timeout"].get<double>();
  if (!std::isfinite(r.options.timeout_seconds) || r.options.timeout_seconds < 0) return std::nullopt;
  r.options.memory_mib = j["memory_mib"].get<uint64_t>();
  r.options.trusted = j["trusted"].get<bool>();
  return r;
}

std::string EncodeFailure(const Failure& f) {
  return Json{{"kind", kKindNames[static_cast<int>(f.kind)]}, {"detail", ToLatin1Utf8(f.detail)}, {"line", f.line}}
      .dump();
}

std::optional<Failure> DecodeFailure(const std::string& json) {
  if (!JsonShapeProblem(json).empty()) return std::nullopt;  // a child's: bounded before parsing
  Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("kind") || !j["kind"].is_string() || !j.contains("line") ||
      !j["line"].is_number_unsigned()) {
    return std::nullopt;
  }
  auto detail = Wire(j, "detail");
  if (!detail) return std::nullopt;
  Failure f;
  f.detail = *detail;
  uint64_t line = j["line"].get<uint64_t>();
  f.line = line > UINT32_MAX ? 0 : static_cast<uint32_t>(line);
  std::string kind = j["kind"].get<std::string>();
  for (size_t i = 0; i < std::size(kKindNames); ++i) {
    if (kind == kKindNames[i]) {
      f.kind = static_cast<Failure::Kind>(i);
      return f;
    }
  }
  return std::nullopt;
}

uint32_t TracebackLine(std::string_view trace, std::string_view path) {
  std::string needle = "File \"" + std::string(path) + "\", line ";
  size_t at = trace.find(needle);
  if (at == std::string_view::npos) return 0;
  uint64_t line = 0;
  for (size_t i = at + needle.size(); i < trace.size() && trace[i] >= '0' && trace[i] <= '9'; ++i) {
    line = line * 10 + static_cast<uint64_t>(trace[i] - '0');
    if (line > UINT32_MAX) return 0;
  }
  return static_cast<uint32_t>(line);
}

namespace {

struct Capability {
  const char* what;
  std::vector<std::string_view> calls;
};
const Capability kCapabilities[] = {
    {"start a process", {"fork", "vfork", "clone", "clone3", "execve", "execveat"}},
    {"use the network",
     {"socket", "socketpair", "connect", "bind", "listen", "accept", "accept4", "sendto", "sendmsg", "recvfrom",
      "recvmsg"}},
    {"use the file system itself",
     {"open",       "openat",    "openat2",     "creat",      "unlink",     "unlinkat", "rename",    "renameat",
      "renameat2",  "mkdir",     "mkdirat",     "rmdir",      "chmod",      "fchmod",   "fchmodat",  "chown",
      "fchown",     "fchownat",  "lchown",      "truncate",   "ftruncate",  "symlink",  "symlinkat", "link",
      "linkat",     "stat",      "lstat",       "fstat",      "newfstatat", "statx",    "access",    "faccessat",
      "faccessat2", "readlink",  "readlinkat",  "getdents64", "chdir",      "fchdir",   "getcwd",    "mknod",
      "mknodat",    "utimensat", "fsync",       "dup",        "dup2",       "dup3",     "fcntl",     "ioctl",
      "pipe",       "pipe2",     "memfd_create"}},
    {"signal another process", {"kill", "tgkill", "tkill", "rt_sigqueueinfo", "pidfd_open", "pidfd_send_signal"}},
    {"write to a descriptor other than its own result (xmc's output, say)",
     {"write", "writev", "pwrite64", "pwritev", "sendfile", "splice"}},
    {"close a descriptor of its own result or of xmc's output", {"close", "close_range"}},
    {"set a timer", {"setitimer", "alarm", "timer_create", "timerfd_create"}},
    {"look into other processes", {"ptrace", "process_vm_readv", "process_vm_writev"}},
    {"change its limits or identity",
     {"setrlimit", "prlimit64", "setuid", "setgid", "setresuid", "setresgid", "setgroups", "prctl", "seccomp",
      "unshare", "setns", "setsid", "setpgid"}},
};

}  // namespace

void AddDenied(const std::vector<std::string>& calls, const std::string& file, Diagnostics* diags) {
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // what -> calls, in order seen
  for (const std::string& call : calls) {
    std::string what = "make the system call '" + call + "'";
    for (const Capability& c : kCapabilities) {
      if (std::find(c.calls.begin(), c.calls.end(), call) != c.calls.end()) what = c.what;
    }
    auto g = std::find_if(groups.begin(), groups.end(), [&](const auto& e) { return e.first == what; });
    if (g == groups.end()) {
      groups.push_back({what, {}});
      g = groups.end() - 1;
    }
    if (std::find(g->second.begin(), g->second.end(), call) == g->second.end()) g->second.push_back(call);
  }
  for (const auto& [what, names] : groups) {
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    diags->Add<DiagId::kSandboxDenied>(file, Span{}, "", what, list);
  }
}

namespace {

/// The columns of the first character of a line that holds code; nullopt for a blank
/// line or a comment. A tab counts to the next multiple of 8, as in Python.
std::optional<std::pair<size_t, size_t>> Indent(std::string_view text) {
  size_t width = 0, i = 0;
  for (; i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\f'); ++i) {
    width = text[i] == '\t' ? (width / 8 + 1) * 8 : width + 1;
  }
  if (i == text.size() || text[i] == '#' || text[i] == '\r') return std::nullopt;
  return std::make_pair(width, i);
}

bool IsLoopHeader(std::string_view text) {
  for (std::string_view kw : {"while", "for"}) {
    if (text.substr(0, kw.size()) == kw && text.size() > kw.size() &&
        (text[kw.size()] == ' ' || text[kw.size()] == '\t' || text[kw.size()] == '(')) {
      return true;
    }
  }
  return false;
}

Span Locate(const SourceFile& file, uint32_t line, bool loop) {
  if (line == 0 || line > file.line_count()) return Span{};
  uint32_t at = line;
  if (loop) {
    size_t inner = SIZE_MAX;  // the indentation of the innermost block seen so far
    for (uint32_t l = line; l >= 1; --l) {
      auto ind = Indent(file.Line(l));
      if (!ind || (l != line && ind->first >= inner)) continue;
      if (IsLoopHeader(file.Line(l).substr(ind->second))) {
        at = l;
        break;
      }
      inner = ind->first;
      if (inner == 0) break;
    }
  }
  auto ind = Indent(file.Line(at));
  auto column = static_cast<uint32_t>(ind ? ind->second + 1 : 1);
  return Span{at, column, 0};
}

}  // namespace

void AddFailure(const Failure& f, const SourceFile& source, const EvalOptions& options, Diagnostics* diags) {
  const std::string& file = source.path();
  Span span = Locate(source, f.line, f.kind == Failure::Kind::kTimeout);
  switch (f.kind) {
    case Failure::Kind::kTimeout:
      diags->Add<DiagId::kEvalTimeout>(file, span, "", fmt::format("{:g}", options.timeout_seconds));
      return;
    case Failure::Kind::kMemory: diags->Add<DiagId::kEvalMemory>(file, span, "", options.memory_mib); return;
    case Failure::Kind::kCrashed: diags->Add<DiagId::kEvalCrashed>(file, span, "", f.detail); return;
    case Failure::Kind::kMalformed:
      diags->Add<DiagId::kPythonInternal>(file, span, "", "malformed result from the evaluator: " + f.detail);
      return;
    case Failure::Kind::kInternal: diags->Add<DiagId::kPythonInternal>(file, span, "", f.detail); return;
  }
}

}  // namespace xmc::sandbox
