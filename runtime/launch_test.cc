// The runtime's own steps, with the recording fakes: the libxl configuration handed to the
// driver, xmc's XenStore record and monitor, rollback at every failure point, and each
// on_* action for each way a domain stops.
#include "runtime/launch.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "compiler/host.h"
#include "compiler/pipeline.h"
#include "runtime/fakes.h"
#include "runtime/plan.h"
#include "tests/unit_support.h"

namespace xmc::runtime {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

LaunchPlan PlanOf(const std::string& text) {
  Compilation c = testing::CompileText(text, {}, {"/boot/vmlinuz"});
  CAPTURE(RenderDiagnostics(c, false));
  REQUIRE(c.diags.ErrorCount() == 0);
  Diagnostics notes;
  return PlanFor(c.config, "/etc/xen/t.cfg", &notes);
}

const char kPv[] = "name = 'web'\nkernel = '/boot/vmlinuz'\nmemory = 256\n";

}  // namespace

TEST_CASE("the driver is handed the libxl JSON of --emit libxl-json, for the PV and HVM golden configs") {
  const char* src = std::getenv("XMC_SOURCE_DIR");
  REQUIRE(src != nullptr);
  std::string golden = std::string(src) + "/tests/golden/";
  for (const char* stem : {"pv/basic", "hvm/full"}) {
    CAPTURE(stem);
    RealHost host(golden + "root");
    CompileRequest request;
    request.path = golden + stem + ".cfg";
    request.text = ReadFile(request.path);
    request.xm_file = request.defconfig = std::string(stem).substr(std::string(stem).find('/') + 1) + ".cfg";
    Compilation c = Compile(request, host, testing::Python());
    REQUIRE(c.diags.ErrorCount() == 0);
    Diagnostics notes;
    LaunchPlan plan = PlanFor(c.config, request.path, &notes);
    FakeDriver driver;
    FakeXenStore store;
    FakeMonitorStarter monitor;
    LaunchResult r = Launch(plan, driver, store, monitor);
    REQUIRE(r.ok);
    REQUIRE(driver.created_json.size() == 1);
    CHECK(driver.created_json[0] == ReadFile(golden + stem + ".libxl.json"));
  }
}

TEST_CASE("a launch creates paused, records the domain in one transaction, starts the monitor, then unpauses") {
  LaunchPlan plan = PlanOf(kPv + std::string("on_crash = 'preserve'\n"));
  FakeDriver driver;
  FakeXenStore store;
  FakeMonitorStarter monitor;
  LaunchResult r = Launch(plan, driver, store, monitor);
  REQUIRE(r.ok);
  CHECK(r.domid == 1);
  CHECK(driver.log == std::vector<std::string>{"create", "unpause 1"});
  CHECK(store.log == std::vector<std::string>{
                         "transaction", "mkdir /xmc/domain/1", "perms /xmc/domain/1", "write /xmc/domain/1/name=web",
                         "write /xmc/domain/1/config=/etc/xen/t.cfg", "write /xmc/domain/1/on_poweroff=destroy",
                         "write /xmc/domain/1/on_reboot=restart", "write /xmc/domain/1/on_crash=preserve", "commit"});
  CHECK(store.perms["/xmc/domain/1"] == std::vector<std::string>{"n0"});
  CHECK(monitor.started == std::vector<uint32_t>{1});
  CHECK(driver.domains.at(1) == "web");
  CHECK(driver.paused.empty());
}

TEST_CASE("-p leaves the domain paused") {
  LaunchPlan plan = PlanOf(kPv);
  plan.paused = true;
  FakeDriver driver;
  FakeXenStore store;
  FakeMonitorStarter monitor;
  REQUIRE(Launch(plan, driver, store, monitor).ok);
  CHECK(driver.paused.count(1) == 1);
}

TEST_CASE("a transaction that meets EAGAIN is tried again, and only the last attempt stays") {
  LaunchPlan plan = PlanOf(kPv);
  FakeDriver driver;
  FakeXenStore store;
  store.eagain = 2;
  FakeMonitorStarter monitor;
  REQUIRE(Launch(plan, driver, store, monitor).ok);
  size_t transactions = 0;
  for (const std::string& op : store.log) transactions += op == "transaction";
  CHECK(transactions == 3);
  CHECK(store.nodes.at("/xmc/domain/1/name") == "web");
}

TEST_CASE("a failure at any step leaves no domain and no XenStore node, and names the step") {
  struct Case {
    const char* step;
    std::function<void(FakeDriver&, FakeXenStore&, FakeMonitorStarter&)> inject;
  };
  std::vector<Case> cases = {
      {"create", [](FakeDriver& d, FakeXenStore&, FakeMonitorStarter&) { d.fail_at.insert("create"); }},
      {"create", [](FakeDriver& d, FakeXenStore&, FakeMonitorStarter&) { d.fail_at.insert("create-half"); }},
      {"record", [](FakeDriver&, FakeXenStore& s, FakeMonitorStarter&) { s.fail_at.insert("transaction"); }},
      {"record", [](FakeDriver&, FakeXenStore& s, FakeMonitorStarter&) { s.fail_at.insert("mkdir"); }},
      {"record", [](FakeDriver&, FakeXenStore& s, FakeMonitorStarter&) { s.fail_at.insert("perms"); }},
      {"record", [](FakeDriver&, FakeXenStore& s, FakeMonitorStarter&) { s.fail_at.insert("write"); }},
      {"monitor", [](FakeDriver&, FakeXenStore&, FakeMonitorStarter& m) { m.fail = true; }},
      {"unpause", [](FakeDriver& d, FakeXenStore&, FakeMonitorStarter&) { d.fail_at.insert("unpause"); }},
  };
  LaunchPlan plan = PlanOf(kPv);
  for (const Case& c : cases) {
    FakeDriver driver;
    FakeXenStore store;
    FakeMonitorStarter monitor;
    c.inject(driver, store, monitor);
    LaunchResult r = Launch(plan, driver, store, monitor);
    CAPTURE(std::string(c.step));
    CAPTURE(r.error);
    CHECK_FALSE(r.ok);
    CHECK(r.step == c.step);
    CHECK_FALSE(r.error.empty());
    CHECK(r.rolled_back);
    CHECK(driver.domains.empty());
    CHECK(store.nodes.empty());
  }
}

