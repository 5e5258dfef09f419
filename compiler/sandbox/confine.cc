#include "compiler/sandbox/confine.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <vector>

namespace xmc::sandbox {
namespace {

bool SetLimit(int resource, rlim_t soft, rlim_t hard) {
  struct rlimit r {
    soft, hard
  };
  return ::setrlimit(resource, &r) == 0;
}

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

std::string DropIdentity() {
  if (::geteuid() == 0) {
    if (::setgroups(0, nullptr) == 0 && ::setresgid(kSandboxId, kSandboxId, kSandboxId) == 0 &&
        ::setresuid(kSandboxId, kSandboxId, kSandboxId) == 0) {
      return "";
    }
    // A container that maps too few ids: a user namespace instead (below).
  }
  if (::unshare(CLONE_NEWUSER) != 0 && ::geteuid() == 0) return Errno("no unprivileged identity");
  return "";  // not root: the filter alone keeps the child from the user's files
}

// A denied call traps: the handler makes it fail with EPERM, as if it had been refused
// by the kernel, and tells the worker which call it was (one frame, one write(2), from
// the signal handler: the call may come from anywhere).
int g_report_fd = -1;

void OnDenied(int, siginfo_t* info, void* context) {
  int saved = errno;
#if defined(__x86_64__)
  static_cast<ucontext_t*>(context)->uc_mcontext.gregs[REG_RAX] = -EPERM;
#elif defined(__aarch64__)
  static_cast<ucontext_t*>(context)->uc_mcontext.regs[0] = static_cast<uint64_t>(-EPERM);
#endif
  if (g_report_fd >= 0) {
    auto nr = static_cast<uint32_t>(info->si_syscall);
    char frame[9] = {5,
                     0,
                     0,
                     0,
                     'D',
                     static_cast<char>(nr & 0xff),
                     static_cast<char>((nr >> 8) & 0xff),
                     static_cast<char>((nr >> 16) & 0xff),
                     static_cast<char>((nr >> 24) & 0xff)};
    ssize_t ignored = ::write(g_report_fd, frame, sizeof frame);
    (void)ignored;
  }
  errno = saved;
}

// The filter's rules that name the child's own pid (it may signal itself, nobody else)
// are compiled with this stand-in, no pid a kernel gives out (pid_max is at most 2^22),
// and patched per child.
constexpr uint32_t kPidStandIn = 0x7ffffff5;

/// The filter's rules in libseccomp's context (nullptr when it cannot make one); `*rc` the
/// first failure of a rule, or 0.
scmp_filter_ctx BuildFilter(const Limits& limits, int* rc_out) {
  scmp_filter_ctx ctx = ::seccomp_init(SCMP_ACT_TRAP);
  if (ctx == nullptr) return nullptr;
  int& rc = *rc_out;
  rc = 0;
  // One rule; at most one comparison (libseccomp's limit per argument); the first failure
  // is kept and ends the adding.
  // A 64-bit comparison of argument `arg`, every field set (libseccomp's SCMP_An macros
  // leave datum_b to the compiler, which -Wmissing-field-initializers reports).
  auto arg_cmp = [](unsigned arg, scmp_compare op, scmp_datum_t a, scmp_datum_t b = 0) {
    scmp_arg_cmp c{};
    c.arg = arg;
    c.op = op;
    c.datum_a = a;
    c.datum_b = b;
    return c;
  };
  auto rule = [&](uint32_t action, int call, std::optional<scmp_arg_cmp> cmp = std::nullopt) {
    if (rc == 0) rc = cmp ? ::seccomp_rule_add(ctx, action, call, 1, *cmp) : ::seccomp_rule_add(ctx, action, call, 0);
  };
  // An `int` argument is compared as the kernel reads it: its low 32 bits. The register
  // holds 64, and a 64-bit comparison lets close(3 + 2**32) past a rule meant to keep
  // descriptor 3 (libseccomp's SCMP_An_32 only casts the datum; its issue #383). So: a
  // masked equality, and "above n" as the values up to the next power of two and then
  // one bit each (rules of one action are alternatives).
  constexpr scmp_datum_t kLow32 = 0xffffffff;
  auto int_is = [&](unsigned arg, uint32_t value) { return arg_cmp(arg, SCMP_CMP_MASKED_EQ, kLow32, value); };
  auto int_above = [&](uint32_t action, int call, unsigned arg, uint32_t n) {
    unsigned bits = 0;
    while (bits < 32 && (uint64_t{1} << bits) <= n) ++bits;
    for (uint64_t v = uint64_t{n} + 1; v < (uint64_t{1} << bits); ++v) {
      rule(action, call, int_is(arg, static_cast<uint32_t>(v)));
    }
    for (unsigned b = bits; b < 32; ++b) {
      rule(action, call, arg_cmp(arg, SCMP_CMP_MASKED_EQ, scmp_datum_t{1} << b, scmp_datum_t{1} << b));
    }
  };
  // Computing: memory, locks, the clock, signals to itself, ending.
  for (int call : {SCMP_SYS(brk),
                   SCMP_SYS(mmap),
                   SCMP_SYS(munmap),
                   SCMP_SYS(mremap),
                   SCMP_SYS(madvise),
                   SCMP_SYS(mprotect),
                   SCMP_SYS(futex),
                   SCMP_SYS(clock_gettime),
                   SCMP_SYS(clock_nanosleep),
                   SCMP_SYS(gettimeofday),
                   SCMP_SYS(getpid),
                   SCMP_SYS(gettid),
                   SCMP_SYS(rt_sigreturn),
                   SCMP_SYS(rt_sigprocmask),
                   SCMP_SYS(sigaltstack),
                   SCMP_SYS(sched_yield),
                   SCMP_SYS(exit),
                   SCMP_SYS(exit_group),
                   SCMP_SYS(lseek),
                   SCMP_SYS(read),
                   SCMP_SYS(poll),
                   SCMP_SYS(getrandom),
                   SCMP_SYS(sched_getaffinity)}) {  // a starting thread's runtime asks (ASan's does)
    rule(SCMP_ACT_ALLOW, call);
  }
  // Writing: only to its channel and the traceback pipe (0, 1 and 2 are /dev/null, and a
  // config that writes there is trying to forge xmc's output); closing: none of those.
  int_above(SCMP_ACT_ALLOW, SCMP_SYS(close), 0,
            static_cast<uint32_t>(std::max({2, limits.channel_fd, limits.trace_fd})));
  for (int fd : {limits.channel_fd, limits.trace_fd}) {
    if (fd < 0) continue;
    rule(SCMP_ACT_ALLOW, SCMP_SYS(write), int_is(0, static_cast<uint32_t>(fd)));
  }
  // Looking at the file system fails quietly, as for a user who may see nothing: the
  // interpreter itself looks for source lines to quote in error messages. Writing to it,
  // and everything else not allowed here, traps and is reported (OnDenied).
  const scmp_datum_t kWriting = O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND | O_TMPFILE;
  for (int call : {SCMP_SYS(newfstatat), SCMP_SYS(statx), SCMP_SYS(stat), SCMP_SYS(lstat), SCMP_SYS(fstat),
                   SCMP_SYS(access), SCMP_SYS(faccessat), SCMP_SYS(faccessat2), SCMP_SYS(readlink),
                   SCMP_SYS(readlinkat), SCMP_SYS(getcwd), SCMP_SYS(getdents64)}) {
    rule(SCMP_ACT_ERRNO(EACCES), call);
  }
  rule(SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat),
       arg_cmp(2, SCMP_CMP_MASKED_EQ, kWriting, static_cast<scmp_datum_t>(O_RDONLY)));
  rule(SCMP_ACT_ERRNO(EACCES), SCMP_SYS(open),
       arg_cmp(1, SCMP_CMP_MASKED_EQ, kWriting, static_cast<scmp_datum_t>(O_RDONLY)));
  // abort() and faulthandler raise signals on themselves, nobody else.
  rule(SCMP_ACT_ALLOW, SCMP_SYS(tgkill), int_is(0, kPidStandIn));
  rule(SCMP_ACT_ALLOW, SCMP_SYS(kill), int_is(0, kPidStandIn));
  // Signal handlers: the limits end a child with SIGKILL, which no handler stops, and
  // faulthandler restores the default handler before it re-raises a fatal signal.
  // SIGSYS stays with the handler above, kTracebackSignal with faulthandler.
  for (int kept : {SIGSYS, kTracebackSignal}) {
    rule(SCMP_ACT_ERRNO(EPERM), SCMP_SYS(rt_sigaction), int_is(0, static_cast<uint32_t>(kept)));
  }
  // Every other signal, one by one (any other number fails in the kernel anyway).
  for (int sig = 1; sig <= SIGRTMAX; ++sig) {
    if (sig != SIGSYS && sig != kTracebackSignal) {
      rule(SCMP_ACT_ALLOW, SCMP_SYS(rt_sigaction), int_is(0, static_cast<uint32_t>(sig)));
    }
  }
  return ctx;
}

/// Compiles the filter with libseccomp: its BPF program, or "" and `error`.
std::vector<sock_filter> CompileFilter(const Limits& limits, std::string* error) {
  int rc = 0;
  scmp_filter_ctx ctx = BuildFilter(limits, &rc);
  if (ctx == nullptr) {
    *error = "seccomp_init failed";
    return {};
  }
  std::vector<sock_filter> program;
  int pipe_fds[2];
  if (rc == 0 && ::pipe2(pipe_fds, O_CLOEXEC) == 0) {
    rc = ::seccomp_export_bpf(ctx, pipe_fds[1]);  // a few hundred instructions: fits the pipe
    ::close(pipe_fds[1]);
    ::fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);
    sock_filter insn;
    while (rc == 0 && ::read(pipe_fds[0], &insn, sizeof insn) == static_cast<ssize_t>(sizeof insn)) {
      program.push_back(insn);
    }
    ::close(pipe_fds[0]);
  } else if (rc == 0) {
    rc = -errno;
  }
  ::seccomp_release(ctx);
  // The stand-in must appear, and only as the constant of a comparison.
  size_t stand_ins = 0, compared = 0;
  for (const sock_filter& insn : program) {
    stand_ins += insn.k == kPidStandIn;
    compared += insn.k == kPidStandIn && insn.code == (BPF_JMP | BPF_JEQ | BPF_K);
  }
  if (rc != 0) {
    *error = std::string("seccomp: ") + std::strerror(-rc);
    program.clear();
  } else if (stand_ins == 0 || compared != stand_ins) {
    *error = "seccomp: the compiled filter does not compare the pid as expected";
    program.clear();
  }
  return program;
}

}  // namespace

