#include "compiler/check/tree.h"

#include <algorithm>
#include <map>

#include "compiler/base/strings.h"

namespace xmc {
namespace {

struct Seen {
  std::string file;
  Span span;
};

std::string Where(const Seen& s) { return s.span.valid() ? fmt::format("{}:{}", s.file, s.span.line) : s.file; }

/// A disk's identity on the host: phy:NAME is /dev/NAME, tap drivers are stripped.
std::string DiskKey(const Disk& d) {
  if (d.device_class != "vbd") return "file:" + d.tap_image().path;
  if (d.type == "phy") return "phy:" + PhyPath(d.params);
  return d.type + ":" + d.params;
}

}  // namespace

void CheckTree(const std::vector<TreeEntry>& entries, Diagnostics* diags) {
  std::map<std::string, Seen> names, uuids, macs, disks;
  for (const TreeEntry& e : entries) {
    if (e.config == nullptr) continue;
    const DomainConfig& c = *e.config;
    if (c.name.value) {
      auto [it, fresh] = names.emplace(*c.name.value, Seen{e.file, c.name.span});
      if (!fresh) {
        diags->Add<DiagId::kDuplicateName>(e.file, c.name.span, "name", *c.name.value, Where(it->second));
      }
    }
    if (c.uuid.value) {
      std::string u = AsciiLower(*c.uuid.value);
      u.erase(std::remove(u.begin(), u.end(), '-'), u.end());
      auto [it, fresh] = uuids.emplace(u, Seen{e.file, c.uuid.span});
      if (!fresh) diags->Add<DiagId::kDuplicateUuid>(e.file, c.uuid.span, "uuid", *c.uuid.value, Where(it->second));
    }
    if (c.vif.value) {
      std::map<std::string, bool> own;  // duplicates inside one file are the per-file check's
      for (size_t i = 0; i < c.vif.value->size(); ++i) {
        const Vif& v = (*c.vif.value)[i];
        const std::string* mac = v.Get("mac");
        if (mac == nullptr || !IsMacAddress(*mac)) continue;
        std::string key = AsciiLower(*mac);
        if (own[key]) continue;
        own[key] = true;
        auto [it, fresh] = macs.emplace(key, Seen{e.file, v.span});
        if (!fresh) {
          diags->Add<DiagId::kDuplicateMac>(e.file, v.span, fmt::format("vif[{}].mac", i), *mac, Where(it->second));
        }
      }
    }
    if (c.disk.value) {
      for (size_t i = 0; i < c.disk.value->size(); ++i) {
        const Disk& d = (*c.disk.value)[i];
        if (Strip(d.mode) != "w" || d.uname.empty()) continue;
        auto [it, fresh] = disks.emplace(DiskKey(d), Seen{e.file, d.span});
        if (!fresh) {
          diags->Add<DiagId::kSharedDisk>(e.file, d.span, fmt::format("disk[{}]", i), d.uname, Where(it->second));
        }
      }
    }
  }
}

}  // namespace xmc
