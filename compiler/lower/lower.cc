#include "compiler/lower/lower.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "compiler/base/py2.h"
#include "compiler/lower/specs.h"

namespace xmc {
namespace {

const char* const kVifKeys[] = {"backend", "bridge", "ip",    "mac",   "script", "type",
                                "vifname", "rate",   "model", "accel", "policy", "label"};
const char* const kVif2Keys[] = {"front_mac",        "back_mac",   "backend", "trusted", "back_trusted",
                                 "front_filter_mac", "filter_mac", "bridge",  "pdev",    "max_bypasses"};
const char* const kVfbKeys[] = {"vnclisten", "vncunused", "vncdisplay", "display", "videoram", "xauthority", "sdl",
                                "vnc",       "vncpasswd", "opengl",     "keymap",  "serial",   "monitor"};

template <size_t N>
std::vector<std::string> ToVector(const char* const (&list)[N]) {
  return std::vector<std::string>(std::begin(list), std::end(list));
}

}  // namespace

std::vector<std::string> SpecKeys(std::string_view variable) {
  if (variable == "vif") return ToVector(kVifKeys);
  if (variable == "vif2") return ToVector(kVif2Keys);
  if (variable == "vfb") return ToVector(kVfbKeys);
  return {};
}

namespace {

/// xm's exact-type test (xm.md 1.5): only str, list, int and float are taken over.
bool TakenOver(const Value& v) {
  if (!v.py_type().empty()) return false;
  return v.kind() == Value::Kind::kInt || v.kind() == Value::Kind::kFloat || v.kind() == Value::Kind::kString ||
         v.kind() == Value::Kind::kList;
}

/// A Value in xm's terms (what xm held after taking it over).
XmValue ToXm(const Value& v) {
  if (v.py_type().empty() || v.py_type() == "tuple") {
    switch (v.kind()) {
      case Value::Kind::kInt: return XmValue::Int(v.as_int());
      case Value::Kind::kFloat: return XmValue::Float(v.as_float());
      case Value::Kind::kString: return XmValue::String(v.as_string());
      case Value::Kind::kBool: return XmValue::String(v.as_bool() ? "True" : "False");
      case Value::Kind::kList: {
        std::vector<XmValue> items;
        for (const Value& item : v.items()) items.push_back(ToXm(item));
        return XmValue::List(std::move(items));
      }
      default: break;
    }
  }
  std::string repr = v.Repr();
  std::string str = v.kind() == Value::Kind::kString ? v.as_string()
                    : v.kind() == Value::Kind::kInt  ? std::to_string(v.as_int())
                                                     : repr;
  return XmValue::Other(str, repr, v.Truthy());
}

std::string Describe(const XmValue& x) {
  switch (x.kind) {
    case XmValue::Kind::kInt: return "integer " + std::to_string(x.i);
    case XmValue::Kind::kFloat: return "float " + py2::FloatStr(x.f);
    case XmValue::Kind::kString: return "string " + py2::StrRepr(x.s);
    case XmValue::Kind::kList: return "a list";
    case XmValue::Kind::kOther: return x.repr;
  }
  return "?";
}

/// The devices of one pci entry: one per function (arranged), with xm's vdevfn.
void AddPciFunctions(const PciDevice& base, const std::vector<PciFunc>& funcs, std::optional<int64_t> vslot,
                     std::vector<PciDevice>* out) {
  for (const PciFunc& f : funcs) {
    PciDevice d = base;
    d.func = f.phys;
    d.vdevfn = vslot ? ((*vslot << 3) | f.virt) : (0x100 | f.virt);
    out->push_back(std::move(d));
  }
}

bool IsNumber(const XmValue& x) { return x.kind == XmValue::Kind::kInt || x.kind == XmValue::Kind::kFloat; }

std::string TypeWord(const XmValue& x) {
  switch (x.kind) {
    case XmValue::Kind::kInt: return "int";
    case XmValue::Kind::kFloat: return "float";
    case XmValue::Kind::kString: return "str";
    case XmValue::Kind::kList: return "list";
    case XmValue::Kind::kOther: return "object";
  }
  return "object";
}

/// A string variable xm used as text (concatenated it, called a str method on it, gave it
/// to os.path) before printing anything: where, and when that happened.
struct TextUse {
  const char* variable;
  enum When {
    kIfTrue,                   ///< `if vals.X:` then a str operation
    kIfTrueWithoutBootloader,  ///< the same, skipped when a bootloader is set
    kIpLine,                   ///< preprocess_ip's join, made when ip is set or dhcp is not 'off'
    kNfsLine,                  ///< preprocess_nfs's join, made when nfs_root and nfs_server are set
  } when;
  bool falsy_replaced = false;  ///< kIpLine: a false value was replaced (`nfs_server or DUMMY`)
  bool also_nfs_line = false;   ///< used in preprocess_nfs's join as well
};
const TextUse kTextUses[] = {
    {"kernel", TextUse::kIfTrueWithoutBootloader},   // os.path.dirname
    {"ramdisk", TextUse::kIfTrueWithoutBootloader},  // os.path.dirname
    {"loader", TextUse::kIfTrue},                    // os.path.dirname
    {"root", TextUse::kIfTrue},                      // .startswith('root=')
    {"ip", TextUse::kIpLine},
    {"nfs_server", TextUse::kIpLine, true, true},
    {"gateway", TextUse::kIpLine},
    {"netmask", TextUse::kIpLine},
    {"hostname", TextUse::kIpLine},
    {"interface", TextUse::kIpLine},
    {"dhcp", TextUse::kIpLine},
    {"nfs_root", TextUse::kNfsLine},
    {"extra", TextUse::kNfsLine},  // nfsroot=... + ' ' + extra
};

const TextUse* FindTextUse(const std::string& name) {
  for (const TextUse& u : kTextUses) {
    if (name == u.variable) return &u;
  }
  return nullptr;
}

bool UsedAsText(const std::string& name) { return FindTextUse(name) != nullptr; }

/// The span of `length` bytes at `offset` inside a one-line string literal whose Value
/// span is `item`, when the literal's text can be trusted to equal the value.
Span InnerSpan(Span item, const std::string& text, size_t offset, size_t length) {
  if (!item.valid() || item.end_column == 0 || item.end_column - item.column != text.size() + 2) {
    return item;
  }
  return item.Sub(static_cast<uint32_t>(offset + 1), static_cast<uint32_t>(length));
}

class Lowerer {
 public:
  Lowerer(const LowerInput& in, const Schema& schema, DomainConfig* config, Diagnostics* diags)
      : in_(in), schema_(schema), config_(config), diags_(diags) {}

