// PEGTL grammars for spec strings: small named rules only; see specs.cc for actions.
#pragma once

#include <tao/pegtl.hpp>

namespace xmc::specs_grammar {

using namespace tao::pegtl;  // NOLINT: grammar DSL

// cpus: "0-3,5,^1" (blanks allowed around items, as xend's int() allowed them)
struct blanks : star<one<' ', '\t'>> {};
struct cpu_num : plus<digit> {};
struct cpu_excl : one<'^'> {};
struct cpu_last : cpu_num {};
struct cpu_item : seq<blanks, opt<cpu_excl>, blanks, cpu_num, blanks, opt<one<'-'>, blanks, cpu_last, blanks>> {};
struct cpu_mask : seq<cpu_item, star<one<','>, cpu_item>, eof> {};

// PCI: [DDDD:]BB:SS.F[@VSLOT][,OPTS] where ',' may replace ':' and '.'
struct pci_sep : one<':', ','> {};
struct pci_domain : rep_min_max<1, 4, xdigit> {};
struct pci_bus : rep_min_max<1, 2, xdigit> {};
struct pci_slot : rep_min_max<1, 2, xdigit> {};
struct pci_func_all : one<'*'> {};
struct pci_func_num : range<'0', '7'> {};
struct pci_func_list : seq<pci_func_num, star<one<',', '-', '='>, pci_func_num>> {};
struct pci_func : sor<pci_func_all, pci_func_list> {};
struct pci_vslot : seq<opt<one<'0', '1'>>, xdigit> {};
struct pci_opts : star<any> {};
struct pci_head : seq<pci_bus, pci_sep, pci_slot, one<'.', ','>, pci_func> {};
struct pci_with_domain : seq<pci_domain, pci_sep, pci_head> {};
struct pci_address
    : seq<sor<pci_with_domain, pci_head>, opt<one<'@'>, pci_vslot>, sor<eof, seq<one<','>, pci_opts, eof>>> {};

// MAC: six hex pairs separated by ':'

// vdev names (xm.md 6.4)
struct vdev_part : plus<digit> {};
struct vdev_hd : seq<string<'h', 'd'>, range<'a', 't'>, opt<vdev_part>, eof> {};
struct vdev_sd : seq<string<'s', 'd'>, range<'a', 'z'>, opt<range<'a', 'z'>>, opt<vdev_part>, eof> {};
struct vdev_xvd : seq<string<'x', 'v', 'd'>, range<'a', 'z'>, opt<range<'a', 'z'>>, opt<vdev_part>, eof> {};
struct vdev_number : seq<sor<seq<one<'0'>, one<'x', 'X'>, plus<xdigit>>, plus<digit>>, eof> {};
struct vdev_name : sor<vdev_hd, vdev_sd, vdev_xvd, vdev_number> {};

// cpuid: LEAF[,SUBLEAF]:REG=VALUE,... (xm's pattern, anchored at the start only)
struct hex_prefix : string<'0', 'x'> {};
struct hex_number : seq<opt<hex_prefix>, plus<xdigit>> {};
struct cpuid_input : seq<hex_number, opt<one<','>, hex_number>> {};
struct cpuid_head : seq<cpuid_input, one<':'>> {};
struct cpuid_reg_name
    : sor<string<'e', 'a', 'x'>, string<'e', 'b', 'x'>, string<'e', 'c', 'x'>, string<'e', 'd', 'x'>> {};
struct cpuid_reg : seq<cpuid_reg_name, one<'='>> {};

// ioports: each end of FROM[-TO] is hex without 0x
struct ioport : seq<plus<xdigit>, eof> {};

}  // namespace xmc::specs_grammar
