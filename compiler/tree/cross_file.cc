#include "compiler/tree/cross_file.h"

#include <algorithm>

#include "compiler/base/strings.h"
#include "compiler/ir/key_value_spec.h"

namespace xmc {
namespace {

/// A disk's identity on the host: phy:NAME is /dev/NAME, tap drivers are stripped.
std::string DiskKey(const Disk& d) {
  if (d.device_class != "vbd") return "file:" + d.tap_image().path;
  if (d.type == "phy") return "phy:" + PhyPath(d.params);
  return d.type + ":" + d.params;
}

}  // namespace

std::vector<TreeFact> TreeFactsOf(const DomainConfig& c) {
  std::vector<TreeFact> facts;
  if (c.name.value) facts.push_back({TreeFact::Kind::kName, *c.name.value, *c.name.value, "name", c.name.span});
  if (c.uuid.value) {
    std::string u = AsciiLower(*c.uuid.value);
    u.erase(std::remove(u.begin(), u.end(), '-'), u.end());
    facts.push_back({TreeFact::Kind::kUuid, u, *c.uuid.value, "uuid", c.uuid.span});
  }
  if (c.vif.value) {
    std::vector<std::string> own;  // duplicates inside one file are the per-file check's
    for (size_t i = 0; i < c.vif.value->size(); ++i) {
      const Vif& v = (*c.vif.value)[i];
      const std::string* mac = v.Get("mac");
      if (mac == nullptr || !IsMacAddress(*mac)) continue;
      std::string key = AsciiLower(*mac);
      if (std::find(own.begin(), own.end(), key) != own.end()) continue;
      own.push_back(key);
      facts.push_back({TreeFact::Kind::kMac, key, *mac, fmt::format("vif[{}].mac", i), v.span});
    }
  }
  if (c.disk.value) {
    for (size_t i = 0; i < c.disk.value->size(); ++i) {
      const Disk& d = (*c.disk.value)[i];
      if (Strip(d.mode) != "w" || d.uname.empty()) continue;
      facts.push_back({TreeFact::Kind::kDisk, DiskKey(d), d.uname, fmt::format("disk[{}]", i), d.span});
    }
  }
  return facts;
}

size_t TreeChecker::Add(const std::string& file, const std::vector<TreeFact>& facts, Diagnostics* diags) {
  size_t found = 0;
  for (const TreeFact& f : facts) {
    auto [it, fresh] = seen_[static_cast<size_t>(f.kind)].emplace(f.key, Seen{file, f.span});
    if (fresh) continue;
    const Seen& s = it->second;
    std::string where = s.span.valid() ? fmt::format("{}:{}", s.file, s.span.line) : s.file;
    Diagnostic* d = nullptr;
    switch (f.kind) {
      case TreeFact::Kind::kName: d = &diags->Add<DiagId::kDuplicateName>(file, f.span, f.path, f.value, where); break;
      case TreeFact::Kind::kUuid: d = &diags->Add<DiagId::kDuplicateUuid>(file, f.span, f.path, f.value, where); break;
      case TreeFact::Kind::kMac: d = &diags->Add<DiagId::kDuplicateMac>(file, f.span, f.path, f.value, where); break;
      case TreeFact::Kind::kDisk: d = &diags->Add<DiagId::kSharedDisk>(file, f.span, f.path, f.value, where); break;
    }
    d->related_file = s.file;
    d->related_span = s.span;
    ++found;
  }
  return found;
}

void CheckTree(const std::vector<TreeEntry>& entries, Diagnostics* diags) {
  TreeChecker checker;
  for (const TreeEntry& e : entries) {
    if (e.config != nullptr) checker.Add(e.file, TreeFactsOf(*e.config), diags);
  }
}

}  // namespace xmc
