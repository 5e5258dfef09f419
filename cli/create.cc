#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/xm_usage.h"
#include "compiler/base/strings.h"
#include "compiler/emit/backend.h"
#include "compiler/host/host.h"
#include "compiler/lower/lower.h"
#include "compiler/lower/specs.h"
#include "compiler/pipeline.h"
#include "runtime/daemon.h"
#include "runtime/plan.h"

namespace xmc::cli {
namespace {

/// xm's config-file search (xm.md 1.3): the name itself, then each --path directory;
/// relative results get a "./" prefix. Returns "" if nothing exists.
std::string FindConfig(const Host& host, const std::string& name, const std::string& path) {
  auto candidate = [](const std::string& p) { return !p.empty() && p[0] == '/' ? p : "./" + p; };
  std::vector<std::string> tries{candidate(name)};
  if (name.empty() || name[0] != '/') {
    for (const std::string& dir : SplitAll(path, ':')) {
      std::string joined = dir.empty() ? name : (dir.back() == '/' ? dir + name : dir + "/" + name);
      tries.push_back(candidate(joined));
    }
  }
  for (const std::string& t : tries) {
    if (host.Exists(t)) return t;
  }
  return "";
}

/// xm's dry run (`sxp` or `xml`) of a compiled config: its output, or nullopt when it
/// failed (its diagnostics rendered; `xm_exception` names an exception xm did not expect).
std::optional<std::string> XmDryRun(const Compilation& c, std::string_view name, const CommonOptions& common,
                                    const char** xm_exception) {
  OutputRequest request;
  request.name = std::string(name);
  request.as_xm = true;
  Output out = ProduceOutput(c, request, RealHost(common.session.root));
  RenderOptions ro{common.color};
  for (const Diagnostic& d : out.diags.all()) {
    std::cerr << Render(d, &c.source, ro);
    // The exceptions xm did not expect in its Xen-API conversion ("Unexpected error").
    if (xm_exception && d.id == DiagId::kXenApiTypeError) *xm_exception = "TypeError";
    if (xm_exception && d.id == DiagId::kXenApiAttributeError) *xm_exception = "AttributeError";
  }
  if (out.status != Output::Status::kOk) return std::nullopt;
  return out.text;
}

void PrintDiagnostics(const Compilation& c, const CommonOptions& common) {
  std::cerr << RenderDiagnostics(c, common.color);
}

/// --foreground: nothing to start; xmc create watches the domain itself afterwards.
class InProcessMonitor : public runtime::MonitorStarter {
 public:
  bool Start(const runtime::LaunchPlan&, uint32_t, std::string*) override { return true; }
};

/// xmc create without -n: the domain started through libxl, watched by its monitor.
int StartDomain(const Compilation& c, const CreateOptions& options, const CommonOptions& common) {
  RenderOptions ro{common.color};
  if (c.diags.ErrorCount() > 0) {
    std::cerr << "xmc: error: the config has errors; no domain was started\n";
    return 1;
  }
  Diagnostics not_expressed;
  runtime::LaunchPlan plan = runtime::PlanFor(c.config, c.source.path(), &not_expressed);
  plan.paused = options.paused;
  // Listed also with --force: what the started domain goes without.
  for (const Diagnostic& d : not_expressed.all()) std::cerr << Render(d, &c.source, ro);
  if (!not_expressed.empty() && !options.force) {
    std::cerr << "xmc: error: the domain was not started: libxl cannot express the setting"
              << (not_expressed.all().size() == 1 ? "" : "s") << " above (--force starts it without them)\n";
    return 1;
  }
  std::string error;
  auto driver = runtime::OpenLibxl(&error);
  auto store = driver ? runtime::OpenXenStore(&error) : nullptr;
  if (!driver || !store) {
    std::cerr << "xmc: error: cannot start domain " << plan.name << ": " << error << "\n";
    return 1;
  }
  if (driver->Find(plan.name)) {
    std::cerr << "xmc: error: a domain called '" << plan.name << "' is already running\n";
    return 1;
  }
  runtime::DaemonMonitorStarter daemon;
  InProcessMonitor here;
  runtime::MonitorStarter& monitor = options.foreground ? static_cast<runtime::MonitorStarter&>(here) : daemon;
  runtime::LaunchResult r = runtime::Launch(plan, *driver, *store, monitor);
  if (!r.ok) {
    // At the config entry libxl's message is about (the disk that is missing ...), if any.
    Diagnostics failed;
    auto entry = runtime::EntryResponsible(c.config, r.error);
    // libxl's own lines (after the first) become notes.
    std::vector<std::string> lines = SplitAll(r.error, '\n');
    Diagnostic& d = failed.Add<DiagId::kLaunchFailed>(c.source.path(), entry ? entry->second : Span{},
                                                      entry ? entry->first : "", plan.name, r.step, lines[0]);
    for (size_t i = 1; i < lines.size(); ++i) d.AddNote<NoteId::kLibxlSaid>(Strip(lines[i]));
    std::cerr << Render(failed.all().front(), &c.source, ro);
    std::cerr << (r.rolled_back ? "xmc: nothing of the domain is left\n"
                                : "xmc: the half-started domain may be left; see 'xl list'\n");
    return 1;
  }
  std::cout << "Started domain " << plan.name << " (id=" << r.domid << ")\n" << std::flush;
  if (options.console_autoconnect) {
    // Domains are libxl's: xl attaches to the console as to any other.
    std::string id = std::to_string(r.domid);
    ::execlp("xl", "xl", "console", id.c_str(), static_cast<char*>(nullptr));
    std::cerr << "xmc: warning: cannot run 'xl console " << id << "': " << std::strerror(errno) << "\n";
  }
  if (options.foreground) runtime::RunMonitorHere(plan, r.domid);
  return 0;
}

}  // namespace

int RunCreate(const CommonOptions& common, const CreateOptions& options, PythonHost* python) {
  RealHost host(common.session.root);
  CompileRequest request = RequestFromOptions(common);
  request.host_files = true;  // create -n looks at the host files as xm did
  std::string name = options.defconfig;
  for (const std::string& w : options.words) {
    if (w.find('=') == std::string::npos) {
      name = w;  // a word without '=' names the config file; the last one wins
    } else {
      request.vars.push_back(w);
    }
  }
  if (name.empty()) name = "xmdefconfig";
  std::string found = FindConfig(host, name, options.path);
  if (found.empty()) {
    Diagnostics d;
    d.Add<DiagId::kConfigNotFound>("", Span{}, "", name).AddNote<NoteId::kSearchedPath>(options.path);
    RenderOptions ro{common.color};
    std::cerr << Render(d.all().front(), nullptr, ro);
    return 1;
  }
  // xm converted the NAME=VALUE words before it opened the config ('Error: Invalid value').
  if (Diagnostics words; !CheckCommandLineWords(Schema::Builtin(), request.vars, &words)) {
    RenderOptions ro{common.color};
    for (const Diagnostic& d : words.all()) std::cerr << Render(d, nullptr, ro);
    return 1;
  }
  if (!options.quiet) std::cout << "Using config file \"" << found << "\".\n" << std::flush;
  request.path = found;
  request.xm_file = found;
  request.defconfig = name;
  request.printed_as_note = false;  // xm printed it before the SXP
  request.console_autoconnect = options.console_autoconnect;
  Compilation c = Compile(request, host, python);
  std::cout << c.frontend.eval.printed << std::flush;
  std::cerr << c.frontend.eval.printed_stderr;
  PrintDiagnostics(c, common);
  if (!c.read_ok) return 2;  // not a file xmc can read (a FIFO, too large, ...)
  if (!c.evaluated || c.xm_failed()) return 1;
  if (!options.dryrun && !options.xmldryrun) return StartDomain(c, options, common);
  // -x as xm with a Xen-API server (xm.md 4.1): the XML, or on a conversion error the
  // create usage on stdout and exit status 1; on an exception xm did not expect, its
  // "Unexpected error" lines.
  const char* xm_exception = nullptr;
  auto out = XmDryRun(c, options.xmldryrun ? "xml" : "sxp", common, &xm_exception);
  if (!out) {
    if (xm_exception) {
      std::cout << "Unexpected error: <type 'exceptions." << xm_exception << "'>\n\n" << kXmReportTo;
    } else {
      std::cout << kXmCreateUsage;
    }
    return 1;
  }
  std::cout << *out;
  return 0;
}

int RunCompile(const CommonOptions& common, const CompileOptions& options, PythonHost* python) {
  RealHost host(common.session.root);
  CompileRequest request = RequestFromOptions(common);
  for (const std::string& w : options.words) {
    if (w.find('=') == std::string::npos && request.path.empty()) {
      request.path = w;
    } else if (w.find('=') == std::string::npos) {
      std::cerr << "xmc: error: more than one config file given ('" << request.path << "' and '" << w << "')\n";
      return 2;
    } else {
      request.vars.push_back(w);
    }
  }
  if (request.path.empty()) {
    std::cerr << "xmc: error: no config file given\n";
    return 2;
  }
  Compilation c = Compile(request, host, python);
  // What the script printed would corrupt the SXP or JSON on stdout: it is a note.
  PrintDiagnostics(c, common);
  OutputRequest wanted;
  wanted.name = options.emit;
  wanted.domid = options.domid;
  if (!options.uuid.empty()) wanted.uuid = options.uuid;
  Output out = ProduceOutput(c, wanted, host);
  for (const Diagnostic& d : out.diags.all()) std::cerr << Render(d, &c.source, RenderOptions{common.color});
  if (!out.error.empty()) std::cerr << "xmc: error: " << out.error << "\n";
  switch (out.status) {
    case Output::Status::kOk: break;
    case Output::Status::kUnreadable:
    case Output::Status::kBadRequest: return 2;
    case Output::Status::kUnusable:
    case Output::Status::kFailed: return 1;
  }
  const std::string& text = out.text;
  if (options.output.empty() || options.output == "-") {
    std::cout << text;
    return 0;
  }
  std::string error;
  if (!WriteOutput(options.output, text, request.path, &error)) {
    std::cerr << "xmc: error: cannot write '" << options.output << "': " << error << "\n";
    return 2;
  }
  return 0;
}

}  // namespace xmc::cli
