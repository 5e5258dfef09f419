#include "compiler/tree/check_paths.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include "compiler/check/xendomains.h"
#include "compiler/host/host.h"
#include "compiler/tree/cross_file.h"
#include "compiler/tree/walk.h"

namespace xmc {
namespace {

struct Work {
  std::string display;  ///< path as shown in diagnostics
  std::string path;     ///< path to read (host namespace)
  std::string text;     ///< its bytes, read once; released when compiled
  bool xendomains = false;
  bool compiled = false;
  Diagnostics diags;                 ///< its findings: xendomains checks, then the compilation's
  std::vector<TreeFact> facts;       ///< for the cross-file checks, until they took them
  std::optional<SourceFile> source;  ///< kept only if some finding is on this file
};

class Checker {
 public:
  Checker(const CheckPathsRequest& request, PythonHost* python, const PythonFactory& more_python)
      : request_(request), python_(python), more_python_(more_python), host_(request.root) {}

  CheckedPaths Run() {
    // The trees given: the walk does not leave them through a symlink, and a config in
    // them reads in them with the user's rights (ReadPolicy).
    std::vector<std::string> trees;
    for (const std::string& p : request_.paths) {
      if (host_.IsDirectory(p)) trees_.push_back(host_.RealPath(p));
      trees.push_back(host_.RealPath(p));
    }
    walk_.set_trees(trees);
    for (const std::string& p : request_.paths) Add(p, true);
    CompileAll();  // an unreadable file is reported; the others are still checked
    CheckedPaths result;
    result.diagnostics = top_.all();
    for (Work& w : work_) {
      result.diagnostics.insert(result.diagnostics.end(), w.diags.all().begin(), w.diags.all().end());
      result.cut_errors += w.diags.CutErrors();
      result.cut_warnings += w.diags.CutWarnings();
      if (w.source) result.sources.emplace(w.display, std::move(*w.source));
    }
    result.diagnostics.insert(result.diagnostics.end(), tree_.all().begin(), tree_.all().end());
    result.files = work_.size();
    result.io_error = io_error_;
    return result;
  }

 private:
  /// Adds a file or walks a directory; `explicit_path` files are checked whatever their name.
  void Add(const std::string& path, bool explicit_path) {
    walk_.Walk(
        path, [&](const std::string& file) { AddFile(file, explicit_path && file == path); }, &io_error_);
  }

  void AddFile(const std::string& path, bool explicit_path) {
    Work w;
    w.display = path;
    w.path = path;
    std::string error;
    uint64_t limit = request_.base.max_input_bytes ? request_.base.max_input_bytes : kMaxHostRead;
    auto text = host_.ReadFile(path, &error, limit);
    if (!text) {
      if (error.rfind("larger than", 0) == 0) error += " (--max-input-size)";
      top_.Add<DiagId::kIoError>(path, Span{}, "", path, error);
      io_error_ = true;
      return;
    }
    if (!explicit_path && LooksBinary(*text)) {
      top_.Add<DiagId::kSkippedFile>(path, Span{}, "", path, "a binary file");
      return;
    }
    w.xendomains = LooksLikeXendomains(path, *text);
    w.text = *text;
    work_.push_back(std::move(w));
    if (work_.back().xendomains) {
      // The service starts every config of its AUTO directory: check those too.
      Work& x = work_.back();
      x.source = SourceFile(path, std::move(x.text));
      x.compiled = true;
      XendomainsSettings s = CheckXendomains(*x.source, request_.root.empty() ? nullptr : &host_, &x.diags);
      if (!s.auto_dir.empty() && host_.Exists(s.auto_dir) && !host_.IsFile(s.auto_dir)) {
        std::string auto_dir = s.auto_dir;
        // Only inside the paths given: a settings file cannot send xmc elsewhere.
        if (InsideGivenPaths(auto_dir)) {
          Add(auto_dir, false);
        } else {
          top_.Add<DiagId::kSkippedFile>(path, Span{}, "", auto_dir,
                                         "the AUTO directory it names is outside the paths given to check");
        }
      }
    }
  }

