#include "compiler/frontend/native.h"

#include <cerrno>
#include <cstdlib>
#include <map>

#include "compiler/frontend/native_grammar.h"

namespace xmc {
namespace {

namespace g = native_grammar;
namespace pegtl = tao::pegtl;

struct Frame {
  size_t base;  // index into the value stack where this bracket's items start
  Span span;    // position of the opening bracket
  bool comma = false;
};

struct State {
  const SourceFile* file = nullptr;
  std::vector<Value> values;
  std::vector<Frame> frames;
  std::string text;  // decoded string pieces of the current string expression
  bool unicode = false;
  bool reject_string = false;
  std::string name;
  Span name_span;
  bool top_tuple = false;
  size_t top_base = 0;
  Evaluation eval;
  std::map<std::string, size_t> index;  // name -> position in eval.bindings
  std::string failure;
  Span failure_span;
};

template <typename Input>
Span SpanOf(const Input& in) {
  auto pos = in.position();
  Span s{static_cast<uint32_t>(pos.line), static_cast<uint32_t>(pos.column), 0};
  std::string_view text(in.begin(), in.size());
  if (text.find('\n') == std::string_view::npos) {
    s.end_column = static_cast<uint32_t>(pos.column + in.size());
  }
  return s;
}

template <typename Rule>
struct action : pegtl::nothing<Rule> {};

template <>
struct action<g::target> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.name = in.string();
    st.name_span = SpanOf(in);
    st.top_tuple = false;
    st.top_base = st.values.size();
  }
};

template <>
struct action<g::string_piece> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    std::string_view lit(in.begin(), in.size());
    size_t q = lit.find_first_of("'\"");
    std::string_view prefix = lit.substr(0, q);
    bool raw = prefix.find_first_of("rR") != std::string_view::npos;
    bool uni = prefix.find_first_of("uU") != std::string_view::npos;
    std::string_view body = lit.substr(q);
    size_t quote_len = (body.size() >= 6 && body[0] == body[1] && body[1] == body[2]) ? 3 : 1;
    body = body.substr(quote_len, body.size() - 2 * quote_len);
    std::string decoded;
    if (!DecodePyString(body, raw, uni, &decoded)) st.reject_string = true;
    st.text += decoded;
    st.unicode = st.unicode || uni;
  }
};

template <typename Input>
void FinishString(const Input& in, State& st) {
  Value v = Value::String(std::move(st.text), SpanOf(in));
  if (st.unicode) v.set_py_type("unicode");
  st.values.push_back(std::move(v));
  st.text.clear();
  st.unicode = false;
}

template <>
struct action<g::bracket_strings> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    FinishString(in, st);
  }
};
template <>
struct action<g::line_strings> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    FinishString(in, st);
  }
};

bool ParseInteger(std::string_view text, bool negative, int64_t* out) {
  int base = 10;
  std::string digits(text);
  if (text.size() > 2 && text[0] == '0' && std::isalpha(static_cast<unsigned char>(text[1]))) {
    char b = static_cast<char>(std::tolower(static_cast<unsigned char>(text[1])));
    base = b == 'x' ? 16 : b == 'o' ? 8 : 2;
    digits = std::string(text.substr(2));
  }
  errno = 0;
  unsigned long long mag = std::strtoull(digits.c_str(), nullptr, base);
  if (errno == ERANGE) return false;
  if (negative) {
    if (mag > 9223372036854775808ULL) return false;
    *out = mag == 9223372036854775808ULL ? INT64_MIN : -static_cast<int64_t>(mag);
  } else {
    if (mag > 9223372036854775807ULL) return false;  // a Python 2 long: leave to Python
    *out = static_cast<int64_t>(mag);
  }
  return true;
}

template <>
struct action<g::signed_number> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    std::string_view text(in.begin(), in.size());
    bool negative = false;
    size_t i = 0;
    while (i < text.size() && !std::isdigit(static_cast<unsigned char>(text[i])) && text[i] != '.') {
      if (text[i] == '-') negative = !negative;
      ++i;
    }
    std::string_view num = text.substr(i);
    bool is_float =
        num.find_first_of(".eE") != std::string_view::npos && !(num.size() > 1 && (num[1] == 'x' || num[1] == 'X'));
    if (is_float) {
      double f = std::strtod(std::string(num).c_str(), nullptr);
      st.values.push_back(Value::Float(negative ? -f : f, SpanOf(in)));
      return;
    }
    int64_t v = 0;
    if (!ParseInteger(num, negative, &v)) {
      st.failure = "integer out of the range of a Python 2 int";
      st.failure_span = SpanOf(in);
      v = 0;
    }
    st.values.push_back(Value::Int(v, SpanOf(in)));
  }
};

template <>
struct action<g::constant> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    std::string t = in.string();
    if (t == "None") {
      st.values.push_back(Value::None(SpanOf(in)));
    } else {
      st.values.push_back(Value::Bool(t == "True", SpanOf(in)));
    }
  }
};

// Python's own parser refuses deeper nesting; stop early so that no input can exhaust
// the stack of the recursive grammar.
constexpr size_t kMaxNesting = 100;

template <typename Input>
void OpenBracket(const Input& in, State& st) {
  if (st.frames.size() >= kMaxNesting) throw pegtl::parse_error("brackets nested too deeply", in);
  st.frames.push_back(Frame{st.values.size(), SpanOf(in)});
}

template <>
struct action<g::list_open> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    OpenBracket(in, st);
  }
};
template <>
struct action<g::paren_open> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    OpenBracket(in, st);
  }
};
template <>
struct action<g::paren_comma> {
  static void apply0(State& st) { st.frames.back().comma = true; }
};
template <>
struct action<g::top_comma> {
  static void apply0(State& st) { st.top_tuple = true; }
};

