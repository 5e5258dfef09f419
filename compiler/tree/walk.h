// The walk of `xmc check` over the paths it was given, through the Host (so `--root` and
// a FakeHost apply): a file named on the command line is taken whatever its name; in a
// directory, files come before subdirectories (so auto/ symlinks meet their targets
// already checked), backups, editor and toolstack files and scripts/ are skipped with a
// note, and every file or directory is visited once however many symlinks lead to it
// (symlinks that go round in circles end there). A link to a directory outside the tree is
// not followed, nor one to a file outside it (the trees given: auto/ links into the tree
// are kept); a dangling link is an I/O error, a FIFO or device is skipped; the walk
// keeps a stack of its own, so no depth of directories exhausts xmc's.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/host/host.h"

namespace xmc {

/// Why a file met while walking a directory is not a domain config ("" = it is one).
std::string NotAConfig(const std::string& name);

class TreeWalk {
 public:
  TreeWalk(const Host& host, Diagnostics* diags) : host_(host), diags_(diags) {}
  /// Calls `visit` for each file to check below `path`, in order; a path that does not
  /// exist is an I/O error (reported, `io_error` set). Paths already met (also through
  /// symlinks) give nothing. `visit` may walk further paths.
  void Walk(const std::string& path, const std::function<void(const std::string&)>& visit, bool* io_error);

  /// Visits at most `files` files in all (0: no limit; the language server on a large
  /// workspace folder); truncated() says whether the limit cut a walk short.
  void set_limit(size_t files) { limit_ = files; }
  /// The trees (canonical paths) symlinks may lead into; by default the one being walked.
  /// A link that leads out of them, to a file or a directory, is skipped with a note.
  void set_trees(std::vector<std::string> trees) { trees_ = std::move(trees); }
  bool truncated() const { return truncated_; }

 private:
  struct Child {
    std::string shown, name;
    bool dir;
  };
  /// The entries of a directory: files first, then directories, each by name.
  std::vector<Child> Children(const std::string& path) const;

  const Host& host_;
  Diagnostics* diags_;
  std::set<std::string> seen_;
  std::vector<std::string> trees_;
  size_t limit_ = 0;
  size_t visited_ = 0;
  bool truncated_ = false;
};

}  // namespace xmc