  void Run() {
    if (in_.cmdline != nullptr) {
      for (const auto& [name, text] : in_.cmdline->declared) CommandLine(name, text);
    }
    std::set<std::string> script(in_.script_names.begin(), in_.script_names.end());
    if (in_.eval != nullptr) {
      for (const Binding& b : in_.eval->bindings) {
        if (script.count(b.name)) continue;
        TakeOver(b);
      }
    }
    FinishCpuid();
    FinishZeroIsUnset();
    FinishTextUses();
    CrossChecks();
    // A false name ('' or 0) is no name to xm either: the config file's name is used.
    if ((!config_->name.is_set() || !config_->name.xm->Truthy()) && !in_.default_name.empty()) {
      config_->name.xm = XmValue::String(in_.default_name);
      config_->name.value = in_.default_name;
      config_->name.origin = Origin::kDefault;
    }
  }

 private:
  // --- Command line ------------------------------------------------------------------
  void CommandLine(const std::string& name, const std::string& text) {
    const VarSpec* spec = schema_.Find(name);
    if (spec == nullptr) return;
    // An empty display= or xauthority= word left xm's environment default in place (xm 4.4).
    if (!spec->default_from.empty() && text.empty()) return;
    specified_.insert(name);
    XmValue x;
    if (spec->conv != Conv::kAppend && !ConvertCommandLineWord(*spec, text, &x, diags_)) return;
    if (spec->conv == Conv::kAppend) {
      cmdline_lists_[name].push_back(XmValue::String(text));
      x = XmValue::List(cmdline_lists_[name]);
      std::vector<Value> items;
      for (const XmValue& item : cmdline_lists_[name]) items.push_back(Value::String(item.s));
      Value list = Value::List(std::move(items));
      Assign(*spec, x, &list, Span{}, Origin::kCommandLine, "");
      return;
    }
    Value v = x.kind == XmValue::Kind::kInt ? Value::Int(x.i) : Value::String(x.s);
    Assign(*spec, x, &v, Span{}, Origin::kCommandLine, "");
  }

  // --- Script values -------------------------------------------------------------------
  void TakeOver(const Binding& b) {
    const VarSpec* spec = schema_.Find(b.name);
    if (spec == nullptr) {
      Unknown(b);
      return;
    }
    if (specified_.count(b.name)) return;  // the command line wins (xm.md 1.1)
    if (!TakenOver(b.value)) {
      std::string expected = spec->is_list()                  ? "a list"
                             : spec->type == VarType::kString ? "a string"
                             : spec->type == VarType::kCpus   ? "a string or a list"
                                                              : "an integer";
      std::string hint;
      if (b.value.kind() == Value::Kind::kBool)
        hint = fmt::format(" (write {} instead)", b.value.as_bool() ? 1 : 0);
      else if (b.value.py_type() == "tuple")
        hint = " (use [ ... ] instead of ( ... ))";
      else if (b.value.py_type() == "unicode")
        hint = " (drop the u prefix)";
      else if (b.value.py_type() == "long" && b.value.kind() == Value::Kind::kInt &&
               (b.value.as_int() == INT64_MAX || b.value.as_int() == INT64_MIN))
        hint = " (a number beyond 2**63 - 1 is a long in Python 2)";  // the evaluator clamps it
      else if (b.value.py_type() == "long")
        hint = " (drop the L suffix)";
      diags_
          ->Add<DiagId::kDroppedValue>(in_.file, b.value.span().valid() ? b.value.span() : b.name_span, b.name,
                                       b.value.TypeName(), hint)
          .notes.push_back(fmt::format("xm uses the default; {} expected", expected));
      return;
    }
    Assign(*spec, ToXm(b.value), &b.value, b.name_span, Origin::kFile, b.name);
  }

