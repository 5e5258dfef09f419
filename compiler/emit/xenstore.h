// The XenStore operations xend 4.4 performed when creating the domain (xm.md 6): the
// domain's directories, /vm/<uuid>, each device's frontend and backend directories with
// their permissions, in xend's phases and order. A pure function of the checked
// DomainConfig plus the domain id and UUID.
//
// Values that exist only when a real domain is built are never invented: they are
// written as placeholders `{runtime:NAME}` (event-channel ports, ring references,
// start_time, generated MACs, device UUIDs, the kernel's ELF notes and native ABI, the
// device model's pid and fifo, what a bootloader extracts). The table of placeholders is
// kRuntimeValues below; tests/corpus_xenstore.py uses it to compare with xend's captures.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "compiler/derive/xend_model.h"
#include "compiler/emit/backend.h"

namespace xmc {

/// One XenStore operation.
struct XsOp {
  enum class Kind { kWrite, kMkdir, kRm, kPerms, kIntroduce, kComment };
  Kind kind;
  std::string path;   ///< for kIntroduce: "DOMID MFN PORT"; for kComment: the text
  std::string value;  ///< kWrite: the value; kPerms: "n0 r5"-style list
};

/// A run-time value: its placeholder and what it stands for.
struct RuntimeValue {
  const char* name;
  const char* meaning;
};
extern const RuntimeValue kRuntimeValues[];
extern const size_t kRuntimeValueCount;
/// "{runtime:NAME}".
std::string RuntimePlaceholder(const char* name);

/// The operations, in xend's order (`options.domid` and `options.uuid` name the domain).
std::vector<XsOp> BuildXenstoreWrites(const DomainConfig& config, const EmitOptions& options);

/// Writes the operations one a line, in the format of the reference captures:
/// `PATH = VALUE`, `PATH mkdir`, `PATH rm`, `PATH perms P...`, `@introduce D M P`,
/// `# comment`; control bytes in values escaped as \n \t \r \\ \xNN.
void EmitXenstore(const DomainConfig& config, const EmitOptions& options, std::ostream& out, Diagnostics* diags);

/// The HVM device model's arguments as xend stored them in /vm/<uuid>/image/dmargs
/// (xm.md 5.3), with placeholders for generated MACs.
std::string DeviceModelArgs(const XendModel& model, int64_t domid);

}  // namespace xmc
