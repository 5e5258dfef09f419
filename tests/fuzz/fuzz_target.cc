// One libFuzzer binary per target of targets.h: CMake compiles this file once for each,
// with XMC_FUZZ_TARGET naming the function (xmc_fuzz_parser, xmc_fuzz_decoder, ...).
#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return xmc::fuzz::XMC_FUZZ_TARGET(data, size);
}
