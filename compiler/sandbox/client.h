// xmc's side of sandboxed evaluation: a PythonHost that hands each config with code to the
// evaluator worker (xmc-eval, started on first use) and answers the config's questions
// about the machine from the Host, confined (ConfinedHost). xmc itself never loads Python.
// One object per thread: each owns a worker of its own.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "compiler/frontend/frontend.h"
#include "compiler/sandbox/protocol.h"

namespace xmc::sandbox {

/// Where the worker is: XMC's own directory (the build tree), else ../libexec/xmc/ from
/// it (an installation); "" if neither holds it.
std::string FindWorker();

class SandboxedPython : public PythonHost {
 public:
  /// `worker`: the xmc-eval binary ("" = FindWorker()). The worker is killed when the
  /// thread that started it ends, unless `outlive_thread` (then when its socket closes:
  /// for workers shared between threads).
  explicit SandboxedPython(std::string worker = "", bool outlive_thread = false)
      : worker_(std::move(worker)), outlive_thread_(outlive_thread) {}
  ~SandboxedPython() override { Stop(); }
  SandboxedPython(const SandboxedPython&) = delete;
  SandboxedPython& operator=(const SandboxedPython&) = delete;

  FrontendResult EvaluatePython(const SourceFile& file, const EvalOptions& options, Diagnostics* diags) override;

  /// The worker's process id (-1 before the first config with code).
  pid_t worker_pid() const { return pid_; }

 private:
  /// Starts the worker; the questions it asks while it prepares go to `asked`.
  bool Start(const Host& asked, std::optional<std::chrono::steady_clock::time_point> deadline, std::string* error);
  /// Answers one Host question of the worker's.
  bool Answer(const Host& asked, const std::string& question);
  void Stop();

  std::string worker_;
  bool outlive_thread_ = false;
  pid_t pid_ = -1;
  pid_t owner_ = -1;  ///< the process that started the worker
  int fd_ = -1;
  std::optional<FrameReader> reader_;
};

}  // namespace xmc::sandbox
