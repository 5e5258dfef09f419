#include "compiler/check/check.h"

#include <algorithm>
#include <map>

#include "compiler/base/strings.h"
#include "compiler/ir/key_value_spec.h"

namespace xmc {
namespace {

std::string JoinQuoted(const std::vector<std::string>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += i + 1 == values.size() ? " or " : ", ";
    out += "'" + values[i] + "'";
  }
  return out;
}

template <typename T>
void CheckValue(const std::string&, const VarSpec&, const Field<T>&, Diagnostics*) {}

void CheckValue(const std::string& file, const VarSpec& spec, const Field<int64_t>& f, Diagnostics* diags) {
  if (!f.value || !spec.range) return;
  auto [lo, hi] = *spec.range;
  if (*f.value < lo || *f.value > hi) {
    diags->Add<DiagId::kOutOfRange>(file, f.span, spec.name, *f.value, fmt::format("{} to {}", lo, hi));
  }
}

void CheckValue(const std::string& file, const VarSpec& spec, const Field<std::string>& f, Diagnostics* diags) {
  if (!f.value || spec.values.empty()) return;
  if (std::find(spec.values.begin(), spec.values.end(), *f.value) == spec.values.end()) {
    Diagnostic& d = diags->Add<DiagId::kNotInEnum>(file, f.span, spec.name, *f.value, JoinQuoted(spec.values));
    d.Suggest(*f.value, DidYouMean(*f.value, spec.values));
  }
}

std::string MaskPath(const CpuAffinity& aff, size_t i) {
  return aff.per_vcpu ? fmt::format("cpus[{}]", i) : std::string("cpus");
}

}  // namespace

