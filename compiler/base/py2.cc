#include "compiler/base/py2.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace xmc::py2 {

int64_t StringHash(std::string_view s) {
  if (s.empty()) return 0;
  uint64_t x = static_cast<uint64_t>(static_cast<unsigned char>(s[0])) << 7;
  for (unsigned char c : s) x = (1000003ULL * x) ^ c;
  x ^= s.size();
  int64_t h = static_cast<int64_t>(x);
  return h == -1 ? -2 : h;
}

size_t DictOrder::Lookup(const std::string& key, int64_t hash) const {
  // CPython 2.7 lookdict_string: returns the slot holding `key`, else the first dummy
  // seen on the probe sequence, else the empty slot that ended it.
  size_t mask = table_.size() - 1;
  size_t i = static_cast<size_t>(hash) & mask;
  const size_t npos = static_cast<size_t>(-1);
  size_t freeslot = npos;
  const Slot* s = &table_[i];
  if (s->state == Slot::kEmpty) return i;
  if (s->state == Slot::kActive && s->hash == hash && s->key == key) return i;
  if (s->state == Slot::kDummy) freeslot = i;
  for (size_t perturb = static_cast<size_t>(hash);; perturb >>= 5) {
    i = (i << 2) + i + perturb + 1;
    size_t idx = i & mask;
    s = &table_[idx];
    if (s->state == Slot::kEmpty) return freeslot == npos ? idx : freeslot;
    if (s->state == Slot::kActive && s->hash == hash && s->key == key) return idx;
    if (s->state == Slot::kDummy && freeslot == npos) freeslot = idx;
  }
}

void DictOrder::Resize(size_t min_used) {
  size_t new_size = 8;
  while (new_size <= min_used) new_size <<= 1;
  std::vector<Slot> old = std::move(table_);
  table_.assign(new_size, Slot{});
  fill_ = used_ = 0;
  size_t mask = new_size - 1;
  for (const Slot& s : old) {
    if (s.state != Slot::kActive) continue;
    size_t i = static_cast<size_t>(s.hash) & mask;
    for (size_t perturb = static_cast<size_t>(s.hash); table_[i & mask].state != Slot::kEmpty; perturb >>= 5) {
      i = (i << 2) + i + perturb + 1;
    }
    table_[i & mask] = s;
    ++fill_;
    ++used_;
  }
}

DictOrder::DictOrder(size_t presize) {
  if (presize > 5) Resize(presize);
}

void DictOrder::Insert(const std::string& key) { Insert(key, StringHash(key)); }

void DictOrder::Insert(const std::string& key, int64_t hash) {
  size_t idx = Lookup(key, hash);
  Slot& s = table_[idx];
  if (s.state == Slot::kActive) return;  // existing key: value replaced in place
  if (s.state == Slot::kEmpty) ++fill_;
  s.state = Slot::kActive;
  s.key = key;
  s.hash = hash;
  ++used_;
  if (fill_ * 3 >= table_.size() * 2) Resize((used_ > 50000 ? 2 : 4) * used_);
}

void DictOrder::Erase(const std::string& key) { Erase(key, StringHash(key)); }

void DictOrder::Erase(const std::string& key, int64_t hash) {
  size_t idx = Lookup(key, hash);
  Slot& s = table_[idx];
  if (s.state != Slot::kActive) return;
  s.state = Slot::kDummy;
  s.key.clear();
  --used_;
}

void DictOrder::ReserveForMerge(size_t n) {
  if ((fill_ + n) * 3 >= table_.size() * 2) Resize((used_ + n) * 2);
}

bool DictOrder::Contains(const std::string& key) const {
  const Slot& s = table_[Lookup(key, StringHash(key))];
  return s.state == Slot::kActive;
}

std::vector<std::string> DictOrder::Keys() const {
  std::vector<std::string> keys;
  for (const Slot& s : table_) {
    if (s.state == Slot::kActive) keys.push_back(s.key);
  }
  return keys;
}

std::vector<std::string> IterationOrder(const std::vector<std::string>& keys) {
  DictOrder d;
  for (const std::string& k : keys) d.Insert(k);
  return d.Keys();
}

std::string StrRepr(std::string_view s) {
  char quote = '\'';
  if (s.find('\'') != std::string_view::npos && s.find('"') == std::string_view::npos) {
    quote = '"';
  }
  std::string out(1, quote);
  for (unsigned char c : s) {
    if (c == quote || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < ' ' || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += quote;
  return out;
}

namespace {
std::string FloatFormat(double f, int precision) {
  if (std::isnan(f)) return "nan";
  if (std::isinf(f)) return f < 0 ? "-inf" : "inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", precision, f);
  std::string s(buf);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}
}  // namespace

std::string FloatStr(double f) { return FloatFormat(f, 12); }

std::string FloatRepr(double f) {
  if (std::isnan(f) || std::isinf(f)) return FloatFormat(f, 17);
  // Shortest digits that round-trip, laid out as Python 2.7's repr: fixed notation for
  // decimal exponents in [-4, 16), exponent notation otherwise.
  char buf[64];
  int digits = 17;
  for (int p = 1; p <= 17; ++p) {
    std::snprintf(buf, sizeof buf, "%.*e", p - 1, f);
    if (std::strtod(buf, nullptr) == f) {
      digits = p;
      break;
    }
  }
  std::snprintf(buf, sizeof buf, "%.*e", digits - 1, f);
  int exponent = std::atoi(std::strchr(buf, 'e') + 1);
  if (exponent >= -4 && exponent < 16) {
    int decimals = std::max(0, digits - 1 - exponent);
    std::snprintf(buf, sizeof buf, "%.*f", decimals, f);
    std::string s(buf);
    if (s.find('.') == std::string::npos) s += ".0";
    return s;
  }
  return buf;
}

std::string NormPath(std::string_view path) {
  if (path.empty()) return ".";
  int initial = 0;
  if (path[0] == '/') {
    initial = 1;
    if (path.size() > 1 && path[1] == '/' && (path.size() < 3 || path[2] != '/')) initial = 2;
  }
  std::vector<std::string> comps;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string comp(path.substr(start, end - start));
    start = end + 1;
    if (comp.empty() || comp == ".") continue;
    if (comp != ".." || (initial == 0 && comps.empty()) || (!comps.empty() && comps.back() == "..")) {
      comps.push_back(comp);
    } else if (!comps.empty()) {
      comps.pop_back();
    }
  }
  std::string out(static_cast<size_t>(initial), '/');
  for (size_t i = 0; i < comps.size(); ++i) {
    if (i) out += '/';
    out += comps[i];
  }
  return out.empty() ? "." : out;
}

}  // namespace xmc::py2
