#include "compiler/host.h"

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

extern char** environ;

namespace xmc {
std::string ToLatin1Utf8(const std::string& bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
    }
  }
  return out;
}

std::optional<std::string> FromLatin1Utf8(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if ((c == 0xc2 || c == 0xc3) && i + 1 < text.size()) {
      out += static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(text[++i]) & 0x3f));
    } else {
      return std::nullopt;  // not a byte
    }
  }
  return out;
}

HostReply ReplyError(int error) {
  HostReply r;
  r.error = std::strerror(error);
  r.code = error;
  return r;
}

std::string AskWire(const Host& host, const std::string& request) {
  auto decoded = DecodeRequest(request);
  HostReply reply;
  if (decoded) {
    reply = host.Ask(*decoded);
  } else {
    reply.error = "malformed host request";
    reply.code = EINVAL;
  }
  return EncodeReply(reply);
}

bool Inside(const std::string& path, const std::string& dir) {
  return dir == "/" || path == dir ||
         (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/');
}

HostReply ReplyOk(std::string data) {
  HostReply r;
  r.ok = true;
  r.data = std::move(data);
  return r;
}

namespace {

using Json = nlohmann::json;
using Op = HostRequest::Op;

// --- The wire format --------------------------------------------------------------------
// Strings may hold any bytes (file contents, non-UTF-8 names): each byte is sent as the
// code point of the same value (Latin-1), which JSON can carry.

const char* const kOpNames[] = {"stat",    "lstat",       "read_file", "list_dir", "real_path", "cwd",    "getenv",
                                "environ", "passwd_home", "uname",     "time",     "random",    "if_addr"};
const char* const kKindNames[] = {"file", "directory", "symlink", "other"};

template <typename E, size_t N>
std::optional<E> Lookup(const char* const (&names)[N], const std::string& name) {
  for (size_t i = 0; i < N; ++i) {
    if (name == names[i]) return static_cast<E>(i);
  }
  return std::nullopt;
}

const char* NonRegularKind(mode_t mode) {
  return S_ISDIR(mode)    ? "a directory"
         : S_ISFIFO(mode) ? "a FIFO"
         : S_ISCHR(mode)  ? "a character device"
         : S_ISBLK(mode)  ? "a block device"
         : S_ISSOCK(mode) ? "a socket"
                          : "not a regular file";
}

FileInfo InfoOf(const struct stat& st) {
  FileInfo f;
  f.kind = S_ISREG(st.st_mode)   ? FileInfo::Kind::kFile
           : S_ISDIR(st.st_mode) ? FileInfo::Kind::kDirectory
           : S_ISLNK(st.st_mode) ? FileInfo::Kind::kSymlink
                                 : FileInfo::Kind::kOther;
  f.size = static_cast<uint64_t>(st.st_size);
  f.mode = st.st_mode;
  f.mtime = static_cast<uint64_t>(st.st_mtime);
  f.device = st.st_dev;
  f.inode = st.st_ino;
  return f;
}

}  // namespace

std::string EncodeRequest(const HostRequest& r) {
  Json j{{"op", kOpNames[static_cast<size_t>(r.op)]},
         {"path", ToLatin1Utf8(r.path)},
         {"name", ToLatin1Utf8(r.name)},
         {"count", r.count}};
  return j.dump();
}

std::optional<HostRequest> DecodeRequest(const std::string& json) {
  if (!JsonShapeProblem(json).empty()) return std::nullopt;  // a child's: bounded before parsing
  Json j = Json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("op") || !j["op"].is_string()) return std::nullopt;
  auto op = Lookup<Op>(kOpNames, j["op"].get<std::string>());
  if (!op) return std::nullopt;
  HostRequest r;
  r.op = *op;
  auto text = [&](const char* key) -> std::optional<std::string> {
    if (!j.contains(key)) return std::string();
    if (!j[key].is_string()) return std::nullopt;
    return FromLatin1Utf8(j[key].get<std::string>());
  };
  auto path = text("path");
  auto name = text("name");
  if (!path || !name) return std::nullopt;
  r.path = *path;
  r.name = *name;
  if (j.contains("count")) {
    if (!j["count"].is_number_unsigned()) return std::nullopt;
    r.count = j["count"].get<uint64_t>();
  }
  return r;
}

