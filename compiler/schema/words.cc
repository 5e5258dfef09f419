// The schema's words (schema/README.md) and the enums of VarSpec.
#include "compiler/schema/schema.h"

namespace xmc {

namespace {
constexpr std::string_view kVarTypeNames[] = {"int",  "bool",  "string",  "cpus", "cpuid",
                                              "disk", "vif",   "vif2",    "vfb",  "vusb",
                                              "pci",  "vscsi", "ioports", "irq",  "access_control"};
constexpr std::string_view kConvNames[] = {"int", "long", "str", "bool", "append", "none"};
constexpr std::string_view kScopeNames[] = {"all", "pv", "hvm"};
constexpr std::string_view kSxpAtNames[] = {"top", "image", "hvm", "device", "none"};
constexpr std::string_view kSxpWhenNames[] = {"truthy", "set", "nonzero"};
constexpr std::string_view kTreatmentNames[] = {"custom", "generic", "sxp", "drop", "ignore"};

template <typename E, size_t N>
bool ParseWord(const std::string_view (&names)[N], std::string_view word, E* out) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == word) {
      *out = static_cast<E>(i);
      return true;
    }
  }
  return false;
}
}  // namespace

std::string_view Name(VarType v) { return kVarTypeNames[static_cast<size_t>(v)]; }
std::string_view Name(Conv v) { return kConvNames[static_cast<size_t>(v)]; }
std::string_view Name(Scope v) { return kScopeNames[static_cast<size_t>(v)]; }
std::string_view Name(SxpAt v) { return kSxpAtNames[static_cast<size_t>(v)]; }
std::string_view Name(SxpWhen v) { return kSxpWhenNames[static_cast<size_t>(v)]; }
std::string_view Name(Treatment::Kind v) { return kTreatmentNames[static_cast<size_t>(v)]; }
bool Parse(std::string_view word, VarType* out) { return ParseWord(kVarTypeNames, word, out); }
bool Parse(std::string_view word, Conv* out) { return ParseWord(kConvNames, word, out); }
bool Parse(std::string_view word, Scope* out) { return ParseWord(kScopeNames, word, out); }
bool Parse(std::string_view word, SxpAt* out) { return ParseWord(kSxpAtNames, word, out); }
bool Parse(std::string_view word, SxpWhen* out) { return ParseWord(kSxpWhenNames, word, out); }
bool Parse(std::string_view word, Treatment::Kind* out) { return ParseWord(kTreatmentNames, word, out); }

}  // namespace xmc
