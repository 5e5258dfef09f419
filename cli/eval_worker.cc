// xmc-eval: the evaluator worker, xmc's fork server for configs with code. xmc starts it
// with a socket on descriptor 3 and sends it one config at a time ('E' frames,
// compiler/sandbox/protocol.h). It starts an isolated interpreter once, loads the
// evaluator, builds what every config gets (asking xmc, which sends nothing else until
// then), and forks a zygote before xmc sends it any config ('Z'): the zygote forks a child
// per config and never sees a config's text, a Host reply to a config or a result. The
// child receives its config over its own channel, gives up its identity, its limits and
// all system calls but those that compute (compiler/sandbox/confine.h), runs the config,
// and asks everything else of the machine through that channel; the worker relays those
// questions to xmc, enforces the wall-clock limit by killing the child, and tells xmc the
// result or how the child ended. So a child's memory is a copy of a process that held no
// input: nothing of one config, not even what is left in freed memory, is there for the
// next.
#include <fcntl.h>
#include <poll.h>
#include <pybind11/embed.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "compiler/frontend/python_host.h"
#include "compiler/host/host.h"
#include "compiler/sandbox/confine.h"
#include "compiler/sandbox/protocol.h"

namespace py = pybind11;
using namespace xmc;
using namespace xmc::sandbox;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kXmc = 3;      // the socket to xmc
constexpr int kChannel = 3;  // in a child: its socket to the worker
constexpr int kTrace = 4;    // in a child: where faulthandler writes

/// A Host whose every question goes over a channel: the child's to the worker (and on to
/// xmc), the worker's own to xmc.
class ChannelHost : public Host {
 public:
  ChannelHost(int fd, FrameReader* reader) : fd_(fd), reader_(reader) {}

  HostReply Ask(const HostRequest& request) const override {
    HostReply none;
    none.error = "no answer from xmc";
    none.code = EIO;
    if (!WriteFrame(fd_, 'H', EncodeRequest(request))) return none;
    Frame f;
    if (reader_->Read(&f, std::nullopt) != FrameReader::Status::kFrame || f.type != 'A') return none;
    auto reply = DecodeReply(f.payload);
    return reply ? *reply : none;
  }

 private:
  int fd_;
  FrameReader* reader_;
};

/// The limits every child shares (the descriptors it keeps).
Limits ChildLimits() {
  Limits limits;
  limits.channel_fd = kChannel;
  limits.trace_fd = kTrace;
  return limits;
}

/// Reads what a child writes to `fd` (non-blocking) until it has been silent for
/// `quiet_ms` after writing something, or `total_ms` passed.
void ReadUntilQuiet(int fd, int quiet_ms, int total_ms, std::string* out) {
  auto end = Clock::now() + std::chrono::milliseconds(total_ms);
  bool got = false;
  while (Clock::now() < end && out->size() < (1 << 20)) {
    pollfd p{fd, POLLIN, 0};
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count());
    int n = ::poll(&p, 1, got ? std::min(quiet_ms, left) : left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    char buf[4096];
    ssize_t r = ::read(fd, buf, sizeof buf);
    if (r <= 0) return;
    out->append(buf, static_cast<size_t>(r));
    got = true;
  }
}

