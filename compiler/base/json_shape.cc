#include "compiler/base/json_shape.h"

#include <fmt/format.h>

namespace xmc {

std::string JsonShapeProblem(std::string_view text) {
  size_t depth = 0;
  size_t values = 0;
  bool in_string = false;
  bool in_scalar = false;  // inside a number or a literal (true, false, null)
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    bool scalar_char =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' || c == '+' || c == '.' || (c >= 'A' && c <= 'Z');
    if (scalar_char) {
      if (!in_scalar) ++values;
      in_scalar = true;
    } else {
      in_scalar = false;
      if (c == '"') {
        in_string = true;
        ++values;
      } else if (c == '[' || c == '{') {
        ++values;
        if (++depth > kMaxJsonDepth) return fmt::format("nested deeper than {} levels", kMaxJsonDepth);
      } else if ((c == ']' || c == '}') && depth > 0) {
        --depth;
      }
    }
    if (values > kMaxJsonValues) return fmt::format("more than {} values", kMaxJsonValues);
  }
  return "";
}

}  // namespace xmc