std::string FilterPseudoCode(const Limits& limits) {
  int rc = 0;
  scmp_filter_ctx ctx = BuildFilter(limits, &rc);
  if (ctx == nullptr) return "";
  std::string text;
  if (FILE* f = std::tmpfile()) {
    if (rc == 0 && ::seccomp_export_pfc(ctx, ::fileno(f)) == 0) {
      std::rewind(f);
      char buf[4096];
      size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    }
    std::fclose(f);
  }
  ::seccomp_release(ctx);
  return text;
}

namespace {

std::vector<sock_filter> g_program;  // compiled by PrepareConfine, in the worker
Limits g_prepared;

std::string Filter(const Limits& limits) {
  std::string error;
  std::vector<sock_filter> program = g_program;
  if (program.empty() || limits.channel_fd != g_prepared.channel_fd || limits.trace_fd != g_prepared.trace_fd) {
    program = CompileFilter(limits, &error);
    if (program.empty()) return error;
  }
  auto self = static_cast<uint32_t>(::getpid());
  for (sock_filter& insn : program) {
    if (insn.k == kPidStandIn) insn.k = self;
  }
  g_report_fd = limits.channel_fd;
  struct sigaction sa {};
  sa.sa_sigaction = OnDenied;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  if (::sigaction(SIGSYS, &sa, nullptr) != 0) return Errno("sigaction");
  sock_fprog prog{static_cast<unsigned short>(program.size()), program.data()};
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog) != 0) return Errno("seccomp");
  return "";
}

}  // namespace

