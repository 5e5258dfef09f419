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
#include "compiler/host.h"

namespace xmc {

/// True for a file named xendomains or one that assigns XENDOMAINS_* variables.
bool LooksLikeXendomains(const std::string& path, const std::string& text);

struct XendomainsSettings {
  std::string auto_dir = "/etc/xen/auto";  ///< XENDOMAINS_AUTO ("" = none)
  std::string save_dir = "/var/lib/xen/save";
};

/// Checks the file; `host` (may be null) is used to check that directories exist.
XendomainsSettings CheckXendomains(const SourceFile& file, const Host* host, Diagnostics* diags);

}  // namespace xmc