  void Unknown(const Binding& b) {
    if (b.value.kind() == Value::Kind::kOther) return;  // functions, modules, classes
    if (schema_.IsOption(b.name)) {
      diags_->Add<DiagId::kOptionInScript>(in_.file, b.name_span, b.name);
      if (b.name == "console_autoconnect" && TakenOver(b.value)) {
        config_->console_autoconnect = b.value.Truthy();
      }
      return;
    }
    if (std::find(in_.read_names.begin(), in_.read_names.end(), b.name) != in_.read_names.end()) {
      return;  // a helper variable the script itself uses
    }
    if (const std::string* release = schema_.RemovedIn(b.name)) {
      diags_->Add<DiagId::kRemovedVariable>(in_.file, b.name_span, b.name, *release);
      return;
    }
    if (schema_.IsXlKey(b.name)) {
      const VarSpec* counterpart = schema_.FindAlias(b.name);
      diags_->Add<DiagId::kXlOnlyKey>(in_.file, b.name_span, b.name,
                                      counterpart ? fmt::format("; xm's counterpart is '{}'", counterpart->name) : "");
      return;
    }
    std::string hint;
    const VarSpec* alias = schema_.FindAlias(b.name);
    std::string suggestion = alias ? alias->name : DidYouMean(b.name, schema_.Names());
    if (!suggestion.empty()) hint = fmt::format("; did you mean '{}'?", suggestion);
    diags_->Add<DiagId::kUnknownVariable>(in_.file, b.name_span, b.name, hint).Suggest(b.name, suggestion);
  }

  void Assign(const VarSpec& spec, const XmValue& x, const Value* v, Span name_span, Origin origin,
              const std::string& path) {
    Span span = v != nullptr && v->span().valid() ? v->span() : name_span;
    ForEachField(*config_, [&](const char* n, auto& field) {
      if (spec.name == n) {
        field.xm = x;
        field.origin = origin;
        field.span = span;
        Convert(spec, x, v, span, path.empty() ? spec.name : path, field);
      }
    });
  }

  // --- Typed conversion ----------------------------------------------------------------
  void Convert(const VarSpec& spec, const XmValue& x, const Value*, Span span, const std::string& path,
               Field<int64_t>& f) {
    if (spec.int_only && x.kind != XmValue::Kind::kInt) {
      // xm itself computed with it (range(len(vif), nics)) and failed on anything else.
      diags_->Add<DiagId::kIntOnly>(in_.file, span, path, Describe(x));
      return;
    }
    f.value = ToInt(spec.name, x, span, path);
  }

  void Convert(const VarSpec& spec, const XmValue& x, const Value*, Span span, const std::string& path,
               Field<bool>& f) {
    auto v = ToInt(spec.name, x, span, path);
    if (!v) return;
    if (*v != 0 && *v != 1) {
      diags_->Add<DiagId::kLooseType>(in_.file, span, path, "0 or 1", Describe(x), "; read as true");
    }
    f.value = *v != 0;
  }

  void Convert(const VarSpec& spec, const XmValue& x, const Value*, Span span, const std::string& path,
               Field<std::string>& f) {
    // Decided once every value is known: FinishTextUses.
    if (x.kind != XmValue::Kind::kString && UsedAsText(spec.name)) return;
    ConvertString(x, span, path, f);
  }

  void ConvertString(const XmValue& x, Span span, const std::string& path, Field<std::string>& f) {
    switch (x.kind) {
      case XmValue::Kind::kString: f.value = x.s; break;
      case XmValue::Kind::kInt:
      case XmValue::Kind::kFloat:
        diags_->Add<DiagId::kLooseType>(in_.file, span, path, "a string", Describe(x), "; xm passes the number on");
        f.value = x.Str();
        break;
      default: diags_->Add<DiagId::kWrongType>(in_.file, span, path, "a string", Describe(x), "");
    }
  }

  std::optional<int64_t> ToInt(const std::string&, const XmValue& x, Span span, const std::string& path) {
    switch (x.kind) {
      case XmValue::Kind::kInt: return x.i;
      case XmValue::Kind::kFloat:
        if (!std::isfinite(x.f) || std::fabs(x.f) >= 9223372036854775808.0) {
          // int() of it fails in xend (inf, nan) or gives a long no variable takes.
          diags_->Add<DiagId::kWrongType>(
              in_.file, span, path, "an integer", Describe(x),
              std::isfinite(x.f) ? "; it is far beyond any integer xend takes" : "; xend cannot make an integer of it");
          return std::nullopt;
        }
        diags_->Add<DiagId::kLooseType>(in_.file, span, path, "an integer", Describe(x), "; xend truncates it");
        return static_cast<int64_t>(std::trunc(x.f));
      case XmValue::Kind::kString: {
        int64_t v = 0;
        if (ParsePyInt(x.s, &v)) {
          // xend converted it with int(): what xen-tools writes, or a value from os.environ.
          if (in_.pedantic) diags_->Add<DiagId::kQuotedNumber>(in_.file, span, path, x.s);
          return v;
        }
        diags_->Add<DiagId::kWrongType>(in_.file, span, path, "an integer", Describe(x), "; xend cannot use it");
        return std::nullopt;
      }
      default:
        diags_->Add<DiagId::kWrongType>(in_.file, span, path, "an integer", Describe(x), "");
        return std::nullopt;
    }
  }

