#include "compiler/sandbox/confine.h"

#include <grp.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>

namespace xmc::sandbox {
namespace {

bool SetLimit(int resource, rlim_t soft, rlim_t hard) {
  struct rlimit r {
    soft, hard
  };
  return ::setrlimit(resource, &r) == 0;
}

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// Under AddressSanitizer the address space holds the shadow memory: limit the data segment.
#if defined(__SANITIZE_ADDRESS__)
constexpr int kMemoryLimit = RLIMIT_DATA;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr int kMemoryLimit = RLIMIT_DATA;
#else
constexpr int kMemoryLimit = RLIMIT_AS;
#endif
#else
constexpr int kMemoryLimit = RLIMIT_AS;
#endif

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

std::string Filter(const Limits& limits) {
  scmp_filter_ctx ctx = ::seccomp_init(SCMP_ACT_ERRNO(EPERM));
  if (ctx == nullptr) return "seccomp_init failed";
  int rc = ::seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);  // the watchdog thread too
  // Computing: memory, locks, the clock, signals to itself, ending.
  for (int call : {SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(madvise),
                   SCMP_SYS(mprotect), SCMP_SYS(futex), SCMP_SYS(clock_gettime), SCMP_SYS(clock_nanosleep),
                   SCMP_SYS(gettimeofday), SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(rt_sigreturn),
                   SCMP_SYS(rt_sigprocmask), SCMP_SYS(sigaltstack), SCMP_SYS(sched_yield), SCMP_SYS(exit),
                   SCMP_SYS(exit_group), SCMP_SYS(close), SCMP_SYS(lseek), SCMP_SYS(read), SCMP_SYS(poll),
                   SCMP_SYS(getrandom)}) {
    rc = rc != 0 ? rc : ::seccomp_rule_add(ctx, SCMP_ACT_ALLOW, call, 0);
  }
  // Writing: only to its channel and the traceback pipe (0, 1 and 2 are /dev/null).
  for (int fd : {limits.channel_fd, limits.trace_fd, 1, 2}) {
    if (fd < 0) continue;
    rc = rc != 0 ? rc : ::seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(fd)));
  }
  // abort() and faulthandler raise signals on themselves, nobody else.
  pid_t self = ::getpid();
  rc = rc != 0 ? rc : ::seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1, SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(self)));
  rc = rc != 0 ? rc : ::seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1, SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(self)));
  // Signal handlers: the limits end a child with SIGKILL, which no handler stops, and
  // faulthandler restores the default handler before it re-raises a fatal signal.
  rc = rc != 0 ? rc : ::seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(rt_sigaction), 0);
  rc = rc != 0 ? rc : ::seccomp_load(ctx);
  ::seccomp_release(ctx);
  return rc == 0 ? "" : std::string("seccomp: ") + std::strerror(-rc);
}

}  // namespace

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
  if (ok && limits.memory_mib > 0) {
    auto bytes = static_cast<rlim_t>(limits.memory_mib) << 20;
    ok = SetLimit(kMemoryLimit, bytes, bytes);
  }
  if (!ok) return Errno("setrlimit");
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return Errno("no_new_privs");
  return Filter(limits);
}

}  // namespace xmc::sandbox
