#include "compiler/lower/lists.h"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/base/py2.h"
#include "compiler/base/strings.h"
#include "compiler/lower/lower.h"
#include "compiler/lower/xm_values.h"

namespace xmc {
namespace {

class Lists {
 public:
  explicit Lists(const ListContext& ctx) : file_(ctx.file), diags_(ctx.diags), config_(ctx.config) {}

  /// The strings of a list variable, with their spans; reports non-strings like xm did.
  struct Item {
    std::string text;
    Span span;
    std::string path;
    bool ok = true;
    bool quiet = false;  ///< a character of a string xm iterated: no further diagnostics
  };
  std::vector<Item> Items(const VarSpec& spec, const XmValue& x, const Value* v, Span span, const std::string& path,
                          bool must_be_string) {
    std::vector<Item> items;
    if (x.kind != XmValue::Kind::kList) {
      // xm iterates the string. For most variables the first character already fails
      // (say 'p' for a disk); ioports and irq take the characters silently.
      std::string s = x.Str();
      bool tolerant = spec.type == VarType::kIoports || spec.type == VarType::kIrq;
      if (IsNumber(x)) {
        diags_->Add<DiagId::kNotIterable>(file_, span, path, Describe(x), TypeWord(x));
        return items;
      }
      if (tolerant || s.empty()) {
        diags_->Add<DiagId::kStringNotList>(file_, span, path);
        for (size_t i = 0; i < s.size(); ++i) {
          Item item{std::string(1, s[i]), span, fmt::format("{}[{}]", path, i)};
          item.quiet = true;
          items.push_back(std::move(item));
        }
      } else {
        diags_->Add<DiagId::kStringNotListFatal>(file_, span, path, s.substr(0, 1))
            .AddNote<NoteId::kWriteAsList>(path, py2::StrRepr(s));
      }
      return items;
    }
    for (size_t i = 0; i < x.items.size(); ++i) {
      Span s = v && i < v->items().size() && v->items()[i].span().valid() ? v->items()[i].span() : span;
      Item item{x.items[i].Str(), s, fmt::format("{}[{}]", path, i)};
      if (must_be_string && x.items[i].kind != XmValue::Kind::kString) {
        diags_->Add<DiagId::kItemNotString>(file_, s, item.path, Describe(x.items[i]))
            .AddNote<NoteId::kXmSplitFails>(TypeWord(x.items[i]));
        item.ok = false;
      }
      items.push_back(std::move(item));
    }
    return items;
  }

  void Convert(const VarSpec& spec, const XmValue& x, const Value* v, Span span, const std::string& path,
               Field<std::vector<Disk>>& f) {
    std::vector<Disk> disks;
    for (Item& item : Items(spec, x, v, span, path, true)) {
      if (!item.ok) continue;
      Disk d;
      d.spec = item.text;
      d.span = item.span;
      d.fields = SplitAll(item.text, ',');
      size_t n = d.fields.size();
      if (n < 3 || n > 5) {
        Diagnostic& diag = diags_->Add<DiagId::kDiskFields>(file_, item.span, item.path, n);
        if (n == 6 || item.text.find('=') != std::string::npos) {
          diag.AddNote<NoteId::kXlDiskSyntax>();
        }
        continue;
      }
      d.uname = d.fields[0];
      d.dev = d.fields[1];
      d.mode = d.fields[2];
      if (n > 3) d.backend = d.fields[3];
      if (n > 4) d.protocol = d.fields[4];
      d.device_class = d.uname.rfind("tap2:", 0) == 0 ? "tap2" : d.uname.rfind("tap:", 0) == 0 ? "tap" : "vbd";
      CheckDisk(item, &d);
      disks.push_back(std::move(d));
    }
    f.value = std::move(disks);
  }

