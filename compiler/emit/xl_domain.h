// The xl translation of one domain, shared by the xl.cfg writer (xl.cc) and the libxl JSON
// writer (libxl_json.cc), which gives what the real xl makes of that xl.cfg.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/derive/xend_model.h"
#include "compiler/emit/backend.h"

namespace xmc {

// --- The translated domain ------------------------------------------------------------

struct XlDisk {
  std::optional<std::string> target;
  std::string format = "raw";
  std::string vdev;
  bool readwrite = true;
  bool cdrom = false;
  std::string backend;
  std::string script;
};

/// A vif as the xl.cfg gives it: xend's interface with the keys xl has no use for taken
/// out, and type rewritten (ioemu for an HVM guest's emulated NIC, else vif).
using XlNic = Nic;

/// A vfb as the xl.cfg gives it: its keys in order, with type=vnc|sdl written as vnc=1 or
/// sdl=1 and the domain's keymap added.
struct XlVfb {
  std::vector<std::pair<std::string, std::string>> keys;  ///< the xl.cfg spec's keys, in order
  Framebuffer fb;                                         ///< the device it came from
  /// The value of `key` as xl reads the spec (the first of the key's places).
  std::optional<std::string> Value(VfbKey key) const;
};

struct XlPci {
  int64_t domain = 0, bus = 0, slot = 0, func = 0;
  std::optional<int64_t> vslot;
  std::optional<bool> msitranslate, power_mgmt;
};

/// A key of the xl.cfg: an atom (quoted string or bare number) or a list of atoms. Numbers
/// keep their typed value too, which the libxl JSON is built from.
struct XlEntry {
  std::string key;
  std::vector<std::string> items;  // for lists
  std::string atom;
  bool list = false;
  bool number = false;
  std::optional<int64_t> int_value;  // a number, or a string xl reads as one
  std::vector<int64_t> int_items;    // a list of numbers

  static XlEntry Atom(std::string key, std::string atom) {
    XlEntry e;
    e.key = std::move(key);
    e.atom = std::move(atom);
    return e;
  }
  static XlEntry List(std::string key, std::vector<std::string> items) {
    XlEntry e;
    e.key = std::move(key);
    e.items = std::move(items);
    e.list = true;
    return e;
  }
};

struct XlDomain {
  bool hvm = false;
  std::vector<XlEntry> entries;  // the xl.cfg, in order
  std::vector<std::string> comments;
  // What the JSON needs beyond the entries:
  std::vector<XlDisk> disks;
  std::vector<XlNic> nics;
  std::vector<XlVfb> vfbs;
  std::vector<XlPci> pcis;
  bool pci_msitranslate = false, pci_power_mgmt = false;
  std::vector<CpuMask> cpus;
  bool cpus_list = false;
  std::vector<std::pair<int64_t, int64_t>> ioports;  // first, last

  const XlEntry* Find(const std::string& key) const {
    for (const XlEntry& e : entries) {
      if (e.key == key) return &e;
    }
    return nullptr;
  }
};

/// A value as the user wrote it (vfb's vnc=1, gfx_passthru), read as xl reads a number.
inline int64_t ParseNum(const std::string& s) { return std::strtoll(s.c_str(), nullptr, 0); }

/// Translates the domain into xl's terms; `diags` receives what was left out or changed
/// (nullptr: not reported, as for the JSON).
XlDomain TranslateToXl(const DomainConfig& config, const EmitOptions& options, Diagnostics* diags);

}  // namespace xmc
