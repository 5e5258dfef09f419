// Derive(): what xend made of a config, computed once for the typed writers.
#include "compiler/derive/xend_model.h"

#include <doctest/doctest.h>

#include "compiler/schema/schema.h"
#include "tests/unit_support.h"

namespace xmc {
namespace {

XendModel DeriveText(const std::string& text, const Compilation** keep) {
  static Compilation c;  // the model refers to the config
  c = testing::CompileText(text, {}, {"/boot/k"});
  REQUIRE_MESSAGE(c.diags.ErrorCount() == 0, text);
  *keep = &c;
  return Derive(c.config);
}

}  // namespace

TEST_CASE("the derived model's key names are the schema's vif and vfb keys, in the schema's order") {
  const VarSpec* vif = Schema::Builtin().Find("vif");
  REQUIRE(vif != nullptr);
  REQUIRE(vif->keys.size() == kNicKeys);
  for (size_t i = 0; i < kNicKeys; ++i) CHECK(vif->keys[i] == KeyName(static_cast<NicKey>(i)));
  const VarSpec* vfb = Schema::Builtin().Find("vfb");
  REQUIRE(vfb != nullptr);
  REQUIRE(vfb->keys.size() + 1 == kVfbKeys);  // and the legacy type=vnc|sdl
  for (size_t i = 0; i + 1 < kVfbKeys; ++i) CHECK(vfb->keys[i] == KeyName(static_cast<VfbKey>(i)));
  CHECK(std::string(KeyName(VfbKey::kType)) == "type");
}

TEST_CASE("vifs: typed keys in the order written, a repeated key's last value, padding up to nics") {
  const Compilation* c = nullptr;
  XendModel m = DeriveText(
      "kernel = '/boot/k'\nnics = 3\n"
      "vif = ['bridge=br0, mac=00:16:3e:00:00:01, bridge=br1, rate=10Mb/s@20ms', 'type=ioemu, model=e1000']\n",
      &c);
  REQUIRE(m.nics.size() == 3);
  const Nic& a = m.nics[0];
  CHECK(a.listed);
  CHECK(a.written == std::vector<NicKey>{NicKey::kBridge, NicKey::kMac, NicKey::kRate});
  CHECK(a[NicKey::kBridge] == std::optional<std::string>("br1"));
  REQUIRE(a.rate.has_value());
  CHECK(a.rate->interval_usecs == 20000);
  CHECK(a.rate->bytes_per_interval == 25000);  // 10 Mbit/s = 1.25 MB/s, over 20 ms
  CHECK(a.rate->XenstoreText() == "25000,20000");
  CHECK_FALSE(a.emulated_only());
  CHECK_FALSE(a.pv_only());
  CHECK(a.Script() == "vif-bridge");
  CHECK(a.ScriptPath() == "/etc/xen/scripts/vif-bridge");
  CHECK(m.nics[1].emulated_only());
  CHECK(m.nics[1][NicKey::kModel] == std::optional<std::string>("e1000"));
  CHECK_FALSE(m.nics[2].listed);
  CHECK(m.nics[2].index == 2);
  CHECK(m.nics[2].written.empty());
  CHECK(m.vif_declared);
}

TEST_CASE("vfbs: the legacy type, the domain's keymap passed down, SDL or VNC") {
  const Compilation* c = nullptr;
  XendModel m = DeriveText(
      "kernel = '/boot/k'\nkeymap = 'de'\nvfb = ['type=sdl, display=:1', 'vnc=1, keymap=fr', 'sdl=1']\n", &c);
  REQUIRE(m.vfbs.size() == 3);
  CHECK(m.vfbs[0].Sdl());
  CHECK(m.vfbs[0].Keymap() == std::optional<std::string>("de"));
  CHECK(m.vfbs[0].inherited_keymap == std::optional<std::string>("de"));
  CHECK_FALSE(m.vfbs[1].Sdl());
  CHECK(m.vfbs[1].Keymap() == std::optional<std::string>("fr"));
  CHECK_FALSE(m.vfbs[1].inherited_keymap.has_value());
  CHECK(m.vfbs[2].Sdl());
}

TEST_CASE("lifecycle after xend's defaults and the old restart variable, the vCPUs, the device model") {
  const Compilation* c = nullptr;
  XendModel m = DeriveText("kernel = '/boot/k'\n", &c);
  CHECK(m.on_poweroff == "destroy");
  CHECK(m.on_reboot == "restart");
  CHECK(m.on_crash == "restart");
  CHECK(m.vcpus_max == 1);
  CHECK(m.vcpus_online == 1);
  CHECK(m.device_model_path == "/usr/lib/xen/bin/qemu-dm");
  XendModel r = DeriveText("kernel = '/boot/k'\nrestart = 'onreboot'\nvcpus = 2\nmaxvcpus = 6\n", &c);
  CHECK(r.Action(Lifecycle::kPoweroff) == "destroy");
  CHECK(r.Action(Lifecycle::kReboot) == "restart");
  CHECK(r.Action(Lifecycle::kCrash) == "destroy");
  CHECK(r.vcpus_max == 6);
  CHECK(r.vcpus_online == 2);
  CHECK(r.vcpus_to_list() == 6);
}

}  // namespace xmc
