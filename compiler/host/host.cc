#include "compiler/host/host.h"

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
#include "compiler/host/io.h"

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

}  // namespace

FileInfo InfoOf(const struct stat& st) {
  FileInfo f;
  f.kind = S_ISREG(st.st_mode)   ? FileInfo::Kind::kFile
           : S_ISDIR(st.st_mode) ? FileInfo::Kind::kDirectory
           : S_ISLNK(st.st_mode) ? FileInfo::Kind::kSymlink
                                 : FileInfo::Kind::kOther;
  f.size = static_cast<uint64_t>(st.st_size);
  f.mode = st.st_mode;
  f.mtime = static_cast<uint64_t>(st.st_mtime);
  f.mtime_nsec = static_cast<uint32_t>(st.st_mtim.tv_nsec);
  f.device = st.st_dev;
  f.inode = st.st_ino;
  return f;
}

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
            {"mtime_nsec", r.info.mtime_nsec},
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
    r.info.mtime_nsec = info.contains("mtime_nsec") ? Unsigned<uint32_t>(info.at("mtime_nsec")) : 0;
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

HostReply NotRegular(mode_t mode) {
  if (S_ISDIR(mode)) return ReplyError(EISDIR);
  HostReply r = ReplyError(EINVAL);
  r.error = std::string("not a regular file (") + NonRegularKind(mode) + ")";
  return r;
}

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

}  // namespace xmc