  void Convert(const VarSpec&, const XmValue& x, const Value* v, Span span, const std::string& path,
               Field<CpuAffinity>& f) {
    CpuAffinity aff;
    auto one = [&](const XmValue& item, Span item_span, const std::string& item_path) {
      CpuMask mask;
      mask.span = item_span;
      if (item.kind == XmValue::Kind::kString) {
        mask.text = item.s;
      } else if (item.kind == XmValue::Kind::kInt) {
        mask.text = std::to_string(item.i);
      } else {
        diags_->Add<DiagId::kWrongType>(in_.file, item_span, item_path, "a cpus string", Describe(item), "");
        return;
      }
      CpuMaskError error;
      if (auto ranges = ParseCpuMask(mask.text, &error)) {
        mask.ranges = *ranges;
      } else if (error.kind == CpuMaskError::kBeyondXen) {
        diags_->Add<DiagId::kCpusBeyondXen>(in_.file, item_span, item_path, error.first, error.last);
      } else if (error.kind == CpuMaskError::kBackwards) {
        diags_->Add<DiagId::kCpusBackwards>(in_.file, item_span, item_path, error.first, error.last);
      } else {
        diags_->Add<DiagId::kCpusSyntax>(in_.file, item_span, item_path);
      }
      aff.masks.push_back(std::move(mask));
    };
    if (x.kind == XmValue::Kind::kList) {
      aff.per_vcpu = true;
      for (size_t i = 0; i < x.items.size(); ++i) {
        Span s = v && i < v->items().size() && v->items()[i].span().valid() ? v->items()[i].span() : span;
        one(x.items[i], s, fmt::format("{}[{}]", path, i));
      }
    } else {
      one(x, span, path);
    }
    f.value = std::move(aff);
  }

