// The machine-readable printers of `xmc check`'s findings: JSON (the keys are in the
// README's "Checking configs and trees") and SARIF 2.1.0. Both print one document when
// finished; the text printer is compiler/base/diagnostics.h's.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "compiler/base/diagnostics.h"

namespace xmc::cli {

class JsonPrinter : public DiagnosticPrinter {
 public:
  explicit JsonPrinter(std::ostream& out) : out_(out) {}
  void Print(const Diagnostic& d, const SourceFile* source) override;
  void Finish() override;

 private:
  std::ostream& out_;
  nlohmann::ordered_json findings_ = nlohmann::ordered_json::array();
};

class SarifPrinter : public DiagnosticPrinter {
 public:
  explicit SarifPrinter(std::ostream& out) : out_(out) {}
  void Print(const Diagnostic& d, const SourceFile* source) override;
  void Finish() override;

 private:
  std::ostream& out_;
  nlohmann::ordered_json rules_ = nlohmann::ordered_json::array();
  std::map<std::string, size_t> rule_index_;
  nlohmann::ordered_json results_ = nlohmann::ordered_json::array();
};

}  // namespace xmc::cli
