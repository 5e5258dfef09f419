#include "compiler/emit/sxp.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "compiler/emit/backend.h"
#include "tests/unit_support.h"

namespace xmc {

TEST_CASE("atoms are bare only for safe characters") {
  CHECK(SxpString("xenbr0") == "xenbr0");
  CHECK(SxpString("/boot/vmlinuz-2.6") == "/boot/vmlinuz-2.6");
  CHECK(SxpString("10Mb/s") == "10Mb/s");
  CHECK(SxpString("~user:x_y") == "~user:x_y");
  CHECK(SxpString("@") == "@");
  CHECK(SxpString("") == "''");
  CHECK(SxpString("w!") == "'w!'");
  CHECK(SxpString("0-3,^1") == "'0-3,^1'");
  CHECK(SxpString("a&b") == "'a&b'");
  CHECK(SxpString("phy:/x'\"") == "'phy:/x\\'\"'");
}

TEST_CASE("lists that fit in 80 columns stay on one line, others break") {
  Sexp short_list = Sexp::List({Sexp::String("device"), Sexp::List({Sexp::String("vif")})});
  CHECK(SxpPretty(short_list, false) == "(device (vif))");
  CHECK(SxpPretty(short_list, true) == "(device\n    (vif)\n)");
  std::string long_atom(90, 'x');
  Sexp overflow = Sexp::List({Sexp::String("ip"), Sexp::String(long_atom)});
  CHECK(SxpPretty(overflow, false) == "(ip\n    " + long_atom + "\n)");
  // Exactly 80 columns fits; 81 does not.
  std::string a76(76, 'a');
  CHECK(SxpPretty(Sexp::List({Sexp::String("x"), Sexp::String(a76)}), false).find('\n') == std::string::npos);
  std::string a77(77, 'a');
  CHECK(SxpPretty(Sexp::List({Sexp::String("x"), Sexp::String(a77)}), false).find('\n') != std::string::npos);
}

TEST_CASE("the feature-mix example of xm.md 3.11 prints exactly as xm printed it") {
  Compilation c = testing::CompileText(
      "kernel = '/boot/vmlinuz-xen'\n"
      "ramdisk = '/boot/initrd-xen.img'\n"
      "memory = 512\n"
      "maxmem = 1024\n"
      "name = 'test2'\n"
      "uuid = '06ed00fe-1162-4fc4-b5d8-11993ee4a8b9'\n"
      "vcpus = 2\n"
      "maxvcpus = 4\n"
      "cpus = \"0-3,^1\"\n"
      "cpu_weight = 512\n"
      "cpu_cap = 50\n"
      "vif = ['mac=00:16:3e:00:00:11, bridge=xenbr0, ip=10.0.0.2, vifname=veth1, rate=10Mb/s',\n"
      "       'bridge=xenbr1']\n"
      "disk = ['phy:/dev/vg0/root,xvda,w', 'file:/x.img,xvdb1,r', 'phy:sdb,sdb,w', 'tap:aio:/x.img2,xvdc,w']\n"
      "vfb = ['vnc=1,vncunused=1,vnclisten=0.0.0.0,vncpasswd=secret']\n"
      "on_crash = 'preserve'\n"
      "root = '/dev/xvda1 ro'\n"
      "extra = 'console=hvc0'\n"
      "description = 'my test vm'\n"
      "shadow_memory = 8\n"
      "irq = [7]\n"
      "ioports = ['2f8-2ff']\n",
      {}, {"/boot/vmlinuz-xen", "/boot/initrd-xen.img"});
  REQUIRE_FALSE(c.xm_failed());
  std::ostringstream out;
  EmitSxp(c.config, EmitOptions{}, out, nullptr);
  CHECK(out.str() ==
        "(vm\n"
        "    (name test2)\n"
        "    (memory 512)\n"
        "    (maxmem 1024)\n"
        "    (shadow_memory 8)\n"
        "    (on_crash preserve)\n"
        "    (on_xend_start ignore)\n"
        "    (on_xend_stop ignore)\n"
        "    (description 'my test vm')\n"
        "    (vcpu_avail 3)\n"
        "    (vcpus 4)\n"
        "    (uuid 06ed00fe-1162-4fc4-b5d8-11993ee4a8b9)\n"
        "    (cpus '0-3,^1')\n"
        "    (cpu_cap 50)\n"
        "    (cpu_weight 512)\n"
        "    (oos 1)\n"
        "    (image\n"
        "        (linux\n"
        "            (kernel /boot/vmlinuz-xen)\n"
        "            (ramdisk /boot/initrd-xen.img)\n"
        "            (root '/dev/xvda1 ro')\n"
        "            (videoram 4)\n"
        "            (args 'console=hvc0')\n"
        "            (tsc_mode 0)\n"
        "            (nomigrate 0)\n"
        "        )\n"
        "    )\n"
        "    (s3_integrity 1)\n"
        "    (device (vbd (uname phy:/dev/vg0/root) (dev xvda) (mode w)))\n"
        "    (device (vbd (uname file:/x.img) (dev xvdb1) (mode r)))\n"
        "    (device (vbd (uname phy:sdb) (dev sdb) (mode w)))\n"
        "    (device (tap (uname tap:aio:/x.img2) (dev xvdc) (mode w)))\n"
        "    (device (ioports (from 0x2f8) (to 0x2ff)))\n"
        "    (device (irq (irq 7)))\n"
        "    (device\n"
        "        (vif\n"
        "            (bridge xenbr0)\n"
        "            (mac 00:16:3e:00:00:11)\n"
        "            (vifname veth1)\n"
        "            (rate 10Mb/s)\n"
        "            (ip 10.0.0.2)\n"
        "        )\n"
        "    )\n"
        "    (device (vif (bridge xenbr1)))\n"
        "    (device (vkbd))\n"
        "    (device\n"
        "        (vfb\n"
        "            (vncunused 1)\n"
        "            (vncpasswd secret)\n"
        "            (vnclisten 0.0.0.0)\n"
        "            (vnc 1)\n"
        "            (xauthority /root/.Xauthority)\n"
        "        )\n"
        "    )\n"
        ")\n");
}

TEST_CASE("xm's quirks survive: string irq, unstripped disk fields, cpuid dict") {
  Compilation c = testing::CompileText(
      "builder = 'hvm'\nirq = ['7']\ndisk = ['phy:hda1, hda1, w']\n"
      "cpuid = ['1:eax=0x3']\npci = ['07:00.0@3,msitranslate=0']\n");
  std::ostringstream out;
  EmitSxp(c.config, EmitOptions{}, out, nullptr);
  std::string s = out.str();
  CHECK(s.find("(device (irq (irq \"'7'\")))") != std::string::npos);
  CHECK(s.find("(dev ' hda1') (mode ' w')") != std::string::npos);
  CHECK(s.find("(cpuid \"{'1': {'eax': '0x3'}}\")") != std::string::npos);
  CHECK(s.find("(pci ((0x0000 0x07 0x00 0x0 0x18 ((msitranslate 0)) '07:00.0@3')))") != std::string::npos);
}

}  // namespace xmc

