// The features of xmc lsp over one document: its findings as LSP diagnostics, hover,
// completion and code actions (quick fixes for did-you-means, "Convert to xl.cfg").
#pragma once

#include <functional>
#include <string>
#include <utility>

#include "cli/lsp/documents.h"
#include "compiler/base/diagnostics.h"

namespace xmc::cli::lsp {

/// A finding as an LSP diagnostic (`code_links`: with a link to its entry in xmc(1)); a
/// did-you-mean carries the edit of its quick fix.
Json ToLsp(const Diagnostic& d, const SourceFile& source, bool code_links);
/// The variable's documentation, or what a value or spec key of it is; null elsewhere.
Json Hover(const Document& doc, const Json& params);
/// The language server's printer: each finding as an LSP diagnostic, collected; a
/// cross-file finding with the earlier config as related information (`text_of` gives a
/// file's text as the server knows it, or nullptr).
class LspPrinter : public DiagnosticPrinter {
 public:
  using TextOf = std::function<const std::string*(const std::string&)>;
  explicit LspPrinter(bool code_links, TextOf text_of = nullptr)
      : code_links_(code_links), text_of_(std::move(text_of)) {}
  void Print(const Diagnostic& d, const SourceFile* source) override;
  Json diagnostics = Json::array();

 private:
  bool code_links_;
  TextOf text_of_;
};

/// Variable names at the start of a statement; a variable's values and spec keys in its value.
Json Completion(const Document& doc, const Json& params);
/// The code actions of a request (`doc`: the open document, or nullptr).
Json CodeActions(const Document* doc, const Json& params);

}  // namespace xmc::cli::lsp