std::string PrepareConfine(const Limits& limits) {
  std::string error;
  g_program = CompileFilter(limits, &error);
  g_prepared = limits;
  return error;
}

std::string Confine(const Limits& limits) {
  if (::setsid() < 0 && errno != EPERM) return Errno("setsid");
  std::string error = DropIdentity();
  if (!error.empty()) return error;
  // Cleared by the change of identity: die with the worker, and no core, no ptrace.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  ::prctl(PR_SET_DUMPABLE, 0);
  if (::getppid() == 1) return "the worker is gone";
  bool ok = SetLimit(RLIMIT_FSIZE, 0, 0) && SetLimit(RLIMIT_CORE, 0, 0) && SetLimit(RLIMIT_NPROC, 0, 0) &&
            SetLimit(RLIMIT_NOFILE, static_cast<rlim_t>(limits.open_files), static_cast<rlim_t>(limits.open_files));
  if (ok && limits.cpu_seconds > 0) {
    auto cpu = static_cast<rlim_t>(std::ceil(limits.cpu_seconds)) + 1;
    ok = SetLimit(RLIMIT_CPU, cpu, cpu + 1);
  }
  // Under AddressSanitizer the shadow memory fills the address space (and counts as
  // data): a sanitizer build has no memory limit; the time limit bounds a child.
  if (ok && limits.stack_mib > 0 && !kSanitized) {
    auto bytes = static_cast<rlim_t>(limits.stack_mib) << 20;
    ok = SetLimit(RLIMIT_STACK, bytes, bytes);
  }
  if (ok && limits.memory_mib > 0 && !kSanitized) {
    auto bytes = static_cast<rlim_t>(limits.memory_mib) << 20;
    ok = SetLimit(RLIMIT_AS, bytes, bytes);
  }
  if (!ok) return Errno("setrlimit");
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return Errno("no_new_privs");
  return Filter(limits);
}

}  // namespace xmc::sandbox