namespace xmc {

TEST_CASE("every custom SXP place of the schema has the writer's code, and the writer no other") {
  const Schema& schema = Schema::Builtin();
  std::vector<std::pair<std::string, SxpAt>> custom;
  for (const VarSpec& v : schema.vars()) {
    for (const SxpPlace& p : v.sxp_places) {
      if (p.custom) custom.emplace_back(v.name, p.at);
    }
    if (!v.sxp_with.empty()) {
      CAPTURE(v.name);
      const VarSpec* with = schema.Find(v.sxp_with);
      REQUIRE(with != nullptr);
      bool has_custom = false;
      for (const SxpPlace& p : with->sxp_places) has_custom = has_custom || p.custom;
      CHECK_MESSAGE(has_custom, "sxp: {with: " << v.sxp_with << "} names a variable no code writes");
    }
  }
  std::vector<std::pair<std::string, SxpAt>> code = SxpCodePlaces();
  std::sort(custom.begin(), custom.end());
  std::sort(code.begin(), code.end());
  CHECK(custom == code);
}

TEST_CASE("writers stay bounded and defined on absurd counts (found by fuzzing)") {
  for (const char* text : {"name = 'x'\nbootloader = '/b'\nvcpus = -1\nmaxvcpus = 2\n",
                           "name = 'x'\nbootloader = '/b'\nvcpus = 100000000\ncpus = '0'\n",
                           "name = 'x'\nbootloader = '/b'\nvif = ['']\nnics = 1000000000\n"}) {
    CAPTURE(text);
    Compilation c = testing::CompileText(text);
    std::ostringstream out;
    EmitOptions options;
    options.domid = 5;
    options.uuid = "00000000-0000-4000-8000-000000000001";
    Diagnostics diags;
    for (const Backend& b : Backends()) b.emit(c.config, options, out, &diags);
    CHECK(out.str().size() < 2000000);
  }
}

}  // namespace xmc
