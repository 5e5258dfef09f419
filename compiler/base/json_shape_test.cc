#include "compiler/base/json_shape.h"

#include <doctest/doctest.h>

#include <string>

namespace xmc {

TEST_CASE("untrusted JSON is refused past its depth and value bounds before it is parsed") {
  CHECK(JsonShapeProblem(R"({"ok": true, "bindings": [["name", [1, 1, 1, 5], ["str", "web", [1, 8, 1, 13], ""]]]})")
            .empty());
  std::string deep = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  CHECK(JsonShapeProblem(deep).empty());
  CHECK(JsonShapeProblem("[" + deep + "]") == "nested deeper than 256 levels");
  CHECK(JsonShapeProblem(std::string(40 << 20, '{')) == "nested deeper than 256 levels");
  // Brackets and commas inside strings are text, escaped quotes do not end them.
  CHECK(JsonShapeProblem("[\"" + std::string(1000, '[') + "\\\"" + std::string(1000, '{') + "\"]").empty());
  std::string many = "[";
  for (size_t i = 0; i <= kMaxJsonValues; ++i) many += "0,";
  many += "0]";
  CHECK(JsonShapeProblem(many) == "more than 1048576 values");
  std::string numbers = "[";
  for (size_t i = 0; i < 1000; ++i) numbers += "-12.5e+3, true, null, ";
  CHECK(JsonShapeProblem(numbers + "0]").empty());
}

}  // namespace xmc
