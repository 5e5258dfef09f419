#include "compiler/host.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/base/py2.h"

namespace xmc {

std::string Host::AbsPath(const std::string& path) const {
  if (!path.empty() && path[0] == '/') return py2::NormPath(path);
  return py2::NormPath(Cwd() + "/" + path);
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

std::string RealHost::Real(const std::string& path) const {
  if (root_.empty() || path.empty() || path[0] != '/') return path;
  return root_ + path;
}

bool RealHost::IsFile(const std::string& path) const {
  struct stat st;
  return ::stat(Real(path).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool RealHost::Exists(const std::string& path) const {
  struct stat st;
  return ::stat(Real(path).c_str(), &st) == 0;
}

std::optional<std::string> RealHost::ReadFile(const std::string& path, std::string* error) const {
  std::ifstream in(Real(path), std::ios::binary);
  if (!in) {
    if (error) *error = std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    if (error) *error = "read error";
    return std::nullopt;
  }
  return ss.str();
}

std::vector<std::string> RealHost::ListDir(const std::string& path) const {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(Real(path), ec)) {
    names.push_back(e.path().filename().string());
  }
  return names;
}

std::string RealHost::Cwd() const {
  std::error_code ec;
  std::string cwd = std::filesystem::current_path(ec).string();
  if (!root_.empty() && cwd.compare(0, root_.size(), root_) == 0 &&
      (cwd.size() == root_.size() || cwd[root_.size()] == '/')) {
    cwd = cwd.substr(root_.size());
    if (cwd.empty()) cwd = "/";
  }
  return cwd;
}

std::optional<std::string> RealHost::Getenv(const std::string& name) const {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

std::string RealHost::PasswdHome() const {
  struct passwd* pw = ::getpwuid(::getuid());
  return pw != nullptr && pw->pw_dir != nullptr ? pw->pw_dir : "/";
}

std::string RealHost::RandomBytes(size_t n) const {
  std::string bytes(n, '\0');
  std::ifstream in("/dev/urandom", std::ios::binary);
  in.read(bytes.data(), static_cast<std::streamsize>(n));
  return bytes;
}

std::string FakeHost::RandomBytes(size_t n) const {
  std::string bytes;
  for (size_t i = 0; i < n; ++i) bytes += static_cast<char>(i);
  return bytes;
}

bool FakeHost::IsFile(const std::string& path) const { return files.count(py2::NormPath(path)) > 0; }

bool FakeHost::Exists(const std::string& path) const {
  std::string p = py2::NormPath(path);
  if (files.count(p)) return true;
  for (const auto& [k, v] : files) {
    if (k.compare(0, p.size() + 1, p + "/") == 0) return true;
  }
  return false;
}

std::optional<std::string> FakeHost::ReadFile(const std::string& path, std::string* error) const {
  auto it = files.find(py2::NormPath(path));
  if (it == files.end()) {
    if (error) *error = "No such file or directory";
    return std::nullopt;
  }
  return it->second;
}

std::vector<std::string> FakeHost::ListDir(const std::string& path) const {
  std::vector<std::string> names;
  std::string prefix = py2::NormPath(path) + "/";
  for (const auto& [k, v] : files) {
    if (k.compare(0, prefix.size(), prefix) == 0) {
      std::string rest = k.substr(prefix.size());
      rest = rest.substr(0, rest.find('/'));
      if (names.empty() || names.back() != rest) names.push_back(rest);
    }
  }
  return names;
}

std::optional<std::string> FakeHost::Getenv(const std::string& name) const {
  auto it = env.find(name);
  if (it == env.end()) return std::nullopt;
  return it->second;
}

}  // namespace xmc
