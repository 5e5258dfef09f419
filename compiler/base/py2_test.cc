#include "compiler/base/py2.h"

#include <doctest/doctest.h>

namespace xmc::py2 {

TEST_CASE("string hash matches CPython 2.7 on 64-bit builds") {
  // Values from xm.md 3.6 and 4.4 (the vdb/vif names xm printed).
  CHECK(StringHash("") == 0);
  CHECK(StringHash("eth0") == -4664220514485057761LL);
  CHECK(StringHash("phy:hda1") == 732213349942828283LL);
  CHECK(StringHash("file:/var/images/min-el3-i386.img") == -6101634761569610288LL);
}

TEST_CASE("dict iteration order follows CPython 2.7's table") {
  CHECK(IterationOrder({"type", "bridge"}) == std::vector<std::string>{"bridge", "type"});
  CHECK(IterationOrder({"mac", "bridge", "ip", "script", "vifname", "rate", "model", "backend", "type"}) ==
        std::vector<std::string>{"bridge", "script", "ip", "rate", "mac", "vifname", "model", "type", "backend"});
}

TEST_CASE("a deleted key leaves a dummy that later inserts can reuse") {
  DictOrder d;
  d.Insert("type");
  d.Insert("vncunused");
  d.Insert("vnc");
  d.Erase("type");
  CHECK_FALSE(d.Contains("type"));
  CHECK(d.Contains("vnc"));
  CHECK(d.Keys().size() == 2);
}

TEST_CASE("repr of byte strings uses Python 2 quoting") {
  CHECK(StrRepr("") == "''");
  CHECK(StrRepr("/dev/hda1 ro") == "'/dev/hda1 ro'");
  CHECK(StrRepr("it's") == "\"it's\"");
  CHECK(StrRepr("a'\"b") == "'a\\'\"b'");
  CHECK(StrRepr("tab\there\n") == "'tab\\there\\n'");
  CHECK(StrRepr("\x01\xff") == "'\\x01\\xff'");
  CHECK(StrRepr("back\\slash") == "'back\\\\slash'");
}

TEST_CASE("floats print like Python 2.7 str() and repr()") {
  CHECK(FloatStr(256.5) == "256.5");
  CHECK(FloatStr(1.0) == "1.0");
  CHECK(FloatStr(0.1) == "0.1");
  CHECK(FloatStr(1.0 / 3) == "0.333333333333");
  CHECK(FloatStr(1e16) == "1e+16");
  CHECK(FloatRepr(0.1) == "0.1");
  CHECK(FloatRepr(1.0 / 3) == "0.3333333333333333");
  CHECK(FloatRepr(1e15) == "1000000000000000.0");
  CHECK(FloatRepr(1e16) == "1e+16");
  CHECK(FloatRepr(2.5e-5) == "2.5e-05");
}

TEST_CASE("normpath collapses dots and slashes like posixpath") {
  CHECK(NormPath("/etc/xen/./pv-grub.gz") == "/etc/xen/pv-grub.gz");
  CHECK(NormPath("/etc/xen/../boot//k") == "/etc/boot/k");
  CHECK(NormPath("//x/y") == "//x/y");
  CHECK(NormPath("///x") == "/x");
  CHECK(NormPath("") == ".");
  CHECK(NormPath("a/../..") == "..");
}

}  // namespace xmc::py2
