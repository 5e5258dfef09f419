#include "compiler/pipeline.h"

#include <fmt/format.h>

#include "compiler/base/strings.h"
#include "compiler/lower/lower.h"
#include "compiler/resolve/resolve.h"
#include "compiler/schema/schema.h"

namespace xmc {

namespace {
std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}
}  // namespace

namespace {

/// What the config printed, as a note: the first line, escaped and cut, and the size.
void NotePrinted(const Evaluation& eval, const std::string& file, Diagnostics* diags) {
  std::string all = eval.printed + eval.printed_stderr;
  if (all.empty()) return;
  std::string first = all.substr(0, all.find('\n'));
  std::string shown = EscapeForDisplay(first.substr(0, 80));
  if (first.size() > 80 || first.size() + 1 < all.size()) shown += "...";
  diags->Add<DiagId::kConfigPrinted>(file, Span{}, "",
                                     fmt::format("{} byte{}: '{}'", all.size(), all.size() == 1 ? "" : "s", shown));
}

}  // namespace

Compilation Compile(const CompileRequest& request, const Host& host, PythonHost* python) {
  Compilation c;
  c.diags.set_limit_per_file(request.max_diagnostics);
  const Schema& schema = Schema::Builtin();
  std::string display = request.xm_file.empty() ? request.path : request.xm_file;
  std::string error;
  auto text = request.text ? request.text : host.ReadFile(request.path, &error, request.max_input_bytes);
  if (!text) {
    if (request.max_input_bytes > 0 && error.rfind("larger than", 0) == 0) error += " (--max-input-size)";
    c.diags.Add<DiagId::kIoError>(display, Span{}, "", request.path, error);
    return c;
  }
  c.read_ok = true;
  c.source = SourceFile(display, std::move(*text));

  CommandLineVars vars = SplitCommandLineVars(schema, request.vars);
  EvalOptions eval_options;
  eval_options.script_vars = vars.script;
  eval_options.xm_file = display;
  eval_options.frontend = request.frontend;
  eval_options.timeout_seconds = request.eval_timeout_seconds;
  eval_options.memory_mib = request.eval_memory_mib;
  eval_options.trusted = request.unsandboxed;
  eval_options.known_variables = schema.Names();
  eval_options.host = &host;
  eval_options.pass_env = request.pass_env;
  // Made canonical by ConfinedHost, for a config with code only.
  eval_options.own_dirs = request.own_dirs;
  size_t slash = request.path.rfind('/');
  eval_options.own_dirs.push_back(slash == std::string::npos ? "."
                                                             : request.path.substr(0, std::max<size_t>(slash, 1)));
  c.frontend = Evaluate(c.source, eval_options, python, &c.diags);
  if (request.printed_as_note) NotePrinted(c.frontend.eval, display, &c.diags);
  c.evaluated = c.frontend.eval.ok;
  if (!c.evaluated) {
    c.diags.Sort();
    c.diags.AddCutSummaries();
    return c;  // a syntax error or an exception stops this file, as in xm
  }

  LowerInput lower_input;
  lower_input.file = display;
  lower_input.eval = &c.frontend.eval;
  lower_input.script_names = c.frontend.script_names;
  lower_input.read_names = c.frontend.read_names;
  lower_input.cmdline = &vars;
  lower_input.pedantic = request.pedantic;
  lower_input.default_name = BaseName(request.defconfig.empty() ? request.path : request.defconfig);
  Lower(lower_input, schema, &c.config, &c.diags);
  if (request.console_autoconnect) c.config.console_autoconnect = true;
  ApplyDefaults(schema, host, &c.config);
  if (request.host_files) ResolveHost(display, host, &c.config, &c.diags);
  Check(display, schema, c.config, request.check, &c.diags);
  c.diags.Sort();
  c.diags.AddCutSummaries();
  return c;
}

std::string RenderDiagnostics(const Compilation& c, bool color) {
  std::string out;
  RenderOptions options{color};
  for (const Diagnostic& d : c.diags.all()) {
    const SourceFile* source = d.file == c.source.path() ? &c.source : nullptr;
    out += Render(d, source, options);
  }
  return out;
}

}  // namespace xmc
