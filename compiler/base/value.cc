#include "compiler/base/value.h"

#include "compiler/base/py2.h"

namespace xmc {

Value Value::None(Span span) {
  Value v;
  v.kind_ = Kind::kNone;
  v.span_ = span;
  return v;
}
Value Value::Bool(bool b, Span span) {
  Value v;
  v.kind_ = Kind::kBool;
  v.b_ = b;
  v.span_ = span;
  return v;
}
Value Value::Int(int64_t i, Span span) {
  Value v;
  v.kind_ = Kind::kInt;
  v.i_ = i;
  v.span_ = span;
  return v;
}
Value Value::Float(double f, Span span) {
  Value v;
  v.kind_ = Kind::kFloat;
  v.f_ = f;
  v.span_ = span;
  return v;
}
Value Value::String(std::string s, Span span) {
  Value v;
  v.kind_ = Kind::kString;
  v.s_ = std::move(s);
  v.span_ = span;
  return v;
}
Value Value::List(std::vector<Value> items, Span span) {
  Value v;
  v.kind_ = Kind::kList;
  v.items_ = std::move(items);
  v.span_ = span;
  return v;
}
Value Value::Dict(std::vector<std::pair<Value, Value>> entries, Span span) {
  Value v;
  v.kind_ = Kind::kDict;
  v.entries_ = std::move(entries);
  v.span_ = span;
  return v;
}
Value Value::Other(std::string type, Span span) {
  Value v;
  v.kind_ = Kind::kOther;
  v.py_type_ = std::move(type);
  v.span_ = span;
  return v;
}

std::string Value::TypeName() const {
  if (!py_type_.empty()) return py_type_;
  switch (kind_) {
    case Kind::kNone: return "NoneType";
    case Kind::kBool: return "bool";
    case Kind::kInt: return "int";
    case Kind::kFloat: return "float";
    case Kind::kString: return "str";
    case Kind::kList: return "list";
    case Kind::kDict: return "dict";
    case Kind::kOther: return "object";
  }
  return "object";
}

bool Value::Truthy() const {
  switch (kind_) {
    case Kind::kNone: return false;
    case Kind::kBool: return b_;
    case Kind::kInt: return i_ != 0;
    case Kind::kFloat: return f_ != 0;
    case Kind::kString: return !s_.empty();
    case Kind::kList: return !items_.empty();
    case Kind::kDict: return !entries_.empty();
    case Kind::kOther: return true;
  }
  return false;
}

bool Value::SameAs(const Value& o) const {
  if (kind_ != o.kind_ || py_type_ != o.py_type_) return false;
  switch (kind_) {
    case Kind::kNone: return true;
    case Kind::kBool: return b_ == o.b_;
    case Kind::kInt: return i_ == o.i_;
    case Kind::kFloat: return f_ == o.f_ || (f_ != f_ && o.f_ != o.f_);
    case Kind::kString: return s_ == o.s_;
    case Kind::kOther: return true;
    case Kind::kList:
      if (items_.size() != o.items_.size()) return false;
      for (size_t i = 0; i < items_.size(); ++i) {
        if (!items_[i].SameAs(o.items_[i])) return false;
      }
      return true;
    case Kind::kDict:
      if (entries_.size() != o.entries_.size()) return false;
      for (size_t i = 0; i < entries_.size(); ++i) {
        if (!entries_[i].first.SameAs(o.entries_[i].first) || !entries_[i].second.SameAs(o.entries_[i].second)) {
          return false;
        }
      }
      return true;
  }
  return false;
}

std::string Value::Repr() const {
  switch (kind_) {
    case Kind::kNone: return "None";
    case Kind::kBool: return b_ ? "True" : "False";
    case Kind::kInt: return std::to_string(i_) + (py_type_ == "long" ? "L" : "");
    case Kind::kFloat: return py2::FloatRepr(f_);
    case Kind::kString: {
      // Appended, not "u" + repr: gcc 12's -O3 takes that insert(0, ...) for an
      // overlapping memcpy (a false -Wrestrict, GCC bug 105651).
      std::string out = py_type_ == "unicode" ? "u" : "";
      return out.append(py2::StrRepr(s_));
    }
    case Kind::kOther: return "<" + py_type_ + ">";
    case Kind::kList: {
      bool tuple = py_type_ == "tuple";
      std::string out = tuple ? "(" : "[";
      for (size_t i = 0; i < items_.size(); ++i) {
        if (i) out += ", ";
        out += items_[i].Repr();
      }
      if (tuple && items_.size() == 1) out += ",";
      return out + (tuple ? ")" : "]");
    }
    case Kind::kDict: {
      std::string out = "{";
      for (size_t i = 0; i < entries_.size(); ++i) {
        if (i) out += ", ";
        out += entries_[i].first.Repr() + ": " + entries_[i].second.Repr();
      }
      return out + "}";
    }
  }
  return "?";
}

const Binding* Evaluation::Find(const std::string& name) const {
  for (const Binding& b : bindings) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

}  // namespace xmc