Span CloseSpan(const Frame& f, const pegtl::position& close) {
  Span s = f.span;
  s.end_column = close.line == s.line ? static_cast<uint32_t>(close.column + 1) : 0;
  return s;
}

std::vector<Value> TakeItems(State& st, size_t base) {
  std::vector<Value> items(std::make_move_iterator(st.values.begin() + static_cast<long>(base)),
                           std::make_move_iterator(st.values.end()));
  st.values.resize(base);
  return items;
}

template <>
struct action<g::list_close> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    Frame f = st.frames.back();
    st.frames.pop_back();
    st.values.push_back(Value::List(TakeItems(st, f.base), CloseSpan(f, in.position())));
  }
};
template <>
struct action<g::paren_close> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    Frame f = st.frames.back();
    st.frames.pop_back();
    std::vector<Value> items = TakeItems(st, f.base);
    if (items.size() == 1 && !f.comma) {
      st.values.push_back(std::move(items[0]));  // parenthesised expression
      return;
    }
    Value t = Value::List(std::move(items), CloseSpan(f, in.position()));
    t.set_py_type("tuple");
    st.values.push_back(std::move(t));
  }
};

template <>
struct action<g::assignment> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    std::vector<Value> items = TakeItems(st, st.top_base);
    Value v;
    if (items.size() == 1 && !st.top_tuple) {
      v = std::move(items[0]);
    } else {
      Span s = items.empty() ? Span{} : items[0].span();
      auto pos = in.position();
      std::string_view text(in.begin(), in.size());
      s.end_column = text.find('\n') == std::string_view::npos ? static_cast<uint32_t>(pos.column + in.size()) : 0;
      v = Value::List(std::move(items), s);
      v.set_py_type("tuple");
    }
    auto it = st.index.find(st.name);
    if (it == st.index.end()) {
      st.index[st.name] = st.eval.bindings.size();
      st.eval.bindings.push_back(Binding{st.name, st.name_span, std::move(v)});
    } else {
      Binding& b = st.eval.bindings[it->second];
      b.name_span = st.name_span;
      b.value = std::move(v);
    }
  }
};

}  // namespace

bool DecodePyString(std::string_view body, bool raw, bool unicode, std::string* out) {
  out->clear();
  // i indexes the body; after a backslash it is moved onto the escaped character.
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '\r') {
      // Universal newlines: a CR LF pair (or lone CR) inside a literal reads as LF.
      if (i + 1 < body.size() && body[i + 1] == '\n') ++i;
      out->push_back('\n');
      continue;
    }
    if (c != '\\' || i + 1 >= body.size()) {
      out->push_back(c);
      continue;
    }
    char n = body[i + 1];
    if (raw) {
      out->push_back('\\');
      continue;  // the next character is copied on the next round
    }
    ++i;
    switch (n) {
      case '\n': break;
      case '\r':
        if (i + 1 < body.size() && body[i + 1] == '\n') ++i;
        break;
      case '\\': out->push_back('\\'); break;
      case '\'': out->push_back('\''); break;
      case '"': out->push_back('"'); break;
      case 'a': out->push_back('\a'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'v': out->push_back('\v'); break;
      case 'x': {
        if (i + 2 >= body.size() || !std::isxdigit(static_cast<unsigned char>(body[i + 1])) ||
            !std::isxdigit(static_cast<unsigned char>(body[i + 2]))) {
          return false;  // Python 2 raises "invalid \\x escape": leave it to Python
        }
        if (unicode) return false;  // would be a code point, not a byte
        out->push_back(static_cast<char>(std::stoi(std::string(body.substr(i + 1, 2)), nullptr, 16)));
        i += 2;
        break;
      }
      case 'u':
      case 'U':
      case 'N':
        if (unicode) return false;
        out->push_back('\\');
        out->push_back(n);
        break;
      default:
        if (n >= '0' && n <= '7') {
          int v = 0, k = 0;
          while (k < 3 && i < body.size() && body[i] >= '0' && body[i] <= '7') {
            v = v * 8 + (body[i] - '0');
            ++i;
            ++k;
          }
          --i;
          if (unicode && v > 0x7f) return false;
          out->push_back(static_cast<char>(v & 0xff));
        } else {
          out->push_back('\\');
          out->push_back(n);
        }
    }
  }
  return true;
}

std::optional<Evaluation> ParseNative(const SourceFile& file, NativeRejection* rejection) {
  const std::string& text = file.text();
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80 || c == 0) {
      if (rejection) *rejection = {file.SpanAt(i), "non-ASCII or NUL byte"};
      return std::nullopt;
    }
  }
  State st;
  st.file = &file;
  pegtl::memory_input in(text.data(), text.size(), file.path());
  bool ok = false;
  try {
    ok = pegtl::parse<g::file, action>(in, st);
  } catch (const pegtl::parse_error& e) {
    if (rejection) {
      const auto& p = e.positions().front();
      std::string_view line = file.Line(static_cast<uint32_t>(p.line));
      rejection->span =
          Span{static_cast<uint32_t>(p.line), static_cast<uint32_t>(p.column), static_cast<uint32_t>(line.size() + 1)};
      rejection->reason = "not a plain assignment of strings, numbers or lists";
    }
    return std::nullopt;
  }
  if (!ok || st.reject_string || !st.failure.empty()) {
    if (rejection) {
      rejection->span = st.failure_span;
      rejection->reason = st.failure.empty() ? "string escape left to Python" : st.failure;
    }
    return std::nullopt;
  }
  st.eval.ok = true;
  st.eval.frontend = "native";
  return std::move(st.eval);
}

}  // namespace xmc