  void Convert(const VarSpec& spec, const XmValue& x, const Value*, Span span, const std::string&,
               Field<CpuidPolicy>& f) {
    // Converted once all values are in: xm converts cpuid_check only when cpuid is set.
    CpuidPolicy p;
    if (x.kind == XmValue::Kind::kList) {
      for (const XmValue& item : x.items) p.raw.push_back(item.Str());
    } else if (IsNumber(x)) {
      p.scalar = x;  // xm iterates it only when it converts the policy: FinishCpuid
    } else {
      diags_->Add<DiagId::kStringNotList>(in_.file, span, spec.name);
      p.scalar = x;
      for (char c : x.Str()) p.raw.push_back(std::string(1, c));
    }
    f.value = std::move(p);
  }

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
        diags_->Add<DiagId::kNotIterable>(in_.file, span, path, Describe(x), TypeWord(x));
        return items;
      }
      if (tolerant || s.empty()) {
        diags_->Add<DiagId::kStringNotList>(in_.file, span, path);
        for (size_t i = 0; i < s.size(); ++i) {
          Item item{std::string(1, s[i]), span, fmt::format("{}[{}]", path, i)};
          item.quiet = true;
          items.push_back(std::move(item));
        }
      } else {
        diags_->Add<DiagId::kStringNotListFatal>(in_.file, span, path, s.substr(0, 1))
            .notes.push_back(fmt::format("write {} = [ {} ]", path, py2::StrRepr(s)));
      }
      return items;
    }
    for (size_t i = 0; i < x.items.size(); ++i) {
      Span s = v && i < v->items().size() && v->items()[i].span().valid() ? v->items()[i].span() : span;
      Item item{x.items[i].Str(), s, fmt::format("{}[{}]", path, i)};
      if (must_be_string && x.items[i].kind != XmValue::Kind::kString) {
        diags_->Add<DiagId::kItemNotString>(in_.file, s, item.path, Describe(x.items[i]))
            .notes.push_back(fmt::format("xm fails here: '{}' object has no attribute 'split'", TypeWord(x.items[i])));
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
        Diagnostic& diag = diags_->Add<DiagId::kDiskFields>(in_.file, item.span, item.path, n);
        if (n == 6 || item.text.find('=') != std::string::npos) {
          diag.notes.push_back("this is xl disk syntax (key=value or 4 positional fields), which xm cannot read");
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
        diags_->Add<DiagId::kDiskBlank>(in_.file, InnerSpan(item.span, item.text, offset, field.size()), item.path,
                                        field);
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
          in_.file, InnerSpan(item.span, item.text, mode_offset, d->mode.size()), item.path, d->mode);
      if (mode == "ro" || mode == "rw")
        diag.notes.push_back(fmt::format("'{}' is xl's spelling; xm wants '{}'", mode, mode == "ro" ? "r" : "w"));
      if (xl_like)
        diag.notes.push_back(
            "this looks like xl disk syntax (TARGET,FORMAT,VDEV,ACCESS), which xm misreads as UNAME,VDEV,MODE");
    }
    if (uname.empty()) {
      if (!d->cdrom) {
        diags_->Add<DiagId::kDiskUnameEmpty>(in_.file, InnerSpan(item.span, item.text, 0, 1), item.path);
      }
    } else if (colon == std::string::npos) {
      diags_->Add<DiagId::kDiskUnamePrefix>(in_.file, InnerSpan(item.span, item.text, 0, uname.size()), item.path,
                                            uname);
    }
    bool extended = false;
    d->device_number = VdevNumber(dev, &extended);
    d->extended_number = extended;
    if (!d->device_number && !xl_like) {
      diags_->Add<DiagId::kDiskVdev>(
          in_.file, InnerSpan(item.span, item.text, d->fields[0].size() + 1, d->fields[1].size()), item.path, dev);
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
        diags_->Add<DiagId::kKvPair>(in_.file, piece_span, item.path, piece);
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
        Diagnostic& d = diags_->Add<bad_key>(in_.file, spec.spans[k], item.path, key);
        std::string note = d.Suggest(key, DidYouMean(key, allowed));
        if (!note.empty()) d.notes.push_back(note);
        ok = false;
      }
      if (check(item, spec) && ok) out.push_back(std::move(spec));
    }
    return out;
  }

  void Convert(const VarSpec& spec, const XmValue& x, const Value* v, Span span, const std::string& path,
               Field<std::vector<Vif>>& f) {
    f.value = KeyValueItems<DiagId::kVifOption, Vif>(
        spec, x, v, span, path, ToVector(kVifKeys), [&](const Item& item, const Vif& vif) {
          for (size_t k = 0; k < vif.pairs.size(); ++k) {
            const auto& [key, value] = vif.pairs[k];
            if (key != "mac") continue;
            if (!IsMacAddress(value)) {
              diags_->Add<DiagId::kMacSyntax>(in_.file, vif.spans[k], item.path + ".mac", value);
            } else if (IsMulticastMac(value)) {
              diags_->Add<DiagId::kMulticastMac>(in_.file, vif.spans[k], item.path + ".mac", value);
            }
          }
          return true;  // xend's own checks: xm still sends the vif
        });
  }

  void Convert(const VarSpec& spec, const XmValue& x, const Value* v, Span span, const std::string& path,
               Field<std::vector<Vif2>>& f) {
    f.value = KeyValueItems<DiagId::kVif2Option, Vif2>(spec, x, v, span, path, ToVector(kVif2Keys),
                                                       [](const Item&, const Vif2&) { return true; });
  }

  void Convert(const VarSpec& spec, const XmValue& x, const Value* v, Span span, const std::string& path,
               Field<std::vector<Vfb>>& f) {
    std::vector<std::string> allowed = ToVector(kVfbKeys);
    allowed.push_back("type");  // legacy type=vnc|sdl, rewritten by xm
    f.value = KeyValueItems<DiagId::kVfbOption, Vfb>(spec, x, v, span, path, allowed, [&](const Item& item, Vfb& vfb) {
      const std::string* type = vfb.Get("type");
      vfb.had_type = type != nullptr;
      if (type != nullptr && *type != "vnc" && *type != "sdl") {
        diags_->Add<DiagId::kVfbOption>(in_.file, vfb.span, item.path, *type);
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
          diags_->Add<DiagId::kVusbOption>(in_.file, item.span, item.path, key, value);
          ok = false;
        }
      }
      for (const auto& [port, dev] : u.ports) {
        // xm printed ports 1..numports and left this one out; xend's controller refused it.
        if (port > u.numports) diags_->Add<DiagId::kVusbPort>(in_.file, item.span, item.path, port, u.numports);
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
        diags_->Add<DiagId::kPciParse>(in_.file, item.span, item.path, item.text);
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
            diags_->Add<DiagId::kPciOption>(in_.file, item.span, item.path, opt);
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
        diags_->Add<DiagId::kPciFunctions>(in_.file, item.span, item.path, item.text, error);
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
        diags_->Add<DiagId::kVscsiSpec>(in_.file, item.span, item.path);
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
        diags_->Add<DiagId::kIoportsSpec>(in_.file, item.span, item.path, item.text);
        continue;
      }
      IoportRange r{item.text, parts[0], parts.size() > 1 ? parts[1] : parts[0], {}, {}, item.span};
      auto hex = [&](const std::string& s, std::optional<int64_t>* out) {
        if (!IsHexPort(s)) {
          if (!item.quiet) diags_->Add<DiagId::kIoportsHex>(in_.file, item.span, item.path, s);
          return;
        }
        *out = std::strtoll(s.c_str(), nullptr, 16);
      };
      hex(r.from, &r.first);
      hex(r.to, &r.last);
      if (r.first && r.last && *r.last < *r.first) {
        // xm passed it on; xend's ioports controller refused it ('Invalid i/o range').
        diags_->Add<DiagId::kIoportsBackwards>(in_.file, item.span, item.path, item.text);
      }
      list.push_back(std::move(r));
    }
    f.value = std::move(list);
  }

  void Convert(const VarSpec&, const XmValue& x, const Value* v, Span span, const std::string& path,
               Field<std::vector<Irq>>& f) {
    std::vector<Irq> list;
    if (IsNumber(x)) {
      diags_->Add<DiagId::kNotIterable>(in_.file, span, path, Describe(x), TypeWord(x));
      return;
    }
    if (x.kind != XmValue::Kind::kList) {
      diags_->Add<DiagId::kStringNotList>(in_.file, span, path);
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
        diags_->Add<DiagId::kLooseType>(in_.file, s, fmt::format("{}[{}]", path, i), "an integer", Describe(x.items[i]),
                                        fmt::format("; xm sends {} to xend", py2::StrRepr(x.items[i].Repr())));
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
        diags_->Add<DiagId::kAccessControl>(in_.file, item.span, item.path);
        continue;
      }
      ac.policy = item.text.substr(7, split - 7);
      ac.label = item.text.substr(split + 7);
      if (!ac.policy.empty()) {
        diags_->Add<DiagId::kAccessControlPolicy>(in_.file, item.span, item.path, ac.policy);
        continue;
      }
      list.push_back(std::move(ac));
    }
    if (list.size() > 1) {
      diags_->Add<DiagId::kAccessControlTwice>(in_.file, span, path);
    }
    f.value = std::move(list);
  }

  // --- After all values ------------------------------------------------------------------
  /// A 0 that xm took as false (zero_is_unset): the typed value is the default it got.
  void FinishZeroIsUnset() {
    ForEachField(*config_, [&](const char* name, auto& field) {
      if constexpr (std::is_same_v<std::decay_t<decltype(field)>, Field<int64_t>>) {
        const VarSpec* spec = schema_.Find(name);
        if (spec && spec->zero_is_unset && spec->default_value && field.value && *field.value == 0) {
          diags_->Add<DiagId::kZeroIsUnset>(in_.file, field.span, name, spec->default_value->Repr());
          field.value = spec->default_value->i;
        }
      }
    });
  }

  /// Values xm used as text before it printed anything (xm.md 3.1, create.py's
  /// preprocessing and configure_image): anything but a string failed there, with Python's
  /// TypeError or AttributeError as xm's error. Values not in such a use are converted as any
  /// other string variable.
  void FinishTextUses() {
    const DomainConfig& c = *config_;
    auto is = [](const auto& f, const char* text) {
      return f.xm && f.xm->kind == XmValue::Kind::kString && f.xm->s == text;
    };
    bool bootloader = XmTruthy(c.bootloader);
    // preprocess_ip joins ip:nfs_server:gateway:netmask:hostname:interface:dhcp when ip is
    // set or dhcp is not 'off'; preprocess_nfs joins nfsroot=nfs_server:nfs_root and extra
    // when nfs_root is set (and nfs_server too: xm stopped before otherwise).
    bool ip_line = XmTruthy(c.ip) || (c.dhcp.xm && !is(c.dhcp, "off"));
    bool nfs_line = XmTruthy(c.nfs_root) && XmTruthy(c.nfs_server);
    ForEachField(*config_, [&](const char* name, auto& field) {
      if constexpr (std::is_same_v<std::decay_t<decltype(field)>, Field<std::string>>) {
        if (!field.xm || field.xm->kind == XmValue::Kind::kString || !UsedAsText(name)) return;
        const TextUse& use = *FindTextUse(name);
        bool fails = false;
        switch (use.when) {
          case TextUse::kIfTrue: fails = field.xm->Truthy(); break;
          case TextUse::kIfTrueWithoutBootloader: fails = field.xm->Truthy() && !bootloader; break;
          case TextUse::kIpLine: fails = ip_line && (field.xm->Truthy() || !use.falsy_replaced); break;
          case TextUse::kNfsLine: fails = nfs_line; break;
        }
        if (use.also_nfs_line && nfs_line) fails = true;
        if (fails) {
          diags_->Add<DiagId::kUsedAsText>(in_.file, field.span, name, Describe(*field.xm));
        } else {
          ConvertString(*field.xm, field.span, name, field);
        }
      }
    });
  }

  void FinishCpuid() {
    // xm.md 3.3: both lists are turned into {input: {reg: value}} only when cpuid is set.
    bool convert = config_->cpuid.value && (!config_->cpuid.value->raw.empty() ||
                                            (config_->cpuid.value->scalar && config_->cpuid.value->scalar->Truthy()));
    for (Field<CpuidPolicy>* f : {&config_->cpuid, &config_->cpuid_check}) {
      if (!f->value) continue;
      const char* name = f == &config_->cpuid ? "cpuid" : "cpuid_check";
      if (!convert) {
        if (f == &config_->cpuid_check && !f->value->raw.empty()) {
          diags_->Add<DiagId::kCpuidIgnored>(in_.file, f->span, name, "(cpuid_check without cpuid)");
        }
        continue;
      }
      if (f->value->scalar && IsNumber(*f->value->scalar)) {
        diags_->Add<DiagId::kNotIterable>(in_.file, f->span, name, Describe(*f->value->scalar),
                                          TypeWord(*f->value->scalar));
        continue;
      }
      f->value->converted = true;
      for (size_t i = 0; i < f->value->raw.size(); ++i) ParseCpuid(f, name, i);
      // xm replaced the list by the dict only when the dict had an entry (the real xm 4.4).
      if (f->value->entries.empty()) f->value->converted = false;
    }
  }

  void ParseCpuid(Field<CpuidPolicy>* f, const char* name, size_t index) {
    const std::string& text = f->value->raw[index];
    std::string path = fmt::format("{}[{}]", name, index);
    auto input_length = CpuidInputLength(text);
    if (!input_length) {
      diags_->Add<DiagId::kCpuidIgnored>(in_.file, f->span, path, text);
      return;
    }
    CpuidEntry entry;
    entry.spec = text;
    entry.input = text.substr(0, *input_length);
    entry.span = f->span;
    for (const std::string& piece : SplitAll(text.substr(*input_length + 1), ',')) {
      auto reg = ParseCpuidRegister(piece);
      if (!reg) {
        diags_->Add<DiagId::kCpuidSyntax>(in_.file, f->span, path, piece);
        return;
      }
      const auto& [r, val] = *reg;
      if (val.compare(0, 2, "0x") != 0 && val.size() != 32) {
        diags_->Add<DiagId::kCpuidBits>(in_.file, f->span, path, r, entry.input, val);
        return;
      }
      bool replaced = false;
      for (auto& kv : entry.regs) {
        if (kv.first == r) {
          kv.second = val;
          replaced = true;
        }
      }
      if (!replaced) entry.regs.emplace_back(r, val);
    }
    auto& entries = f->value->entries;
    auto it = std::find_if(entries.begin(), entries.end(), [&](const CpuidEntry& e) { return e.input == entry.input; });
    if (it != entries.end()) {
      it->regs = entry.regs;  // cpuid[input] = {} starts over, keeping the dict position
    } else {
      entries.push_back(std::move(entry));
    }
  }

  void CrossChecks() {
    DomainConfig& c = *config_;
    if (c.nfs_root.xm && c.nfs_root.xm->Truthy() && !(c.nfs_server.xm && c.nfs_server.xm->Truthy())) {
      diags_->Add<DiagId::kNfsServer>(in_.file, c.nfs_root.span, "");
    }
    if (c.maxvcpus.xm && c.maxvcpus.xm->Truthy() && c.vcpus.xm && c.vcpus.xm->Truthy() &&
        c.vcpus.xm->kind != XmValue::Kind::kInt) {
      diags_->Add<DiagId::kXmTypeError>(in_.file, c.vcpus.span, "vcpus", Describe(*c.vcpus.xm));
    }
  }

  const LowerInput& in_;
  const Schema& schema_;
  DomainConfig* config_;
  Diagnostics* diags_;
  std::set<std::string> specified_;
  std::map<std::string, std::vector<XmValue>> cmdline_lists_;
};

