#include "compiler/base/diagnostics.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>

#include "compiler/base/strings.h"

namespace xmc {

TEST_CASE("a diagnostic renders with file, line, column, id, source line and caret") {
  SourceFile file("web.cfg", "name = 'web'\ndisk = [ 'phy:sda1,xvda' ]\n");
  Diagnostics diags;
  diags.Add<DiagId::kDiskFields>("web.cfg", Span{2, 10, 25}, "disk[0]", 2);
  std::string text = Render(diags.all()[0], &file, RenderOptions{});
  CHECK(text ==
        "web.cfg:2:10: error: disk[0]: expected 3 to 5 comma-separated fields, found 2 [disk-fields]\n"
        "disk = [ 'phy:sda1,xvda' ]\n"
        "         ^~~~~~~~~~~~~~~\n");
}

TEST_CASE("the catalogue has one row per sentence, worded in lowercase without a final period") {
  std::set<std::pair<std::string_view, std::string_view>> rows;
  std::map<std::string, Severity> severity_of_id;
  for (const DiagInfo& info : AllDiagInfos()) {
    CAPTURE(info.format);
    CHECK(rows.emplace(info.id, info.format).second);
    // Rows sharing an id are one family of findings: same severity.
    auto [it, fresh] = severity_of_id.emplace(std::string(info.id), info.severity);
    CHECK((fresh || it->second == info.severity));
    CHECK(!info.format.empty());
    CHECK(info.format.back() != '.');
    std::string_view first_word = info.format.substr(0, info.format.find(' '));
    bool acronym = std::none_of(first_word.begin(), first_word.end(),
                                [](char c) { return std::islower(static_cast<unsigned char>(c)); });
    bool starts_lower = !std::isupper(static_cast<unsigned char>(info.format[0])) || acronym || first_word == "Python";
    CHECK_MESSAGE(starts_lower, info.id);
    // The data path is the diagnostic's path, not the start of its sentence.
    CHECK(info.format.substr(0, 4) != "{}: ");
  }
}

TEST_CASE("a sentence that quotes its data path is not prefixed with it") {
  Diagnostics diags;
  diags.Add<DiagId::kOutOfRange>("web.cfg", Span{1, 10, 13}, "memory", 0, "1 to 16777216");
  const Diagnostic& d = diags.all()[0];
  CHECK(d.path == "memory");
  CHECK(d.message == "'memory' is 0, expected 1 to 16777216");
  CHECK(Render(d, nullptr, RenderOptions{}) ==
        "web.cfg:1:10: error: 'memory' is 0, expected 1 to 16777216 [out-of-range]\n");
}

TEST_CASE("placeholders are counted as the compile-time check counts them") {
  static_assert(diag_detail::PlaceholderCount("'{path}' is {}, expected {}") == 2);
  static_assert(diag_detail::PlaceholderCount("{{literal}} {}") == 1);
  static_assert(diag_detail::PlaceholderCount("none") == 0);
  CHECK(true);
}

TEST_CASE("did you mean finds close names and nothing for far ones") {
  std::vector<std::string> names{"memory", "maxmem", "vcpus", "vif", "disk", "on_poweroff"};
  CHECK(DidYouMean("memroy", names) == "memory");
  CHECK(DidYouMean("vcpu", names) == "vcpus");
  CHECK(DidYouMean("disks", names) == "disk");
  CHECK(DidYouMean("totally_unrelated", names).empty());
}

TEST_CASE("the sink counts errors and knows where xm itself failed") {
  Diagnostics d;
  d.Add<DiagId::kUnknownVariable>("f", Span{1, 1, 2}, "x", "");
  CHECK(d.ErrorCount() == 0);
  CHECK(d.WarningCount() == 1);
  CHECK_FALSE(d.HasXmFatal());
  d.Add<DiagId::kKernelMissing>("f", Span{2, 1, 2}, "", "/boot/x");
  CHECK(d.ErrorCount() == 1);
  CHECK(d.HasXmFatal());
}

}  // namespace xmc

namespace xmc {

TEST_CASE("an echoed source line is cut to a window around the column, the caret still under it") {
  std::string line(2000, 'a');
  line[899] = 'X';
  auto [echo, caret] = EchoLine(line, 900, 901);
  CHECK(echo.size() <= kEchoWidth + 6);
  CHECK(echo.substr(0, 3) == "...");
  CHECK(echo.substr(echo.size() - 3) == "...");
  REQUIRE(caret.size() >= 1);
  CHECK(caret.back() == '^');
  CHECK(echo[caret.size() - 1] == 'X');
  // A short line is shown whole.
  auto [whole, under] = EchoLine("memory = 512", 10, 13);
  CHECK(whole == "memory = 512");
  CHECK(under == "         ^~~");
}

TEST_CASE("control characters and bytes that are not UTF-8 are escaped, the caret widened to match") {
  auto [echo, caret] = EchoLine(std::string("x = '\x1b[31m\xff'") + " # \xc3\xa9", 6, 7);
  CHECK(echo == "x = '\\x1b[31m\\xff' # \xc3\xa9");
  CHECK(caret == "     ^~~~");
  auto [tabbed, tcaret] = EchoLine("\tname = 1", 2, 6);
  CHECK(tabbed == "\tname = 1");
  CHECK(tcaret == "\t^~~~");
  CHECK(EscapeForDisplay("a\nb\rc\x7f\xc2\x85") == "a\\nb\\rc\\x7f\\xc2\\x85");
  CHECK(EscapeForDisplay("\xe2\x82\xac \xed\xa0\x80") == "\xe2\x82\xac \\xed\\xa0\\x80");
}

}  // namespace xmc

namespace xmc {

TEST_CASE("past the limit per file findings are counted, not kept, and one note says how many") {
  Diagnostics diags;
  diags.set_limit_per_file(3);
  for (int i = 0; i < 10; ++i) diags.Add<DiagId::kPythonError>("a.cfg", Span{1, 1, 2}, "", "boom");
  diags.Add<DiagId::kConfigPrinted>("a.cfg", Span{}, "", "x");
  diags.Add<DiagId::kPythonError>("b.cfg", Span{1, 1, 2}, "", "boom");
  Diagnostic& past = diags.Add<DiagId::kPythonError>("a.cfg", Span{2, 1, 2}, "", "late");
  past.notes.push_back("a note on a finding that is not kept");  // harmless
  CHECK(diags.all().size() == 4);
  CHECK(diags.ErrorCount() == 12);  // the exit status still sees every error
  CHECK(diags.CutErrors() == 8);
  CHECK(diags.HasXmFatal());
  diags.AddCutSummaries();
  REQUIRE(diags.all().size() == 5);
  const Diagnostic& note = diags.all().back();
  CHECK(note.id == DiagId::kDiagnosticsCut);
  CHECK(note.file == "a.cfg");
  CHECK(note.message ==
        "9 more findings on this file are not shown (8 errors, 0 warnings among them); --max-diagnostics 3 is the "
        "limit per file");
  CHECK(diags.ErrorCount() == 12);
  // Appended into another sink, the counts travel with the kept findings.
  Diagnostics all;
  all.Append(diags);
  CHECK(all.ErrorCount() == 12);
  CHECK(all.all().size() == 5);
  // Without a limit, everything is kept.
  Diagnostics unlimited;
  for (int i = 0; i < 300; ++i) unlimited.Add<DiagId::kPythonError>("a.cfg", Span{1, 1, 2}, "", "boom");
  unlimited.AddCutSummaries();
  CHECK(unlimited.all().size() == 300);
}

}  // namespace xmc
