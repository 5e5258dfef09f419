#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <net/if.h>
#include <pwd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

#include "compiler/base/json_shape.h"
#include "compiler/base/py2.h"
#include "compiler/base/strings.h"
#include "compiler/host/host.h"
#include "compiler/host/io.h"

namespace xmc {

using Op = HostRequest::Op;

// --- What a config may ask ------------------------------------------------------------------

namespace {

/// The /proc and /sys entries (and what is below them) a config may look at: what configs
/// and xm read about the machine, nothing about its processes, kernel memory or devices.
const char* const kKernelViews[] = {
    "/proc/cpuinfo",
    "/proc/meminfo",
    "/proc/version",
    "/proc/uptime",
    "/proc/loadavg",
    "/proc/stat",
    "/proc/partitions",
    "/proc/swaps",
    "/proc/filesystems",
    "/proc/net/route",
    "/proc/net/dev",
    "/proc/xen",
    "/proc/sys/kernel/hostname",
    "/proc/sys/kernel/osrelease",
    "/proc/sys/kernel/ostype",
    "/proc/sys/kernel/domainname",
    "/sys/bus/pci",
    "/sys/class/net",
    "/sys/devices/system/cpu",
    "/sys/devices/system/node",
    "/sys/hypervisor",
};

enum class View { kOther, kAllowed, kAncestor, kDenied };

/// What `path` (normalised) is for the kernel-view rule.
View KernelView(const std::string& path) {
  if (!Inside(path, "/proc") && !Inside(path, "/sys")) return View::kOther;
  for (const char* entry : kKernelViews) {
    if (Inside(path, entry)) return View::kAllowed;
    if (Inside(entry, path)) return View::kAncestor;
  }
  return View::kDenied;
}

/// A path walked for a config: the directories on the way held open, so that what is
/// finally opened is in the directory that was checked, whatever is renamed or re-linked
/// meanwhile.
struct Walked {
  std::vector<Fd> dirs;  ///< the root first, then each directory entered
  std::string path;      ///< what the path names, resolved (host namespace; "" = the root)
  std::string last;      ///< its last component ("" when the path ends in a directory walked)
  Fd entry;              ///< what `last` names (O_PATH), as the walk found it
};

}  // namespace

bool PassedToConfigs(const std::string& name, const std::vector<std::string>& extra) {
  for (const char* passed : kPassedEnvironment) {
    if (name == passed) return true;
  }
  return name.rfind("LC_", 0) == 0 || std::find(extra.begin(), extra.end(), name) != extra.end();
}

HostReply RealHost::AskConfined(const HostRequest& q) const {
  const ReadPolicy& policy = *q.policy;
  std::string lexical = py2::NormPath(!q.path.empty() && q.path[0] == '/' ? q.path : CwdInRoot() + "/" + q.path);
  // Inside the own directories (all of the root under --root) the user's rights apply;
  // never in all of "/" (a config there, or a service whose current directory it is).
  auto own = [&](const std::string& p) {
    if (!root_.empty()) return true;
    for (const std::string& dir : policy.own_dirs) {
      if (dir != "/" && Inside(p.empty() ? "/" : p, dir)) return true;
    }
    return false;
  };
  // ... and on the way to them: the directories above a repository in a private home.
  auto toward_own = [&](const std::string& p) {
    if (own(p)) return true;
    for (const std::string& dir : policy.own_dirs) {
      if (dir != "/" && Inside(dir, p.empty() ? "/" : p)) return true;
    }
    return false;
  };
  if (KernelView(lexical) == View::kDenied) return ReplyError(EACCES);

  Walked w;
  w.dirs.emplace_back(::open(root_.empty() ? "/" : root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (w.dirs.back().get() < 0) return ReplyError(errno);
  std::vector<std::string> todo;
  PushComponents(lexical, &todo);
  bool follow_last = q.op != Op::kLstat;
  int links = 0;
  while (!todo.empty()) {
    std::string part = std::move(todo.back());
    todo.pop_back();
    if (part == ".") continue;
    if (part == "..") {
      if (w.dirs.size() > 1) {
        w.dirs.pop_back();
        w.path.erase(w.path.rfind('/'));
      }
      continue;
    }
    // Looking in a directory: outside the own ones, others must be allowed to search it.
    std::string candidate = w.path + "/" + part;
    struct stat dir;
    if (!toward_own(candidate) && (::fstat(w.dirs.back().get(), &dir) != 0 || (dir.st_mode & S_IXOTH) == 0)) {
      return ReplyError(EACCES);
    }
    Fd entry(::openat(w.dirs.back().get(), part.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (entry.get() < 0) return ReplyError(errno);
    struct stat st;
    if (::fstat(entry.get(), &st) != 0) return ReplyError(errno);
    bool last = todo.empty();
    if (S_ISLNK(st.st_mode) && (!last || follow_last)) {
      // Followed here, its target walked like any path: a link in /proc to a process's
      // file ("magic") is only its text, which leads where that text says.
      if (++links > 40) return ReplyError(ELOOP);
      std::vector<char> target(4096);
      ssize_t n = ::readlinkat(entry.get(), "", target.data(), target.size());
      if (n <= 0) return ReplyError(n < 0 ? errno : ENOENT);
      std::string t(target.data(), static_cast<size_t>(n));
      if (t[0] == '/') {
        w.dirs.resize(1);
        w.path.clear();
      }
      PushComponents(t, &todo);
      continue;
    }
    if (last) {
      w.path = candidate;
      w.last = part;
      w.entry = std::move(entry);
      break;
    }
    if (!S_ISDIR(st.st_mode)) return ReplyError(ENOTDIR);
    w.dirs.push_back(std::move(entry));
    w.path = candidate;
  }
  // Where the path led: a kernel view only if it is one (or was asked for as one:
  // /proc/net is a link to the asking process's own directory).
  std::string resolved = w.path.empty() ? "/" : w.path;
  View view = KernelView(resolved);
  if (view == View::kDenied && KernelView(lexical) != View::kAllowed) return ReplyError(EACCES);
  bool mine = own(resolved);
  bool listing_ok = view != View::kAncestor;

  // What it is, from the descriptor the walk holds.
  int dir_fd = w.dirs.back().get();
  Fd target = w.last.empty() ? Fd(::openat(dir_fd, ".", O_PATH | O_CLOEXEC)) : std::move(w.entry);
  if (target.get() < 0) return ReplyError(errno);
  struct stat st;
  if (::fstat(target.get(), &st) != 0) return ReplyError(errno);
  switch (q.op) {
    case Op::kStat:
    case Op::kLstat: {
      HostReply r = ReplyOk();
      r.info = InfoOf(st);
      return r;
    }
    case Op::kRealPath: return ReplyOk(resolved);
    case Op::kReadFile: {
      if (!S_ISREG(st.st_mode)) return NotRegular(st.st_mode);
      // Opened again to read (an O_PATH descriptor cannot be): it must be the file walked,
      // and the rights that count are those of the descriptor read from.
      Fd fd(::openat(dir_fd, w.last.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
      if (fd.get() < 0) return ReplyError(errno == ELOOP ? EAGAIN : errno);
      struct stat opened;
      if (::fstat(fd.get(), &opened) != 0) return ReplyError(errno);
      if (opened.st_dev != st.st_dev || opened.st_ino != st.st_ino) return ReplyError(EAGAIN);  // replaced meanwhile
      if (!mine && (opened.st_mode & S_IROTH) == 0) return ReplyError(EACCES);
      return ReadWhole(fd.get(), q.count);
    }
    case Op::kListDir: {
      if (!S_ISDIR(st.st_mode)) return ReplyError(ENOTDIR);
      Fd fd(::openat(target.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));  // the very directory walked
      if (fd.get() < 0) return ReplyError(errno);
      if (::fstat(fd.get(), &st) != 0) return ReplyError(errno);
      if (!listing_ok || (!mine && (st.st_mode & S_IROTH) == 0)) return ReplyError(EACCES);
      return ListWhole(std::move(fd));
    }
    default: return ReplyError(EINVAL);
  }
}

ConfinedHost::ConfinedHost(const Host& inner, ReadPolicy policy, std::vector<std::string> pass_env)
    : inner_(inner), policy_(std::move(policy)), pass_env_(std::move(pass_env)) {
  // The walk compares the paths it resolved with these.
  for (std::string& dir : policy_.own_dirs) dir = inner_.RealPath(inner_.AbsPath(dir));
}

HostReply ConfinedHost::Ask(const HostRequest& q) const {
  HostRequest asked = q;
  asked.policy = &policy_;
  switch (q.op) {
    case Op::kGetenv:
      if (!PassedToConfigs(q.path, pass_env_)) return ReplyError(ENOENT);
      break;
    case Op::kEnviron: {
      HostReply r = inner_.Ask(asked);
      std::erase_if(r.environ, [&](const auto& kv) { return !PassedToConfigs(kv.first, pass_env_); });
      return r;
    }
    case Op::kRandom:
      if (q.count > 4096) return ReplyError(EINVAL);
      break;
    default: break;
  }
  return inner_.Ask(asked);
}

}  // namespace xmc