template <typename T>
void SetDefault(const XmValue& x, Field<T>& f);

template <>
void SetDefault(const XmValue& x, Field<int64_t>& f) {
  f.value = x.i;
}
template <>
void SetDefault(const XmValue& x, Field<bool>& f) {
  f.value = x.i != 0;
}
template <>
void SetDefault(const XmValue& x, Field<std::string>& f) {
  f.value = x.s;
}
template <typename T>
void SetDefault(const XmValue&, Field<T>& f) {
  f.value = T{};
}

}  // namespace

CommandLineVars SplitCommandLineVars(const Schema& schema, const std::vector<std::string>& words) {
  CommandLineVars out;
  for (const std::string& w : words) {
    size_t eq = w.find('=');
    std::string name = Strip(w.substr(0, eq));
    std::string value = eq == std::string::npos ? "" : w.substr(eq + 1);
    const VarSpec* spec = schema.Find(name);
    if (spec != nullptr && spec->conv != Conv::kNone) {
      out.declared.emplace_back(name, value);
    } else {
      out.script.emplace_back(name, Strip(value));
    }
  }
  return out;
}

bool ConvertCommandLineWord(const VarSpec& spec, const std::string& text, XmValue* out, Diagnostics* diags) {
  if (spec.conv == Conv::kInt || spec.conv == Conv::kLong) {
    int64_t v = 0;
    if (!ParsePyInt(text, &v)) {
      diags->Add<DiagId::kInvalidCmdlineValue>("", Span{}, "", text, spec.name, "an integer");
      return false;
    }
    *out = XmValue::Int(v);
  } else if (spec.conv == Conv::kBool) {
    if (text != "yes" && text != "y" && text != "no" && text != "n") {
      diags->Add<DiagId::kInvalidCmdlineValue>("", Span{}, "", text, spec.name, "yes, y, no or n");
      return false;
    }
    *out = XmValue::Int(text == "yes" || text == "y" ? 1 : 0);
  } else {
    *out = XmValue::String(text);
  }
  return true;
}

