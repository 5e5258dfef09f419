// The end-to-end test's XenStore reader: prints `PATH = VALUE` (or `PATH <missing>`) for
// each path given, read through xmc's own XenStore client (runtime::OpenXenStore), so that
// the test compares what libxl wrote with `xmc compile --emit xenstore` through xmc's code.
#include <iostream>

#include "runtime/runtime.h"

int main(int argc, char** argv) {
  std::string error;
  auto store = xmc::runtime::OpenXenStore(&error);
  if (!store) {
    std::cerr << "xmc-e2e-xs: " << error << "\n";
    return 2;
  }
  for (int i = 1; i < argc; ++i) {
    auto v = store->Read(argv[i]);
    std::cout << argv[i] << (v ? " = " + *v : std::string(" <missing>")) << "\n";
  }
  return 0;
}
