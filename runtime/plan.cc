#include "runtime/plan.h"

#include <sstream>

#include "compiler/derive/xend_model.h"
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
  // The actions after xend's defaults and the old `restart` variable; xend refused
  // restart = 'never' (xm.md 9.10), which the checks report: xend's defaults then.
  XendModel m = Derive(config);
  plan.policy.on_poweroff = ParseAction(m.on_poweroff).value_or(Action::kDestroy);
  plan.policy.on_reboot = ParseAction(m.on_reboot).value_or(Action::kRestart);
  plan.policy.on_crash = ParseAction(m.on_crash).value_or(Action::kRestart);
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
  for (const Nic& nic : Derive(config).nics) {
    if (names(nic[NicKey::kBridge].value_or("")) || names(nic[NicKey::kMac].value_or("")))
      return std::make_pair("vif[" + std::to_string(nic.index) + "]", nic.span);
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
