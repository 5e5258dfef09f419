// A Host made of in-memory files, for the unit tests and the fuzz targets: never in the
// programs xmc ships.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/host/host.h"

namespace xmc {

/// A host made of in-memory files, for tests. Paths are normalised; a file's parent
/// directories exist; `links` maps a symlink to its target.
class FakeHost : public Host {
 public:
  std::map<std::string, std::string> files;
  std::map<std::string, std::string> links;
  std::map<std::string, std::string> env;
  std::string cwd = "/etc/xen";
  std::string home = "/root";
  std::vector<std::string> uname{"Linux", "fakehost", "6.1.0", "#1 SMP", "x86_64"};
  double time = 1700000000;
  /// Every request, in order (tests assert what was asked).
  mutable std::vector<HostRequest> asked;

  HostReply Ask(const HostRequest& request) const override;

 private:
  /// The path with symlinks resolved; `loop` is set when they go round in circles.
  std::string Resolve(const std::string& path, bool* loop = nullptr, int depth = 0) const;
};

}  // namespace xmc
