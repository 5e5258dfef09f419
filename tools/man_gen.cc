// Build-time tool: writes xmc(1) from man/xmc.1.in, filling in what xmc knows itself: the
// back-end table (@BACKENDS@), the diagnostic catalogue grouped by id (@DIAGNOSTICS@, one
// tagged paragraph per id: the language server links each diagnostic here), the version
// and the installed paths. Usage: xmc_man_gen TEMPLATE WORKER DATADIR > xmc.1
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/base/strings.h"
#include "compiler/emit/backend.h"
#include "version.h"

namespace {

void Replace(std::string* text, const std::string& marker, const std::string& with) {
  for (size_t at = text->find(marker); at != std::string::npos; at = text->find(marker, at + with.size())) {
    text->replace(at, marker.size(), with);
  }
}

/// A catalogue format as a reader sees it: each argument "{}" a bullet.
std::string Readable(std::string_view format) {
  std::string s = xmc::ReadableFormat(format);
  Replace(&s, "{path}", "PATH");
  Replace(&s, "{}", "\x01");
  s = xmc::RoffEscape(s);
  Replace(&s, "\x01", "\\(bu");
  return s;
}

std::string Backends() {
  std::ostringstream out;
  for (const xmc::Backend& b : xmc::Backends()) {
    out << ".TP\n.B " << xmc::RoffEscape(std::string(b.name)) << "\n"
        << xmc::RoffEscape(std::string(b.help)) << " (checked against "
        << xmc::RoffEscape(std::string(b.checked_against)) << ").\n";
  }
  return out.str();
}

std::string Diagnostics() {
  std::vector<std::string> order;
  std::map<std::string, std::vector<xmc::DiagInfo>> by_id;
  for (const xmc::DiagInfo& info : xmc::AllDiagInfos()) {
    std::string id(info.id);
    if (!by_id.count(id)) order.push_back(id);
    by_id[id].push_back(info);
  }
  std::ostringstream out;
  for (const std::string& id : order) {
    const auto& rows = by_id[id];
    bool fatal = false;
    for (const auto& r : rows) fatal = fatal || r.xm_fatal;
    const char* severity = rows.front().severity == xmc::Severity::kError     ? "error"
                           : rows.front().severity == xmc::Severity::kWarning ? "warning"
                                                                              : "note";
    out << ".TP\n.B " << xmc::RoffEscape(id) << "\n(" << severity << (fatal ? "; xm stopped" : "") << ")\n";
    for (size_t i = 0; i < rows.size(); ++i) out << (i ? ".br\n" : "") << Readable(rows[i].format) << "\n";
  }
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: xmc_man_gen TEMPLATE WORKER DATADIR\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream buf;
  buf << in.rdbuf();
  if (!in) {
    std::cerr << "xmc_man_gen: cannot read " << argv[1] << "\n";
    return 1;
  }
  std::string page = buf.str();
  Replace(&page, "@VERSION@", xmc::kVersion);
  Replace(&page, "@WORKER@", xmc::RoffEscape(argv[2]));
  Replace(&page, "@DATADIR@", xmc::RoffEscape(argv[3]));
  Replace(&page, "@BACKENDS@\n", Backends());
  Replace(&page, "@DIAGNOSTICS@\n", Diagnostics());
  std::cout << page;
  return std::cout.good() ? 0 : 1;
}
