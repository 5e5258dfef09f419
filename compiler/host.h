// What xm read from the machine it ran on, behind one small interface (STYLE 9): file
// existence (kernel, ramdisk, loader, pygrub, config search), file contents, the current
// directory and environment variables. RealHost can be confined to a sysroot (`--root`):
// absolute paths are looked up below it and the current directory is seen relative to it,
// so `xmc --root R create -n` behaves like xm run inside `chroot R`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace xmc {

class Host {
 public:
  virtual ~Host() = default;
  /// True if `path` (in the host's namespace) is a regular file.
  virtual bool IsFile(const std::string& path) const = 0;
  /// True if `path` exists.
  virtual bool Exists(const std::string& path) const = 0;
  /// Reads a whole file; nullopt with `error` on failure.
  virtual std::optional<std::string> ReadFile(const std::string& path, std::string* error) const = 0;
  /// Names in a directory (empty if it is none).
  virtual std::vector<std::string> ListDir(const std::string& path) const = 0;
  /// The current directory in the host's namespace.
  virtual std::string Cwd() const = 0;
  virtual std::optional<std::string> Getenv(const std::string& name) const = 0;
  /// The home directory of the current user from the password database.
  virtual std::string PasswdHome() const = 0;
  /// `n` random bytes (fresh UUIDs).
  virtual std::string RandomBytes(size_t n) const = 0;

  /// os.path.abspath in the host's namespace.
  std::string AbsPath(const std::string& path) const;
};

/// The real machine, optionally confined to `root` ("" = "/").
class RealHost : public Host {
 public:
  explicit RealHost(std::string root = "");
  bool IsFile(const std::string& path) const override;
  bool Exists(const std::string& path) const override;
  std::optional<std::string> ReadFile(const std::string& path, std::string* error) const override;
  std::vector<std::string> ListDir(const std::string& path) const override;
  std::string Cwd() const override;
  std::optional<std::string> Getenv(const std::string& name) const override;
  std::string PasswdHome() const override;
  std::string RandomBytes(size_t n) const override;

 private:
  std::string Real(const std::string& path) const;
  std::string root_;
};

/// A host made of in-memory files, for tests.
class FakeHost : public Host {
 public:
  std::map<std::string, std::string> files;
  std::map<std::string, std::string> env;
  std::string cwd = "/etc/xen";
  std::string home = "/root";

  bool IsFile(const std::string& path) const override;
  bool Exists(const std::string& path) const override;
  std::optional<std::string> ReadFile(const std::string& path, std::string* error) const override;
  std::vector<std::string> ListDir(const std::string& path) const override;
  std::string Cwd() const override { return cwd; }
  std::optional<std::string> Getenv(const std::string& name) const override;
  std::string PasswdHome() const override { return home; }
  /// Bytes 0, 1, 2, ... (repeatable).
  std::string RandomBytes(size_t n) const override;
};

}  // namespace xmc