void Check(const std::string& file, const Schema& schema, const DomainConfig& config, const CheckOptions& options,
           Diagnostics* diags) {
  GuestType guest = config.guest_type();
  const char* guest_name = guest == GuestType::kHvm ? "an HVM" : "a PV";
  ForEachField(config, [&](const char* name, const auto& field) {
    if (!field.from_user()) return;
    const VarSpec* spec = schema.Find(name);
    if (spec == nullptr) return;
    CheckValue(file, *spec, field, diags);
    if (!spec->deprecated.empty()) {
      diags->Add<DiagId::kDeprecated>(file, field.span, spec->name, spec->deprecated);
    }
    if (guest != GuestType::kOther && ((spec->scope == Scope::kHvm && guest == GuestType::kPv) ||
                                       (spec->scope == Scope::kPv && guest == GuestType::kHvm))) {
      // A value equal to xm's own default changes nothing; say nothing about it.
      bool same_as_default = spec->default_value && field.xm && spec->default_value->Repr() == field.xm->Repr();
      if (!same_as_default) {
        diags->Add<DiagId::kWrongScope>(file, field.span, spec->name, spec->scope == Scope::kHvm ? "HVM" : "PV",
                                        guest_name);
      }
    }
  });

  if (guest == GuestType::kHvm && config.boot.from_user() && config.boot.value) {
    for (size_t i = 0; i < config.boot.value->size(); ++i) {
      char letter = (*config.boot.value)[i];
      if (std::string("acdn").find(letter) == std::string::npos) {
        diags->Add<DiagId::kBootOrder>(file, config.boot.span.Sub(static_cast<uint32_t>(i + 1), 1), "boot",
                                       std::string(1, letter));
      }
    }
  }

  for (const DomainConfig::PciWildcard& w : config.pci_wildcards) {
    diags->Add<DiagId::kPciWildcard>(file, w.base.span, w.path);
  }

  // Relations xend enforced.
  const DomainConfig& c = config;
  if (c.memory.value && c.maxmem.value && c.maxmem.from_user() && *c.maxmem.value < *c.memory.value) {
    diags->Add<DiagId::kMaxmemBelowMemory>(file, c.maxmem.span, "maxmem", *c.maxmem.value, *c.memory.value);
  }
  if (c.uuid.value && c.uuid.from_user() && XendUuid(*c.uuid.value).empty()) {
    diags->Add<DiagId::kUuidSyntax>(file, c.uuid.span, "uuid", *c.uuid.value);
  }
  int64_t vcpus = c.vcpus.value.value_or(1);
  if (c.maxvcpus.value && c.maxvcpus.from_user() && *c.maxvcpus.value < vcpus) {
    diags->Add<DiagId::kMaxvcpusBelowVcpus>(file, c.maxvcpus.span, "maxvcpus", *c.maxvcpus.value, vcpus);
  }
  int64_t vcpus_max = c.maxvcpus.value.value_or(vcpus);
  if (c.cpu_cap.value && c.cpu_cap.from_user() && *c.cpu_cap.value > 100 * vcpus_max) {
    diags->Add<DiagId::kOutOfRange>(file, c.cpu_cap.span, "cpu_cap", *c.cpu_cap.value,
                                    fmt::format("0 to {} (100 x {} vCPUs)", 100 * vcpus_max, vcpus_max));
  }
  if (c.cpus.value && c.cpus.from_user()) {
    const CpuAffinity& aff = *c.cpus.value;
    if (aff.per_vcpu && static_cast<int64_t>(aff.masks.size()) != vcpus_max) {
      diags->Add<DiagId::kCpusMaskCount>(file, c.cpus.span, "cpus", aff.masks.size(), vcpus_max);
    }
    for (size_t i = 0; i < aff.masks.size(); ++i) {
      const CpuMask& m = aff.masks[i];
      if (!m.ranges.empty() && m.Cpus().empty()) {
        diags->Add<DiagId::kCpusEmpty>(file, m.span, MaskPath(aff, i), m.text);
      }
      if (options.host_cpus > 0) {
        for (const CpuRange& r : m.ranges) {
          if (r.last >= options.host_cpus) {
            diags->Add<DiagId::kCpusBeyondHost>(file, m.span, MaskPath(aff, i), r.last, options.host_cpus);
            break;
          }
        }
      }
    }
  }
  if (c.disk.value) {
    std::map<int64_t, size_t> seen;
    for (size_t i = 0; i < c.disk.value->size(); ++i) {
      const Disk& d = (*c.disk.value)[i];
      if (!d.device_number) continue;
      auto [it, inserted] = seen.emplace(*d.device_number, i);
      if (!inserted) {
        diags->Add<DiagId::kDiskVdevTwice>(file, d.span, fmt::format("disk[{}]", i), d.vdev, it->second);
      }
    }
  }
  if (c.vif.value) {
    std::map<std::string, size_t> macs;
    for (size_t i = 0; i < c.vif.value->size(); ++i) {
      const std::string* mac = (*c.vif.value)[i].Get("mac");
      if (mac == nullptr) continue;
      auto [it, inserted] = macs.emplace(AsciiLower(*mac), i);
      if (!inserted) {
        diags->Add<DiagId::kMacUsedTwice>(file, (*c.vif.value)[i].span, fmt::format("vif[{}].mac", i), *mac,
                                          it->second);
      }
    }
  }
  // The device model's VNC server listens on an address or a host name (libvirt's schema
  // allows the same characters).
  bool hvm_vnc = guest == GuestType::kHvm && c.vnc.value.value_or(0) != 0;
  if (hvm_vnc && c.vnclisten.from_user() && c.vnclisten.value && !IsListenAddress(*c.vnclisten.value)) {
    diags->Add<DiagId::kListenAddress>(file, c.vnclisten.span, "vnclisten", *c.vnclisten.value);
  }
  if (c.vfb.value && c.vfb.from_user()) {
    for (size_t i = 0; i < c.vfb.value->size(); ++i) {
      const Vfb& f = (*c.vfb.value)[i];
      for (size_t k = 0; k < f.pairs.size(); ++k) {
        if (f.pairs[k].first == "vnclisten" && !IsListenAddress(f.pairs[k].second)) {
          diags->Add<DiagId::kListenAddress>(file, k < f.spans.size() ? f.spans[k] : f.span,
                                             fmt::format("vfb[{}].vnclisten", i), f.pairs[k].second);
        }
      }
    }
  }
  if (guest == GuestType::kPv && !XmTruthy(c.kernel) && !XmTruthy(c.bootloader)) {
    // Point at the config's first assignment that made it a domain: its name, else line 1.
    Span where = c.name.from_user() ? c.name.span : Span{1, 1, 2};
    diags->Add<DiagId::kNoKernel>(file, where, "kernel");
  }
}

}  // namespace xmc
