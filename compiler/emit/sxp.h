// The SXP writer: the `(vm ...)` list xm 4.4's make_config built and `xm create -n`
// printed, byte for byte (xm.md 3). It reads only the checked DomainConfig, using each
// field's xm-level value, and reproduces xm's field order and conditions, its atom quoting
// (3.4), its 80-column layout (3.5) and Python 2.7 dict order (3.6).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "compiler/ir/domain_config.h"

namespace xmc {

/// An S-expression: an atom (already in printed form) or a list.
struct Sexp {
  bool is_list = false;
  std::string atom;
  std::vector<Sexp> items;

  static Sexp Atom(std::string printed);
  static Sexp List(std::vector<Sexp> items);
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

struct SxpOptions {
  bool pretty = true;  ///< false: one line (the form xend stores in XenStore)
};

/// The configuration list make_config built.
Sexp BuildSxp(const DomainConfig& config);
/// Writes BuildSxp(config), pretty-printed like `xm create -n`, with a final newline.
void EmitSxp(const DomainConfig& config, std::ostream& out, const SxpOptions& options);

}  // namespace xmc
