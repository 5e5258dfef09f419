// xmc: the command-line tool. main() owns the (lazily started) Python interpreter, parses
// the command line and runs one subcommand.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "cli/output.h"
#include "compiler/emit/backend.h"
#include "compiler/host/host.h"
#include "compiler/sandbox/client.h"
#include "version.h"

namespace {

int Run(int argc, char** argv) {
  // Configs with code run in sandboxed children of a worker, started on first use.
  xmc::sandbox::SandboxedPython python;

  CLI::App app{"xmc: compiler and validator for Xen xm domain configuration files"};
  app.require_subcommand(1);
  // The global options may also follow the subcommand: xmc compile web.cfg --frontend native.
  app.fallthrough();
  app.set_version_flag("--version", std::string("xmc ") + xmc::kVersion);
  xmc::cli::CommonOptions common;
  app.add_option("--root", common.session.root,
                 "Look up host files (kernels, pygrub, /etc/xen) below DIR, like a chroot")
      ->option_text("DIR");
  app.add_option("--frontend", common.session.frontend, "Front end: auto (default), native or python")
      ->check(CLI::IsMember(std::vector<std::string>(std::begin(xmc::kFrontendWords), std::end(xmc::kFrontendWords))));
  app.add_option("--eval-timeout", common.session.eval_timeout,
                 "Stop a config whose Python code runs longer than SECONDS (0: no limit)")
      ->option_text("SECONDS (default 10)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--eval-memory", common.session.eval_memory_mib,
                 "Stop a config whose Python code needs more memory than MIB (0: no limit)")
      ->option_text("MIB (default 512)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--max-input-size", common.session.max_input_kib, "Refuse a config file larger than KIB kibibytes")
      ->option_text("KIB (default 4096)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{16384}))
      ->capture_default_str();
  app.add_option("--max-diagnostics", common.session.max_diagnostics,
                 "Show at most N findings per file, then a note saying how many more there were (0: all)")
      ->option_text("N (default 200)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--host", common.session.host,
                 "Check the host files a config names (kernel, pygrub, devices): yes, no, or auto "
                 "(on a Xen control domain or with --root)")
      ->check(CLI::IsMember(std::vector<std::string>(std::begin(xmc::kHostWords), std::end(xmc::kHostWords))))
      ->capture_default_str();
  app.add_option("--pass-env", common.session.pass_env,
                 "Let configs read environment variable NAME too (they see only HOME, USER, PATH, LANG, "
                 "LC_* and a few more by default); repeatable")
      ->option_text("NAME")
      ->allow_extra_args(false);
  app.add_flag("--pedantic", common.session.pedantic,
               "Also note what xm accepted as meant, such as a quoted number (memory = '512')");

  xmc::cli::CreateOptions create;
  CLI::App* create_cmd =
      app.add_subcommand("create", "Evaluate a config like 'xm create' (with -n: print the SXP xm 4.4 printed)");
  create_cmd->add_flag("-n,--dryrun", create.dryrun, "Dry run: print the SXP, create nothing");
  create_cmd->add_flag("-x,--xmldryrun", create.xmldryrun,
                       "XML dry run: print the Xen-API XML xm 4.4 printed, create nothing");
  create_cmd->add_flag("-q,--quiet", create.quiet, "Do not print the 'Using config file' line");
  create_cmd->add_option("--path", create.path, "Colon-separated search path for the config file")
      ->capture_default_str();
  create_cmd->add_option("-f,--defconfig", create.defconfig, "Config file to use");
  create_cmd->add_flag("-c,--console_autoconnect", create.console_autoconnect,
                       "Attach to the domain's console once it runs (as xm's -c; also changes bootloader_args)");
  create_cmd->add_flag("-p,--paused", create.paused, "Leave the domain paused after creating it");
  create_cmd->add_flag(
      "--foreground", create.foreground,
      "Stay attached: watch the domain (on_poweroff/on_reboot/on_crash) in this process, log to stderr");
  create_cmd->add_flag("--force", create.force,
                       "Start the domain even if the xl back end cannot express some of its settings");
  create_cmd->add_option("words", create.words, "CONFIG and NAME=VALUE variables");
  create_cmd->add_flag("--unsandboxed", common.session.unsandboxed,
                       "Run the config's code with all of xmc's rights (a trusted config that runs programs)");
  create_cmd->allow_extras(false);
  create_cmd->positionals_at_end(false);

  xmc::cli::CompileOptions compile;
  CLI::App* compile_cmd = app.add_subcommand("compile", "Compile a config to another format");
  // The session's outputs: the back-end table, then 'values' (the front end's own output).
  std::vector<std::string> emit_choices = xmc::OutputNames();
  std::string emit_help = "Output format, one of the back ends listed by 'xmc backends' (";
  for (size_t i = 0; i + 1 < emit_choices.size(); ++i) emit_help += (i ? ", " : "") + emit_choices[i];
  emit_help += ") or values (the evaluated variables with source positions)";
  compile_cmd->add_option("--emit", compile.emit, emit_help)->check(CLI::IsMember(emit_choices))->capture_default_str();
  compile_cmd->add_option("-o,--output", compile.output, "Write to FILE atomically instead of stdout");
  compile_cmd->add_option("--domid", compile.domid, "Domain id for --emit xenstore")
      ->check(CLI::Range(xmc::kMinDomid, xmc::kMaxDomid))
      ->capture_default_str();
  compile_cmd->add_option("--uuid", compile.uuid,
                          "Domain UUID for --emit xenstore (default: the config's, else a fresh one)");
  compile_cmd->add_option("words", compile.words, "CONFIG and NAME=VALUE variables")->required();
  compile_cmd->add_flag("--unsandboxed", common.session.unsandboxed,
                        "Run the config's code with all of xmc's rights (a trusted config that runs programs)");

  xmc::cli::CheckCmdOptions check;
  CLI::App* check_cmd =
      app.add_subcommand("check", "Check config files and whole trees (/etc/xen, xendomains settings) for problems");
  check_cmd->add_option("paths", check.paths, "Config files and directories")->required();
  check_cmd->add_option("--format", check.format, "Output: text, json or sarif")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->capture_default_str();
  check_cmd->add_flag("--werror", check.werror, "Warnings make the exit status 1 too");
  check_cmd->add_option("--host-cpus", check.host_cpus, "Number of CPUs of the host, to check cpus masks")
      ->check(CLI::PositiveNumber);

  std::string xendomains_action, xendomains_config;
  CLI::App* xendomains_cmd = app.add_subcommand(
      "xendomains", "The xendomains boot service: start, stop or show the domains of its AUTO directory");
  xendomains_cmd->add_option("action", xendomains_action, "start, stop or status")
      ->required()
      ->check(CLI::IsMember({"start", "stop", "status"}));
  xendomains_cmd->add_option("--config", xendomains_config,
                             "The settings file (default /etc/sysconfig/xendomains, else /etc/default/xendomains)");

  CLI::App* backends_cmd = app.add_subcommand(
      "backends", "List the back ends of --emit: name, golden-file suffix, what, checked against (tab-separated)");

  CLI::App* lsp_cmd = app.add_subcommand(
      "lsp", "Run as a language server (LSP over stdin and stdout) for editors; see the README for set-up");

  std::string explain_key;
  CLI::App* explain_cmd = app.add_subcommand("explain", "Show the documentation of a config variable");
  explain_cmd->add_option("key", explain_key, "Variable name")->required();

  std::string schema_format = "yaml";
  CLI::App* schema_cmd = app.add_subcommand("schema", "Print the config schema (yaml, json or a man page)");
  schema_cmd->add_option("--format", schema_format, "yaml, json or man")
      ->check(CLI::IsMember({"yaml", "json", "man"}))
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // "A subcommand is required" when the first word is no subcommand: say which word.
    if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && app.get_subcommands().empty()) {
      for (const std::string& word : app.remaining()) {
        if (!word.empty() && word[0] != '-') {
          std::cerr << "xmc: error: unknown command '" << word
                    << "' (one of create, compile, check, lsp, xendomains, backends, explain, schema)\n";
          return 2;
        }
      }
    }
    return app.exit(e) == 0 ? 0 : 2;
  }
  // --host=auto is looked at once, here: every request of the run has the answer.
  common.host_files = xmc::RequestOf(common.session, &common.host_reason).host_files;
  common.session.host = common.host_files ? "yes" : "no";
  // Colour only on a terminal (check writes diagnostics to stdout, the others to stderr).
  int out_fd = *check_cmd ? 1 : 2;
  common.color = ::isatty(out_fd) && !xmc::RealHost().Getenv("NO_COLOR");

  if (*create_cmd) return xmc::cli::RunCreate(common, create, &python);
  if (*compile_cmd) return xmc::cli::RunCompile(common, compile, &python);
  if (*check_cmd) return xmc::cli::RunCheck(common, check, &python);
  if (*lsp_cmd) return xmc::cli::RunLsp(common, &python);
  if (*xendomains_cmd) return xmc::cli::RunXendomains(common, xendomains_action, xendomains_config, &python);
  if (*explain_cmd) return xmc::cli::RunExplain(explain_key);
  if (*backends_cmd) {
    for (const xmc::Backend& b : xmc::Backends()) {
      std::cout << b.name << '\t' << b.suffix << '\t' << b.help << '\t' << b.checked_against << '\n';
    }
    return 0;
  }
  if (*schema_cmd) return xmc::cli::RunSchema(schema_format);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  xmc::cli::InstallStopHandlers();
  int rc = Run(argc, argv);
  std::string error;
  if (!xmc::cli::FinishStdout(&error)) {
    std::cerr << "xmc: error: cannot write to standard output: " << error << "\n";
    return 2;
  }
  return rc;
}
