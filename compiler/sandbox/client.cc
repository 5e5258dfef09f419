#include "compiler/sandbox/client.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "compiler/host/host.h"
#include "compiler/sandbox/confine.h"

namespace xmc::sandbox {
namespace {

using Clock = std::chrono::steady_clock;

bool IsExecutable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

}  // namespace

std::string FindWorker() {
  std::vector<char> buf(4096);
  ssize_t n = ::readlink("/proc/self/exe", buf.data(), buf.size() - 1);
  if (n <= 0) return "";
  std::string self(buf.data(), static_cast<size_t>(n));
  std::string dir = self.substr(0, self.rfind('/'));
  for (const std::string& candidate : {dir + "/xmc-eval", dir + "/../libexec/xmc/xmc-eval"}) {
    if (IsExecutable(candidate)) return candidate;
  }
  return "";
}

bool SandboxedPython::Start(const Host& asked, std::optional<std::chrono::steady_clock::time_point> deadline,
                            std::string* error) {
  if (worker_.empty()) worker_ = FindWorker();
  if (worker_.empty()) {
    *error = "the evaluator worker xmc-eval is not installed next to xmc";
    return false;
  }
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    *error = std::string("socketpair: ") + std::strerror(errno);
    return false;
  }
  // The worker's end goes to descriptor 3; first away from the low numbers.
  int theirs = ::fcntl(sv[1], F_DUPFD_CLOEXEC, 10);
  ::close(sv[1]);
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  ::posix_spawn_file_actions_adddup2(&actions, theirs, 3);
  ::posix_spawn_file_actions_addclosefrom_np(&actions, 4);
  // Nothing of xmc's environment (the interpreter is isolated anyway), except what a
  // sanitizer build needs.
  std::vector<std::string> env_text{"LC_ALL=C.UTF-8"};
  RealHost host;
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    auto v = host.Getenv(name);
    std::string value = v ? *v : "";
    if (kSanitized && std::string(name) == "ASAN_OPTIONS") {
      // The interpreter is not leak-free at exit. A child has no memory limit of its own
      // here (confine.cc): the time limit bounds it.
      // A config whose code crashes its child (a C stack overflow through repr) dies of the
      // signal as in a normal build: ASan's report cannot be written from inside the
      // child's filter, and waiting for it turned the crash into a timeout on a busy machine.
      value += std::string(value.empty() ? "" : ":") + "detect_leaks=0:allocator_may_return_null=1:handle_segv=0";
    }
    if (!value.empty()) env_text.push_back(std::string(name) + "=" + value);
  }
  std::vector<char*> envp;
  for (std::string& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string arg0 = "xmc-eval", arg1 = "--outlive-thread";
  char* argv[] = {arg0.data(), outlive_thread_ ? arg1.data() : nullptr, nullptr};
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, worker_.c_str(), &actions, nullptr, argv, envp.data());
  ::posix_spawn_file_actions_destroy(&actions);
  ::close(theirs);
  if (rc != 0) {
    ::close(sv[0]);
    *error = "cannot start " + worker_ + ": " + std::strerror(rc);
    return false;
  }
  pid_ = pid;
  owner_ = ::getpid();
  fd_ = sv[0];
  reader_.emplace(fd_);
  // The worker prepares what every config gets, asking `asked`, then forks its zygote
  // and says it is ready ('Z'), before it is sent any config.
  for (;;) {
    Frame f;
    if (reader_->Read(&f, deadline) != FrameReader::Status::kFrame || (f.type != 'H' && f.type != 'Z')) {
      Stop();
      *error = "the evaluator worker ended while it started";
      return false;
    }
    if (f.type == 'Z') return true;
    if (!Answer(asked, f.payload)) {
      Stop();
      *error = "the evaluator worker ended while it started";
      return false;
    }
  }
}

bool SandboxedPython::Answer(const Host& asked, const std::string& question) {
  std::string text = AskWire(asked, question);
  if (text.size() + 1 > kMaxFrame) {
    HostReply big;
    big.error = std::strerror(EFBIG);
    big.code = EFBIG;
    text = EncodeReply(big);
  }
  return WriteFrame(fd_, 'A', text);
}

void SandboxedPython::Stop() {
  if (fd_ >= 0) ::close(fd_);  // the worker ends when its socket closes
  fd_ = -1;
  reader_.reset();
  // After a fork of the caller (a Python program's multiprocessing), the worker belongs to
  // the parent: the child only lets go of its copy of the socket.
  if (pid_ > 0 && owner_ == ::getpid()) {
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  pid_ = -1;
}

FrontendResult SandboxedPython::EvaluatePython(const SourceFile& file, const EvalOptions& options, Diagnostics* diags) {
  FrontendResult failed;
  failed.eval.frontend = "python";
  std::string error;
  if (fd_ >= 0 && owner_ != ::getpid()) Stop();  // a forked copy: a worker of its own
  RealHost real;
  const Host& host = options.host ? *options.host : real;
  ConfinedHost confined(host, ReadPolicy{options.own_dirs}, options.pass_env);
  const Host& asked = options.trusted ? host : confined;
  std::optional<Clock::time_point> deadline;
  if (options.timeout_seconds > 0) {
    // The worker keeps the config's time; this only guards against a worker gone wrong
    // (also while it starts).
    deadline = Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(options.timeout_seconds * 1000) + 10000);
  }
  // What every config of this worker gets is asked confined, even for a trusted config
  // (which has the real os anyway): a later config of the same worker may not be trusted.
  if (fd_ < 0 && !Start(confined, deadline, &error)) {
    diags->Add<DiagId::kPythonStart>(file.path(), Span{}, "", error);
    return failed;
  }
  if (options.trusted) diags->Add<DiagId::kUnsandboxed>(file.path(), Span{}, "");
  EvalRequest request{file.path(), file.text(), options};
  bool ok = WriteFrame(fd_, 'E', EncodeEvalRequest(request));
  std::vector<std::string> denied;
  while (ok) {
    Frame f;
    if (reader_->Read(&f, deadline) != FrameReader::Status::kFrame) break;
    if (f.type == 'D') {
      if (denied.size() < 64) denied.push_back(f.payload.substr(0, 64));
      continue;
    }
    if (f.type == 'H') {
      ok = Answer(asked, f.payload);
      continue;
    }
    if (f.type == 'R') {
      FrontendResult result = DecodeEvaluation(f.payload, file, options, diags);
      AddDenied(denied, file.path(), diags);
      return result;
    }
    if (f.type == 'F') {
      AddDenied(denied, file.path(), diags);
      auto failure = DecodeFailure(f.payload);
      if (!failure) failure = Failure{Failure::Kind::kMalformed, "a malformed failure", 0};
      AddFailure(*failure, file, options, diags);
      return failed;
    }
    break;
  }
  Stop();  // a worker that said something else, or nothing, is not used again
  diags->Add<DiagId::kPythonInternal>(file.path(), Span{}, "", "the evaluator worker ended unexpectedly");
  return failed;
}

}  // namespace xmc::sandbox
