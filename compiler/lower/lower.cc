#include "compiler/lower/lower.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "compiler/base/py2.h"
#include "compiler/ir/key_value_spec.h"
#include "compiler/lower/lists.h"
#include "compiler/lower/specs.h"
#include "compiler/lower/xm_values.h"

namespace xmc {
namespace {

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
      // What to write instead: nothing, 1 or 0 for a bool, a list, no u prefix, a number
      // within 63 bits (the evaluator clamps a long beyond), no L suffix.
      size_t hint = 0;
      if (b.value.kind() == Value::Kind::kBool)
        hint = 1;
      else if (b.value.py_type() == "tuple")
        hint = 2;
      else if (b.value.py_type() == "unicode")
        hint = 3;
      else if (b.value.py_type() == "long" && b.value.kind() == Value::Kind::kInt &&
               (b.value.as_int() == INT64_MAX || b.value.as_int() == INT64_MIN))
        hint = 4;
      else if (b.value.py_type() == "long")
        hint = 5;
      int bool_as_int = b.value.kind() == Value::Kind::kBool && b.value.as_bool() ? 1 : 0;
      diags_
          ->Add<DiagId::kDroppedValue>(in_.file, b.value.span().valid() ? b.value.span() : b.name_span, b.name,
                                       b.value.TypeName(), Choice{hint}, bool_as_int)
          .AddNote<NoteId::kDefaultUsed>(expected);
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
      diags_->Add<DiagId::kXlOnlyKey>(in_.file, b.name_span, b.name, Choice{counterpart ? size_t{1} : size_t{0}},
                                      counterpart ? counterpart->name : std::string());
      return;
    }
    const VarSpec* alias = schema_.FindAlias(b.name);
    std::string suggestion = alias ? alias->name : DidYouMean(b.name, schema_.Names());
    diags_
        ->Add<DiagId::kUnknownVariable>(in_.file, b.name_span, b.name, Choice{suggestion.empty() ? 0u : 1u}, suggestion)
        .Fix(b.name, suggestion);
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
      diags_->Add<DiagId::kLooseType>(in_.file, span, path, "0 or 1", Describe(x), Choice{0});
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
        diags_->Add<DiagId::kLooseType>(in_.file, span, path, "a string", Describe(x), Choice{1});
        f.value = x.Str();
        break;
      default: diags_->Add<DiagId::kWrongType>(in_.file, span, path, "a string", Describe(x), Choice{0});
    }
  }

  std::optional<int64_t> ToInt(const std::string&, const XmValue& x, Span span, const std::string& path) {
    switch (x.kind) {
      case XmValue::Kind::kInt: return x.i;
      case XmValue::Kind::kFloat:
        if (!std::isfinite(x.f) || std::fabs(x.f) >= 9223372036854775808.0) {
          // int() of it fails in xend (inf, nan) or gives a long no variable takes.
          diags_->Add<DiagId::kWrongType>(in_.file, span, path, "an integer", Describe(x),
                                          Choice{std::isfinite(x.f) ? 1u : 2u});
          return std::nullopt;
        }
        diags_->Add<DiagId::kLooseType>(in_.file, span, path, "an integer", Describe(x), Choice{2});
        return static_cast<int64_t>(std::trunc(x.f));
      case XmValue::Kind::kString: {
        int64_t v = 0;
        if (ParsePyInt(x.s, &v)) {
          // xend converted it with int(): what xen-tools writes, or a value from os.environ.
          if (in_.pedantic) diags_->Add<DiagId::kQuotedNumber>(in_.file, span, path, x.s);
          return v;
        }
        diags_->Add<DiagId::kWrongType>(in_.file, span, path, "an integer", Describe(x), Choice{3});
        return std::nullopt;
      }
      default:
        diags_->Add<DiagId::kWrongType>(in_.file, span, path, "an integer", Describe(x), Choice{0});
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
        diags_->Add<DiagId::kWrongType>(in_.file, item_span, item_path, "a cpus string", Describe(item), Choice{0});
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

  /// Every list variable: compiler/lower/lists.cc.
  template <typename T>
  void Convert(const VarSpec& spec, const XmValue& x, const Value* v, Span span, const std::string& path,
               Field<std::vector<T>>& f) {
    ConvertList({in_.file, diags_, config_}, spec, x, v, span, path, f);
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

}  // namespace xmc