  void CheckDisk(const Item& item, Disk* d) {
    size_t offset = 0;
    for (size_t i = 0; i < d->fields.size(); ++i) {
      const std::string& field = d->fields[i];
      if (!field.empty() && Strip(field) != field) {
        diags_->Add<DiagId::kDiskBlank>(file_, InnerSpan(item.span, item.text, offset, field.size()), item.path, field);
      }
      offset += field.size() + 1;
    }
    std::string dev = Strip(d->dev);
    std::string mode = Strip(d->mode);
    size_t mode_offset = d->fields[0].size() + d->fields[1].size() + 2;
    if (dev.rfind("ioemu:", 0) == 0) {
      d->ioemu = true;
      dev = dev.substr(6);
    }
    size_t colon = dev.find(':');
    if (colon != std::string::npos) {
      std::string kind = dev.substr(colon + 1);
      d->cdrom = kind == "cdrom";
      dev = dev.substr(0, colon);
    }
    d->vdev = dev;
    std::string uname = d->uname;
    colon = uname.find(':');
    if (colon != std::string::npos) {
      d->type = uname.substr(0, colon);
      d->params = uname.substr(colon + 1);
    }
    bool xl_like = mode != "r" && mode != "w" && mode != "w!" &&
                   (uname.empty() || uname[0] == '/' || uname.find('=') != std::string::npos);
    if (mode != "r" && mode != "w" && mode != "w!" && !(d->cdrom && mode.empty())) {
      Diagnostic& diag = diags_->Add<DiagId::kDiskMode>(
          file_, InnerSpan(item.span, item.text, mode_offset, d->mode.size()), item.path, d->mode);
      if (mode == "ro" || mode == "rw") {
        Choice which{mode == "ro" ? size_t{0} : size_t{1}};
        diag.AddNote<NoteId::kXlModeSpelling>(which, which);
      }
      if (xl_like) diag.AddNote<NoteId::kXlDiskMisread>();
    }
    if (uname.empty()) {
      if (!d->cdrom) {
        diags_->Add<DiagId::kDiskUnameEmpty>(file_, InnerSpan(item.span, item.text, 0, 1), item.path);
      }
    } else if (colon == std::string::npos) {
      diags_->Add<DiagId::kDiskUnamePrefix>(file_, InnerSpan(item.span, item.text, 0, uname.size()), item.path, uname);
    }
    bool extended = false;
    d->device_number = VdevNumber(dev, &extended);
    d->extended_number = extended;
    if (!d->device_number && !xl_like) {
      diags_->Add<DiagId::kDiskVdev>(
          file_, InnerSpan(item.span, item.text, d->fields[0].size() + 1, d->fields[1].size()), item.path, dev);
    }
  }

  /// comma_sep_kv_to_dict of xm: '' gives no pairs; each piece needs '='.
  template <typename Spec>
  bool ParseKeyValues(const Item& item, Spec* spec) {
    spec->spec = item.text;
    spec->span = item.span;
    std::string stripped = Strip(item.text);
    if (stripped.empty()) return true;
    size_t lead = item.text.find(stripped);
    size_t offset = lead;
    for (const std::string& piece : SplitAll(stripped, ',')) {
      size_t eq = piece.find('=');
      Span piece_span = InnerSpan(item.span, item.text, offset, piece.size());
      if (eq == std::string::npos) {
        diags_->Add<DiagId::kKvPair>(file_, piece_span, item.path, piece);
        return false;
      }
      std::string key = Strip(piece.substr(0, eq));
      std::string value = Strip(piece.substr(eq + 1));
      bool found = false;
      for (size_t k = 0; k < spec->pairs.size(); ++k) {
        if (spec->pairs[k].first == key) {
          spec->pairs[k].second = value;
          spec->spans[k] = piece_span;
          found = true;
        }
      }
      if (!found) {
        spec->pairs.emplace_back(key, value);
        spec->spans.push_back(piece_span);
      }
      offset += piece.size() + 1;
    }
    return true;
  }

