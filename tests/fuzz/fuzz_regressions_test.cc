// Every kept fuzz finding (tests/fuzz/regressions/TARGET/*) and every seed
// (tests/fuzz/seeds/TARGET/*) through its target, in the ordinary unit test build (and so
// under the sanitizer build of .ci/run): a finding that comes back fails here.
#include <dirent.h>
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/fuzz/targets.h"

namespace xmc {
namespace {

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (struct dirent* e = ::readdir(d)) {
      if (e->d_name[0] != '.') out.push_back(dir + "/" + e->d_name);
    }
    ::closedir(d);
  }
  return out;
}

}  // namespace

TEST_CASE("kept fuzz findings and seeds run through their targets") {
  const char* source = std::getenv("XMC_SOURCE_DIR");
  REQUIRE(source != nullptr);
  std::map<std::string, int (*)(const uint8_t*, size_t)> targets = {
      {"parser", fuzz::Parser},           {"pipeline", fuzz::Pipeline},    {"decoder", fuzz::Decoder},
      {"speccpumask", fuzz::SpecCpuMask}, {"specpci", fuzz::SpecPci},      {"speccpuid", fuzz::SpecCpuid},
      {"specvdev", fuzz::SpecVdev},       {"specioport", fuzz::SpecIoport}};
  size_t ran = 0;
  for (const char* kind : {"regressions", "seeds"}) {
    for (const auto& [name, run] : targets) {
      for (const std::string& path : FilesIn(std::string(source) + "/tests/fuzz/" + kind + "/" + name)) {
        std::ifstream in(path, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        std::string data = ss.str();
        CAPTURE(path);
        CHECK(run(reinterpret_cast<const uint8_t*>(data.data()), data.size()) == 0);
        ++ran;
      }
    }
  }
  // The golden and bad configs are the parser's and the pipeline's seeds too.
  for (const char* dir : {"/tests/bad", "/tests/hostile"}) {
    for (const std::string& path : FilesIn(std::string(source) + dir)) {
      std::ifstream in(path, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      std::string data = ss.str();
      fuzz::Parser(reinterpret_cast<const uint8_t*>(data.data()), data.size());
      fuzz::Pipeline(reinterpret_cast<const uint8_t*>(data.data()), data.size());
      ++ran;
    }
  }
  CHECK(ran > 100);
}

}  // namespace xmc
