// The settings file of the xendomains boot service (/etc/sysconfig/xendomains or
// /etc/default/xendomains): shell assignments of XENDOMAINS_* variables. Each known
// variable is checked against its documented type; unknown XENDOMAINS_* names get "did
// you mean"; with a host, the SAVE and AUTO directories must exist.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/base/source.h"
#include "compiler/host/host.h"

namespace xmc {

/// True for a file named xendomains or one that assigns XENDOMAINS_* variables.
bool LooksLikeXendomains(const std::string& path, const std::string& text);

/// The settings, with the xendomains script's defaults for those the file leaves unset.
struct XendomainsSettings {
  std::string auto_dir = "/etc/xen/auto";      ///< XENDOMAINS_AUTO ("" = none)
  std::string save_dir = "/var/lib/xen/save";  ///< XENDOMAINS_SAVE ("" = shut down instead)
  bool restore = true;                         ///< XENDOMAINS_RESTORE
  bool auto_only = false;                      ///< XENDOMAINS_AUTO_ONLY
  std::string shutdown = "--wait";             ///< XENDOMAINS_SHUTDOWN
  std::string shutdown_all = "--all --wait";   ///< XENDOMAINS_SHUTDOWN_ALL
  int64_t stop_maxwait = 300;                  ///< XENDOMAINS_STOP_MAXWAIT, seconds
  int64_t create_usleep = 5000000;             ///< XENDOMAINS_CREATE_USLEEP, microseconds
  /// Every XENDOMAINS_* name the file sets (valid or not), in file order.
  std::vector<std::string> set;
};

/// Checks the file; `host` (may be null) is used to check that directories exist.
XendomainsSettings CheckXendomains(const SourceFile& file, const Host* host, Diagnostics* diags);

}  // namespace xmc