TEST_CASE("a rollback that cannot destroy the domain says so") {
  LaunchPlan plan = PlanOf(kPv);
  FakeDriver driver;
  driver.fail_at = {"unpause", "destroy"};
  FakeXenStore store;
  FakeMonitorStarter monitor;
  LaunchResult r = Launch(plan, driver, store, monitor);
  CHECK_FALSE(r.rolled_back);
  CHECK(r.error.find("destroying the half-started domain failed too") != std::string::npos);
}

TEST_CASE("each on_* action for each way a domain stops") {
  struct Case {
    Stop stop;
    const char* action;
    std::vector<std::string> driver_after_wait;  ///< the driver's calls after the first wait
    bool record_left;                            ///< a record of some domain remains
    size_t domains_left;
  };
  // After a restart the new domain (id 2) is watched again; the fake then says it is gone.
  std::vector<Case> cases = {
      {Stop::kPoweroff, "destroy", {"destroy 1"}, false, 0},
      {Stop::kPoweroff, "restart", {"destroy 1", "create", "unpause 2", "wait 2"}, false, 0},
      {Stop::kPoweroff, "preserve", {}, true, 1},
      {Stop::kPoweroff, "rename-restart", {"rename 1 web--1", "create", "unpause 2", "wait 2"}, false, 1},
      {Stop::kPoweroff, "coredump-destroy", {"coredump 1 /var/lib/xen/dump/web.1.core", "destroy 1"}, false, 0},
      {Stop::kPoweroff,
       "coredump-restart",
       {"coredump 1 /var/lib/xen/dump/web.1.core", "destroy 1", "create", "unpause 2", "wait 2"},
       false,
       0},
  };
  for (Stop stop : {Stop::kPoweroff, Stop::kReboot, Stop::kCrash}) {
    const char* key = stop == Stop::kPoweroff ? "on_poweroff" : stop == Stop::kReboot ? "on_reboot" : "on_crash";
    for (const Case& c : cases) {
      CAPTURE(std::string(key));
      CAPTURE(std::string(c.action));
      LaunchPlan plan = PlanOf(kPv + std::string(key) + " = '" + c.action + "'\n");
      FakeDriver driver;
      FakeXenStore store;
      FakeMonitorStarter monitor;
      REQUIRE(Launch(plan, driver, store, monitor).ok);
      driver.log.clear();
      driver.stops = {stop};
      // A restarted domain's own stop is then "gone" (the fake's default): the monitor ends.
      std::vector<std::string> lines;
      Monitor(plan, 1, driver, store, [&](const std::string& l) { lines.push_back(l); });
      std::vector<std::string> expected{"wait 1"};
      expected.insert(expected.end(), c.driver_after_wait.begin(), c.driver_after_wait.end());
      CHECK(driver.log == expected);
      CHECK(driver.domains.size() == c.domains_left);
      CHECK((!store.nodes.empty()) == c.record_left);
      CHECK_FALSE(lines.empty());
    }
  }
}

TEST_CASE("a watchdog counts as a crash; a suspend or soft reset is no stop; a domain gone ends the monitor") {
  Policy p;
  p.on_crash = Action::kPreserve;
  CHECK(ActionFor(p, Stop::kWatchdog) == Action::kPreserve);
  CHECK_FALSE(ActionFor(p, Stop::kSuspend).has_value());
  CHECK_FALSE(ActionFor(p, Stop::kSoftReset).has_value());
  CHECK_FALSE(ActionFor(p, Stop::kGone).has_value());
  LaunchPlan plan = PlanOf(kPv);
  FakeDriver driver;
  FakeXenStore store;
  FakeMonitorStarter monitor;
  REQUIRE(Launch(plan, driver, store, monitor).ok);
  driver.log.clear();
  driver.stops = {Stop::kSuspend, Stop::kGone};
  Monitor(plan, 1, driver, store, [](const std::string&) {});
  CHECK(driver.log == std::vector<std::string>{"wait 1", "wait 1"});
  CHECK(store.nodes.empty());
}

TEST_CASE("xm's defaults: destroy on poweroff, restart on reboot and crash") {
  LaunchPlan plan = PlanOf(kPv);
  CHECK(plan.policy.on_poweroff == Action::kDestroy);
  CHECK(plan.policy.on_reboot == Action::kRestart);
  CHECK(plan.policy.on_crash == Action::kRestart);
  CHECK(plan.name == "web");
}

}  // namespace xmc::runtime
