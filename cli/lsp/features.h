// The features of xmc lsp over one document: its findings as LSP diagnostics, hover,
// completion and code actions (quick fixes for did-you-means, "Convert to xl.cfg").
#pragma once

#include <string>

#include "cli/lsp/documents.h"
#include "compiler/base/diagnostics.h"

namespace xmc::cli::lsp {

/// A finding as an LSP diagnostic (`code_links`: with a link to its entry in xmc(1)); a
/// did-you-mean carries the edit of its quick fix.
Json ToLsp(const Diagnostic& d, const SourceFile& source, bool code_links);
/// The variable's documentation, or what a value or spec key of it is; null elsewhere.
Json Hover(const Document& doc, const Json& params);
/// Variable names at the start of a statement; a variable's values and spec keys in its value.
Json Completion(const Document& doc, const Json& params);
/// The code actions of a request (`doc`: the open document, or nullptr).
Json CodeActions(const Document* doc, const Json& params);

}  // namespace xmc::cli::lsp
