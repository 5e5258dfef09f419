// The unit test binary's main: it owns the (lazily started) interpreter, like xmc's main.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "compiler/frontend/python_host.h"
#include "tests/unit_support.h"

namespace {
xmc::InProcessPython* g_python = nullptr;
}

xmc::PythonHost* xmc::testing::Python() { return g_python; }

int main(int argc, char** argv) {
  xmc::InProcessPython python;
  g_python = &python;
  doctest::Context context(argc, argv);
  return context.run();
}