  /// The key=value specs of a list variable (vif, vif2, vfb, vusb): each item parsed like
  /// xm's comma_sep_kv_to_dict, every key outside `allowed` (when given) reported with
  /// `bad_key`, then `check(item, spec)` for the kind's own rules. Items with an error are
  /// left out, as xm stopped on them.
  template <DiagId bad_key, typename Spec, typename CheckFn>
  std::vector<Spec> KeyValueItems(const VarSpec& var, const XmValue& x, const Value* v, Span span,
                                  const std::string& path, const std::vector<std::string>& allowed, CheckFn check) {
    std::vector<Spec> out;
    for (Item& item : Items(var, x, v, span, path, true)) {
      if (!item.ok) continue;
      Spec spec;
      if (!ParseKeyValues(item, &spec)) continue;
      bool ok = true;
      for (size_t k = 0; k < spec.pairs.size() && !allowed.empty(); ++k) {
        const std::string& key = spec.pairs[k].first;
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
        Diagnostic& d = diags_->Add<bad_key>(file_, spec.spans[k], item.path, key);
        d.Suggest(key, DidYouMean(key, allowed));
        ok = false;
      }
      if (check(item, spec) && ok) out.push_back(std::move(spec));
    }
    return out;
  }

  void Convert(const VarSpec& spec, const XmValue& x, const Value* v, Span span, const std::string& path,
               Field<std::vector<Vif>>& f) {
    f.value = KeyValueItems<DiagId::kVifOption, Vif>(
        spec, x, v, span, path, spec.keys, [&](const Item& item, const Vif& vif) {
          for (size_t k = 0; k < vif.pairs.size(); ++k) {
            const auto& [key, value] = vif.pairs[k];
            if (key != "mac") continue;
            if (!IsMacAddress(value)) {
              diags_->Add<DiagId::kMacSyntax>(file_, vif.spans[k], item.path + ".mac", value);
            } else if (IsMulticastMac(value)) {
              diags_->Add<DiagId::kMulticastMac>(file_, vif.spans[k], item.path + ".mac", value);
            }
          }
          return true;  // xend's own checks: xm still sends the vif
        });
  }

  void Convert(const VarSpec& spec, const XmValue& x, const Value* v, Span span, const std::string& path,
               Field<std::vector<Vif2>>& f) {
    f.value = KeyValueItems<DiagId::kVif2Option, Vif2>(spec, x, v, span, path, spec.keys,
                                                       [](const Item&, const Vif2&) { return true; });
  }

  void Convert(const VarSpec& spec, const XmValue& x, const Value* v, Span span, const std::string& path,
               Field<std::vector<Vfb>>& f) {
    std::vector<std::string> allowed = spec.keys;
    allowed.push_back("type");  // legacy type=vnc|sdl, rewritten by xm
    f.value = KeyValueItems<DiagId::kVfbOption, Vfb>(spec, x, v, span, path, allowed, [&](const Item& item, Vfb& vfb) {
      const std::string* type = vfb.Get("type");
      vfb.had_type = type != nullptr;
      if (type != nullptr && *type != "vnc" && *type != "sdl") {
        diags_->Add<DiagId::kVfbOption>(file_, vfb.span, item.path, *type);
        return false;
      }
      return true;
    });
  }

  void Convert(const VarSpec& spec, const XmValue& x, const Value* v, Span span, const std::string& path,
               Field<std::vector<Vusb>>& f) {
    f.value = KeyValueItems<DiagId::kVusbKey, Vusb>(spec, x, v, span, path, {}, [&](const Item& item, Vusb& u) {
      bool ok = true;
      for (const auto& [key, value] : u.pairs) {
        int64_t n = 0;
        if (key == "usbver" && ParsePyInt(value, &n) && (n == 1 || n == 2)) {
          u.usbver = n;
        } else if (key == "numports" && ParsePyInt(value, &n) && n >= 1 && n <= 16) {
          u.numports = n;
        } else if (key.rfind("port_", 0) == 0 && ParsePyInt(key.substr(5), &n) && n >= 1) {
          u.ports[n] = value;
        } else {
          diags_->Add<DiagId::kVusbOption>(file_, item.span, item.path, key, value);
          ok = false;
        }
      }
      for (const auto& [port, dev] : u.ports) {
        // xm printed ports 1..numports and left this one out; xend's controller refused it.
        if (port > u.numports) diags_->Add<DiagId::kVusbPort>(file_, item.span, item.path, port, u.numports);
      }
      return ok;
    });
  }

