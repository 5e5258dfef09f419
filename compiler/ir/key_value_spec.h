// The key=value specs of xm's device variables (vif, vif2, vfb, vusb) as xm split them:
// the raw view, for lowering, the checks and the writers of xm's own formats (SXP, Xen-API
// XML). The typed writers read compiler/derive/xend_model.h instead and must not include
// this header (tests/layering_test.py).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "compiler/base/source.h"

namespace xmc {

/// A comma-separated key=value spec (vif, vif2, vfb, vusb) in input order; later
/// duplicates overwrite earlier values but keep the first position, like a dict.
struct KeyValueSpec {
  std::string spec;
  std::vector<std::pair<std::string, std::string>> pairs;
  std::vector<Span> spans;  ///< span of each pair's key
  Span span;
  const std::string* Get(const std::string& key) const;
};

struct Vif : KeyValueSpec {};
struct Vif2 : KeyValueSpec {};
struct Vfb : KeyValueSpec {
  bool had_type = false;  ///< legacy type=vnc|sdl, rewritten to vnc=1 / sdl=1 by xm
};
struct Vusb : KeyValueSpec {
  int64_t usbver = 2;
  int64_t numports = 8;
  std::map<int64_t, std::string> ports;
};

}  // namespace xmc
