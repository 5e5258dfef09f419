// The frozen value tree that front ends produce: what a config file assigned, as plain
// data with source spans. No Python object crosses this boundary, so a Value could come
// from another process. `py_type` keeps the Python type name when it is not the canonical
// one for the kind (a tuple is a list of kind kList with py_type "tuple"; Python 2 longs,
// unicode strings, functions and modules are marked the same way), because xm's exact-type
// filter (xm.md 1.5) depends on it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "compiler/base/source.h"

namespace xmc {

class Value {
 public:
  enum class Kind { kNone, kBool, kInt, kFloat, kString, kList, kDict, kOther };

  Value() = default;
  static Value None(Span span = {});
  static Value Bool(bool b, Span span = {});
  static Value Int(int64_t i, Span span = {});
  static Value Float(double f, Span span = {});
  static Value String(std::string s, Span span = {});
  static Value List(std::vector<Value> items, Span span = {});
  static Value Dict(std::vector<std::pair<Value, Value>> entries, Span span = {});
  /// A value xm never takes over (function, module, class...); `type` is its Python name.
  static Value Other(std::string type, Span span = {});

  Kind kind() const { return kind_; }
  bool is_none() const { return kind_ == Kind::kNone; }
  bool is_int() const { return kind_ == Kind::kInt; }
  bool is_float() const { return kind_ == Kind::kFloat; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_list() const { return kind_ == Kind::kList; }
  bool as_bool() const { return b_; }
  int64_t as_int() const { return i_; }
  double as_float() const { return f_; }
  const std::string& as_string() const { return s_; }
  const std::vector<Value>& items() const { return items_; }
  const std::vector<std::pair<Value, Value>>& entries() const { return entries_; }
  const Span& span() const { return span_; }
  const std::string& py_type() const { return py_type_; }

  Value& set_py_type(std::string t) {
    py_type_ = std::move(t);
    return *this;
  }
  Value& set_span(Span s) {
    span_ = s;
    return *this;
  }
  /// The Python type name as xm would see it: "int", "str", "tuple", "long", ...
  std::string TypeName() const;
  /// Python 2 truthiness.
  bool Truthy() const;
  /// Structural equality, ignoring spans.
  bool SameAs(const Value& other) const;
  /// A compact debugging/JSON-ish rendering (Python 2 repr).
  std::string Repr() const;

 private:
  Kind kind_ = Kind::kNone;
  bool b_ = false;
  int64_t i_ = 0;
  double f_ = 0;
  std::string s_;
  std::vector<Value> items_;
  std::vector<std::pair<Value, Value>> entries_;
  std::string py_type_;
  Span span_;
};

/// One top-level name the config script left behind.
struct Binding {
  std::string name;
  Span name_span;  ///< where the (last executed) assignment names it
  Value value;
};

/// What a front end hands on: the bindings in first-assignment order, plus what the
/// script printed (xm copies it into its stdout before the SXP).
struct Evaluation {
  std::vector<Binding> bindings;
  std::string printed;
  std::string printed_stderr;
  bool ok = false;       ///< false after a syntax error or an uncaught exception
  std::string frontend;  ///< "native" or "python"

  const Binding* Find(const std::string& name) const;
};

}  // namespace xmc
