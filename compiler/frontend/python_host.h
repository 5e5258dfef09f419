// The interpreter an application owns: started lazily on the first config that needs
// Python, so declarative files never pay for it. Only applications (cli/, the test main)
// create one; the Python module runs inside an interpreter that already exists.
#pragma once

#include <pybind11/embed.h>

#include <optional>
#include <string>

#include "compiler/frontend/frontend.h"

namespace xmc {

// Hidden like the pybind11 types it holds (GCC warns otherwise).
class __attribute__((visibility("hidden"))) LazyInterpreter : public PythonHost {
 public:
  bool EnsureStarted(std::string* error) override {
    if (Py_IsInitialized()) return true;
    try {
      interpreter_.emplace(/*init_signal_handlers=*/false);
    } catch (const std::exception& e) {
      if (error) *error = e.what();
      return false;
    }
    return true;
  }
  /// True once this object has started the interpreter.
  bool started() const { return interpreter_.has_value(); }

 private:
  std::optional<pybind11::scoped_interpreter> interpreter_;
};

}  // namespace xmc
