// The runtime's own steps, with the recording fakes: the libxl configuration handed to the
// driver, xmc's XenStore record and monitor, rollback at every failure point, and each
// on_* action for each way a domain stops.
#include "runtime/launch.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "compiler/host/host.h"
#include "compiler/pipeline.h"
#include "runtime/plan.h"
#include "runtime/xendomains.h"
#include "tests/runtime_fakes.h"
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

TEST_CASE("every action of on_poweroff, on_reboot and on_crash, for each way a domain stops") {
  struct Case {
    Stop stop;
    const char* action;
    std::vector<std::string> driver_after_wait;  ///< the driver's calls after the first wait
    bool record_left;                            ///< a record of some domain remains at the end
    size_t domains_left;
  };
  // After a restart the new domain (id 2) is watched again; the fake then says it is gone.
  std::vector<Case> cases = {
      {Stop::kPoweroff, "destroy", {"destroy 1"}, false, 0},
      {Stop::kPoweroff, "restart", {"destroy 1", "create", "unpause 2", "wait 2"}, false, 0},
      {Stop::kPoweroff, "preserve", {"wait-gone 1"}, false, 0},
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

TEST_CASE("a watchdog counts as a crash, a suspend or soft reset is no stop, and a domain gone ends the monitor") {
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

// The monitor once read on_* only, so a config with the old `restart` variable started a
// domain whose libxl JSON said restart while the monitor destroyed it.
TEST_CASE("the monitor follows xend's actions, the old restart variable included, as the libxl JSON does") {
  struct Case {
    const char* restart;
    Action poweroff, reboot, crash;
  };
  for (const Case& k : {Case{"always", Action::kRestart, Action::kRestart, Action::kRestart},
                        Case{"onreboot", Action::kDestroy, Action::kRestart, Action::kDestroy}}) {
    CAPTURE(k.restart);
    LaunchPlan plan = PlanOf(std::string(kPv) + "restart = '" + k.restart + "'\n");
    CHECK(plan.policy.on_poweroff == k.poweroff);
    CHECK(plan.policy.on_reboot == k.reboot);
    CHECK(plan.policy.on_crash == k.crash);
    // libxl's default is destroy: the JSON names on_poweroff only when it differs.
    bool json_restarts = plan.libxl_json.find("\"on_poweroff\": \"restart\"") != std::string::npos;
    CHECK(json_restarts == (k.poweroff == Action::kRestart));
  }
  // on_* given beside restart win, as in xend.
  LaunchPlan plan = PlanOf(std::string(kPv) + "restart = 'always'\non_poweroff = 'preserve'\n");
  CHECK(plan.policy.on_poweroff == Action::kPreserve);
}

}  // namespace xmc::runtime

namespace xmc::runtime {
namespace {

struct Service {
  FakeDriver driver;
  FakeXenStore store;
  FakeMonitorStarter monitor;
  std::vector<std::string> said;
  std::vector<int64_t> slept;
  ServiceIo io{[this](const std::string& l) { said.push_back(l); }, [this](int64_t us) { slept.push_back(us); }};
};

AutoConfig Auto(const std::string& name) {
  AutoConfig a;
  a.file = "/etc/xen/auto/" + name;
  a.plan = PlanOf("name = '" + name + "'\nkernel = '/boot/vmlinuz'\n");
  return a;
}

}  // namespace

TEST_CASE("xendomains start: every AUTO config in order, CREATE_USLEEP apart, running ones skipped") {
  Service s;
  XendomainsSettings settings;
  settings.create_usleep = 250000;
  std::vector<AutoConfig> autos{Auto("a"), Auto("b"), Auto("c")};
  std::string ignored;
  uint32_t running = 0;
  REQUIRE(s.driver.Create(autos[1].plan->libxl_json, &running, &ignored));
  CHECK(XendomainsStart(settings, autos, s.driver, s.store, s.monitor, s.io) == 0);
  CHECK(s.said == std::vector<std::string>{"Started domain a (id=2)", "b is already running (id=1); skipped",
                                           "Started domain c (id=3)"});
  CHECK(s.slept == std::vector<int64_t>{250000});
  CHECK(s.driver.domains.size() == 3);
  AutoConfig broken;
  broken.file = "/etc/xen/auto/bad";
  broken.error = "the config has errors";
  Service t;
  CHECK(XendomainsStart(settings, {broken}, t.driver, t.store, t.monitor, t.io) == 1);
}

TEST_CASE("xendomains stop: shuts down every domain, waits, destroys those past STOP_MAXWAIT") {
  Service s;
  XendomainsSettings settings;
  settings.save_dir = "";
  settings.stop_maxwait = 3;
  std::vector<AutoConfig> autos{Auto("a"), Auto("b")};
  REQUIRE(XendomainsStart(settings, autos, s.driver, s.store, s.monitor, s.io) == 0);
  s.driver.stubborn = {"b"};
  s.said.clear();
  s.slept.clear();
  CHECK(XendomainsStop(settings, autos, s.driver, s.store, s.io) == 0);
  CHECK(s.driver.domains.empty());
  CHECK(s.said.back() == "b did not stop within 3 s; destroyed");
  CHECK(s.slept.size() == 3);
  CHECK(s.store.nodes.find("/xmc/domain/2/name") == s.store.nodes.end());
}

TEST_CASE("xendomains stop with AUTO_ONLY leaves other domains and without --wait does not wait") {
  Service s;
  XendomainsSettings settings;
  settings.save_dir = "";
  settings.auto_only = true;
  settings.shutdown = "";
  std::string ignored;
  uint32_t other = 0;
  LaunchPlan other_plan = PlanOf("name = 'other'\nkernel = '/boot/vmlinuz'\n");
  REQUIRE(s.driver.Create(other_plan.libxl_json, &other, &ignored));
  std::vector<AutoConfig> autos{Auto("a")};
  REQUIRE(XendomainsStart(settings, autos, s.driver, s.store, s.monitor, s.io) == 0);
  s.driver.stubborn = {"a"};
  s.slept.clear();
  CHECK(XendomainsStop(settings, autos, s.driver, s.store, s.io) == 0);
  CHECK(s.driver.Find("other").has_value());
  CHECK(s.driver.Find("a").has_value());  // asked to shut down, not waited for
  CHECK(s.slept.empty());
}

TEST_CASE("xendomains SAVE and RESTORE: stop saves the AUTO domains, start restores them before starting others") {
  Service s;
  XendomainsSettings settings;
  settings.save_dir = "/var/lib/xen/save";
  std::vector<AutoConfig> autos{Auto("a")};
  REQUIRE(XendomainsStart(settings, autos, s.driver, s.store, s.monitor, s.io) == 0);
  CHECK(XendomainsStop(settings, autos, s.driver, s.store, s.io) == 0);
  CHECK(s.driver.domains.empty());
  REQUIRE(s.driver.saved.count("/var/lib/xen/save/a") == 1);
  auto plan = PlanFromText(s.driver.saved["/var/lib/xen/save/a"].second);
  REQUIRE(plan.has_value());
  CHECK(plan->libxl_json == autos[0].plan->libxl_json);
  s.said.clear();
  CHECK(XendomainsStart(settings, autos, s.driver, s.store, s.monitor, s.io) == 0);
  CHECK(s.said == std::vector<std::string>{"Restored domain a (id=2)", "a is already running (id=2); skipped"});
  CHECK(s.driver.saved.empty());
  CHECK(s.store.nodes.at("/xmc/domain/2/name") == "a");
  CHECK(s.driver.paused.empty());
  settings.restore = false;  // RESTORE=false: the saved image stays where it is
  REQUIRE(XendomainsStop(settings, autos, s.driver, s.store, s.io) == 0);
  CHECK(XendomainsStart(settings, autos, s.driver, s.store, s.monitor, s.io) == 0);
  CHECK(s.driver.saved.size() == 1);
}

TEST_CASE("xendomains reports the settings it does not carry out") {
  XendomainsSettings settings;
  settings.set = {"XENDOMAINS_AUTO", "XENDOMAINS_MIGRATE", "XENDOMAINS_SYSRQ"};
  auto lines = UnimplementedSettings(settings);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].find("XENDOMAINS_MIGRATE") == 0);
  CHECK(lines[1].find("XENDOMAINS_SYSRQ") == 0);
}

}  // namespace xmc::runtime

