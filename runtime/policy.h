// The on_poweroff / on_reboot / on_crash actions (xm's names, xl.cfg(5)'s meanings), and
// which one applies when a domain stops.
#pragma once

#include <optional>
#include <string>

#include "runtime/runtime.h"

namespace xmc::runtime {

enum class Action { kDestroy, kRestart, kPreserve, kRenameRestart, kCoredumpDestroy, kCoredumpRestart };

struct Policy {
  Action on_poweroff = Action::kDestroy;  // xm's defaults
  Action on_reboot = Action::kRestart;
  Action on_crash = Action::kRestart;
};

/// The action called `name` ("rename-restart", ...), or nullopt.
std::optional<Action> ParseAction(const std::string& name);
const char* ActionName(Action a);
const char* StopName(Stop s);

/// What the monitor does when the domain stops for `why`: the crash action for a crash or
/// the watchdog, the reboot action for a reboot, the poweroff action for a poweroff;
/// nothing (nullopt) for a suspend (a save in progress), a soft reset or a domain gone.
std::optional<Action> ActionFor(const Policy& policy, Stop why);

}  // namespace xmc::runtime
