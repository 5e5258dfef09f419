// The whole compilation of one config file, stage by stage: read, evaluate (front end),
// lower, apply defaults, resolve host paths, check. The CLI and (later) the Python module
// and language server call this; each stage is a function with one shape.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/base/source.h"
#include "compiler/check/check.h"
#include "compiler/frontend/frontend.h"
#include "compiler/host/host.h"
#include "compiler/ir/domain_config.h"

namespace xmc {

/// The findings per file xmc shows by default (--max-diagnostics): far more than any real
/// config has, far fewer than a config that makes one per item of a million-entry list.
inline constexpr size_t kDefaultMaxDiagnostics = 200;

struct CompileRequest {
  std::string path;                 ///< where to read the file (host namespace)
  std::optional<std::string> text;  ///< the file's bytes, when the caller has read them already
  std::string xm_file;              ///< the name xm printed ("./web1"); defaults to path
  std::string defconfig;            ///< the name given on the command line (for the default name)
  std::vector<std::string> vars;    ///< NAME=VALUE words
  FrontendChoice frontend = FrontendChoice::kAuto;
  double eval_timeout_seconds = 10;
  uint64_t eval_memory_mib = 512;  ///< --eval-memory: a sandboxed config's memory limit
  uint64_t max_input_bytes = 0;    ///< --max-input-size (0: kMaxHostRead)
  /// --max-diagnostics: at most this many findings per file, then one diagnostics-cut note
  /// (0: all of them).
  size_t max_diagnostics = kDefaultMaxDiagnostics;
  bool unsandboxed = false;  ///< --unsandboxed: a trusted config (create, compile)
  /// The trees being checked (host namespace): a config reads in them, and in its own
  /// directory, with the user's rights (EvalOptions::own_dirs).
  std::vector<std::string> own_dirs;
  std::vector<std::string> pass_env;  ///< --pass-env NAME: more of the environment for configs
  /// What the config printed becomes a note (check, compile); create passes it through.
  bool printed_as_note = true;
  /// xm's -c: the console is attached (changes bootloader_args), set before the checks.
  bool console_autoconnect = false;
  bool pedantic = false;  ///< --pedantic: also the notes on what xm accepted as intended
  /// Look up the host files the config names (kernel, ramdisk, loader, pygrub, SCSI
  /// devices) as xm did; false (--host=no): keep the paths as written, no such findings.
  bool host_files = true;
  CheckOptions check;
};

struct Compilation {
  SourceFile source;
  FrontendResult frontend;
  DomainConfig config;
  Diagnostics diags;
  bool read_ok = false;
  bool evaluated = false;  ///< the script ran to the end (no syntax error / exception)

  /// True when xm itself would have stopped with an error.
  bool xm_failed() const { return diags.HasXmFatal(); }
};

Compilation Compile(const CompileRequest& request, const Host& host, PythonHost* python);

/// Renders every diagnostic (sorted by position) as text.
std::string RenderDiagnostics(const Compilation& c, bool color);

}  // namespace xmc
