// Starting a domain and watching it: xmc's own steps around libxl's. Launch creates the
// domain paused (libxl), records it in XenStore, starts its monitor and unpauses it; a
// failure at any step after the domain exists destroys it and removes xmc's record, so
// nothing is left behind. Monitor applies the on_* actions until the domain is gone.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "runtime/policy.h"
#include "runtime/runtime.h"

namespace xmc::runtime {

/// Everything needed to start (and restart) a domain: its libxl JSON is computed once,
/// so a restart never runs the config's code again.
struct LaunchPlan {
  std::string name;
  std::string libxl_json;  ///< `xmc compile --emit libxl-json`
  std::string source;      ///< the config file (for the record and the log)
  Policy policy;
  bool paused = false;  ///< -p: leave it paused
};

/// Starts the monitor of a new domain (the real one forks a daemon; fakes record).
class MonitorStarter {
 public:
  virtual ~MonitorStarter() = default;
  virtual bool Start(const LaunchPlan& plan, uint32_t domid, std::string* error) = 0;
};

struct LaunchResult {
  bool ok = false;
  uint32_t domid = 0;
  std::string step;         ///< the step that failed: create, record, monitor, unpause
  std::string error;        ///< what it said
  bool rolled_back = true;  ///< false: the rollback itself failed (error says what is left)
};

/// A plan as text (JSON), for a saved domain's image, and back (nullopt if malformed).
std::string PlanText(const LaunchPlan& plan);
std::optional<LaunchPlan> PlanFromText(const std::string& text);

/// Records, watches and (unless paused) unpauses a domain that exists (created or
/// restored, paused); on failure destroys it and removes the record. `r` is Launch's.
void Adopt(const LaunchPlan& plan, DomainDriver& driver, XenStore& store, MonitorStarter& monitor, LaunchResult* r);

/// Where xmc records a domain it started: dom0-only ("n0"), removed when it goes.
std::string RecordPath(uint32_t domid);
/// Writes the record of `domid` in one transaction: name, config, on_* actions.
bool WriteRecord(XenStore& store, uint32_t domid, const LaunchPlan& plan);

LaunchResult Launch(const LaunchPlan& plan, DomainDriver& driver, XenStore& store, MonitorStarter& monitor);

/// Watches the domain: on each stop, the policy's action; returns when no domain of the
/// plan is left to watch (destroyed, preserved, gone). `log` gets one line per event.
/// A restart creates the domain again from the plan's JSON under the same name.
void Monitor(const LaunchPlan& plan, uint32_t domid, DomainDriver& driver, XenStore& store,
             const std::function<void(const std::string&)>& log);

}  // namespace xmc::runtime
