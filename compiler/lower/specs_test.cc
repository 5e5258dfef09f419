#include "compiler/lower/specs.h"

#include <doctest/doctest.h>

#include <tao/pegtl/contrib/analyze.hpp>

#include "compiler/lower/specs_grammar.h"

namespace xmc {

TEST_CASE("the spec grammars have no cycles without progress") {
  CHECK(tao::pegtl::analyze<specs_grammar::cpu_mask>(-1) == 0);
  CHECK(tao::pegtl::analyze<specs_grammar::pci_address>(-1) == 0);
  CHECK(tao::pegtl::analyze<specs_grammar::vdev_name>(-1) == 0);
  CHECK(tao::pegtl::analyze<specs_grammar::cpuid_head>(-1) == 0);
  CHECK(tao::pegtl::analyze<specs_grammar::cpuid_reg>(-1) == 0);
  CHECK(tao::pegtl::analyze<specs_grammar::ioport>(-1) == 0);
}

TEST_CASE("cpuid entries start with a leaf and an optional subleaf, as in xm's pattern") {
  struct Row {
    const char* entry;
    std::optional<size_t> input_length;
  } rows[] = {
      {"1:eax=0x1", 1},
      {"0x80000001:ecx=0x1", 10},
      {"4,0:eax=0x0", 3},
      {"0x4,0x1:ebx=0x0", 7},
      {"1,:eax=0x1", std::nullopt},
      {"host,tm=0", std::nullopt},  // xl's syntax: xm ignores the entry
      {":eax=1", std::nullopt},
      {"0x:eax=1", std::nullopt},
      {"1", std::nullopt},
  };
  for (const Row& row : rows) {
    CAPTURE(row.entry);
    CHECK(CpuidInputLength(row.entry) == row.input_length);
  }
  auto reg = ParseCpuidRegister("ecx=xxxx0");
  REQUIRE(reg);
  CHECK(reg->first == "ecx");
  CHECK(reg->second == "xxxx0");
  CHECK(ParseCpuidRegister("edx=")->second.empty());
  CHECK_FALSE(ParseCpuidRegister("efx=1"));
  CHECK_FALSE(ParseCpuidRegister("eaxx=1"));
  CHECK_FALSE(ParseCpuidRegister(" eax=1"));
}

TEST_CASE("ioport ends are hex numbers without 0x") {
  CHECK(IsHexPort("2f8"));
  CHECK(IsHexPort("FFFF"));
  CHECK_FALSE(IsHexPort(""));
  CHECK_FALSE(IsHexPort("0x2f8"));
  CHECK_FALSE(IsHexPort("2g8"));
  CHECK_FALSE(IsHexPort(" 2f8"));
}

TEST_CASE("cpus masks select CPUs left to right") {
  struct Row {
    const char* spec;
    std::vector<int64_t> cpus;
  } rows[] = {
      {"2", {2}},          {"0-3", {0, 1, 2, 3}}, {"0-3,^1", {0, 2, 3}}, {"0-3,5,^1", {0, 2, 3, 5}},
      {" 1 , 3 ", {1, 3}}, {"^1,1", {1}},
  };
  for (const Row& row : rows) {
    CAPTURE(row.spec);
    CpuMaskError error;
    auto ranges = ParseCpuMask(row.spec, &error);
    REQUIRE(ranges.has_value());
    CpuMask m;
    m.ranges = *ranges;
    CHECK(m.Cpus() == row.cpus);
  }
  for (const char* bad : {"", "a", "1-", "1,,2", "0x2", "1-2-3"}) {
    CAPTURE(bad);
    CpuMaskError error;
    CHECK_FALSE(ParseCpuMask(bad, &error).has_value());
    CHECK(error.kind == CpuMaskError::kSyntax);
  }
  CpuMaskError error;
  CHECK_FALSE(ParseCpuMask("3-1", &error).has_value());
  CHECK((error.kind == CpuMaskError::kBackwards && error.first == 3 && error.last == 1));
  CHECK_FALSE(ParseCpuMask("9000", &error).has_value());
  CHECK((error.kind == CpuMaskError::kBeyondXen && error.first == 9000 && error.last == kMaxCpuNumber + 1));
}

TEST_CASE("pci addresses parse like xm's parse_pci_name_extended") {
  auto a = ParsePciAddress("0001:0c:1b.2");
  REQUIRE(a);
  CHECK(a->domain == 1);
  CHECK(a->bus == 0x0c);
  CHECK(a->slot == 0x1b);
  CHECK(a->funcs == std::vector<PciFunc>{{2, 2, false}});
  auto b = ParsePciAddress("07:00.0@3,msitranslate=0");
  REQUIRE(b);
  CHECK(b->domain == 0);
  CHECK(b->vslot == 3);
  CHECK(b->has_opts);
  CHECK(b->opts == "msitranslate=0");
  auto c = ParsePciAddress("0000:00:1d.0-2");
  REQUIRE(c);
  CHECK(c->funcs == std::vector<PciFunc>{{0, 0, true}, {1, 1, true}, {2, 2, true}});
  std::string error;
  // xm: the lowest automatic function becomes virtual function 0; highest virtual first.
  CHECK(ArrangePciFunctions(ParsePciAddress("00:02.1,2")->funcs, &error) ==
        std::vector<PciFunc>{{2, 2, false}, {1, 0, false}});
  CHECK(ArrangePciFunctions(ParsePciAddress("00:02.0,1,3")->funcs, &error) ==
        std::vector<PciFunc>{{3, 3, false}, {1, 1, false}, {0, 0, false}});
  CHECK(ArrangePciFunctions(ParsePciAddress("00:02.1=0,2=5")->funcs, &error) ==
        std::vector<PciFunc>{{2, 5, true}, {1, 0, true}});
  CHECK(ArrangePciFunctions(ParsePciAddress("00:02.1,1")->funcs, &error).empty());
  CHECK(error == "duplicate functions");
  CHECK(ParsePciAddress("00:02.*")->all_funcs);
  for (const char* bad : {"", "0000:01:13", "01:13.8", "xyz", "00000:01:13.0", "01:13.0@"}) {
    CAPTURE(bad);
    CHECK_FALSE(ParsePciAddress(bad).has_value());
  }
}

TEST_CASE("vdev names get xend's virtual-device numbers") {
  // The table of xm.md 6.4.
  struct Row {
    const char* vdev;
    int64_t number;
    bool extended;
  } rows[] = {
      {"hda", 768, false},        {"hda1", 769, false},        {"hdb", 832, false},     {"hdc", 5632, false},
      {"hdd", 5696, false},       {"hde", 8448, false},        {"sda", 2048, false},    {"sda1", 2049, false},
      {"sdb", 2064, false},       {"sdq", 16640, false},       {"sdaa", 16800, false},  {"xvda", 51712, false},
      {"xvda1", 51713, false},    {"xvdb", 51728, false},      {"xvdp", 51952, false},  {"xvdq", 268439552, true},
      {"xvdaa", 268442112, true}, {"/dev/xvda", 51712, false}, {"51712", 51712, false}, {"0xca00", 51712, false},
  };
  for (const Row& row : rows) {
    CAPTURE(row.vdev);
    bool extended = false;
    auto n = VdevNumber(row.vdev, &extended);
    REQUIRE(n.has_value());
    CHECK(*n == row.number);
    CHECK(extended == row.extended);
  }
  for (const char* bad : {"raw", "xvda16", "hda64", "hdu", "vda", ""}) {
    CAPTURE(bad);
    bool extended = false;
    CHECK_FALSE(VdevNumber(bad, &extended).has_value());
  }
}

TEST_CASE("split and strip behave like Python's") {
  CHECK(SplitAll("a,,b", ',') == std::vector<std::string>{"a", "", "b"});
  CHECK(SplitAll("", ',') == std::vector<std::string>{""});
  CHECK(Strip("  x y \t") == "x y");
  CHECK(AsciiLower("00:16:3E:Ab:0f") == "00:16:3e:ab:0f");
}

}  // namespace xmc
