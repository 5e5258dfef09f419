// What xm read from the machine it ran on, behind one small interface (STYLE 9): file
// metadata and contents, directory listings, the current directory, the environment, the
// host's name and kernel, the clock and randomness. Everything xmc and the configs it
// evaluates learn about the machine is one of these questions, so a Host is a small
// request/reply protocol: `Ask(HostRequest) -> HostReply`, both serialisable as JSON
// (EncodeRequest/DecodeReply...), so that a config running in another process can ask the
// parent's Host. The named methods (Exists, ReadFile, ...) are conveniences over Ask.
//
// RealHost can be confined to a sysroot (`--root`): absolute paths are looked up below it
// and the current directory is seen relative to it, so `xmc --root R create -n` behaves like
// xm run inside `chroot R` -- for xmc's own lookups and for the config's os.path.exists
// alike; a config's relative paths start from the current directory as seen inside the
// root ("/" when it is outside, as after chroot). The mapping is done once, here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace xmc {

struct ReadPolicy;

/// One question to the host.
struct HostRequest {
  enum class Op {
    kStat,        ///< path: what is there (follows symlinks; `lstat` for the link itself)
    kLstat,       ///< path: like kStat, for the link itself
    kReadFile,    ///< path: the whole file
    kListDir,     ///< path: the names in a directory
    kRealPath,    ///< path: the canonical path (symlinks resolved), in the host's namespace
    kCwd,         ///< the current directory
    kGetenv,      ///< name: one environment variable
    kEnviron,     ///< every environment variable
    kPasswdHome,  ///< the current user's home directory from the password database
    kUname,       ///< sysname, nodename, release, version, machine
    kTime,        ///< seconds since the epoch
    kRandom,      ///< count random bytes
    kIfAddr,      ///< name: an interface's IPv4 address, path "addr" or "mask"
  };
  Op op = Op::kStat;
  std::string path;    ///< the path, or the variable or interface name
  std::string name;    ///< kIfAddr: "addr" or "mask"
  uint64_t count = 0;  ///< kRandom: how many bytes; kReadFile: the most to read (0: kMaxHostRead)
  /// Set by ConfinedHost for a config's question, never from the wire: RealHost then
  /// answers as the policy allows (a path walked one component at a time, the rights
  /// checked on the descriptors it opened).
  const ReadPolicy* policy = nullptr;
};

/// What a path is.
struct FileInfo {
  enum class Kind { kFile, kDirectory, kSymlink, kOther };
  Kind kind = Kind::kOther;
  uint64_t size = 0;
  uint32_t mode = 0;        ///< st_mode
  uint64_t mtime = 0;       ///< seconds
  uint32_t mtime_nsec = 0;  ///< and nanoseconds (a file rewritten within one second differs)
  uint64_t device = 0, inode = 0;
};

/// The answer: ok, or an error text (strerror-like).
struct HostReply {
  bool ok = false;
  std::string error;
  int code = 0;                    ///< the errno value of an error
  std::string data;                ///< file contents, a path, a value, random bytes
  std::vector<std::string> names;  ///< directory names; kUname's five fields
  std::map<std::string, std::string> environ;
  FileInfo info;
  double number = 0;  ///< kTime
};

/// JSON text of a request or reply (bytes of `data` travel as Latin-1 code points).
std::string EncodeRequest(const HostRequest& request);
std::optional<HostRequest> DecodeRequest(const std::string& json);
std::string EncodeReply(const HostReply& reply);
std::optional<HostReply> DecodeReply(const std::string& json);

class Host {
 public:
  virtual ~Host() = default;
  /// Answers one question.
  virtual HostReply Ask(const HostRequest& request) const = 0;

  /// True if `path` (in the host's namespace) is a regular file.
  bool IsFile(const std::string& path) const;
  bool IsDirectory(const std::string& path) const;
  /// True if `path` exists.
  bool Exists(const std::string& path) const;
  std::optional<FileInfo> Stat(const std::string& path) const;
  std::optional<FileInfo> Lstat(const std::string& path) const;
  /// Reads a whole regular file of at most `max_bytes` (0: kMaxHostRead); nullopt with
  /// `error` on failure.
  std::optional<std::string> ReadFile(const std::string& path, std::string* error, uint64_t max_bytes = 0) const;
  /// Names in a directory, sorted (empty if it is none).
  std::vector<std::string> ListDir(const std::string& path) const;
  /// The canonical path, or `path` itself where it cannot be resolved.
  std::string RealPath(const std::string& path) const;
  /// The current directory in the host's namespace.
  std::string Cwd() const;
  std::optional<std::string> Getenv(const std::string& name) const;
  /// The home directory of the current user from the password database.
  std::string PasswdHome() const;
  /// `n` random bytes (fresh UUIDs).
  std::string RandomBytes(size_t n) const;
  /// os.path.abspath in the host's namespace.
  std::string AbsPath(const std::string& path) const;
};