  void Convert(const VarSpec& spec, const XmValue& x, const Value* v, Span span, const std::string& path,
               Field<std::vector<PciDevice>>& f) {
    std::vector<PciDevice> devs;
    config_->pci_wildcards.clear();  // a later assignment replaces the list
    for (Item& item : Items(spec, x, v, span, path, true)) {
      if (!item.ok) continue;
      auto addr = ParsePciAddress(item.text);
      if (!addr) {
        diags_->Add<DiagId::kPciParse>(file_, item.span, item.path, item.text);
        continue;
      }
      PciDevice base;
      base.spec = item.text;
      base.key = SplitAll(item.text, ',')[0];
      base.domain = addr->domain;
      base.bus = addr->bus;
      base.slot = addr->slot;
      base.span = item.span;
      if (addr->has_opts) {
        base.has_opts = true;
        bool ok = true;
        for (const std::string& opt : SplitAll(addr->opts, ',')) {
          auto kv = SplitAll(opt, '=');
          if (kv.size() != 2 || (kv[0] != "msitranslate" && kv[0] != "power_mgmt") || (kv[1] != "0" && kv[1] != "1")) {
            diags_->Add<DiagId::kPciOption>(file_, item.span, item.path, opt);
            ok = false;
            continue;
          }
          base.opts.emplace_back(kv[0], kv[1]);
        }
        if (!ok) continue;
      }
      if (addr->all_funcs) {
        config_->pci_wildcards.push_back({base, addr->vslot, devs.size(), item.path});
        continue;
      }
      std::string error;
      std::vector<PciFunc> funcs = ArrangePciFunctions(addr->funcs, &error);
      if (!error.empty()) {
        diags_->Add<DiagId::kPciFunctions>(file_, item.span, item.path, item.text, error);
        continue;
      }
      AddPciFunctions(base, funcs, addr->vslot, &devs);
    }
    f.value = std::move(devs);
  }

  void Convert(const VarSpec& spec, const XmValue& x, const Value* v, Span span, const std::string& path,
               Field<std::vector<VscsiEntry>>& f) {
    std::vector<VscsiEntry> list;
    for (Item& item : Items(spec, x, v, span, path, true)) {
      if (!item.ok) continue;
      auto parts = SplitAll(item.text, ',');
      if (parts.size() < 2 || parts.size() > 3) {
        diags_->Add<DiagId::kVscsiSpec>(file_, item.span, item.path);
        continue;
      }
      VscsiEntry e{item.text, Strip(parts[0]), Strip(parts[1]), parts.size() > 2 ? Strip(parts[2]) : "", item.span};
      list.push_back(std::move(e));
    }
    f.value = std::move(list);
  }

  void Convert(const VarSpec& spec, const XmValue& x, const Value* v, Span span, const std::string& path,
               Field<std::vector<IoportRange>>& f) {
    std::vector<IoportRange> list;
    for (Item& item : Items(spec, x, v, span, path, true)) {
      if (!item.ok) continue;
      auto parts = SplitAll(item.text, '-');
      if (parts.size() > 2) {
        diags_->Add<DiagId::kIoportsSpec>(file_, item.span, item.path, item.text);
        continue;
      }
      IoportRange r{item.text, parts[0], parts.size() > 1 ? parts[1] : parts[0], {}, {}, item.span};
      auto hex = [&](const std::string& s, std::optional<int64_t>* out) {
        if (!IsHexPort(s)) {
          if (!item.quiet) diags_->Add<DiagId::kIoportsHex>(file_, item.span, item.path, s);
          return;
        }
        *out = std::strtoll(s.c_str(), nullptr, 16);
      };
      hex(r.from, &r.first);
      hex(r.to, &r.last);
      if (r.first && r.last && *r.last < *r.first) {
        // xm passed it on; xend's ioports controller refused it ('Invalid i/o range').
        diags_->Add<DiagId::kIoportsBackwards>(file_, item.span, item.path, item.text);
      }
      list.push_back(std::move(r));
    }
    f.value = std::move(list);
  }

