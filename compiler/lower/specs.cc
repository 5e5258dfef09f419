#include "compiler/lower/specs.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

#include "compiler/lower/specs_grammar.h"

namespace xmc {
namespace {

namespace g = specs_grammar;
namespace pegtl = tao::pegtl;

// --- cpus -----------------------------------------------------------------------------
struct CpuState {
  std::vector<CpuRange> ranges;
  bool exclude = false;
};
template <typename Rule>
struct cpu_action : pegtl::nothing<Rule> {};
template <>
struct cpu_action<g::cpu_excl> {
  static void apply0(CpuState& st) { st.exclude = true; }
};
template <>
struct cpu_action<g::cpu_num> {
  template <typename Input>
  static void apply(const Input& in, CpuState& st) {
    int64_t n = std::strtoll(in.string().c_str(), nullptr, 10);
    st.ranges.push_back(CpuRange{n, n, st.exclude});
    st.exclude = false;
  }
};
template <>
struct cpu_action<g::cpu_last> {
  template <typename Input>
  static void apply(const Input& in, CpuState& st) {
    st.ranges.back().last = std::strtoll(in.string().c_str(), nullptr, 10);
  }
};

// --- pci ------------------------------------------------------------------------------
struct PciState {
  std::string domain, bus, slot, func, vslot, opts;
  bool has_opts = false;
};
template <typename Rule>
struct pci_action : pegtl::nothing<Rule> {};
#define XMC_PCI_CAPTURE(rule, member)                  \
  template <>                                          \
  struct pci_action<g::rule> {                         \
    template <typename Input>                          \
    static void apply(const Input& in, PciState& st) { \
      st.member = in.string();                         \
    }                                                  \
  };
XMC_PCI_CAPTURE(pci_domain, domain)
XMC_PCI_CAPTURE(pci_bus, bus)
XMC_PCI_CAPTURE(pci_slot, slot)
XMC_PCI_CAPTURE(pci_func, func)
XMC_PCI_CAPTURE(pci_vslot, vslot)
#undef XMC_PCI_CAPTURE
template <>
struct pci_action<g::pci_opts> {
  template <typename Input>
  static void apply(const Input& in, PciState& st) {
    st.opts = in.string();
    st.has_opts = true;
  }
};

struct pci_with_domain_full : pegtl::seq<g::pci_with_domain, pegtl::opt<pegtl::one<'@'>, g::pci_vslot>,
                                         pegtl::sor<pegtl::eof, pegtl::seq<pegtl::one<','>, g::pci_opts, pegtl::eof>>> {
};
struct pci_no_domain_full : pegtl::seq<g::pci_head, pegtl::opt<pegtl::one<'@'>, g::pci_vslot>,
                                       pegtl::sor<pegtl::eof, pegtl::seq<pegtl::one<','>, g::pci_opts, pegtl::eof>>> {};

template <typename Rule>
bool ParsePciWith(std::string_view text, PciState* st) {
  *st = PciState{};
  pegtl::memory_input in(text.data(), text.size(), "pci");
  return pegtl::parse<Rule, pci_action>(in, *st);
}

int64_t Hex(const std::string& s) { return std::strtoll(s.c_str(), nullptr, 16); }

}  // namespace

std::optional<std::vector<CpuRange>> ParseCpuMask(std::string_view text, CpuMaskError* error) {
  CpuState st;
  pegtl::memory_input in(text.data(), text.size(), "cpus");
  bool ok = false;
  try {
    ok = pegtl::parse<g::cpu_mask, cpu_action>(in, st);
  } catch (const pegtl::parse_error&) {
    ok = false;
  }
  if (!ok) {
    if (error) *error = {CpuMaskError::kSyntax, 0, 0};
    return std::nullopt;
  }
  for (const CpuRange& r : st.ranges) {
    if (r.first > kMaxCpuNumber || r.last > kMaxCpuNumber) {
      if (error) *error = {CpuMaskError::kBeyondXen, std::max(r.first, r.last), kMaxCpuNumber + 1};
      return std::nullopt;
    }
    if (r.last < r.first) {
      if (error) *error = {CpuMaskError::kBackwards, r.first, r.last};
      return std::nullopt;
    }
  }
  return st.ranges;
}

std::optional<PciAddress> ParsePciAddress(std::string_view text) {
  PciState st;
  if (!ParsePciWith<pci_with_domain_full>(text, &st) && !ParsePciWith<pci_no_domain_full>(text, &st)) {
    return std::nullopt;
  }
  PciAddress a;
  a.domain = st.domain.empty() ? 0 : Hex(st.domain);
  a.bus = Hex(st.bus);
  a.slot = Hex(st.slot);
  if (st.func == "*") {
    a.all_funcs = true;
  } else {
    // P, P=V (manual), or A-B with A and B each P or P=V: the ranges pair up (manual).
    auto one = [](const std::string& s) {
      auto pv = SplitAll(s, '=');
      int64_t p = std::strtoll(pv[0].c_str(), nullptr, 16);
      return pv.size() == 1 ? PciFunc{p, p, false} : PciFunc{p, std::strtoll(pv[1].c_str(), nullptr, 16), true};
    };
    auto range = [](int64_t from, int64_t to) {
      std::vector<int64_t> r;
      for (int64_t i = from; from <= to ? i <= to : i >= to; i += from <= to ? 1 : -1) r.push_back(i);
      return r;
    };
    for (const std::string& part : SplitAll(st.func, ',')) {
      auto ends = SplitAll(part, '-');
      if (ends.size() == 1) {
        a.funcs.push_back(one(ends[0]));
      } else if (ends.size() == 2) {
        PciFunc x = one(ends[0]), y = one(ends[1]);
        auto phys = range(x.phys, y.phys), virt = range(x.virt, y.virt);
        if (phys.size() != virt.size() ||
            std::any_of(ends.begin(), ends.end(), [](auto& e) { return SplitAll(e, '=').size() > 2; })) {
          return std::nullopt;  // xm: 'Invalid range'
        }
        for (size_t i = 0; i < phys.size(); ++i) a.funcs.push_back({phys[i], virt[i], true});
      }  // more than one '-': xm took no function from it
    }
  }
  if (!st.vslot.empty()) a.vslot = Hex(st.vslot);
  a.opts = st.opts;
  a.has_opts = st.has_opts;
  return a;
}

std::vector<PciFunc> ArrangePciFunctions(std::vector<PciFunc> funcs, std::string* error) {
  for (size_t i = 0; i < funcs.size(); ++i) {
    for (size_t j = i + 1; j < funcs.size(); ++j) {
      if (funcs[i].phys == funcs[j].phys || funcs[i].virt == funcs[j].virt) {
        *error = "duplicate functions";
        return {};
      }
    }
  }
  if (funcs.empty()) return funcs;
  if (std::none_of(funcs.begin(), funcs.end(), [](const PciFunc& f) { return f.virt == 0; })) {
    std::vector<PciFunc> autos, manual;
    for (const PciFunc& f : funcs) (f.manual ? manual : autos).push_back(f);
    if (autos.empty()) {
      *error = "the virtual device does not include virtual function 0";
      return {};
    }
    std::stable_sort(autos.begin(), autos.end(), [](const PciFunc& x, const PciFunc& y) { return x.virt < y.virt; });
    autos[0].virt = 0;
    funcs = autos;
    funcs.insert(funcs.end(), manual.begin(), manual.end());
  }
  std::stable_sort(funcs.begin(), funcs.end(),
                   [](const PciFunc& x, const PciFunc& y) { return (x.virt & 7) > (y.virt & 7); });
  return funcs;
}

std::optional<size_t> CpuidInputLength(std::string_view entry) {
  pegtl::memory_input in(entry.data(), entry.size(), "cpuid");
  if (!pegtl::parse<g::cpuid_head>(in)) return std::nullopt;
  return static_cast<size_t>(in.current() - entry.data()) - 1;
}

std::optional<std::pair<std::string, std::string>> ParseCpuidRegister(std::string_view piece) {
  pegtl::memory_input in(piece.data(), piece.size(), "cpuid");
  if (!pegtl::parse<g::cpuid_reg>(in)) return std::nullopt;
  return std::make_pair(std::string(piece.substr(0, 3)), std::string(piece.substr(4)));
}

bool IsHexPort(std::string_view text) {
  pegtl::memory_input in(text.data(), text.size(), "ioports");
  return pegtl::parse<g::ioport>(in);
}

std::optional<int64_t> VdevNumber(std::string_view vdev, bool* extended) {
  if (extended) *extended = false;
  if (vdev.substr(0, 5) == "/dev/") vdev.remove_prefix(5);
  pegtl::memory_input in(vdev.data(), vdev.size(), "vdev");
  if (!pegtl::parse<g::vdev_name>(in)) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(vdev[0]))) {
    return std::strtoll(std::string(vdev).c_str(), nullptr,
                        vdev.size() > 1 && (vdev[1] == 'x' || vdev[1] == 'X') ? 16 : 10);
  }
  size_t letters_at = vdev[0] == 'x' ? 3 : 2;
  size_t i = letters_at;
  std::string letters;
  while (i < vdev.size() && std::isalpha(static_cast<unsigned char>(vdev[i]))) letters += vdev[i++];
  int64_t part = i < vdev.size() ? std::strtoll(std::string(vdev.substr(i)).c_str(), nullptr, 10) : 0;
  bool has_part = i < vdev.size();
  if (has_part && part == 0) return std::nullopt;
  if (vdev[0] == 'h') {
    static const int64_t kMajors[] = {3, 22, 33, 34, 56, 57, 88, 89, 90, 91};
    int64_t n = letters[0] - 'a';
    if (letters.size() != 1 || part > 63) return std::nullopt;
    return kMajors[n / 2] * 256 + (n % 2) * 64 + part;
  }
  int64_t n = letters[0] - 'a';
  if (letters.size() == 2) {
    if (letters[0] > 'i') return std::nullopt;
    n = (letters[0] - 'a' + 1) * 26 + (letters[1] - 'a');
  }
  if (vdev[0] == 's') {
    static const int64_t kMajors[] = {8, 65, 66, 67, 68, 69, 70, 71, 128, 129, 130, 131, 132, 133, 134, 135};
    if (part > 15 || n / 16 >= 16) return std::nullopt;
    return kMajors[n / 16] * 256 + (n % 16) * 16 + part;
  }
  // xvd
  if (letters.size() == 1 && n < 16) {
    if (part > 15) return std::nullopt;
    return 202 * 256 + n * 16 + part;
  }
  if (part > 255) return std::nullopt;
  if (extended) *extended = true;
  return (int64_t{1} << 28) + n * 256 + part;
}

}  // namespace xmc
