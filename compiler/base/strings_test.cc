#include "compiler/base/strings.h"

#include <doctest/doctest.h>

namespace xmc {

TEST_CASE("Python's split, strip and lower") {
  CHECK(SplitAll("a,,b", ',') == std::vector<std::string>{"a", "", "b"});
  CHECK(SplitAll("", ',') == std::vector<std::string>{""});
  CHECK(Strip(" \t x y \n") == "x y");
  CHECK(Strip("   ").empty());
  CHECK(AsciiLower("00:16:3E:AB") == "00:16:3e:ab");
}

TEST_CASE("int() of a string, as Python reads it") {
  int64_t n = 0;
  CHECK((ParsePyInt(" 42 ", &n) && n == 42));
  CHECK((ParsePyInt("-7", &n) && n == -7));
  CHECK((ParsePyInt("+3", &n) && n == 3));
  for (const char* bad : {"", "-", "0x10", "1.5", "4 2", "99999999999999999999"}) {
    CAPTURE(bad);
    CHECK_FALSE(ParsePyInt(bad, &n));
  }
}

TEST_CASE("MAC addresses are six hex pairs and the first octet's low bit is multicast") {
  CHECK(IsMacAddress("00:16:3e:aa:BB:01"));
  CHECK(IsMacAddress("AA:00:86:e2:35:72"));
  for (const char* bad : {"", "00:16:3e", "00:16:3e:00:00", "00:16:3e:aa:bb:0", "00:16:3e:aa:bb:0g",
                          "00-16-3e-aa-bb-01", "00:16:3e:aa:bb:01:"}) {
    CAPTURE(bad);
    CHECK_FALSE(IsMacAddress(bad));
  }
  CHECK(IsMulticastMac("01:00:5e:00:00:01"));
  CHECK_FALSE(IsMulticastMac("00:16:3e:00:00:01"));
}

}  // namespace xmc
