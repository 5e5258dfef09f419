// The xmc subcommands. Each takes its parsed options and returns the exit status.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/frontend/frontend.h"
#include "compiler/pipeline.h"
#include "compiler/session.h"

namespace xmc {
struct VarSpec;
}

namespace xmc::cli {

/// The command line's options: the session's (compiler/session.h: --root, --frontend,
/// --eval-timeout, --eval-memory, --max-input-size, --max-diagnostics, --host, --pass-env,
/// --pedantic, --unsandboxed), and how to render.
struct CommonOptions {
  SessionOptions session;
  bool color = false;
  /// --host, resolved once (auto: on a Xen control domain or with --root): whether xmc's
  /// own findings about host files are made. create -n always looks, as xm did.
  bool host_files = true;
  std::string host_reason;  ///< why not, for the summary
};

struct CreateOptions {
  bool dryrun = false;
  bool xmldryrun = false;
  bool quiet = false;
  std::string path = ".:/etc/xen";
  std::string defconfig;
  bool console_autoconnect = false;
  bool paused = false;             ///< -p: leave the new domain paused
  bool foreground = false;         ///< --foreground: the monitor runs in xmc create itself
  bool force = false;              ///< --force: start although xl cannot express some settings
  std::vector<std::string> words;  ///< config file and NAME=VALUE words, in order
};

struct CompileOptions {
  std::string emit = "sxp";
  std::string output;  ///< -o FILE ("" = stdout)
  int64_t domid = 1;   ///< --domid, for --emit xenstore
  std::string uuid;    ///< --uuid, for --emit xenstore ("" = the config's, else a fresh one)
  std::vector<std::string> words;
};

struct CheckCmdOptions {
  std::vector<std::string> paths;
  std::string format = "text";  ///< text, json, sarif
  bool werror = false;
  int64_t host_cpus = 0;
};

int RunCheck(const CommonOptions& common, const CheckCmdOptions& options, PythonHost* python);
/// The session's compile request (compiler/session.h); each command adds its own.
CompileRequest RequestFromOptions(const CommonOptions& common);

/// xmc lsp: a language server on stdin and stdout until `exit`.
int RunLsp(const CommonOptions& common, PythonHost* python);
int RunExplain(const std::string& key);
/// What `xmc explain` says of a variable (and the language server's hover).
std::string ExplainText(const VarSpec& v);
int RunSchema(const std::string& format);

/// A path as a URI reference: every byte but the unreserved ones and '/' percent-encoded.
std::string UriOf(const std::string& path);

int RunCreate(const CommonOptions& common, const CreateOptions& options, PythonHost* python);
/// xmc xendomains start|stop|status [--config FILE].
int RunXendomains(const CommonOptions& common, const std::string& action, const std::string& config,
                  PythonHost* python);
int RunCompile(const CommonOptions& common, const CompileOptions& options, PythonHost* python);

}  // namespace xmc::cli
