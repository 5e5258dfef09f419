#include "runtime/plan.h"

#include <sstream>

#include "compiler/emit/backend.h"

namespace xmc::runtime {

LaunchPlan PlanFor(const DomainConfig& config, const std::string& source, Diagnostics* not_expressed) {
  LaunchPlan plan;
  plan.name = config.name.value.value_or("");
  plan.source = source;
  EmitOptions options;
  options.file = source;
  std::ostringstream json, xl;
  FindBackend("libxl-json")->emit(config, options, json, nullptr);
  plan.libxl_json = json.str();
  FindBackend("xl")->emit(config, options, xl, not_expressed);
  auto action = [](const Field<std::string>& f, Action fallback) {
    return f.value ? ParseAction(*f.value).value_or(fallback) : fallback;
  };
  plan.policy.on_poweroff = action(config.on_poweroff, Action::kDestroy);
  plan.policy.on_reboot = action(config.on_reboot, Action::kRestart);
  plan.policy.on_crash = action(config.on_crash, Action::kRestart);
  return plan;
}

}  // namespace xmc::runtime
