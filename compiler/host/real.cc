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

extern char** environ;

namespace xmc {

using Op = HostRequest::Op;

// --- The real machine ----------------------------------------------------------------------

std::string FreshUuid(const Host& host) {
  std::string b = host.RandomBytes(16);
  b.resize(16);
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
  std::string hex;
  for (char c : b) hex += fmt::format("{:02x}", static_cast<unsigned char>(c));
  return XendUuid(hex);
}

bool WantHostFiles(const std::string& mode, const std::string& root, std::string* reason) {
  if (mode == "yes" || (mode == "auto" && !root.empty())) return true;
  if (mode != "auto") {
    *reason = mode == "no" ? "--host=no" : "unknown host mode '" + mode + "'";
    return false;
  }
  std::string error;
  auto caps = RealHost().ReadFile("/proc/xen/capabilities", &error);
  if (caps && caps->find("control_d") != std::string::npos) return true;
  *reason = "this machine is not a Xen control domain (use --host=yes, or --root DIR)";
  return false;
}

RealHost::RealHost(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
  if (root_ == "/") root_.clear();
  if (!root_.empty()) {
    std::error_code ec;
    auto canonical = std::filesystem::weakly_canonical(root_, ec);
    if (!ec) root_ = canonical.string();
  }
}

// Below a root, a path is resolved as the kernel would inside `chroot root`: component by
// component, a symlink's absolute target starting again at the root and `..` stopping
// there, so that no link leads out of it.
std::string RealHost::Real(const std::string& path, bool follow_last) const {
  if (root_.empty() || path.empty() || path[0] != '/') return path;
  std::vector<std::string> todo;  // the components still to walk, last first
  PushComponents(path, &todo);
  std::string resolved;  // below the root; "" is the root itself
  int links = 0;
  while (!todo.empty()) {
    std::string part = std::move(todo.back());
    todo.pop_back();
    if (part == ".") continue;
    if (part == "..") {
      resolved.erase(resolved.empty() ? 0 : resolved.rfind('/'));
      continue;
    }
    std::string candidate = resolved + "/" + part;
    struct stat st;
    bool last = todo.empty();
    if ((!last || follow_last) && ::lstat((root_ + candidate).c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
      if (++links > 40) return root_ + "/.xmc-too-many-symlinks" + candidate;  // ENOENT, as ELOOP would
      std::vector<char> target(4096);
      ssize_t n = ::readlink((root_ + candidate).c_str(), target.data(), target.size());
      if (n > 0) {
        std::string t(target.data(), static_cast<size_t>(n));
        if (t[0] == '/') resolved.clear();
        PushComponents(t, &todo);
        continue;
      }
    }
    resolved = candidate;
  }
  return root_ + (resolved.empty() ? "/" : resolved);
}

std::string RealHost::CwdInRoot() const {
  std::error_code ec;
  std::string cwd = std::filesystem::current_path(ec).string();
  std::string seen = Unreal(cwd);
  return root_.empty() || seen != cwd || cwd == root_ ? seen : "/";
}

std::string RealHost::Unreal(std::string path) const {
  if (!root_.empty() && path.compare(0, root_.size(), root_) == 0 &&
      (path.size() == root_.size() || path[root_.size()] == '/')) {
    path = path.substr(root_.size());
    if (path.empty()) path = "/";
  }
  return path;
}

HostReply RealHost::Ask(const HostRequest& q) const {
  if (q.policy != nullptr) {
    switch (q.op) {
      case Op::kStat:
      case Op::kLstat:
      case Op::kReadFile:
      case Op::kListDir:
      case Op::kRealPath: return AskConfined(q);
      default: break;
    }
  }
  switch (q.op) {
    case Op::kStat:
    case Op::kLstat: {
      struct stat st;
      int rc = q.op == Op::kStat ? ::stat(Real(q.path).c_str(), &st) : ::lstat(Real(q.path, false).c_str(), &st);
      if (rc != 0) return ReplyError(errno);
      HostReply r = ReplyOk();
      r.info = InfoOf(st);
      return r;
    }
    case Op::kReadFile: {
      // Never blocks (a FIFO), never reads without end (a device): regular files only,
      // at most kMaxHostRead bytes.
      Fd fd(::open(Real(q.path).c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
      if (fd.get() < 0) return ReplyError(errno);
      return ReadWhole(fd.get(), q.count);
    }
    case Op::kListDir: {
      Fd fd(::open(Real(q.path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
      if (fd.get() < 0) return ReplyError(errno);
      return ListWhole(std::move(fd));
    }
    case Op::kRealPath: {
      char* resolved = ::realpath(Real(q.path).c_str(), nullptr);
      if (resolved == nullptr) return ReplyError(errno);
      HostReply r = ReplyOk();
      r.data = Unreal(resolved);
      std::free(resolved);
      return r;
    }
    case Op::kCwd: {
      // A config's relative paths are inside the root (AskConfined); the names given on
      // xmc's command line are the shell's.
      std::error_code ec;
      return ReplyOk(q.policy != nullptr ? CwdInRoot() : Unreal(std::filesystem::current_path(ec).string()));
    }
    case Op::kGetenv: {
      const char* v = std::getenv(q.path.c_str());
      if (v == nullptr) return ReplyError(ENOENT);
      return ReplyOk(v);
    }
    case Op::kEnviron: {
      HostReply r = ReplyOk();
      for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        std::string kv(*e);
        size_t eq = kv.find('=');
        if (eq != std::string::npos) r.environ[kv.substr(0, eq)] = kv.substr(eq + 1);
      }
      return r;
    }
    case Op::kPasswdHome: {
      struct passwd* pw = ::getpwuid(::getuid());
      return ReplyOk(pw != nullptr && pw->pw_dir != nullptr ? pw->pw_dir : "/");
    }
    case Op::kUname: {
      struct utsname u;
      if (::uname(&u) != 0) return ReplyError(errno);
      HostReply r = ReplyOk();
      r.names = {u.sysname, u.nodename, u.release, u.version, u.machine};
      return r;
    }
    case Op::kTime: {
      HostReply r = ReplyOk();
      r.number = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
      return r;
    }
    case Op::kRandom: {
      HostReply r = ReplyOk();
      r.data.assign(q.count, '\0');
      std::ifstream in("/dev/urandom", std::ios::binary);
      in.read(r.data.data(), static_cast<std::streamsize>(q.count));
      return r;
    }
    case Op::kIfAddr: {
      int s = ::socket(AF_INET, SOCK_DGRAM, 0);
      if (s < 0) return ReplyError(errno);
      struct ifreq ifr {};
      std::strncpy(ifr.ifr_name, q.path.c_str(), IFNAMSIZ - 1);
      int rc = ::ioctl(s, q.name == "mask" ? SIOCGIFNETMASK : SIOCGIFADDR, &ifr);
      int saved = errno;
      ::close(s);
      if (rc != 0) return ReplyError(saved);
      HostReply r = ReplyOk();
      char buf[INET_ADDRSTRLEN] = {};
      auto* sin = reinterpret_cast<struct sockaddr_in*>(&ifr.ifr_addr);
      r.data = ::inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof buf) ? buf : "";
      return r;
    }
  }
  return ReplyError(EINVAL);
}

}  // namespace xmc