namespace xmc::runtime {

TEST_CASE("a failure of libxl's is pinned to the config entry its message names") {
  Compilation c = testing::CompileText(
      "name = 'n'\nkernel = '/boot/vmlinuz'\nmemory = 64\n"
      "disk = ['phy:/dev/vg/ok,xvda,w', 'phy:/dev/vg/missing,xvdb,w']\nvif = ['bridge=xenbr7']\n",
      {}, {"/boot/vmlinuz"});
  REQUIRE(c.diags.ErrorCount() == 0);
  auto disk = EntryResponsible(c.config, "Disk vdev=xvdb failed to stat: /dev/vg/missing: No such file");
  REQUIRE(disk.has_value());
  CHECK(disk->first == "disk[1]");
  CHECK(disk->second.line == 4);
  auto vif = EntryResponsible(c.config, "vif-bridge: Could not find bridge device xenbr7");
  REQUIRE(vif.has_value());
  CHECK(vif->first == "vif[0]");
  CHECK(vif->second.line == 5);
  auto memory =
      EntryResponsible(c.config, "xc_dom_boot_mem_init: can't allocate low memory for domain: Cannot allocate memory");
  REQUIRE(memory.has_value());
  CHECK(memory->first == "memory");
  CHECK_FALSE(EntryResponsible(c.config, "something else went wrong").has_value());
}

}  // namespace xmc::runtime
