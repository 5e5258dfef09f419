#include "compiler/check/xendomains.h"

#include <algorithm>
#include <map>

#include "compiler/base/strings.h"

namespace xmc {
namespace {

enum class Kind { kString, kInteger, kBoolean, kShutdownFlags, kSysrq, kDirectory };

struct Setting {
  const char* name;
  Kind kind;
};

// From the xendomains sysconfig file's own "## Type:" annotations.
const Setting kSettings[] = {
    {"XENDOMAINS_SYSRQ", Kind::kSysrq},
    {"XENDOMAINS_USLEEP", Kind::kInteger},
    {"XENDOMAINS_CREATE_USLEEP", Kind::kInteger},
    {"XENDOMAINS_MIGRATE", Kind::kString},
    {"XENDOMAINS_SAVE", Kind::kDirectory},
    {"XENDOMAINS_SHUTDOWN", Kind::kShutdownFlags},
    {"XENDOMAINS_SHUTDOWN_ALL", Kind::kShutdownFlags},
    {"XENDOMAINS_RESTORE", Kind::kBoolean},
    {"XENDOMAINS_AUTO", Kind::kDirectory},
    {"XENDOMAINS_AUTO_ONLY", Kind::kBoolean},
    {"XENDOMAINS_STOP_MAXWAIT", Kind::kInteger},
};

// The options of `xm shutdown` the script passes these on to.
const char* const kShutdownFlags[] = {"--all", "-a", "--wait", "-w", "--halt", "-H", "--reboot", "-R"};

/// Undoes shell quoting of one word; false for an unterminated quote.
bool Unquote(std::string_view raw, std::string* out) {
  out->clear();
  char quote = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else if (quote == '"' && c == '\\' && i + 1 < raw.size()) {
        out->push_back(raw[++i]);
      } else {
        out->push_back(c);
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '\\' && i + 1 < raw.size()) {
      out->push_back(raw[++i]);
    } else if (c == ' ' || c == '\t') {
      break;  // the rest is a command to run, or a comment
    } else {
      out->push_back(c);
    }
  }
  return quote == 0;
}

}  // namespace

bool LooksLikeXendomains(const std::string& path, const std::string& text) {
  std::string base = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  if (base == "xendomains") return true;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    std::string_view line(text.data() + pos, (end == std::string::npos ? text.size() : end) - pos);
    if (line.rfind("XENDOMAINS_", 0) == 0) return true;
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return false;
}

XendomainsSettings CheckXendomains(const SourceFile& file, const Host* host, Diagnostics* diags) {
  XendomainsSettings settings;
  std::vector<std::string> names;
  for (const Setting& s : kSettings) names.push_back(s.name);
  for (uint32_t n = 1; n <= file.line_count(); ++n) {
    std::string_view line = file.Line(n);
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos || line[start] == '#') continue;
    std::string_view rest = line.substr(start);
    if (rest.rfind("export ", 0) == 0) {
      rest.remove_prefix(7);
      start += 7;
    }
    size_t eq = rest.find('=');
    if (eq == std::string_view::npos) continue;
    std::string name(rest.substr(0, eq));
    if (name.rfind("XENDOMAINS_", 0) != 0) continue;
    Span name_span{n, static_cast<uint32_t>(start + 1), static_cast<uint32_t>(start + 1 + name.size())};
    std::string_view raw = rest.substr(eq + 1);
    Span value_span{n, static_cast<uint32_t>(start + eq + 2), static_cast<uint32_t>(start + 2 + rest.size())};
    std::string value;
    if (!Unquote(raw, &value)) {
      diags->Add<DiagId::kXendomainsSyntax>(file.path(), value_span, name);
      continue;
    }
    const Setting* setting = nullptr;
    for (const Setting& s : kSettings) {
      if (name == s.name) setting = &s;
    }
    settings.set.push_back(name);
    if (setting == nullptr) {
      std::string suggestion = DidYouMean(name, names);
      diags
          ->Add<DiagId::kXendomainsUnknown>(file.path(), name_span, name, Choice{suggestion.empty() ? 0u : 1u},
                                            suggestion)
          .Fix(name, suggestion);
      continue;
    }
    switch (setting->kind) {
      case Kind::kInteger: {
        int64_t v = 0;
        if (!ParsePyInt(value, &v) || v < 0 || value.find_first_not_of("0123456789") != std::string::npos) {
          diags->Add<DiagId::kXendomainsType>(file.path(), value_span, name, "a non-negative integer", value);
        } else if (name == "XENDOMAINS_STOP_MAXWAIT") {
          settings.stop_maxwait = v;
        } else if (name == "XENDOMAINS_CREATE_USLEEP") {
          settings.create_usleep = v;
        }
        break;
      }
      case Kind::kBoolean:
        // As the script: the word true, anything else false.
        if (name == "XENDOMAINS_RESTORE") settings.restore = value == "true";
        if (name == "XENDOMAINS_AUTO_ONLY") settings.auto_only = value == "true";
        if (value != "true" && value != "false") {
          diags->Add<DiagId::kXendomainsType>(file.path(), value_span, name, "'true' or 'false'", value)
              .AddNote<NoteId::kXendomainsWordTrue>();
        }
        break;
      case Kind::kShutdownFlags:
        (name == "XENDOMAINS_SHUTDOWN" ? settings.shutdown : settings.shutdown_all) = value;
        for (const std::string& flag : SplitAll(value, ' ')) {
          if (flag.empty()) continue;
          if (std::find_if(std::begin(kShutdownFlags), std::end(kShutdownFlags),
                           [&](const char* f) { return flag == f; }) == std::end(kShutdownFlags)) {
            diags->Add<DiagId::kXendomainsFlags>(file.path(), value_span, name, flag,
                                                 "--all, --wait, --halt or --reboot");
          }
        }
        break;
      case Kind::kSysrq:
        for (const std::string& key : SplitAll(value, ' ')) {
          if (key.empty()) continue;
          if (key.size() != 1 || !std::isalnum(static_cast<unsigned char>(key[0]))) {
            diags->Add<DiagId::kXendomainsSysrq>(file.path(), value_span, name, key);
          }
        }
        break;
      case Kind::kDirectory:
        if (name == "XENDOMAINS_AUTO") settings.auto_dir = value;
        if (name == "XENDOMAINS_SAVE") settings.save_dir = value;
        if (!value.empty() && value[0] != '/') {
          diags->Add<DiagId::kXendomainsType>(file.path(), value_span, name, "an absolute directory", value);
        } else if (host != nullptr && !value.empty() && !(host->Exists(value) && !host->IsFile(value))) {
          diags->Add<DiagId::kXendomainsDir>(file.path(), value_span, name, value);
        }
        break;
      case Kind::kString: break;
    }
  }
  return settings;
}

}  // namespace xmc