/// The real machine, optionally confined to `root` ("" = "/").
class RealHost : public Host {
 public:
  explicit RealHost(std::string root = "");
  HostReply Ask(const HostRequest& request) const override;

 private:
  std::string Real(const std::string& path, bool follow_last = true) const;
  std::string Unreal(std::string path) const;
  /// The current directory as seen inside the root ("/" when it is outside, as after
  /// chroot): where a config's relative paths start.
  std::string CwdInRoot() const;
  /// A config's stat, lstat, read_file, list_dir and real_path under `request.policy`.
  HostReply AskConfined(const HostRequest& request) const;
  std::string root_;
};

/// `--host=auto|yes|no` resolved: whether a compilation looks up the host files a config
/// names. auto: with a `root`, or on a Xen control domain (/proc/xen/capabilities says
/// control_d). When not, `reason` says why, for a summary. False for an unknown mode.
bool WantHostFiles(const std::string& mode, const std::string& root, std::string* reason);

/// A random (version 4) UUID from the host's randomness, as xend wrote UUIDs (8-4-4-4-12).
std::string FreshUuid(const Host& host);

/// Answers a request in its JSON text with the reply's JSON text (a malformed request gets
/// an EINVAL reply): what a Host asked from another process does.
std::string AskWire(const Host& host, const std::string& request);

/// True if canonical `path` is `dir` or below it.
bool Inside(const std::string& path, const std::string& dir);

/// A failed reply with `error`'s text and code; a successful one carrying `data`.
HostReply ReplyError(int error);
HostReply ReplyOk(std::string data = "");

/// The most a Host reads of one file (a larger one fails with EFBIG).
inline constexpr size_t kMaxHostRead = size_t{16} << 20;

/// Where a config may read with the rights of the user running xmc ("own" directories);
/// everywhere else it reads only what any unprivileged user could. See ConfinedHost.
struct ReadPolicy {
  /// Canonical directories in the host's namespace: the config's own directory and the
  /// trees being checked ("/" is never one). Under a root (--root), all of the root is
  /// the user's own.
  std::vector<std::string> own_dirs;
};

/// The environment variables a config sees by default: what says who and where the user
/// is and how text is written, nothing that is commonly a secret.
inline constexpr const char* kPassedEnvironment[] = {"HOME", "USER", "LOGNAME",  "PATH", "SHELL",   "PWD",
                                                     "TERM", "LANG", "LANGUAGE", "TZ",   "HOSTNAME"};

/// True when a config sees the environment variable `name`: kPassedEnvironment, the
/// LC_* variables, and the names in `extra` (--pass-env).
bool PassedToConfigs(const std::string& name, const std::vector<std::string>& extra);

/// What a config's code may ask of `inner`, and how it is answered:
/// - files and directories: inside the policy's own directories (or --root), whatever the
///   user running xmc may read; outside them, only what an unprivileged user could: every
///   directory on the way searchable by others, the file (or listed directory) readable by
///   others. A directory that others may not search hides what is below it: stat and
///   exists answer EACCES, as they would for such a user. Checked on the descriptors read
///   from, each symlink followed by xmc itself (RealHost::AskConfined);
/// - /proc and /sys: the few entries configs read about the machine (kernel views listed in
///   host.cc), nothing about its processes or kernel memory;
/// - the environment: the variables PassedToConfigs names, no other;
/// - few random bytes at a time.
class ConfinedHost : public Host {
 public:
  /// The policy's directories may be relative or hold symlinks: they are made canonical
  /// in `inner`'s namespace here.
  explicit ConfinedHost(const Host& inner, ReadPolicy policy = {}, std::vector<std::string> pass_env = {});
  HostReply Ask(const HostRequest& request) const override;

 private:
  const Host& inner_;
  ReadPolicy policy_;
  std::vector<std::string> pass_env_;
};

/// A string of any bytes as JSON can carry it: each byte as the code point of the same
/// value (Latin-1), UTF-8 encoded; and back (nullopt: not such a string).
std::string ToLatin1Utf8(const std::string& bytes);
std::optional<std::string> FromLatin1Utf8(const std::string& text);

}  // namespace xmc
