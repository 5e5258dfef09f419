#include "compiler/sandbox/confine.h"

#include <doctest/doctest.h>

#include <regex>
#include <sstream>
#include <string>

namespace xmc::sandbox {

TEST_CASE("the filter compares int arguments in their low 32 bits only, as the kernel reads them") {
  // A 64-bit comparison let close(3 + 2**32) past the rule meant to keep descriptor 3:
  // the kernel truncates the argument to an int, the filter saw 0x100000003 > 4.
  Limits limits;
  limits.channel_fd = 3;
  limits.trace_fd = 4;
  std::string pfc = FilterPseudoCode(limits);
  REQUIRE(pfc.find("filter for syscall \"close\"") != std::string::npos);
  const std::regex high(R"(\$a[0-5]\.hi32)");
  const std::regex ignored(R"(\$a[0-5]\.hi32 & 0x00000000 == 0\))");
  std::istringstream lines(pfc);
  std::string line;
  int comparisons = 0;
  while (std::getline(lines, line)) {
    if (line.find("$a") != std::string::npos) ++comparisons;
    if (std::regex_search(line, high)) {
      CAPTURE(line);
      CHECK(std::regex_search(line, ignored));
    }
  }
  // close, write, kill, tgkill, rt_sigaction, open, openat: every rule still compares.
  CHECK(comparisons > 40);
}

}  // namespace xmc::sandbox
