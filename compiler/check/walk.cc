#include "compiler/check/walk.h"

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
  for (const char* ext : {".sxp", ".xml", ".pod", ".sh", ".md", ".txt", ".json", ".rng", ".dtd"}) {
    if (ends_with(ext)) return "not a domain config (by its name)";
  }
  return "";
}

void TreeWalk::Walk(const std::string& path, const std::function<void(const std::string&)>& visit, bool* io_error) {
  auto info = host_.Stat(path);
  if (!info) {
    diags_->Add<DiagId::kIoError>(path, Span{}, "", path, "No such file or directory");
    *io_error = true;
    return;
  }
  if (!seen_.insert(host_.RealPath(path)).second) return;  // met already, through a symlink
  if (info->kind != FileInfo::Kind::kDirectory) {
    visit(path);
    return;
  }
  struct Child {
    std::string shown, name;
    bool dir;
  };
  std::vector<Child> children;
  for (const std::string& name : host_.ListDir(path)) {
    std::string shown = path.empty() || path.back() == '/' ? path + name : path + "/" + name;
    children.push_back({shown, name, host_.IsDirectory(shown)});
  }
  std::stable_sort(children.begin(), children.end(),
                   [](const Child& a, const Child& b) { return a.dir != b.dir ? b.dir : a.name < b.name; });
  for (const Child& child : children) {
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
    Walk(child.shown, visit, io_error);
  }
}

}  // namespace xmc