[[noreturn]] void RunChild(int channel, int trace, int devnull) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // with the zygote
  // Descriptors: 0-2 /dev/null, 3 the channel, 4 the traceback pipe, nothing else.
  int c = ::fcntl(channel, F_DUPFD, 10), t = ::fcntl(trace, F_DUPFD, 10);
  if (c < 0 || t < 0 || ::dup2(devnull, 0) < 0 || ::dup2(devnull, 1) < 0 || ::dup2(devnull, 2) < 0 ||
      ::dup2(c, kChannel) < 0 || ::dup2(t, kTrace) < 0) {
    ::_exit(120);
  }
  ::close_range(kTrace + 1, ~0U, 0);
  PyOS_AfterFork_Child();
  // The config comes over the channel, to this process only (the worker has checked it).
  FrameReader reader(kChannel);
  Frame frame;
  std::optional<EvalRequest> request;
  if (reader.Read(&frame, std::nullopt) == FrameReader::Status::kFrame && frame.type == 'E') {
    request = DecodeEvalRequest(frame.payload);
  }
  if (!request) ::_exit(124);
  EvalOptions options = request->options;
  try {
    py::module_ faulthandler = py::module_::import("faulthandler");
    faulthandler.attr("enable")(py::arg("file") = kTrace, py::arg("all_threads") = false);
    // When its time is up the worker asks where it is (Serve); no timer runs in the child.
    faulthandler.attr("register")(kTracebackSignal, py::arg("file") = kTrace, py::arg("all_threads") = false,
                                  py::arg("chain") = false);
  } catch (const py::error_already_set& e) {
    WriteFrame(kChannel, 'F', EncodeFailure({Failure::Kind::kInternal, e.what(), 0}));
    ::_exit(121);
  }
  if (!options.trusted) {
    Limits limits = ChildLimits();
    limits.cpu_seconds = options.timeout_seconds;
    limits.memory_mib = options.memory_mib;
    std::string error = Confine(limits);
    if (!error.empty()) {
      WriteFrame(kChannel, 'F', EncodeFailure({Failure::Kind::kInternal, "cannot sandbox the config: " + error, 0}));
      ::_exit(122);
    }
  }
  options.timeout_seconds = 0;  // the worker keeps the time
  ChannelHost host(kChannel, &reader);
  std::string text;
  try {
    text = RunEvaluator(SourceFile(request->path, request->text), options, host);
  } catch (const py::error_already_set& e) {
    // The config's code broke the evaluator it runs in (or exhausted its memory).
    std::string what = e.what();
    what = what.substr(0, what.find('\n'));
    Failure f{e.matches(PyExc_MemoryError) ? Failure::Kind::kMemory : Failure::Kind::kCrashed,
              "the evaluator failed: " + what, 0};
    WriteFrame(kChannel, 'F', EncodeFailure(f));
    ::_exit(123);
  } catch (const std::exception& e) {
    WriteFrame(kChannel, 'F', EncodeFailure({Failure::Kind::kInternal, e.what(), 0}));
    ::_exit(123);
  }
  if (!WriteFrame(kChannel, 'R', text)) {
    WriteFrame(kChannel, 'F', EncodeFailure({Failure::Kind::kMalformed, "the result is too large", 0}));
  }
  ::_exit(0);
}

std::string SignalName(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

void ReadAll(int fd, std::string* out) {
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0 && out->size() < (1 << 20)) out->append(buf, static_cast<size_t>(n));
}

/// The zygote and the worker talk in datagrams (Zygote below): 'S' with a child's two
/// descriptors, answered with its pid (or -errno); 'W' once the worker has killed it,
/// answered with its wait status.
bool SendMessage(int sock, const void* data, size_t size, const int* fds = nullptr, size_t nfds = 0) {
  iovec iov{const_cast<void*>(data), size};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(2 * sizeof(int))] = {};
  if (nfds > 0) {
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
    std::memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
  }
  ssize_t n;
  while ((n = ::sendmsg(sock, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
  }
  return n == static_cast<ssize_t>(size);
}

/// Receives one datagram of exactly `size` bytes and, when `fds` is given, exactly `nfds`
/// descriptors with it; false on anything else (the other end gone).
bool ReceiveMessage(int sock, void* data, size_t size, int* fds = nullptr, size_t nfds = 0) {
  iovec iov{data, size};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(2 * sizeof(int))] = {};
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  while ((n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
  }
  size_t got = 0;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      if (fds != nullptr && got < nfds) {
        fds[got] = fd;
      } else {
        ::close(fd);
      }
      ++got;
    }
  }
  if (n == static_cast<ssize_t>(size) && (fds == nullptr || got == nfds)) return true;
  for (size_t i = 0; fds != nullptr && i < std::min(got, nfds); ++i) ::close(fds[i]);
  return false;
}

