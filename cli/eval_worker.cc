// xmc-eval: the evaluator worker, xmc's fork server for configs with code. xmc starts it
// with a socket on descriptor 3 and sends it one config at a time ('E' frames,
// compiler/sandbox/protocol.h). It starts an isolated interpreter once, loads the
// evaluator, and forks a child per config. The child gives up its identity, its limits
// and all system calls but those that compute (compiler/sandbox/confine.h), runs the
// config, and asks everything else of the machine through its channel; the worker relays
// those questions to xmc, enforces the wall-clock limit by killing the child, and tells
// xmc the result or how the child ended. A fresh child per config: nothing one config
// does reaches the next.
#include <fcntl.h>
#include <poll.h>
#include <pybind11/embed.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "compiler/frontend/python_host.h"
#include "compiler/host.h"
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

[[noreturn]] void RunChild(const EvalRequest& request, int channel, int trace, int devnull) {
  // Descriptors: 0-2 /dev/null, 3 the channel, 4 the traceback pipe, nothing else.
  int c = ::fcntl(channel, F_DUPFD, 10), t = ::fcntl(trace, F_DUPFD, 10);
  if (c < 0 || t < 0 || ::dup2(devnull, 0) < 0 || ::dup2(devnull, 1) < 0 || ::dup2(devnull, 2) < 0 ||
      ::dup2(c, kChannel) < 0 || ::dup2(t, kTrace) < 0) {
    ::_exit(120);
  }
  ::close_range(kTrace + 1, ~0U, 0);
  PyOS_AfterFork_Child();
  EvalOptions options = request.options;
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
  FrameReader reader(kChannel);
  ChannelHost host(kChannel, &reader);
  std::string text;
  try {
    text = RunEvaluator(SourceFile(request.path, request.text), options, host);
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

/// One config: fork, relay, wait, report.
void Serve(const EvalRequest& request, FrameReader* from_xmc, int devnull) {
  int sv[2], tp[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0 || ::pipe2(tp, O_CLOEXEC) != 0) {
    WriteFrame(kXmc, 'F', EncodeFailure({Failure::Kind::kInternal, std::strerror(errno), 0}));
    return;
  }
  pid_t pid = ::fork();
  if (pid == 0) RunChild(request, sv[1], tp[1], devnull);
  ::close(sv[1]);
  ::close(tp[1]);
  if (pid < 0) {
    WriteFrame(kXmc, 'F', EncodeFailure({Failure::Kind::kInternal, std::string("fork: ") + std::strerror(errno), 0}));
    ::close(sv[0]);
    ::close(tp[0]);
    return;
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
  for (;;) {
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
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ReadAll(tp[0], &trace);
  ::close(tp[0]);
  ::close(sv[0]);
  if (result) {
    WriteFrame(kXmc, 'R', *result);
    return;
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
}

/// Runs the evaluator once on small configs, so that every module it imports lazily is
/// loaded before a child loses the file system.
void WarmUp() {
  FakeHost host;
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
    FakeHost fake;
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
  FrameReader from_xmc(kXmc);
  bool prepared = false;
  for (;;) {
    Frame f;
    if (from_xmc.Read(&f, std::nullopt) != FrameReader::Status::kFrame) return 0;
    if (f.type != 'E') return 2;
    if (!started) {
      WriteFrame(kXmc, 'F', EncodeFailure({Failure::Kind::kInternal, "cannot start Python: " + error, 0}));
      continue;
    }
    auto request = DecodeEvalRequest(f.payload);
    if (!request) {
      WriteFrame(kXmc, 'F', EncodeFailure({Failure::Kind::kInternal, "a malformed request", 0}));
      continue;
    }
    if (!prepared) {
      // Once, while xmc waits for the first result (and answers questions): what every
      // config gets, so that no child builds it again.
      prepared = true;
      try {
        PrepareForkedEvaluations(ChannelHost(kXmc, &from_xmc));
      } catch (const std::exception&) {
        // each child builds them itself, and meets the same error where it can report it
      }
    }
    Serve(*request, &from_xmc, devnull);
  }
}
