// What lowering says about a script value in xm's terms (internal to compiler/lower/).
#pragma once

#include <cstddef>
#include <string>

#include "compiler/base/source.h"
#include "compiler/base/value.h"
#include "compiler/ir/domain_config.h"

namespace xmc {

/// xm's exact-type test (xm.md 1.5): only str, list, int and float are taken over.
bool TakenOver(const Value& v);
/// A Value in xm's terms (what xm held after taking it over).
XmValue ToXm(const Value& v);
/// "integer 3", "string 'x'", "a list", or the repr: a value as a diagnostic names it.
std::string Describe(const XmValue& x);
bool IsNumber(const XmValue& x);
/// The Python type name xm's error would give (int, float, str, list, object).
std::string TypeWord(const XmValue& x);
/// The span of `length` bytes at `offset` inside a one-line string literal whose Value
/// span is `item`, when the literal's text can be trusted to equal the value.
Span InnerSpan(Span item, const std::string& text, size_t offset, size_t length);

}  // namespace xmc