  bool InsideGivenPaths(const std::string& path) const {
    std::string real = host_.RealPath(path);
    for (const std::string& given : request_.paths) {
      if (Inside(real, host_.RealPath(given))) return true;
    }
    return false;
  }

  /// The request for `w`; its text moves into it.
  CompileRequest Request(Work& w) const {
    CompileRequest r = CheckRequest(request_.base, w.path, w.display, std::move(w.text));
    r.own_dirs.insert(r.own_dirs.end(), trees_.begin(), trees_.end());
    w.text = std::string();
    return r;
  }

  /// Every file on the threads asked for. Each thread has an evaluator worker of its own
  /// for the files with code (started on its first one); each such file runs in a fresh
  /// sandboxed child, so nothing one file does reaches another. Of each compilation only
  /// its findings and its facts for the cross-file checks are kept (Finish), so that memory
  /// does not grow with the tree.
  void CompileAll() {
    for (size_t i = 0; i < work_.size(); ++i) {
      if (!work_[i].xendomains) configs_.push_back(i);
    }
    std::atomic<size_t> next{0};
    auto worker = [&](PythonHost* python) {
      for (size_t k = next++; k < configs_.size(); k = next++) {
        Finish(k, Compile(Request(work_[configs_[k]]), host_, python));
      }
    };
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    unsigned n = std::max(1u, std::min({request_.threads, cores, static_cast<unsigned>(configs_.size())}));
    std::vector<std::thread> threads;
    for (unsigned t = 1; t < n && more_python_; ++t)
      threads.emplace_back([&] {
        std::unique_ptr<PythonHost> own = more_python_();
        worker(own.get());
      });
    worker(python_);
    for (std::thread& t : threads) t.join();
  }

  /// Keeps what the report needs of configs_[k]'s compilation, then hands every config
  /// whose predecessors are all done to the cross-file checks, in tree order (a finding is
  /// reported at the later config, whichever thread finished first).
  void Finish(size_t k, Compilation c) {
    std::lock_guard<std::mutex> lock(mutex_);
    Work& w = work_[configs_[k]];
    w.diags.Append(c.diags);
    if (c.evaluated) w.facts = TreeFactsOf(c.config);
    w.source = std::move(c.source);
    w.compiled = true;
    for (; committed_ < configs_.size() && work_[configs_[committed_]].compiled; ++committed_) {
      Work& x = work_[configs_[committed_]];
      size_t found = tree_checker_.Add(x.display, x.facts, &tree_);
      x.facts = {};
      if (found == 0 && x.diags.empty()) x.source.reset();
    }
  }

  const CheckPathsRequest& request_;
  PythonHost* python_;
  const PythonFactory& more_python_;
  RealHost host_;
  Diagnostics top_, tree_;
  TreeWalk walk_{host_, &top_};
  std::vector<std::string> trees_;  ///< the directories given, canonical
  std::vector<Work> work_;
  std::vector<size_t> configs_;  ///< indices into work_ of the configs (not xendomains files)
  std::mutex mutex_;             ///< guards Finish
  size_t committed_ = 0;         ///< configs_[0, committed_) went through the cross-file checks
  TreeChecker tree_checker_;
  bool io_error_ = false;
};

}  // namespace

CheckedPaths CheckPaths(const CheckPathsRequest& request, PythonHost* python, const PythonFactory& more_python) {
  return Checker(request, python, more_python).Run();
}

CompileRequest CheckRequest(CompileRequest base, const std::string& path, const std::string& display,
                            std::string text) {
  base.unsandboxed = false;  // never for check, the language server or the Python module
  base.path = path;
  base.text = std::move(text);
  base.xm_file = display;
  base.defconfig = display;
  return base;
}

bool LooksBinary(const std::string& text) { return text.substr(0, 4096).find('\0') != std::string::npos; }

}  // namespace xmc
