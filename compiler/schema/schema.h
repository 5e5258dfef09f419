// The key schema (schema/xm-vars.yaml, embedded in the binary and read with yaml-cpp):
// one entry per xm variable with its type, command-line converter, default, scope,
// allowed values or range, SXP placement, deprecation and documentation. It drives
// defaults, command-line conversion, checks and "did you mean" suggestions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/ir/domain_config.h"

namespace xmc {

struct VarSpec {
  std::string name;
  std::string type;  ///< int, bool, string, cpus, cpuid, disk, vif, ...
  std::string conv;  ///< int, long, str, bool, append, none
  std::optional<XmValue> default_value;
  std::string default_from;  ///< "display" / "xauthority": taken from the environment
  std::string scope;         ///< all, pv, hvm
  std::string sxp;           ///< top, image, hvm, device, none
  std::vector<std::string> values;
  std::optional<std::pair<int64_t, int64_t>> range;
  std::string deprecated;
  std::vector<std::string> aliases;
  std::string doc;

  bool is_list() const;  ///< a list variable (NAME=VALUE appends)
};

class Schema {
 public:
  /// The schema compiled into the binary (generated from the YAML at build time).
  static const Schema& Builtin();
  /// The YAML text the built-in schema was generated from.
  static const char* BuiltinYaml();
  /// Parses a schema document with yaml-cpp; on failure returns nullopt and sets `error`.
  static std::optional<Schema> Parse(const std::string& yaml, std::string* error);
  static Schema FromParts(std::vector<VarSpec> vars, std::vector<std::string> options);

  const std::vector<VarSpec>& vars() const { return vars_; }
  const VarSpec* Find(const std::string& name) const;
  std::vector<std::string> Names() const;
  /// The variable an alias or common misspelling stands for, if any.
  const VarSpec* FindAlias(const std::string& name) const;
  bool IsOption(const std::string& name) const;
  const std::vector<std::string>& options() const { return options_; }

 private:
  std::vector<VarSpec> vars_;
  std::vector<std::string> options_;
};

}  // namespace xmc