bool CheckCommandLineWords(const Schema& schema, const std::vector<std::string>& words, Diagnostics* diags) {
  bool ok = true;
  XmValue ignored;
  for (const auto& [name, value] : SplitCommandLineVars(schema, words).declared) {
    const VarSpec* spec = schema.Find(name);
    if (spec->conv != Conv::kAppend) ok = ConvertCommandLineWord(*spec, value, &ignored, diags) && ok;
  }
  return ok;
}

void Lower(const LowerInput& input, const Schema& schema, DomainConfig* config, Diagnostics* diags) {
  Lowerer(input, schema, config, diags).Run();
}

void ApplyDefaults(const Schema& schema, const Host& host, DomainConfig* config) {
  config->env_display = host.Getenv("DISPLAY");
  if (auto x = host.Getenv("XAUTHORITY"); x && !x->empty()) {
    config->env_xauthority = *x;
  } else if (auto home = host.Getenv("HOME"); home && !home->empty()) {
    config->env_xauthority = *home + "/.Xauthority";
  } else {
    config->env_xauthority = host.PasswdHome() + "/.Xauthority";
  }
  ForEachField(*config, [&](const char* name, auto& field) {
    if (field.is_set()) return;
    const VarSpec* spec = schema.Find(name);
    if (spec == nullptr) return;
    if (spec->default_from == "display") {
      if (auto d = host.Getenv("DISPLAY")) {
        field.xm = XmValue::String(*d);
        field.origin = Origin::kEnvironment;
        SetDefault(*field.xm, field);
      }
      return;
    }
    if (spec->default_from == "xauthority") {
      field.xm = XmValue::String(config->env_xauthority);
      field.origin = Origin::kEnvironment;
      SetDefault(*field.xm, field);
      return;
    }
    if (!spec->default_value) return;
    field.xm = *spec->default_value;
    field.origin = Origin::kDefault;
    SetDefault(*field.xm, field);
  });
}

