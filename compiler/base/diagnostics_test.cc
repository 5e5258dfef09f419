#include "compiler/base/diagnostics.h"

#include <doctest/doctest.h>

#include <set>

namespace xmc {

TEST_CASE("a diagnostic renders with file, line, column, id, source line and caret") {
  SourceFile file("web.cfg", "name = 'web'\ndisk = [ 'phy:sda1,xvda' ]\n");
  Diagnostics diags;
  diags.Add(DiagId::kDiskFields, "web.cfg", Span{2, 10, 25}, "", "disk[0]", 2);
  std::string text = Render(diags.all()[0], &file, RenderOptions{});
  CHECK(text ==
        "web.cfg:2:10: error: disk[0]: expected 3 to 5 comma-separated fields, found 2 [disk-fields]\n"
        "disk = [ 'phy:sda1,xvda' ]\n"
        "         ^~~~~~~~~~~~~~~\n");
}

TEST_CASE("catalogue ids are unique and worded in lowercase without a final period") {
  std::set<std::string> ids;
  for (const DiagInfo& info : AllDiagInfos()) {
    CHECK(ids.insert(std::string(info.id)).second);
    CHECK(!info.format.empty());
    CHECK(info.format.back() != '.');
    bool starts_lower = !std::isupper(static_cast<unsigned char>(info.format[0])) ||
                        info.format.substr(0, 6) == "Python";
    CHECK_MESSAGE(starts_lower, info.id);
  }
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
  d.Add(DiagId::kUnknownVariable, "f", Span{1, 1, 2}, "", "x", "");
  CHECK(d.ErrorCount() == 0);
  CHECK(d.WarningCount() == 1);
  CHECK_FALSE(d.HasXmFatal());
  d.Add(DiagId::kKernelMissing, "f", Span{2, 1, 2}, "", "/boot/x");
  CHECK(d.ErrorCount() == 1);
  CHECK(d.HasXmFatal());
}

}  // namespace xmc
