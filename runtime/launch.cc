#include "runtime/launch.h"

#include <nlohmann/json.hpp>

namespace xmc::runtime {

std::string RecordPath(uint32_t domid) { return "/xmc/domain/" + std::to_string(domid); }

bool WriteRecord(XenStore& store, uint32_t domid, const LaunchPlan& plan) {
  std::string at = RecordPath(domid);
  return store.Transaction([&] {
    return store.Mkdir(at) && store.SetPermissions(at, {"n0"}) && store.Write(at + "/name", plan.name) &&
           store.Write(at + "/config", plan.source) &&
           store.Write(at + "/on_poweroff", ActionName(plan.policy.on_poweroff)) &&
           store.Write(at + "/on_reboot", ActionName(plan.policy.on_reboot)) &&
           store.Write(at + "/on_crash", ActionName(plan.policy.on_crash));
  });
}

namespace {

/// Undoes what a failed launch left: the domain (libxl takes its devices and XenStore
/// nodes with it) and xmc's record.
void RollBack(uint32_t domid, DomainDriver& driver, XenStore& store, LaunchResult* r) {
  std::string error;
  if (!driver.Destroy(domid, &error)) {
    r->rolled_back = false;
    r->error += "; destroying the half-started domain failed too: " + error;
  }
  store.Remove(RecordPath(domid));
}

/// Creates the domain again (a restart): the same JSON, recorded and unpaused.
bool Recreate(const LaunchPlan& plan, DomainDriver& driver, XenStore& store, uint32_t* domid, std::string* error) {
  *domid = kNoDomain;
  if (!driver.Create(plan.libxl_json, domid, error)) {
    std::string ignored;
    if (*domid != kNoDomain) driver.Destroy(*domid, &ignored);
    return false;
  }
  if (!WriteRecord(store, *domid, plan) || !driver.Unpause(*domid, error)) {
    std::string ignored;
    driver.Destroy(*domid, &ignored);
    store.Remove(RecordPath(*domid));
    if (error->empty()) *error = "cannot record the domain in XenStore";
    return false;
  }
  return true;
}

}  // namespace

std::string PlanText(const LaunchPlan& plan) {
  nlohmann::ordered_json j{{"name", plan.name},
                           {"source", plan.source},
                           {"on_poweroff", ActionName(plan.policy.on_poweroff)},
                           {"on_reboot", ActionName(plan.policy.on_reboot)},
                           {"on_crash", ActionName(plan.policy.on_crash)},
                           {"libxl_json", plan.libxl_json}};
  return j.dump(2) + "\n";
}

std::optional<LaunchPlan> PlanFromText(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  LaunchPlan plan;
  auto str = [&j](const char* key) { return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : ""; };
  plan.name = str("name");
  plan.source = str("source");
  plan.libxl_json = str("libxl_json");
  auto poweroff = ParseAction(str("on_poweroff")), reboot = ParseAction(str("on_reboot")),
       crash = ParseAction(str("on_crash"));
  if (plan.name.empty() || plan.libxl_json.empty() || !poweroff || !reboot || !crash) return std::nullopt;
  plan.policy = {*poweroff, *reboot, *crash};
  return plan;
}

LaunchResult Launch(const LaunchPlan& plan, DomainDriver& driver, XenStore& store, MonitorStarter& monitor) {
  LaunchResult r;
  r.domid = kNoDomain;
  if (!driver.Create(plan.libxl_json, &r.domid, &r.error)) {
    r.step = "create";
    // libxl undoes most of its steps itself, but may leave the domain (a failure while
    // storing its configuration, ERROR_ABORTED): destroyed as xl destroys it.
    if (r.domid != kNoDomain) RollBack(r.domid, driver, store, &r);
    return r;
  }
  Adopt(plan, driver, store, monitor, &r);
  return r;
}

void Adopt(const LaunchPlan& plan, DomainDriver& driver, XenStore& store, MonitorStarter& monitor, LaunchResult* out) {
  LaunchResult& r = *out;
  if (!WriteRecord(store, r.domid, plan)) {
    r.step = "record";
    r.error = "cannot write " + RecordPath(r.domid) + " in XenStore";
  } else if (!monitor.Start(plan, r.domid, &r.error)) {
    r.step = "monitor";
  } else if (!plan.paused && !driver.Unpause(r.domid, &r.error)) {
    r.step = "unpause";
  } else {
    r.ok = true;
    return;
  }
  RollBack(r.domid, driver, store, &r);
}

void Monitor(const LaunchPlan& plan, uint32_t domid, DomainDriver& driver, XenStore& store,
             const std::function<void(const std::string&)>& log) {
  for (;;) {
    Stop why = driver.WaitForStop(domid);
    std::string who = "domain " + plan.name + " (id=" + std::to_string(domid) + ")";
    auto action = ActionFor(plan.policy, why);
    if (!action) {
      if (why == Stop::kGone) {
        log(who + " is gone");
        store.Remove(RecordPath(domid));
        return;
      }
      log(who + " stopped (" + StopName(why) + "): nothing to do");
      continue;
    }
    log(who + " stopped (" + StopName(why) + "): " + ActionName(*action));
    std::string error;
    if (*action == Action::kCoredumpDestroy || *action == Action::kCoredumpRestart) {
      std::string file = "/var/lib/xen/dump/" + plan.name + "." + std::to_string(domid) + ".core";
      log(driver.CoreDump(domid, file, &error) ? "core dumped to " + file : "core dump failed: " + error);
    }
    if (*action == Action::kPreserve) {
      // Kept for inspection (xl list shows it); its record goes when someone destroys it.
      log(who + " is preserved");
      driver.WaitForGone(domid);
      log(who + " is gone");
      store.Remove(RecordPath(domid));
      return;
    }
    if (*action == Action::kRenameRestart) {
      std::string kept = plan.name + "--" + std::to_string(domid);
      if (!driver.Rename(domid, kept, &error)) {
        log("rename to " + kept + " failed: " + error + "; destroying it instead");
        driver.Destroy(domid, &error);
      } else {
        log(who + " kept as " + kept);
      }
      store.Remove(RecordPath(domid));
    } else {
      if (!driver.Destroy(domid, &error)) log("destroy failed: " + error);
      store.Remove(RecordPath(domid));
    }
    bool restart =
        *action == Action::kRestart || *action == Action::kRenameRestart || *action == Action::kCoredumpRestart;
    if (!restart) return;
    uint32_t again = 0;
    error.clear();
    if (!Recreate(plan, driver, store, &again, &error)) {
      log("restarting " + plan.name + " failed: " + error);
      return;
    }
    log("domain " + plan.name + " restarted (id=" + std::to_string(again) + ")");
    domid = again;
  }
}

}  // namespace xmc::runtime
