// Lowering of xm's list variables (disk, vif, vif2, vfb, vusb, pci, vscsi, ioports, irq,
// access_control): each entry parsed as xm and xend parsed it, with its own diagnostics.
// Internal to compiler/lower/ (lower.cc dispatches every list field here).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/base/value.h"
#include "compiler/ir/domain_config.h"
#include "compiler/ir/key_value_spec.h"
#include "compiler/lower/specs.h"
#include "compiler/schema/schema.h"

namespace xmc {

/// Where a list's diagnostics go and the config its pci wildcards are noted in.
struct ListContext {
  const std::string& file;
  Diagnostics* diags;
  DomainConfig* config;
};

#define XMC_LIST_ELEMENT_TYPES(X) \
  X(Disk) X(Vif) X(Vif2) X(Vfb) X(Vusb) X(PciDevice) X(VscsiEntry) X(IoportRange) X(Irq) X(AccessControl)
#define XMC_DECLARE_CONVERT_LIST(T)                                                                          \
  void ConvertList(const ListContext& ctx, const VarSpec& spec, const XmValue& x, const Value* v, Span span, \
                   const std::string& path, Field<std::vector<T>>& f);
XMC_LIST_ELEMENT_TYPES(XMC_DECLARE_CONVERT_LIST)
#undef XMC_DECLARE_CONVERT_LIST

/// The devices of one pci entry: one per function (arranged), with xm's vdevfn.
void AddPciFunctions(const PciDevice& base, const std::vector<PciFunc>& funcs, std::optional<int64_t> vslot,
                     std::vector<PciDevice>* out);

}  // namespace xmc
