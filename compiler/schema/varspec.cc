// The schema's data types: what both xmc and the build-time table generator use.
#include "compiler/schema/schema.h"

namespace xmc {

bool VarSpec::is_list() const { return conv == Conv::kAppend; }

const Treatment* VarSpec::TreatmentIn(std::string_view backend) const {
  for (const auto& [name, t] : treatments) {
    if (name == backend) return &t;
  }
  return nullptr;
}

void Schema::SetOtherNames(std::vector<std::string> xl_keys, std::vector<std::pair<std::string, std::string>> removed) {
  xl_keys_ = std::move(xl_keys);
  removed_ = std::move(removed);
}

Schema Schema::FromParts(std::vector<VarSpec> vars, std::vector<std::string> options) {
  Schema s;
  s.vars_ = std::move(vars);
  s.options_ = std::move(options);
  return s;
}

}  // namespace xmc