/// The zygote: forked from the worker before xmc sends it any config, so its memory
/// never holds a config, a Host reply to one or a result: only what every config gets
/// (PrepareForkedEvaluations). It forks each config's child when the worker asks (over
/// `control`), handing it the descriptors the worker made; the config itself travels to
/// the child only. It runs no Python itself (the child calls PyOS_AfterFork_Child), so
/// that it writes, and so copies, next to none of the pages it shares with the worker.
/// It ends when the worker does.
[[noreturn]] void RunZygote(int control, int devnull, pid_t worker) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != worker) ::_exit(0);
  ::prctl(PR_SET_NAME, "xmc-eval-zygote");
  for (;;) {
    char type = 0;
    int fds[2];
    if (!ReceiveMessage(control, &type, 1, fds, 2)) ::_exit(0);
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(control);
      RunChild(fds[0], fds[1], devnull);
    }
    int32_t child = pid < 0 ? -errno : pid;
    ::close(fds[0]);
    ::close(fds[1]);
    if (!SendMessage(control, &child, sizeof child) || pid < 0) {
      if (pid < 0) continue;
      ::_exit(0);  // its child ends with it (PR_SET_PDEATHSIG)
    }
    int status = 0;
    bool asked = ReceiveMessage(control, &type, 1);
    if (!asked) ::kill(pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!asked || !SendMessage(control, &status, sizeof status)) ::_exit(0);
  }
}

