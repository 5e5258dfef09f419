// Lowering: from the Value tree a front end produced to the typed DomainConfig, with
// xm 4.4's semantics (xm.md 1.5, 1.6, 3.3): command-line variables win over the file,
// only values of exact type str/list/int/float are taken over (every drop is reported),
// spec strings are split the way xm split them and checked the way xend would have.
// Host-dependent steps (kernel files, pygrub) are a separate stage, ResolveHost.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/base/value.h"
#include "compiler/ir/domain_config.h"
#include "compiler/schema/schema.h"

namespace xmc {

/// NAME=VALUE words of the command line, split as xm split them (xm.md 1.1).
struct CommandLineVars {
  std::vector<std::pair<std::string, std::string>> declared;  ///< xm variables
  std::vector<std::pair<std::string, std::string>> script;    ///< everything else
};
CommandLineVars SplitCommandLineVars(const Schema& schema, const std::vector<std::string>& words);

/// The value xm's converter made of a NAME=VALUE word of a declared variable (int, long,
/// bool: yes/y/no/n, str). A word it rejects gets kInvalidCmdlineValue and false: xm
/// stopped with 'Error: Invalid value' before it even opened the config.
bool ConvertCommandLineWord(const VarSpec& spec, const std::string& text, XmValue* out, Diagnostics* diags);
/// Every declared word of `words` through ConvertCommandLineWord; false if one is rejected.
bool CheckCommandLineWords(const Schema& schema, const std::vector<std::string>& words, Diagnostics* diags);

struct LowerInput {
  std::string file;  ///< for diagnostics
  const Evaluation* eval = nullptr;
  std::vector<std::string> script_names;  ///< xm_vars / command-line script variables
  std::vector<std::string> read_names;    ///< names the script reads (helpers, not typos)
  const CommandLineVars* cmdline = nullptr;
  std::string default_name;  ///< basename of the config file (xm.md 1.6)
  bool pedantic = false;     ///< also note what xm and xend accepted as intended (a quoted number)
};

/// Fills `config` from the evaluation and the command line.
void Lower(const LowerInput& input, const Schema& schema, DomainConfig* config, Diagnostics* diags);

}  // namespace xmc