std::string EncodeReply(const HostReply& r) {
  Json names = Json::array();
  for (const std::string& n : r.names) names.push_back(ToLatin1Utf8(n));
  Json env = Json::object();
  for (const auto& [k, v] : r.environ) env[ToLatin1Utf8(k)] = ToLatin1Utf8(v);
  Json info{{"kind", kKindNames[static_cast<size_t>(r.info.kind)]},
            {"size", r.info.size},
            {"mode", r.info.mode},
            {"mtime", r.info.mtime},
            {"device", r.info.device},
            {"inode", r.info.inode}};
  Json j{{"ok", r.ok},     {"error", r.error}, {"code", r.code}, {"data", ToLatin1Utf8(r.data)},
         {"names", names}, {"environ", env},   {"info", info},   {"number", r.number}};
  return j.dump();
}

/// An unsigned integer of JSON that fits T; a float, a negative number or a larger one
/// throws (converting those would be undefined).
template <typename T>
T Unsigned(const Json& j) {
  if (!j.is_number_unsigned() || j.get<uint64_t>() > std::numeric_limits<T>::max()) {
    throw Json::type_error::create(302, "not an unsigned integer in range", &j);
  }
  return static_cast<T>(j.get<uint64_t>());
}

std::optional<HostReply> DecodeReply(const std::string& json) {
  Json j = Json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  try {
    HostReply r;
    r.ok = j.at("ok").get<bool>();
    r.error = j.at("error").get<std::string>();
    const Json& code = j.at("code");
    if (!code.is_number_integer() || code.get<int64_t>() < INT32_MIN || code.get<int64_t>() > INT32_MAX) {
      return std::nullopt;
    }
    r.code = static_cast<int>(code.get<int64_t>());
    auto data = FromLatin1Utf8(j.at("data").get<std::string>());
    if (!data) return std::nullopt;
    r.data = *data;
    for (const Json& n : j.at("names")) {
      auto name = FromLatin1Utf8(n.get<std::string>());
      if (!name) return std::nullopt;
      r.names.push_back(*name);
    }
    for (const auto& [k, v] : j.at("environ").items()) {
      auto key = FromLatin1Utf8(k);
      auto value = FromLatin1Utf8(v.get<std::string>());
      if (!key || !value) return std::nullopt;
      r.environ[*key] = *value;
    }
    const Json& info = j.at("info");
    auto kind = Lookup<FileInfo::Kind>(kKindNames, info.at("kind").get<std::string>());
    if (!kind) return std::nullopt;
    r.info.kind = *kind;
    r.info.size = Unsigned<uint64_t>(info.at("size"));
    r.info.mode = Unsigned<uint32_t>(info.at("mode"));
    r.info.mtime = Unsigned<uint64_t>(info.at("mtime"));
    r.info.device = Unsigned<uint64_t>(info.at("device"));
    r.info.inode = Unsigned<uint64_t>(info.at("inode"));
    if (!j.at("number").is_number()) return std::nullopt;
    r.number = j.at("number").get<double>();
    return r;
  } catch (const Json::exception&) {
    return std::nullopt;
  }
}

// --- Conveniences over Ask ---------------------------------------------------------------

namespace {
HostRequest Req(Op op, std::string path = "", uint64_t count = 0) {
  HostRequest r;
  r.op = op;
  r.path = std::move(path);
  r.count = count;
  return r;
}
}  // namespace

std::optional<FileInfo> Host::Stat(const std::string& path) const {
  HostReply r = Ask(Req(Op::kStat, path));
  if (!r.ok) return std::nullopt;
  return r.info;
}

