#include "compiler/emit/xend.h"

#include <algorithm>

namespace xmc {

std::string KernelCommandLine(const DomainConfig& c) {
  std::string args = XmStr(c.extra);
  if (XmTruthy(c.nfs_root) && XmTruthy(c.nfs_server)) {
    args = "nfsroot=" + XmStr(c.nfs_server) + ":" + XmStr(c.nfs_root) + " " + args;
  }
  std::string out;
  std::string root = XmStr(c.root);
  if (root.rfind("root=", 0) == 0) root = root.substr(5);
  if (!root.empty() && args.find("root=") == std::string::npos) out += "root=" + root + " ";
  bool dhcp_on = XmStr(c.dhcp, "off") != "off";
  if ((XmTruthy(c.ip) || dhcp_on) && args.find("ip=") == std::string::npos) {
    std::string nfs = XmTruthy(c.nfs_server) ? XmStr(c.nfs_server) : "127.0.255.255";
    out += "ip=" + XmStr(c.ip) + ":" + nfs + ":" + XmStr(c.gateway) + ":" + XmStr(c.netmask) + ":" +
           XmStr(c.hostname) + ":" + XmStr(c.interface, "eth0") + ":" + XmStr(c.dhcp, "off") + " ";
  }
  return out + args;
}

std::string LifecycleAction(const DomainConfig& c, Lifecycle which) {
  const Field<std::string>& f = which == Lifecycle::kPoweroff ? c.on_poweroff
                                : which == Lifecycle::kReboot ? c.on_reboot
                                                              : c.on_crash;
  if (f.xm) return XmStr(f);
  std::string restart = XmStr(c.restart);
  if (restart == "onreboot") return which == Lifecycle::kReboot ? "restart" : "destroy";
  if (restart == "always") return "restart";
  if (restart == "never") return "never";  // xend stored the invalid word (xm.md 9.10)
  return which == Lifecycle::kPoweroff ? "destroy" : "restart";
}

std::string HyphenatedAction(const std::string& action) {
  std::string a = action;
  std::replace(a.begin(), a.end(), '_', '-');
  if (a == "coredump-and-destroy") return "coredump-destroy";
  if (a == "coredump-and-restart") return "coredump-restart";
  return a;
}

int64_t VcpusMax(const DomainConfig& c) {
  int64_t vcpus = c.vcpus.value.value_or(1);
  return c.maxvcpus.value && *c.maxvcpus.value > 0 ? *c.maxvcpus.value : vcpus;
}

int64_t VcpusOnline(const DomainConfig& c) {
  return c.maxvcpus.value ? c.vcpus.value.value_or(1) : VcpusMax(c);
}

int64_t VcpusToList(const DomainConfig& c) { return std::clamp<int64_t>(VcpusMax(c), 0, kMaxVcpus); }

uint64_t OnlineMask(int64_t online) {
  if (online <= 0) return 0;
  if (online >= 64) return ~uint64_t{0};
  return (uint64_t{1} << online) - 1;
}

int64_t VifCount(const DomainConfig& c) {
  int64_t listed = c.vif.value ? static_cast<int64_t>(c.vif.value->size()) : 0;
  return std::clamp<int64_t>(std::max(listed, c.nics.value.value_or(-1)), listed, std::max(listed, kMaxVifs));
}

std::string DeviceModelPath(const DomainConfig& c) {
  std::string dm = XmStr(c.device_model, "qemu-dm");
  if (dm.find('/') == std::string::npos) dm = "/usr/lib/xen/bin/" + dm;
  return dm;
}

}  // namespace xmc
