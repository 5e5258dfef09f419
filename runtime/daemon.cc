#include "runtime/daemon.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace xmc::runtime {
namespace {

void Log(int fd, const std::string& line) {
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S ", std::localtime(&now));
  std::string text = stamp + line + "\n";
  if (::write(fd, text.data(), text.size()) < 0) {
    // nowhere else to say it
  }
}

void Watch(const LaunchPlan& plan, uint32_t domid, int log_fd) {
  std::string error;
  auto driver = OpenLibxl(&error);
  auto store = driver ? OpenXenStore(&error) : nullptr;
  if (!driver || !store) {
    Log(log_fd, "monitor of " + plan.name + " cannot start: " + error);
    return;
  }
  Log(log_fd, "monitoring domain " + plan.name + " (id=" + std::to_string(domid) + ") from " + plan.source);
  Monitor(plan, domid, *driver, *store, [log_fd](const std::string& line) { Log(log_fd, line); });
  Log(log_fd, "monitor of " + plan.name + " ends");
}

}  // namespace

bool DaemonMonitorStarter::Start(const LaunchPlan& plan, uint32_t domid, std::string* error) {
  ::mkdir(log_dir_.c_str(), 0755);
  std::string path = log_dir_ + "/" + plan.name + ".log";
  int log_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (log_fd < 0) {
    *error = "cannot open the monitor's log " + path + ": " + std::strerror(errno);
    return false;
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    ::close(log_fd);
    return false;
  }
  if (pid == 0) {
    // Twice forked: the monitor is no child of xmc create, and no terminal reaches it.
    ::setsid();
    if (::fork() != 0) ::_exit(0);
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    // Nothing else of xmc create's: its libxl and XenStore handles, the evaluator's socket.
    ::closefrom(3);
    if (::chdir("/") != 0) ::_exit(1);
    Watch(plan, domid, 2);
    ::_exit(0);
  }
  ::close(log_fd);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return true;
}

void RunMonitorHere(const LaunchPlan& plan, uint32_t domid) { Watch(plan, domid, 2); }

}  // namespace xmc::runtime
