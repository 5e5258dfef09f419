// The shape of JSON that comes from a sandboxed child (its result, its Host requests, its
// failure reports), checked before a parser allocates anything for it. A frame may hold
// 48 MiB; parsed as it comes, forty million '[' or a list of ten million zeros made xmc
// allocate gigabytes. Nothing an evaluator honestly writes comes near these bounds: a
// value is refused anyway past 100 levels of Python nesting (two levels of JSON each).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace xmc {

/// How deep arrays and objects of untrusted JSON may nest.
inline constexpr size_t kMaxJsonDepth = 256;
/// How many values (scalars, arrays, objects) untrusted JSON may hold.
inline constexpr size_t kMaxJsonValues = size_t{1} << 20;

/// "" when `text` nests at most kMaxJsonDepth deep and holds at most kMaxJsonValues values;
/// else why not. A scan of the bytes that allocates nothing (it does not validate: the
/// parser still does).
std::string JsonShapeProblem(std::string_view text);

}  // namespace xmc
