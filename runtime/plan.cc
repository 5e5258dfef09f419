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

std::optional<std::pair<std::string, Span>> EntryResponsible(const DomainConfig& config, const std::string& error) {
  auto names = [&error](const std::string& word) { return !word.empty() && error.find(word) != std::string::npos; };
  if (config.disk.value) {
    const auto& disks = *config.disk.value;
    for (size_t i = 0; i < disks.size(); ++i) {
      const Disk& d = disks[i];
      if (names(d.params) || (d.type == "phy" && names(PhyPath(d.params))) || names("vdev=" + d.vdev))
        return std::make_pair("disk[" + std::to_string(i) + "]", d.span);
    }
  }
  if (config.vif.value) {
    const auto& vifs = *config.vif.value;
    for (size_t i = 0; i < vifs.size(); ++i) {
      const std::string* bridge = vifs[i].Get("bridge");
      const std::string* mac = vifs[i].Get("mac");
      if ((bridge && names(*bridge)) || (mac && names(*mac)))
        return std::make_pair("vif[" + std::to_string(i) + "]", vifs[i].span);
    }
  }
  for (const Field<std::string>* f : {&config.kernel, &config.ramdisk}) {
    if (f->value && f->from_user() && names(*f->value))
      return std::make_pair(f == &config.kernel ? "kernel" : "ramdisk", f->span);
  }
  if ((names("memory") || names("Cannot allocate") || names("ENOMEM")) && config.memory.from_user())
    return std::make_pair(std::string("memory"), config.memory.span);
  return std::nullopt;
}

}  // namespace xmc::runtime
