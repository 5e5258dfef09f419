#include "compiler/emit/xend.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "compiler/schema/schema.h"

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
  bool dhcp_on = EffectiveStr(c, &DomainConfig::dhcp) != "off";
  if ((XmTruthy(c.ip) || dhcp_on) && args.find("ip=") == std::string::npos) {
    std::string nfs = XmTruthy(c.nfs_server) ? XmStr(c.nfs_server) : "127.0.255.255";
    out += "ip=" + XmStr(c.ip) + ":" + nfs + ":" + XmStr(c.gateway) + ":" + XmStr(c.netmask) + ":" + XmStr(c.hostname) +
           ":" + EffectiveStr(c, &DomainConfig::interface) + ":" + EffectiveStr(c, &DomainConfig::dhcp) + " ";
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
  int64_t vcpus = Effective(c, &DomainConfig::vcpus);
  return c.maxvcpus.value && *c.maxvcpus.value > 0 ? *c.maxvcpus.value : vcpus;
}

int64_t VcpusOnline(const DomainConfig& c) {
  return c.maxvcpus.value ? Effective(c, &DomainConfig::vcpus) : VcpusMax(c);
}

int64_t VcpusToList(const DomainConfig& c) { return std::clamp<int64_t>(VcpusMax(c), 0, kMaxVcpus); }

uint64_t OnlineMask(int64_t online) {
  if (online <= 0) return 0;
  if (online >= 64) return ~uint64_t{0};
  return (uint64_t{1} << online) - 1;
}

int64_t VifCount(const DomainConfig& c) {
  int64_t listed = c.vif.value ? static_cast<int64_t>(c.vif.value->size()) : 0;
  return std::clamp<int64_t>(std::max(listed, Effective(c, &DomainConfig::nics)), listed, std::max(listed, kMaxVifs));
}

std::string DeviceModelPath(const DomainConfig& c) {
  std::string dm = XmStr(c.device_model, "qemu-dm");
  if (dm.find('/') == std::string::npos) dm = "/usr/lib/xen/bin/" + dm;
  return dm;
}

VifRateLimit ParseVifRate(const std::string& rate) {
  // NUMBER[GMK][bB]/s[@INTERVAL[ms|us|s]] -> bytes per interval, interval in microseconds.
  size_t at = rate.find('@');
  std::string amount = rate.substr(0, at);
  double interval_us = 50000;
  if (at != std::string::npos) {
    std::string iv = rate.substr(at + 1);
    double n = std::atof(iv.c_str());
    if (iv.size() > 2 && iv.compare(iv.size() - 2, 2, "ms") == 0)
      n *= 1000;
    else if (iv.size() > 2 && iv.compare(iv.size() - 2, 2, "us") == 0)
      n *= 1;
    else if (!iv.empty() && iv.back() == 's')
      n *= 1000000;
    interval_us = n;
  }
  size_t i = 0;
  while (i < amount.size() && (std::isdigit(static_cast<unsigned char>(amount[i])) || amount[i] == '.')) ++i;
  double value = std::atof(amount.substr(0, i).c_str());
  std::string unit = amount.substr(i);
  double mult = 1;
  if (!unit.empty() && (unit[0] == 'G' || unit[0] == 'M' || unit[0] == 'K')) {
    mult = unit[0] == 'G' ? 1e9 : unit[0] == 'M' ? 1e6 : 1e3;
    unit = unit.substr(1);
  }
  double bytes_per_s = value * mult / (unit.rfind("b", 0) == 0 ? 8 : 1);
  auto per_interval = static_cast<int64_t>(std::llround(bytes_per_s * interval_us / 1e6));
  return {per_interval, static_cast<int64_t>(interval_us)};
}

std::string VifRate(const std::string& rate) {
  VifRateLimit r = ParseVifRate(rate);
  return fmt::format("{},{}", r.bytes_per_interval, r.interval_usecs);
}

}  // namespace xmc