/// One config: the zygote forks its child, the config goes to the child, then relay, wait,
/// report. False when the zygote is gone (no config is served after that).
bool Serve(const Frame& e, const EvalRequest& request, int zygote, FrameReader* from_xmc) {
  int sv[2], tp[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0 || ::pipe2(tp, O_CLOEXEC) != 0) {
    WriteFrame(kXmc, 'F', EncodeFailure({Failure::Kind::kInternal, std::strerror(errno), 0}));
    return true;
  }
  const char spawn = 'S';
  const int theirs[2] = {sv[1], tp[1]};
  int32_t pid = 0;
  bool alive = SendMessage(zygote, &spawn, 1, theirs, 2) && ReceiveMessage(zygote, &pid, sizeof pid);
  ::close(sv[1]);
  ::close(tp[1]);
  if (!alive || pid < 0) {
    std::string why = alive ? std::string("fork: ") + std::strerror(-pid) : "the evaluator's zygote ended";
    WriteFrame(kXmc, 'F', EncodeFailure({Failure::Kind::kInternal, why, 0}));
    ::close(sv[0]);
    ::close(tp[0]);
    return alive;
  }
  std::optional<Clock::time_point> deadline;
  if (request.options.timeout_seconds > 0) {
    deadline = Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(request.options.timeout_seconds * 1000));
  }
  ::fcntl(tp[0], F_SETFL, O_NONBLOCK);
  std::string trace;
  FrameReader child(sv[0]);
  std::optional<std::string> result;
  std::optional<Failure> failure;
  bool timed_out = false;
  // Out of time: the child writes where it is (faulthandler, kTracebackSignal), then is
  // killed below. A child that blocked the signal is killed without saying it.
  auto time_is_up = [&] {
    timed_out = true;
    ::kill(pid, kTracebackSignal);
    ReadUntilQuiet(tp[0], 20, 300, &trace);
  };
  WriteStatus given = WriteFrameBy(sv[0], 'E', e.payload, deadline);
  if (given == WriteStatus::kTimeout) time_is_up();
  while (given == WriteStatus::kDone) {
    Frame f;
    FrameReader::Status st = child.Read(&f, deadline);
    if (st == FrameReader::Status::kTimeout) {
      time_is_up();
      break;
    }
    if (st != FrameReader::Status::kFrame) {
      if (st == FrameReader::Status::kBad) failure = Failure{Failure::Kind::kMalformed, "a malformed message", 0};
      break;
    }
    if (f.type == 'H') {
      Frame reply;
      if (!WriteFrame(kXmc, 'H', f.payload) || from_xmc->Read(&reply, std::nullopt) != FrameReader::Status::kFrame ||
          reply.type != 'A') {
        ::kill(pid, SIGKILL);
        ::_exit(0);  // xmc is gone
      }
      // The clock runs on while the child is handed its answer: one that asked and does
      // not read must not stall the worker past the time limit.
      WriteStatus sent = WriteFrameBy(sv[0], 'A', reply.payload, deadline);
      if (sent == WriteStatus::kTimeout) time_is_up();
      if (sent != WriteStatus::kDone) break;
      continue;
    }
    if (f.type == 'D' && f.payload.size() == 4) {  // a denied system call (confine.cc)
      uint32_t nr = 0;
      for (int i = 3; i >= 0; --i) nr = (nr << 8) | static_cast<unsigned char>(f.payload[static_cast<size_t>(i)]);
      char* name = ::seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, static_cast<int>(nr));
      WriteFrame(kXmc, 'D', name ? name : std::to_string(nr));
      std::free(name);
      continue;
    }
    if (f.type == 'R') {
      result = std::move(f.payload);
    } else if (f.type == 'F') {
      failure = DecodeFailure(f.payload);
      if (!failure) failure = Failure{Failure::Kind::kMalformed, "a malformed failure", 0};
    } else {
      failure = Failure{Failure::Kind::kMalformed, "a message of unknown type", 0};
    }
    break;
  }
  ::kill(pid, SIGKILL);  // done, or out of time: nothing of it may go on
  const char reap = 'W';
  int status = 0;
  alive = SendMessage(zygote, &reap, 1) && ReceiveMessage(zygote, &status, sizeof status);
  ReadAll(tp[0], &trace);
  ::close(tp[0]);
  ::close(sv[0]);
  if (result) {
    WriteFrame(kXmc, 'R', *result);
    return alive;
  }
  if (!failure) {
    Failure f;
    f.line = TracebackLine(trace, request.path);
    if (timed_out) {
      f.kind = Failure::Kind::kTimeout;
    } else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU) {
      f.kind = Failure::Kind::kTimeout;  // the CPU time limit
    } else if (trace.find("MemoryError") != std::string::npos) {
      f.kind = Failure::Kind::kMemory;
    } else {
      f.kind = Failure::Kind::kCrashed;
      if (WIFSIGNALED(status)) {
        f.detail = SignalName(WTERMSIG(status));
        if (WTERMSIG(status) == SIGSYS) f.detail += ": a system call a config may not make, with signals blocked";
        if (WTERMSIG(status) == SIGSEGV && trace.find("Fatal Python error") != std::string::npos) {
          f.detail += ", most likely a recursion deeper than the C stack";
        }
      } else {
        f.detail = "it exited with status " + std::to_string(WEXITSTATUS(status)) + " before giving a result";
      }
    }
    failure = f;
  }
  WriteFrame(kXmc, 'F', EncodeFailure(*failure));
  return alive;
}

/// The machine as the warm-up and the benchmarks see it: nothing of the real one (no file,
/// an empty environment), answered without asking anyone.
class NoMachine : public Host {
 public:
  HostReply Ask(const HostRequest& q) const override {
    switch (q.op) {
      case HostRequest::Op::kEnviron: return ReplyOk();
      case HostRequest::Op::kUname: {
        HostReply r = ReplyOk();
        r.names = {"Linux", "xmc", "", "", ""};
        return r;
      }
      case HostRequest::Op::kCwd: return ReplyOk("/");
      case HostRequest::Op::kPasswdHome: return ReplyOk("/");
      case HostRequest::Op::kTime: return ReplyOk();
      default: return ReplyError(ENOENT);
    }
  }
};

