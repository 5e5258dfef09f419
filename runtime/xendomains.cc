#include "runtime/xendomains.h"

#include <algorithm>

namespace xmc::runtime {
namespace {

bool HasFlag(const std::string& flags, const char* long_flag, const char* short_flag) {
  std::string padded = " " + flags + " ";
  return padded.find(std::string(" ") + long_flag + " ") != std::string::npos ||
         padded.find(std::string(" ") + short_flag + " ") != std::string::npos;
}

std::string Id(uint32_t domid) { return "(id=" + std::to_string(domid) + ")"; }

}  // namespace

std::vector<std::string> UnimplementedSettings(const XendomainsSettings& s) {
  std::vector<std::string> out;
  for (const std::string& name : s.set) {
    if (name == "XENDOMAINS_MIGRATE") {
      out.push_back(name + " is set, but xmc xendomains does not migrate domains on stop; not applied");
    } else if (name == "XENDOMAINS_SYSRQ" || name == "XENDOMAINS_USLEEP") {
      out.push_back(name + " is set, but xmc xendomains sends no SysRq keys on stop; not applied");
    }
  }
  return out;
}

int XendomainsStart(const XendomainsSettings& settings, const std::vector<AutoConfig>& autos, DomainDriver& driver,
                    XenStore& store, MonitorStarter& monitor, const ServiceIo& io) {
  int rc = 0;
  if (settings.restore && !settings.save_dir.empty()) {
    for (const std::string& file : driver.SavedIn(settings.save_dir)) {
      auto extra = driver.ReadSaved(file);
      auto plan = extra ? PlanFromText(*extra) : std::nullopt;
      if (!plan) {
        io.say("cannot restore " + file + ": the saved plan beside it is missing or malformed; left in place");
        rc = 1;
        continue;
      }
      LaunchResult r;
      r.domid = kNoDomain;
      if (!driver.Restore(plan->libxl_json, file, &r.domid, &r.error)) {
        io.say("restoring " + plan->name + " from " + file + " failed: " + r.error);
        rc = 1;
        continue;
      }
      Adopt(*plan, driver, store, monitor, &r);
      if (!r.ok) {
        io.say("restoring " + plan->name + " failed at '" + r.step + "': " + r.error);
        rc = 1;
        continue;
      }
      driver.RemoveSaved(file);
      io.say("Restored domain " + plan->name + " " + Id(r.domid));
    }
  }
  bool first = true;
  for (const AutoConfig& a : autos) {
    if (!a.plan) {
      io.say("not starting " + a.file + ": " + a.error);
      rc = 1;
      continue;
    }
    if (auto id = driver.Find(a.plan->name)) {
      io.say(a.plan->name + " is already running " + Id(*id) + "; skipped");
      continue;
    }
    if (!first && settings.create_usleep > 0) io.sleep(settings.create_usleep);
    first = false;
    LaunchResult r = Launch(*a.plan, driver, store, monitor);
    if (r.ok) {
      io.say("Started domain " + a.plan->name + " " + Id(r.domid));
    } else {
      io.say("starting " + a.plan->name + " (" + a.file + ") failed at '" + r.step + "': " + r.error);
      rc = 1;
    }
  }
  return rc;
}

int XendomainsStop(const XendomainsSettings& settings, const std::vector<AutoConfig>& autos, DomainDriver& driver,
                   XenStore& store, const ServiceIo& io) {
  int rc = 0;
  std::vector<std::pair<uint32_t, std::string>> targets;
  if (settings.auto_only) {
    for (const AutoConfig& a : autos) {
      if (!a.plan) continue;
      if (auto id = driver.Find(a.plan->name)) targets.emplace_back(*id, a.plan->name);
    }
  } else {
    targets = driver.List();
  }
  const std::string& flags = settings.auto_only ? settings.shutdown : settings.shutdown_all;
  auto plan_of = [&autos](const std::string& name) -> const LaunchPlan* {
    for (const AutoConfig& a : autos) {
      if (a.plan && a.plan->name == name) return &*a.plan;
    }
    return nullptr;
  };
  std::vector<std::pair<uint32_t, std::string>> stopping;
  for (const auto& [domid, name] : targets) {
    std::string error;
    const LaunchPlan* plan = plan_of(name);
    if (!settings.save_dir.empty() && plan != nullptr) {
      std::string file = settings.save_dir + "/" + name;
      if (driver.Save(domid, file, PlanText(*plan), &error)) {
        store.Remove(RecordPath(domid));
        io.say("Saved domain " + name + " to " + file);
        continue;
      }
      io.say("saving " + name + " failed (" + error + "); shutting it down instead");
    } else if (!settings.save_dir.empty()) {
      io.say(name + " was not started from " + settings.auto_dir +
             ": xmc has no plan to restore it from; shutting it down");
    }
    if (!driver.Shutdown(domid, &error)) {
      io.say("shutting down " + name + " failed: " + error);
      rc = 1;
      continue;
    }
    io.say("Shutting down domain " + name + " " + Id(domid));
    stopping.emplace_back(domid, name);
  }
  if (!HasFlag(flags, "--wait", "-w")) return rc;
  // Wait, then destroy what outlasted XENDOMAINS_STOP_MAXWAIT.
  for (int64_t waited = 0;; ++waited) {
    std::erase_if(stopping, [&driver](const auto& d) { return driver.Find(d.second) != d.first; });
    if (stopping.empty() || waited >= settings.stop_maxwait) break;
    io.sleep(1000000);
  }
  for (const auto& [domid, name] : stopping) {
    std::string error;
    if (driver.Destroy(domid, &error)) {
      store.Remove(RecordPath(domid));
      io.say(name + " did not stop within " + std::to_string(settings.stop_maxwait) + " s; destroyed");
    } else {
      io.say(name + " did not stop and cannot be destroyed: " + error);
      rc = 1;
    }
  }
  return rc;
}

int XendomainsStatus(const std::vector<AutoConfig>& autos, DomainDriver& driver, const ServiceIo& io) {
  int rc = 0;
  for (const AutoConfig& a : autos) {
    if (!a.plan) {
      io.say(a.file + ": cannot be compiled: " + a.error);
      rc = 3;
    } else if (auto id = driver.Find(a.plan->name)) {
      io.say(a.plan->name + ": running " + Id(*id) + " (" + a.file + ")");
    } else {
      io.say(a.plan->name + ": not running (" + a.file + ")");
      rc = 3;
    }
  }
  return rc;
}

}  // namespace xmc::runtime
