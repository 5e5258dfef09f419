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
  d.Add<DiagId::kUnknownVariable>("f", Span{1, 1, 2}, "x", Choice{0}, "");
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

TEST_CASE("a select slot prints the chosen alternative, its own arguments numbered after the others") {
  using diag_detail::Expand;
  CHECK(Expand("a {} b", {}) == "a {0} b");
  CHECK(Expand("x{select:|; did you mean '{}'?}", {0}) == "x");
  CHECK(Expand("x{select:|; did you mean '{}'?}", {1}) == "x; did you mean '{0}'?");
  CHECK(Expand("{} {select:p{}|q{}} {}", {1}) == "{0} q{2} {3}");
  CHECK(Expand("'{path}' {{literal}} {}", {}) == "'{path}' {{literal}} {0}");
  Diagnostics d;
  d.Add<DiagId::kUnknownVariable>("f", Span{}, "memroy", Choice{1}, "memory");
  d.Add<DiagId::kUnknownVariable>("f", Span{}, "zzz", Choice{0}, "");
  d.Add<DiagId::kLooseType>("f", Span{}, "acpi", "0 or 1", "integer 2", Choice{0});
  CHECK(d.all()[0].message == "unknown variable 'memroy' is ignored by xm; did you mean 'memory'?");
  CHECK(d.all()[1].message == "unknown variable 'zzz' is ignored by xm");
  CHECK(d.all()[2].message == "'acpi' should be 0 or 1, found integer 2; read as true");
  Diagnostic& n = d.Add<DiagId::kDiskMode>("f", Span{}, "disk[0]", "ro");
  n.AddNote<NoteId::kXlModeSpelling>(Choice{0}, Choice{0}).Suggest("ro", "r");
  CHECK(n.notes == std::vector<std::string>{"'ro' is xl's spelling; xm wants 'r'", "did you mean 'r'?"});
}

TEST_CASE("every variant of every catalogue row and note formats, and its readable form shows the variants") {
  auto variants = [](std::string_view format) {
    std::vector<std::string> out;
    diag_detail::Slots slots = diag_detail::SlotsOf(format);
    size_t selects = static_cast<size_t>(__builtin_popcountll(slots.choices));
    for (size_t pick = 0; pick < 8; ++pick) {
      fmt::dynamic_format_arg_store<fmt::format_context> store;
      for (size_t i = 0; i < slots.count - selects; ++i) store.push_back("V" + std::to_string(i));
      store.push_back(fmt::arg("path", "P"));
      std::string text = fmt::vformat(diag_detail::Expand(format, std::vector<size_t>(selects, pick)), store);
      if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(text);
    }
    return out;
  };
  std::vector<std::string_view> formats;
  for (const DiagInfo& info : AllDiagInfos()) formats.push_back(info.format);
  for (std::string_view note : AllNoteFormats()) formats.push_back(note);
  size_t selects = 0;
  for (std::string_view format : formats) {
    CAPTURE(format);
    std::vector<std::string> texts;
    CHECK_NOTHROW(texts = variants(format));
    CHECK(!texts.empty());
    for (const std::string& t : texts) CHECK(t.find("{select") == std::string::npos);
    if (format.find("{select:") != std::string_view::npos) {
      ++selects;
      CHECK(texts.size() >= 2);  // a choice with one alternative is no choice
      CHECK(ReadableFormat(format).find('[') != std::string::npos);
    }
  }
  CHECK(selects >= 8);
}

}  // namespace xmc