/// Runs the evaluator once on small configs, so that every module it imports lazily is
/// loaded before a child loses the file system.
void WarmUp() {
  NoMachine host;
  const char* configs[] = {
      ("import os, sys, re, socket, string, time, glob\nx = [i for i in range(3)]\nd = {'a': 1}\n"
       "print('%d' % (7 / 2))\nname = 'w' + str(len(d))\ns = u'\\N{BULLET}'\n"),
      "raise ValueError('x')\n",
      "a = (\n",
  };
  for (const char* text : configs) {
    EvalOptions options;
    options.timeout_seconds = 1;
    RunEvaluator(SourceFile("/warm-up.cfg", text), options, host);
  }
  py::exec(
      "import faulthandler, unicodedata, encodings, time\n"
      "time.localtime()\n"  // glibc reads the time zone now, while there is a file system

      "for _n in ('ascii', 'latin_1', 'utf_8', 'utf_8_sig', 'cp1252', 'iso8859_15', 'iso8859_2', 'cp437',"
      " 'koi8_r', 'utf_16', 'euc_jp', 'shift_jis', 'gb2312', 'big5'):\n"
      "    __import__('encodings.' + _n)\n"
      // Every object so far is the worker's: no child's collector need look at (and so
      // copy) them, and a child, short-lived, collects nothing.
      "import gc\n"
      "gc.freeze()\n"
      "gc.disable()\n");
}

}  // namespace