std::optional<FileInfo> Host::Lstat(const std::string& path) const {
  HostReply r = Ask(Req(Op::kLstat, path));
  if (!r.ok) return std::nullopt;
  return r.info;
}

bool Host::IsFile(const std::string& path) const {
  auto info = Stat(path);
  return info && info->kind == FileInfo::Kind::kFile;
}

bool Host::IsDirectory(const std::string& path) const {
  auto info = Stat(path);
  return info && info->kind == FileInfo::Kind::kDirectory;
}

bool Host::Exists(const std::string& path) const { return Stat(path).has_value(); }

std::optional<std::string> Host::ReadFile(const std::string& path, std::string* error, uint64_t max_bytes) const {
  HostReply r = Ask(Req(Op::kReadFile, path, max_bytes));
  if (!r.ok) {
    if (error) *error = r.error;
    return std::nullopt;
  }
  return std::move(r.data);
}

std::vector<std::string> Host::ListDir(const std::string& path) const {
  HostReply r = Ask(Req(Op::kListDir, path));
  return r.ok ? r.names : std::vector<std::string>{};
}

std::string Host::RealPath(const std::string& path) const {
  HostReply r = Ask(Req(Op::kRealPath, path));
  return r.ok ? r.data : path;
}

std::string Host::Cwd() const { return Ask(Req(Op::kCwd)).data; }

std::optional<std::string> Host::Getenv(const std::string& name) const {
  HostReply r = Ask(Req(Op::kGetenv, name));
  if (!r.ok) return std::nullopt;
  return r.data;
}

std::string Host::PasswdHome() const { return Ask(Req(Op::kPasswdHome)).data; }

std::string Host::RandomBytes(size_t n) const {
  std::string bytes = Ask(Req(Op::kRandom, "", n)).data;
  bytes.resize(n);
  return bytes;
}

std::string Host::AbsPath(const std::string& path) const {
  if (!path.empty() && path[0] == '/') return py2::NormPath(path);
  return py2::NormPath(Cwd() + "/" + path);
}

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

namespace {

/// A descriptor that closes itself.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      if (fd_ >= 0) ::close(fd_);
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

/// Splits a path into its components, pushed last first onto `todo` (the walk's stack).
void PushComponents(const std::string& path, std::vector<std::string>* todo) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  todo->insert(todo->end(), parts.rbegin(), parts.rend());
}

/// Why what is not a regular file is not read: EISDIR, or EINVAL saying what it is.
HostReply NotRegular(mode_t mode) {
  if (S_ISDIR(mode)) return ReplyError(EISDIR);
  HostReply r = ReplyError(EINVAL);
  r.error = std::string("not a regular file (") + NonRegularKind(mode) + ")";
  return r;
}

/// The whole of a regular file open at `fd`, at most `count` bytes (0: kMaxHostRead).
HostReply ReadWhole(int fd, uint64_t count) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return ReplyError(errno);
  if (!S_ISREG(st.st_mode)) return NotRegular(st.st_mode);
  HostReply r = ReplyOk();
  uint64_t limit = count > 0 && count < kMaxHostRead ? count : kMaxHostRead;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ReplyError(errno);
    if (n == 0) break;
    if (r.data.size() + static_cast<size_t>(n) > limit) {
      HostReply big = ReplyError(EFBIG);
      big.error = "larger than " + std::to_string(limit) + " bytes, the most xmc reads of a file";
      return big;
    }
    r.data.append(buf, static_cast<size_t>(n));
  }
  return r;
}

/// The names in the directory open at `fd` (taken over), sorted.
HostReply ListWhole(Fd fd) {
  DIR* d = ::fdopendir(fd.get());
  if (d == nullptr) return ReplyError(errno);
  (void)fd.release();
  HostReply r = ReplyOk();
  errno = 0;
  while (dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) r.names.emplace_back(e->d_name);
  }
  int error = errno;
  ::closedir(d);
  if (error != 0) return ReplyError(error);
  std::sort(r.names.begin(), r.names.end());
  return r;
}

}  // namespace

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
