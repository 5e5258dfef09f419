// `xmc xendomains start|stop|status`: the xendomains boot service of xm's day, with the
// settings of /etc/sysconfig/xendomains (compiler/check/xendomains.h), over the runtime's
// interfaces. start restores saved domains (XENDOMAINS_RESTORE) and starts every AUTO
// config not running, in name order, XENDOMAINS_CREATE_USLEEP apart; stop saves domains
// (XENDOMAINS_SAVE) or shuts them down (XENDOMAINS_SHUTDOWN[_ALL]), all of them or the AUTO
// ones only (XENDOMAINS_AUTO_ONLY), and destroys those still running after
// XENDOMAINS_STOP_MAXWAIT seconds. Settings it does not implement are reported.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compiler/check/xendomains.h"
#include "runtime/launch.h"

namespace xmc::runtime {

/// One config of the AUTO directory: its plan, or why it has none (its diagnostics).
struct AutoConfig {
  std::string file;
  std::optional<LaunchPlan> plan;
  std::string error;
};

/// What the service says and how it waits (tests pass a recorder and no real sleep).
struct ServiceIo {
  std::function<void(const std::string&)> say;
  std::function<void(int64_t microseconds)> sleep;
};

/// The settings the file sets that xmc does not carry out, each with why.
std::vector<std::string> UnimplementedSettings(const XendomainsSettings& settings);

/// Exit statuses as the init script's: 0 done, 1 something failed; status: 3 when an
/// AUTO domain is not running.
int XendomainsStart(const XendomainsSettings& settings, const std::vector<AutoConfig>& autos, DomainDriver& driver,
                    XenStore& store, MonitorStarter& monitor, const ServiceIo& io);
int XendomainsStop(const XendomainsSettings& settings, const std::vector<AutoConfig>& autos, DomainDriver& driver,
                   XenStore& store, const ServiceIo& io);
int XendomainsStatus(const std::vector<AutoConfig>& autos, DomainDriver& driver, const ServiceIo& io);

}  // namespace xmc::runtime