int main(int argc, char** argv) {
  // For bench/speed.py's breakdown only: start the interpreter (and load the evaluator),
  // then end.
  if (argc == 2 && (std::strcmp(argv[1], "--bench-start") == 0 || std::strcmp(argv[1], "--bench-load") == 0)) {
    std::string error;
    if (!StartIsolatedInterpreter(&error)) return 1;
    if (std::strcmp(argv[1], "--bench-load") == 0) {
      PrepareEvaluator();
      WarmUp();
    }
    return 0;
  }
  if (argc == 2 && std::strcmp(argv[1], "--bench-fork") == 0) {
    // The floor of a sandboxed child, from a worker as it serves: a fork whose child
    // ends at once, one whose child first confines itself, and one whose child then
    // evaluates a two-line config; microseconds and minor page faults per child.
    std::string error;
    if (!StartIsolatedInterpreter(&error)) return 1;
    PrepareEvaluator();
    WarmUp();
    NoMachine fake;
    PrepareForkedEvaluations(fake);
    PrepareConfine(ChildLimits());
    for (int depth : {0, 1, 2}) {
      constexpr int kChildren = 300;
      rusage before{}, after{};
      ::getrusage(RUSAGE_CHILDREN, &before);
      auto start = std::chrono::steady_clock::now();
      for (int i = 0; i < kChildren; ++i) {
        pid_t pid = ::fork();
        if (pid == 0) {
          if (depth >= 1 && !Confine(ChildLimits()).empty()) ::_exit(1);
          if (depth >= 2) RunEvaluator(SourceFile("/bench.cfg", "import os\nname = 'x'\n"), EvalOptions{}, fake);
          ::_exit(0);
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
      }
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
      ::getrusage(RUSAGE_CHILDREN, &after);
      std::printf("%lld %ld\n", static_cast<long long>(us.count() / kChildren),
                  (after.ru_minflt - before.ru_minflt) / kChildren);
    }
    return 0;
  }
  if (argc == 3 && std::strcmp(argv[1], "--bench-eval") == 0) {
    // Evaluates a file 200 times in this process (no fork, no sandbox): the evaluator's
    // own cost per config, in microseconds.
    std::string error;
    if (!StartIsolatedInterpreter(&error)) return 1;
    PrepareEvaluator();
    RealHost host;
    std::string text;
    if (auto t = host.ReadFile(argv[2], &error)) text = *t;
    EvalOptions options;
    options.timeout_seconds = 0;
    if (::getenv("XMC_BENCH_PROFILE")) {  // the evaluator's hot spots, for development
      py::module_::import("sys").attr("modules")["_xmc_text"] = py::bytes(text);
      py::exec(R"PY(
import cProfile, pstats, sys
m = sys.modules['_xmc_eval']
t = sys.modules['_xmc_text']
cProfile.run("for i in range(200): m.evaluate_wire('/x.cfg', t, [], 'x', 0, 0, lambda r: '{\"ok\": false, \"error\": \"x\", \"code\": 2, \"data\": \"\", \"names\": [], \"environ\": {}, \"info\": {\"kind\": \"other\", \"size\": 0, \"mode\": 0, \"mtime\": 0, \"device\": 0, \"inode\": 0}, \"number\": 0}', False)", '/tmp/xmc.prof')
pstats.Stats('/tmp/xmc.prof').sort_stats(__import__('os').environ.get('XMC_BENCH_SORT', 'tottime')).print_stats(22); sys.stdout.flush()
)PY");
      return 0;
    }
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 200; ++i) RunEvaluator(SourceFile(argv[2], text), options, host);
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
    std::printf("%lld\n", static_cast<long long>(us / 200));
    return 0;
  }
  // --outlive-thread: started by a thread that may end before the worker is done with
  // (the Python module's shared workers); it then ends when its socket closes.
  bool tie_to_thread = !(argc == 2 && std::string(argv[1]) == "--outlive-thread");
  if (argc != (tie_to_thread ? 1 : 2) || ::fcntl(kXmc, F_GETFD) < 0) {
    std::fprintf(stderr, "xmc-eval: the evaluator worker of xmc; xmc starts it, it is not run by hand\n");
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  // The death signal comes when the thread that started the worker ends (not its process).
  if (tie_to_thread) ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() == 1) return 0;
  int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  std::string error;
  // A failure here shows in each child, which then compiles the filter itself.
  PrepareConfine(ChildLimits());
  bool started = StartIsolatedInterpreter(&error);
  if (started) {
    try {
      PrepareEvaluator();
      WarmUp();
    } catch (const std::exception& e) {
      started = false;
      error = e.what();
    }
  }
  if (!started) error = "cannot start Python: " + error;
  FrameReader from_xmc(kXmc);
  if (started) {
    // Once, before any config: what every config gets, so that no child builds it again.
    // xmc answers these questions and sends nothing else until it hears 'Z'.
    try {
      PrepareForkedEvaluations(ChannelHost(kXmc, &from_xmc));
    } catch (const std::exception&) {
      // each child builds them itself, and meets the same error where it can report it
    }
  }
  // The zygote, before any config: nothing it or its children hold came from an input.
  int control[2] = {-1, -1};
  if (started && ::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, control) != 0) {
    started = false;
    error = std::string("socketpair: ") + std::strerror(errno);
  }
  if (started) {
    pid_t worker = ::getpid();
    pid_t zygote = ::fork();
    if (zygote == 0) {
      ::close(kXmc);
      ::close(control[0]);
      RunZygote(control[1], devnull, worker);
    }
    ::close(control[1]);
    if (zygote < 0) {
      started = false;
      error = std::string("fork: ") + std::strerror(errno);
    }
  }
  if (!WriteFrame(kXmc, 'Z', "")) return 0;
  for (;;) {
    Frame f;
    if (from_xmc.Read(&f, std::nullopt) != FrameReader::Status::kFrame) return 0;
    if (f.type != 'E') return 2;
    if (!started) {
      WriteFrame(kXmc, 'F', EncodeFailure({Failure::Kind::kInternal, error, 0}));
      continue;
    }
    auto request = DecodeEvalRequest(f.payload);
    if (!request) {
      WriteFrame(kXmc, 'F', EncodeFailure({Failure::Kind::kInternal, "a malformed request", 0}));
      continue;
    }
    if (!Serve(f, *request, control[0], &from_xmc)) {
      started = false;
      error = "the evaluator's zygote ended";
    }
  }
}
