// Python 2.7 behaviour that xm's output depends on, reimplemented: the string hash and
// dict iteration order of a 64-bit CPython 2.7 without hash randomisation (xm.md 3.6),
// repr() of byte strings, str()/repr() of floats, and os.path.normpath.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace xmc::py2 {

/// hash(s) of a Python 2.7 str on a 64-bit build (hash randomisation off).
int64_t StringHash(std::string_view s);

/// Iteration order of a Python 2.7 dict built by the given operations on string keys.
/// Insert of an existing key keeps its slot; Erase leaves a dummy, as CPython does.
/// The same table serves sets (CPython 2.7's set uses the same probing and growth) and keys
/// that are not strings: give their hash (Python 2's hash()) and any distinct text.
class DictOrder {
 public:
  /// `presize`: a dict display of that many entries, which CPython 2.7 presizes (more than 5).
  explicit DictOrder(size_t presize = 0);
  void Insert(const std::string& key);
  void Insert(const std::string& key, int64_t hash);
  void Erase(const std::string& key);
  void Erase(const std::string& key, int64_t hash);
  bool Contains(const std::string& key) const;
  /// Before PyDict_Merge adds the `n` entries of another dict: CPython 2.7 grows the table
  /// first when they would fill it beyond two thirds.
  void ReserveForMerge(size_t n);
  /// Keys in iteration order.
  std::vector<std::string> Keys() const;

 private:
  struct Slot {
    enum State { kEmpty, kActive, kDummy } state = kEmpty;
    std::string key;
    int64_t hash = 0;
  };
  size_t Lookup(const std::string& key, int64_t hash) const;
  void Resize(size_t min_used);

  std::vector<Slot> table_ = std::vector<Slot>(8);
  size_t fill_ = 0;
  size_t used_ = 0;
};

/// The order in which a dict built by inserting `keys` in this order iterates.
std::vector<std::string> IterationOrder(const std::vector<std::string>& keys);

/// repr() of a Python 2 byte string.
std::string StrRepr(std::string_view s);
/// str() of a float in Python 2.7 (12 significant digits).
std::string FloatStr(double f);
/// repr() of a float in Python 2.7 (shortest round-trip).
std::string FloatRepr(double f);
/// os.path.normpath of a POSIX path.
std::string NormPath(std::string_view path);

}  // namespace xmc::py2
