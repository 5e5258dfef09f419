#include "runtime/policy.h"

namespace xmc::runtime {
namespace {

constexpr struct {
  Action action;
  const char* name;
} kActions[] = {{Action::kDestroy, "destroy"},
                {Action::kRestart, "restart"},
                {Action::kPreserve, "preserve"},
                {Action::kRenameRestart, "rename-restart"},
                {Action::kCoredumpDestroy, "coredump-destroy"},
                {Action::kCoredumpRestart, "coredump-restart"}};

}  // namespace

std::optional<Action> ParseAction(const std::string& name) {
  for (const auto& a : kActions) {
    if (name == a.name) return a.action;
  }
  return std::nullopt;
}

const char* ActionName(Action action) {
  for (const auto& a : kActions) {
    if (action == a.action) return a.name;
  }
  return "?";
}

const char* StopName(Stop s) {
  switch (s) {
    case Stop::kPoweroff: return "poweroff";
    case Stop::kReboot: return "reboot";
    case Stop::kCrash: return "crash";
    case Stop::kWatchdog: return "watchdog";
    case Stop::kSoftReset: return "soft_reset";
    case Stop::kSuspend: return "suspend";
    case Stop::kGone: return "gone";
  }
  return "?";
}

std::optional<Action> ActionFor(const Policy& policy, Stop why) {
  switch (why) {
    case Stop::kPoweroff: return policy.on_poweroff;
    case Stop::kReboot: return policy.on_reboot;
    case Stop::kCrash:
    case Stop::kWatchdog: return policy.on_crash;  // xl: a watchdog expiry is a crash
    case Stop::kSoftReset:
    case Stop::kSuspend:
    case Stop::kGone: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace xmc::runtime
