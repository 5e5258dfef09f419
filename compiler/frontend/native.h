// The native front end: a PEGTL parser for declarative config files (assignments of
// strings, numbers, True/False/None, lists and tuples, comments, continuation lines inside
// brackets). It never starts Python. A file outside that subset is not an error here:
// ParseNative reports "not declarative" and the caller uses the Python front end, which
// gives the same Value tree (tests compare both on every declarative file).
#pragma once

#include <optional>
#include <string>

#include "compiler/base/source.h"
#include "compiler/base/value.h"

namespace xmc {

/// Why a file is not declarative (for --frontend=native error messages).
struct NativeRejection {
  Span span;
  std::string reason;
};

/// Parses `file` as a declarative config. On success the evaluation holds one binding
/// per name (the last assignment wins, at the position of the first, like a Python dict's
/// insertion order) and `frontend` is "native"; otherwise `rejection` says where it stopped.
std::optional<Evaluation> ParseNative(const SourceFile& file, NativeRejection* rejection);

/// Decodes the body of a Python 2 string literal. Returns false for escapes the native
/// front end leaves to Python (\u in unicode literals, \N{...}, invalid \x).
bool DecodePyString(std::string_view body, bool raw, bool unicode, std::string* out);

}  // namespace xmc
