// Small parsers for the spec strings inside config values. xm itself only split strings
// (on ',', '=' or '-'), so the splitting here copies xm exactly and keeps untrimmed
// pieces; the PEGTL grammars (specs_grammar.h) then check the pieces the way xend or the
// hypervisor would have: cpus masks, PCI addresses, MAC addresses, vdev names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/strings.h"
#include "compiler/ir/domain_config.h"

namespace xmc {

/// The largest CPU number a cpus mask may name (Xen builds for at most 4096 CPUs by default,
/// 8192 at most).
inline constexpr int64_t kMaxCpuNumber = 8191;

/// Why a cpus mask was rejected: a syntax error, a CPU number beyond any Xen host (`first`
/// the number, `last` the limit), or a backwards range `first`-`last`.
struct CpuMaskError {
  enum Kind { kSyntax, kBeyondXen, kBackwards } kind = kSyntax;
  int64_t first = 0, last = 0;
};
/// Parses a cpus mask such as "0-3,5,^1"; on failure returns nullopt and sets `error`.
std::optional<std::vector<CpuRange>> ParseCpuMask(std::string_view text, CpuMaskError* error);

/// A PCI address "[DDDD:]BB:SS.F[@VSLOT][,OPTS]" as xm's parse_pci_name_extended reads it.
/// One function of a PCI entry: physical and virtual function, and whether the virtual one
/// was given (P=V, or a range) rather than taken from the physical one.
struct PciFunc {
  int64_t phys = 0, virt = 0;
  bool manual = false;
  bool operator==(const PciFunc& o) const { return phys == o.phys && virt == o.virt && manual == o.manual; }
};

struct PciAddress {
  int64_t domain = 0, bus = 0, slot = 0;
  std::vector<PciFunc> funcs;  ///< the function list as written ("*" is not expanded here)
  bool all_funcs = false;
  std::optional<int64_t> vslot;
  std::string opts;  ///< text after the first ','
  bool has_opts = false;
};
std::optional<PciAddress> ParsePciAddress(std::string_view text);

/// xm's virtual function assignment (xen.util.pci): no function twice; unless one has
/// virtual function 0, the lowest automatic one gets it; then by virtual function,
/// highest first. Empty with `error` set where xm refused the list.
std::vector<PciFunc> ArrangePciFunctions(std::vector<PciFunc> funcs, std::string* error);

/// The LEAF[,SUBLEAF] input of a cpuid entry: its length up to (not including) the ':'
/// that must follow, or nullopt when the entry does not start that way (xm ignores it).
std::optional<size_t> CpuidInputLength(std::string_view entry);
/// Splits "eax=VALUE" into register and value; nullopt unless it starts with eax= ebx=
/// ecx= or edx=.
std::optional<std::pair<std::string, std::string>> ParseCpuidRegister(std::string_view piece);
/// True for a hex port number without 0x ("2f8").
bool IsHexPort(std::string_view text);

/// xend's virtual-device number of a vdev name (xm.md 6.4): hda 768, sda 2048, xvda 51712,
/// decimal or 0x numbers as is. `extended` is set for xvdq and beyond.
std::optional<int64_t> VdevNumber(std::string_view vdev, bool* extended);

}  // namespace xmc
