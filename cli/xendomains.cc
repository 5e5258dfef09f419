// xmc xendomains start|stop|status: the boot service over the runtime (runtime/xendomains.h).
#include "compiler/check/xendomains.h"

#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "cli/output.h"
#include "compiler/host/host.h"
#include "compiler/tree/walk.h"
#include "runtime/daemon.h"
#include "runtime/plan.h"
#include "runtime/xendomains.h"

namespace xmc::cli {
namespace {

/// The settings file given, else the first of the two places distributions put it;
/// none at all: the script's defaults.
std::optional<XendomainsSettings> ReadSettings(const Host& host, const std::string& given, bool color) {
  std::vector<std::string> candidates =
      given.empty() ? std::vector<std::string>{"/etc/sysconfig/xendomains", "/etc/default/xendomains"}
                    : std::vector<std::string>{given};
  for (const std::string& path : candidates) {
    if (given.empty() && !host.Exists(path)) continue;
    std::string error;
    auto text = host.ReadFile(path, &error);
    if (!text) {
      std::cerr << "xmc: error: cannot read '" << path << "': " << error << "\n";
      return std::nullopt;
    }
    SourceFile source(path, *text);
    Diagnostics diags;
    XendomainsSettings s = CheckXendomains(source, &host, &diags);
    for (const Diagnostic& d : diags.all()) std::cerr << Render(d, &source, RenderOptions{color});
    if (diags.ErrorCount() > 0) return std::nullopt;
    return s;
  }
  return XendomainsSettings{};
}

/// Every config of the AUTO directory, in name order, compiled as `xmc create` compiles.
std::vector<runtime::AutoConfig> AutoConfigs(const CommonOptions& common, const XendomainsSettings& settings,
                                             const Host& host, PythonHost* python) {
  std::vector<runtime::AutoConfig> out;
  if (settings.auto_dir.empty() || !host.IsDirectory(settings.auto_dir)) return out;
  for (const std::string& name : host.ListDir(settings.auto_dir)) {
    std::string path = settings.auto_dir + "/" + name;
    if (!NotAConfig(name).empty() || !host.IsFile(path)) continue;
    runtime::AutoConfig a;
    a.file = path;
    CompileRequest request = RequestFromOptions(common);
    request.host_files = true;
    request.path = request.xm_file = request.defconfig = path;
    request.printed_as_note = true;
    Compilation c = Compile(request, host, python);
    if (!c.evaluated || c.diags.ErrorCount() > 0) {
      std::cerr << RenderDiagnostics(c, common.color);
      a.error = "the config has errors";
    } else {
      Diagnostics not_expressed;
      runtime::LaunchPlan plan = runtime::PlanFor(c.config, path, &not_expressed);
      if (!not_expressed.empty()) {
        for (const Diagnostic& d : not_expressed.all()) std::cerr << Render(d, &c.source, RenderOptions{common.color});
        a.error = "libxl cannot express some of its settings (see above; 'xmc create --force' starts it)";
      } else {
        a.plan = plan;
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

int RunXendomains(const CommonOptions& common, const std::string& action, const std::string& config,
                  PythonHost* python) {
  RealHost host(common.session.root);
  auto settings = ReadSettings(host, config, common.color);
  if (!settings) return 1;
  for (const std::string& line : runtime::UnimplementedSettings(*settings))
    std::cerr << "xmc xendomains: warning: " << line << "\n";
  std::vector<runtime::AutoConfig> autos = AutoConfigs(common, *settings, host, python);
  std::string error;
  auto driver = runtime::OpenLibxl(&error);
  auto store = driver ? runtime::OpenXenStore(&error) : nullptr;
  if (!driver || !store) {
    std::cerr << "xmc: error: xendomains " << action << ": " << error << "\n";
    return 1;
  }
  runtime::ServiceIo io{[](const std::string& line) { std::cout << line << "\n"
                                                                << std::flush; },
                        [](int64_t us) { ::usleep(static_cast<useconds_t>(std::min<int64_t>(us, 60000000))); }};
  if (action == "start") {
    runtime::DaemonMonitorStarter monitor;
    return runtime::XendomainsStart(*settings, autos, *driver, *store, monitor, io);
  }
  if (action == "stop") return runtime::XendomainsStop(*settings, autos, *driver, *store, io);
  return runtime::XendomainsStatus(autos, *driver, io);
}

}  // namespace xmc::cli
