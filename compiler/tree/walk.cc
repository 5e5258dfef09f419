#include "compiler/tree/walk.h"

#include <algorithm>

namespace xmc {

std::string NotAConfig(const std::string& name) {
  static const char* const kBackupEndings[] = {"~",        ".bak",      ".orig",     ".old",      ".rpmnew",
                                               ".rpmsave", ".rpmorig",  ".dpkg-old", ".dpkg-new", ".dpkg-dist",
                                               ".ucf-old", ".ucf-dist", ".swp",      ".tmp"};
  auto ends_with = [&](const std::string& end) {
    return name.size() > end.size() && name.compare(name.size() - end.size(), end.size(), end) == 0;
  };
  for (const char* e : kBackupEndings) {
    if (ends_with(e)) return "a backup or editor file";
  }
  if (name.empty() || name[0] == '.' || name[0] == '#') return "a hidden or editor file";
  static const char* const kToolFiles[] = {"xend-config.sxp", "xm-config.xml",          "xl.conf",
                                           "cpupool",         "xend-config-xenapi.sxp", "xm-config-xenapi.xml"};
  for (const char* t : kToolFiles) {
    if (name == t) return "a configuration file of the toolstack, not of a domain";
  }
  if (name.rfind("README", 0) == 0) return "documentation";
  if (ends_with(".py") || ends_with(".pyc")) return "a Python module, not a domain config";
  // What `xmc compile --emit xl` (and the language server's "Convert to xl.cfg") writes
  // beside a config: xl's format, and the same domain again.
  if (ends_with(".xl.cfg")) return "an xl.cfg (xl's format, not xm's; the same domain as its xm config)";
  for (const char* ext : {".sxp", ".xml", ".pod", ".sh", ".md", ".txt", ".json", ".rng", ".dtd"}) {
    if (ends_with(ext)) return "not a domain config (by its name)";
  }
  return "";
}

std::vector<TreeWalk::Child> TreeWalk::Children(const std::string& path) const {
  std::vector<Child> children;
  for (const std::string& name : host_.ListDir(path)) {
    std::string shown = path.empty() || path.back() == '/' ? path + name : path + "/" + name;
    children.push_back({shown, name, host_.IsDirectory(shown)});
  }
  std::stable_sort(children.begin(), children.end(),
                   [](const Child& a, const Child& b) { return a.dir != b.dir ? b.dir : a.name < b.name; });
  return children;
}

// Iterative: a tree as deep as the file system allows is walked with a stack of its own.
void TreeWalk::Walk(const std::string& path, const std::function<void(const std::string&)>& visit, bool* io_error) {
  auto info = host_.Stat(path);
  if (!info) {
    diags_->Add<DiagId::kIoError>(path, Span{}, "", path, "No such file or directory");
    *io_error = true;
    return;
  }
  std::string top = host_.RealPath(path);
  if (!seen_.insert(top).second) return;  // met already, through a symlink
  if (info->kind != FileInfo::Kind::kDirectory) {
    visit(path);
    return;
  }
  struct Level {
    std::vector<Child> children;
    std::string real;  // the directory's canonical path: a child's is this and its name
    size_t next = 0;
  };
  std::vector<Level> stack;
  stack.push_back({Children(path), top});
  while (!stack.empty()) {
    if (stack.back().next == stack.back().children.size()) {
      stack.pop_back();
      continue;
    }
    Child child = stack.back().children[stack.back().next++];
    std::string parent_real = stack.back().real;
    if (child.dir && (child.name == "scripts" || child.name[0] == '.')) {
      diags_->Add<DiagId::kSkippedFile>(
          child.shown, Span{}, "", child.shown,
          child.name == "scripts" ? "the hotplug scripts directory" : "a hidden directory");
      continue;
    }
    if (!child.dir) {
      std::string why = NotAConfig(child.name);
      if (!why.empty()) {
        diags_->Add<DiagId::kSkippedFile>(child.shown, Span{}, "", child.shown, why);
        continue;
      }
    }
    // Only a symlink needs resolving (realpath costs a lookup per component: in a deep
    // tree, per entry).
    auto link = host_.Lstat(child.shown);
    bool is_link = link && link->kind == FileInfo::Kind::kSymlink;
    auto kind = is_link ? host_.Stat(child.shown) : link;
    if (!kind) {  // a dangling symlink, gone meanwhile, or a path too long to open
      HostRequest q;
      q.op = HostRequest::Op::kStat;
      q.path = child.shown;
      diags_->Add<DiagId::kIoError>(child.shown, Span{}, "", child.shown,
                                    is_link ? "a symbolic link to nothing" : host_.Ask(q).error);
      *io_error = true;
      continue;
    }
    std::string real =
        is_link ? host_.RealPath(child.shown) : parent_real + (parent_real == "/" ? "" : "/") + child.name;
    bool inside = trees_.empty() ? Inside(real, top)
                                 : std::any_of(trees_.begin(), trees_.end(),
                                               [&](const std::string& t) { return Inside(real, t); });
    if (is_link && !inside) {
      diags_->Add<DiagId::kSkippedFile>(child.shown, Span{}, "", child.shown,
                                        std::string("a link to a ") +
                                            (kind->kind == FileInfo::Kind::kDirectory ? "directory" : "file") +
                                            " outside the tree ('" + real + "')");
      continue;
    }
    if (!seen_.insert(real).second) continue;  // met already, through a symlink
    if (kind->kind == FileInfo::Kind::kDirectory) {
      stack.push_back({Children(child.shown), real});
    } else if (kind->kind != FileInfo::Kind::kFile) {
      diags_->Add<DiagId::kSkippedFile>(child.shown, Span{}, "", child.shown, "not a regular file");
    } else if (limit_ > 0 && visited_ >= limit_) {
      truncated_ = true;
      return;
    } else {
      ++visited_;
      visit(child.shown);
    }
  }
}

}  // namespace xmc
