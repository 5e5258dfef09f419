// What a sandboxed child gives up before it runs a config's code (the worker calls it in
// each forked child): an identity of its own, resource limits, and all system calls but
// those that compute. Denied calls fail with EPERM, so the config sees an OSError on its
// own line; the limits' signals and the parent's kill are the backstop.
#pragma once

#include <cstdint>
#include <string>

namespace xmc::sandbox {

/// True in a build with AddressSanitizer (memory limits work differently there).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

/// The uid and gid a child runs as when xmc runs as root: one no account uses.
inline constexpr uint32_t kSandboxId = 0x7fff0000;

struct Limits {
  double cpu_seconds = 0;   ///< 0: none
  uint64_t memory_mib = 0;  ///< 0: none
  int open_files = 8;       ///< descriptors the child holds (RLIMIT_NOFILE)
  /// The C stack (RLIMIT_STACK, checked as the stack grows): a recursion in C deeper than
  /// any config needs (a deep repr) ends sooner. Its cost grows with the square of the
  /// depth (CPython's repr-recursion guard scans a list), so this bounds the time too.
  uint64_t stack_mib = 4;
  int channel_fd = -1;  ///< the only descriptors it may write to: its channel ...
  int trace_fd = -1;    ///< ... and the traceback pipe
};

/// The signal at which a child writes where it is (faulthandler's traceback) when the
/// worker's clock says its time is up; a config cannot take it over.
inline constexpr int kTracebackSignal = 12;  // SIGUSR2

/// Compiles the system call filter once, in the worker, for children with these
/// descriptors; Confine then only loads it. Returns "" or what failed (Confine then
/// compiles it in each child, and fails there the same way).
std::string PrepareConfine(const Limits& limits);

/// The filter PrepareConfine compiles, as libseccomp's pseudo filter code (for tests:
/// what the rules compare); "" when it cannot be made.
std::string FilterPseudoCode(const Limits& limits);

/// Drops the identity (a user namespace, or kSandboxId when root), sets the limits and
/// installs the system call filter. Returns "" or what failed; a child whose filter could
/// not be installed must not run the config.
std::string Confine(const Limits& limits);

}  // namespace xmc::sandbox
