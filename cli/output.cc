#include "cli/output.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <vector>

namespace xmc::cli {
namespace {

// The -o temporary file while it exists, for the signal handler (async-signal-safe use
// only: a fixed buffer and unlink).
char g_temp[PATH_MAX + 1];
volatile sig_atomic_t g_temp_set = 0;

void OnStop(int sig) {
  if (g_temp_set) ::unlink(g_temp);
  ::signal(sig, SIG_DFL);
  ::_exit(128 + sig);
}

bool WriteAll(int fd, const std::string& content, std::string* error) {
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *error = std::strerror(n < 0 ? errno : EIO);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

mode_t Umask() {
  mode_t mask = ::umask(0);
  ::umask(mask);
  return mask;
}

}  // namespace

void InstallStopHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnStop;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

bool WriteOutput(const std::string& path, const std::string& content, const std::string& input, std::string* error) {
  struct stat target {};
  bool exists = ::stat(path.c_str(), &target) == 0;
  if (exists && S_ISDIR(target.st_mode)) {
    *error = "it is a directory";
    return false;
  }
  struct stat in {};
  if (exists && !input.empty() && ::stat(input.c_str(), &in) == 0 && in.st_dev == target.st_dev &&
      in.st_ino == target.st_ino) {
    *error = "it is the input file";
    return false;
  }
  if (exists && !S_ISREG(target.st_mode)) {
    // A device or a FIFO: written in place, as a shell redirection would.
    int fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
      *error = std::strerror(errno);
      return false;
    }
    bool ok = WriteAll(fd, content, error);
    if (::close(fd) != 0 && ok) {
      *error = std::strerror(errno);
      ok = false;
    }
    return ok;
  }
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string tmpl = dir + "/." + base + ".xmc-XXXXXX";
  if (tmpl.size() > PATH_MAX) {
    *error = std::strerror(ENAMETOOLONG);
    return false;
  }
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  // The handler must see the name before the file exists: block the signals meanwhile.
  sigset_t stop, old;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  ::sigprocmask(SIG_BLOCK, &stop, &old);
  int fd = ::mkstemp(buf.data());
  if (fd >= 0) {
    std::memcpy(g_temp, buf.data(), buf.size());
    g_temp_set = 1;
  }
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  if (fd < 0) {
    *error = std::strerror(errno);
    return false;
  }
  std::string tmp(buf.data());
  auto fail = [&](int err) {
    *error = std::strerror(err);
    ::unlink(tmp.c_str());
    g_temp_set = 0;
    return false;
  };
  if (!WriteAll(fd, content, error)) {
    ::close(fd);
    std::string e = *error;
    fail(0);
    *error = e;
    return false;
  }
  mode_t mode = exists ? (target.st_mode & 07777) : (0666 & ~Umask());
  if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    return fail(err);
  }
  if (::close(fd) != 0) return fail(errno);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail(errno);
  g_temp_set = 0;
  return true;
}

bool FinishStdout(std::string* error) {
  std::cout.flush();
  bool ok = static_cast<bool>(std::cout);
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) ok = false;
  if (!ok) *error = errno != 0 ? std::strerror(errno) : "write error";
  return ok;
}

}  // namespace xmc::cli
