// The descriptor-level helpers RealHost's two ways of answering share (real.cc, confined.cc).
// Internal to compiler/host/.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "compiler/host/host.h"

namespace xmc {

/// What stat() said, in the Host's terms.
FileInfo InfoOf(const struct stat& st);

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
void PushComponents(const std::string& path, std::vector<std::string>* todo);

/// Why what is not a regular file is not read: EISDIR, or EINVAL saying what it is.
HostReply NotRegular(mode_t mode);

/// The whole of a regular file open at `fd`, at most `count` bytes (0: kMaxHostRead).
HostReply ReadWhole(int fd, uint64_t count);

/// The names in the directory open at `fd` (taken over), sorted.
HostReply ListWhole(Fd fd);

}  // namespace xmc
