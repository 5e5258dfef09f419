// The SXP writer: the `(vm ...)` list xm 4.4's make_config built and `xm create -n`
// printed, byte for byte (xm.md 3). It reads only the checked DomainConfig, using each
// field's xm-level value, and reproduces xm's field order and conditions, its atom quoting
// (3.4), its 80-column layout (3.5) and Python 2.7 dict order (3.6).
#pragma once

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "compiler/emit/backend.h"
#include "compiler/ir/domain_config.h"
#include "compiler/schema/schema.h"

namespace xmc {

/// An S-expression as xm built it: a list, or an atom that keeps its raw text and its
/// Python kind, because the SXP printer quotes by kind while other writers (the -x XML,
/// XenStore's one-line image) need the raw value.
struct Sexp {
  enum class Kind { kList, kString, kNumber, kOther };
  Kind kind = Kind::kString;
  std::string text;  ///< a string's value, a number's str(), another object's str()
  std::vector<Sexp> items;
  /// A Python tuple inside the SXP (the HVM pci list): PrettyPrint never breaks one.
  bool tuple = false;

  static Sexp String(std::string raw);
  static Sexp Number(std::string text);
  /// A value sxp.show prints as repr(str(value)): None, a dict, a long.
  static Sexp Other(std::string str_text);
  static Sexp List(std::vector<Sexp> items);

  bool is_list() const { return kind == Kind::kList; }
  /// The atom as sxp.show prints it.
  std::string Printed() const;
  /// The first child list named `name` ((name ...)), or nullptr.
  const Sexp* Child(const std::string& name) const;
  /// The value of child `(name value)`, or nullptr.
  const Sexp* ChildValue(const std::string& name) const;
  /// Python str() of this value (a list as its repr).
  std::string Str() const;
};

/// The printed form of a string atom: bare when it only has letters, digits and . - _ : / ~
/// (or is "@"), else Python 2's repr().
std::string SxpString(const std::string& s);
/// An xm value as an S-expression (numbers via str(), lists nested).
Sexp SxpOf(const XmValue& v);
/// The one-line rendering.
std::string SxpFlat(const Sexp& s);
/// The layout of xen.xend.PrettyPrint at width 80; `force_break` breaks the outer list.
std::string SxpPretty(const Sexp& s, bool force_break);

/// The configuration list make_config built.
Sexp BuildSxp(const DomainConfig& config);
/// The places the writer has code for (schema: sxp: {custom: true}), for the schema test.
std::vector<std::pair<std::string, SxpAt>> SxpCodePlaces();

/// Writes BuildSxp(config), pretty-printed like `xm create -n`, with a final newline.
/// (`options.pretty` false: one line, the form xend stored in XenStore.)
void EmitSxp(const DomainConfig& config, const EmitOptions& options, std::ostream& out, Diagnostics* diags);

}  // namespace xmc