  void Convert(const VarSpec&, const XmValue& x, const Value* v, Span span, const std::string& path,
               Field<std::vector<Irq>>& f) {
    std::vector<Irq> list;
    if (IsNumber(x)) {
      diags_->Add<DiagId::kNotIterable>(file_, span, path, Describe(x), TypeWord(x));
      return;
    }
    if (x.kind != XmValue::Kind::kList) {
      diags_->Add<DiagId::kStringNotList>(file_, span, path);
      for (char c : x.Str()) list.push_back(Irq{XmValue::String(std::string(1, c)), {}, span});
      f.value = std::move(list);
      return;
    }
    for (size_t i = 0; i < x.items.size(); ++i) {
      Span s = v && i < v->items().size() && v->items()[i].span().valid() ? v->items()[i].span() : span;
      Irq irq{x.items[i], {}, s};
      if (x.items[i].kind == XmValue::Kind::kInt) {
        irq.number = x.items[i].i;
      } else {
        int64_t n = 0;
        if (x.items[i].kind == XmValue::Kind::kString && ParsePyInt(x.items[i].s, &n)) irq.number = n;
        diags_->Add<DiagId::kLooseTypeSent>(file_, s, fmt::format("{}[{}]", path, i), "an integer",
                                            Describe(x.items[i]), py2::StrRepr(x.items[i].Repr()));
      }
      list.push_back(std::move(irq));
    }
    f.value = std::move(list);
  }

  void Convert(const VarSpec& spec, const XmValue& x, const Value* v, Span span, const std::string& path,
               Field<std::vector<AccessControl>>& f) {
    std::vector<AccessControl> list;
    for (Item& item : Items(spec, x, v, span, path, true)) {
      if (!item.ok) continue;
      // xm matched 'policy=(.*),label=(.*)' (greedy: the last ',label=' splits) and then
      // required the policy xend enforces: '' under its default dummy security module.
      AccessControl ac{item.text, "", "", item.span};
      size_t split = item.text.rfind(",label=");
      if (item.text.rfind("policy=", 0) != 0 || split == std::string::npos || split < 7) {
        diags_->Add<DiagId::kAccessControl>(file_, item.span, item.path);
        continue;
      }
      ac.policy = item.text.substr(7, split - 7);
      ac.label = item.text.substr(split + 7);
      if (!ac.policy.empty()) {
        diags_->Add<DiagId::kAccessControlPolicy>(file_, item.span, item.path, ac.policy);
        continue;
      }
      list.push_back(std::move(ac));
    }
    if (list.size() > 1) {
      diags_->Add<DiagId::kAccessControlTwice>(file_, span, path);
    }
    f.value = std::move(list);
  }

 private:
  const std::string& file_;
  Diagnostics* diags_;
  DomainConfig* config_;
};

}  // namespace

void AddPciFunctions(const PciDevice& base, const std::vector<PciFunc>& funcs, std::optional<int64_t> vslot,
                     std::vector<PciDevice>* out) {
  for (const PciFunc& f : funcs) {
    PciDevice d = base;
    d.func = f.phys;
    d.vdevfn = vslot ? ((*vslot << 3) | f.virt) : (0x100 | f.virt);
    out->push_back(std::move(d));
  }
}

#define XMC_DEFINE_CONVERT_LIST(T)                                                                           \
  void ConvertList(const ListContext& ctx, const VarSpec& spec, const XmValue& x, const Value* v, Span span, \
                   const std::string& path, Field<std::vector<T>>& f) {                                      \
    Lists(ctx).Convert(spec, x, v, span, path, f);                                                           \
  }
XMC_LIST_ELEMENT_TYPES(XMC_DEFINE_CONVERT_LIST)
#undef XMC_DEFINE_CONVERT_LIST

}  // namespace xmc
