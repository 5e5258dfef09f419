// The real MonitorStarter: the monitor of each domain is a small daemon (as xl leaves
// one), forked from `xmc create`, in a session of its own, logging to
// /var/log/xmc/NAME.log; it opens libxl and XenStore anew (a libxl context does not
// survive a fork) and runs Monitor until no domain of the plan is left.
#pragma once

#include "runtime/launch.h"

namespace xmc::runtime {

class DaemonMonitorStarter : public MonitorStarter {
 public:
  explicit DaemonMonitorStarter(std::string log_dir = "/var/log/xmc") : log_dir_(std::move(log_dir)) {}
  bool Start(const LaunchPlan& plan, uint32_t domid, std::string* error) override;

 private:
  std::string log_dir_;
};

/// Runs the monitor in this process (`xmc create --foreground`), logging to stderr.
void RunMonitorHere(const LaunchPlan& plan, uint32_t domid);

}  // namespace xmc::runtime