void ResolveHost(const std::string& file, const Host& host, DomainConfig* config, Diagnostics* diags) {
  DomainConfig& c = *config;
  bool has_bootloader = c.bootloader.xm && c.bootloader.xm->Truthy();
  // A bootloader exempts kernel and ramdisk from xm's check, never the loader.
  auto resolve = [&](Field<std::string>& f, auto missing, bool bare_hvmloader_ok) {
    if (!f.xm || !f.xm->Truthy() || f.xm->kind != XmValue::Kind::kString) return;
    const std::string& path = f.xm->s;
    if (has_bootloader && &f != &c.loader) return;
    if (bare_hvmloader_ok && path == "hvmloader") return;
    std::string abs = host.AbsPath(path);
    if (!host.IsFile(abs)) {
      diags->Add<decltype(missing)::value>(file, f.span, "", path);
      return;
    }
    // xm made only a bare file name absolute (against the current directory); a path with
    // a directory part (./k, ../boot/k) stays as written once it exists.
    if (path.find('/') != std::string::npos) return;
    f.xm = XmValue::String(abs);
    f.value = abs;
  };
  // pci function '*': the functions sysfs lists for that domain:bus:slot, in `ls` order
  // (xen.util.pci's get_all_pci_names); none there, no device.
  if (!c.pci_wildcards.empty() && c.pci.value) {
    std::vector<std::string> names = host.ListDir("/sys/bus/pci/devices");
    std::sort(names.begin(), names.end());
    std::vector<PciDevice> out;
    size_t next = 0;
    const std::vector<PciDevice>& in = *c.pci.value;
    for (const DomainConfig::PciWildcard& w : c.pci_wildcards) {
      for (; next < w.position && next < in.size(); ++next) out.push_back(in[next]);
      std::vector<PciFunc> funcs;
      for (const std::string& n : names) {
        auto addr = ParsePciAddress(n);
        if (addr && addr->domain == w.base.domain && addr->bus == w.base.bus && addr->slot == w.base.slot &&
            addr->funcs.size() == 1) {
          funcs.push_back(addr->funcs[0]);
        }
      }
      std::string error;  // sysfs lists each function once
      AddPciFunctions(w.base, ArrangePciFunctions(funcs, &error), w.vslot, &out);
    }
    for (; next < in.size(); ++next) out.push_back(in[next]);
    c.pci.value = std::move(out);
    c.pci_wildcards.clear();
  }
  resolve(c.kernel, std::integral_constant<DiagId, DiagId::kKernelMissing>{}, true);
  resolve(c.ramdisk, std::integral_constant<DiagId, DiagId::kRamdiskMissing>{}, false);
  resolve(c.loader, std::integral_constant<DiagId, DiagId::kLoaderMissing>{}, true);
  if (has_bootloader && c.bootloader.xm->kind == XmValue::Kind::kString && c.bootloader.xm->s == "pygrub") {
    bool found = false;
    for (const char* dir : {"/usr/bin", "/usr/lib/xen/bin"}) {
      std::string path = std::string(dir) + "/pygrub";
      if (!found && host.Exists(path)) {
        c.bootloader.xm = XmValue::String(path);
        c.bootloader.value = path;
        found = true;
      }
    }
    if (!found) {
      diags->Add<DiagId::kPygrubMissing>(file, c.bootloader.span, "bootloader");
      c.bootloader.xm = XmValue::Other("None", "None", false);
    }
  }
  if (c.vscsi.value) {
    for (const VscsiEntry& e : *c.vscsi.value) {
      std::string dev = e.pdev;
      bool found = host.Exists("/sys/bus/scsi/devices/" + dev) || host.Exists("/dev/" + dev) ||
                   (!dev.empty() && dev[0] == '/' && host.Exists(dev));
      if (!found) {
        diags->Add<DiagId::kVscsiMissing>(file, e.span, "vscsi", dev);
      }
    }
  }
}

}  // namespace xmc
