#include "compiler/lower/xm_values.h"

#include "compiler/base/py2.h"

namespace xmc {

bool TakenOver(const Value& v) {
  if (!v.py_type().empty()) return false;
  return v.kind() == Value::Kind::kInt || v.kind() == Value::Kind::kFloat || v.kind() == Value::Kind::kString ||
         v.kind() == Value::Kind::kList;
}

XmValue ToXm(const Value& v) {
  if (v.py_type().empty() || v.py_type() == "tuple") {
    switch (v.kind()) {
      case Value::Kind::kInt: return XmValue::Int(v.as_int());
      case Value::Kind::kFloat: return XmValue::Float(v.as_float());
      case Value::Kind::kString: return XmValue::String(v.as_string());
      case Value::Kind::kBool: return XmValue::String(v.as_bool() ? "True" : "False");
      case Value::Kind::kList: {
        std::vector<XmValue> items;
        for (const Value& item : v.items()) items.push_back(ToXm(item));
        return XmValue::List(std::move(items));
      }
      default: break;
    }
  }
  std::string repr = v.Repr();
  std::string str = v.kind() == Value::Kind::kString ? v.as_string()
                    : v.kind() == Value::Kind::kInt  ? std::to_string(v.as_int())
                                                     : repr;
  return XmValue::Other(str, repr, v.Truthy());
}

std::string Describe(const XmValue& x) {
  switch (x.kind) {
    case XmValue::Kind::kInt: return "integer " + std::to_string(x.i);
    case XmValue::Kind::kFloat: return "float " + py2::FloatStr(x.f);
    case XmValue::Kind::kString: return "string " + py2::StrRepr(x.s);
    case XmValue::Kind::kList: return "a list";
    case XmValue::Kind::kOther: return x.repr;
  }
  return "?";
}

bool IsNumber(const XmValue& x) { return x.kind == XmValue::Kind::kInt || x.kind == XmValue::Kind::kFloat; }

std::string TypeWord(const XmValue& x) {
  switch (x.kind) {
    case XmValue::Kind::kInt: return "int";
    case XmValue::Kind::kFloat: return "float";
    case XmValue::Kind::kString: return "str";
    case XmValue::Kind::kList: return "list";
    case XmValue::Kind::kOther: return "object";
  }
  return "object";
}

Span InnerSpan(Span item, const std::string& text, size_t offset, size_t length) {
  if (!item.valid() || item.end_column == 0 || item.end_column - item.column != text.size() + 2) {
    return item;
  }
  return item.Sub(static_cast<uint32_t>(offset + 1), static_cast<uint32_t>(length));
}

}  // namespace xmc
