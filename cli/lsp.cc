// xmc lsp: a language server (LSP 3.17, JSON-RPC over stdin and stdout) for editors. It
// checks each open buffer as `xmc check` checks a file, from the buffer's unsaved text,
// and publishes the findings; hover shows a variable's documentation, completion offers
// variable names and enum values, and every did-you-mean is a quick fix. Configs with
// code run in the sandbox (one worker per session). Positions are UTF-16 code units, as
// the protocol requires; xmc's own columns are bytes.
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include "cli/commands.h"
#include "compiler/emit/backend.h"
#include "compiler/host.h"
#include "compiler/lower/lower.h"
#include "compiler/pipeline.h"
#include "compiler/schema/schema.h"
#include "compiler/tree/check_paths.h"
#include "compiler/tree/cross_file.h"
#include "compiler/tree/walk.h"
#include "version.h"

namespace xmc::cli {
namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// JSON-RPC error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kServerNotInitialized = -32002;

/// The most files of the workspace folder the cross-file checks take (a folder opened at
/// the top of a home directory or a large repository must not be compiled whole).
constexpr size_t kWorkspaceFiles = 1000;

/// What makes the server look at the folder again: a file written, moved, made or removed.
constexpr uint32_t kWatchEvents = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE;

/// The message framing of the protocol: a header with Content-Length, a blank line, the
/// JSON body. Reads from a descriptor with a deadline, so that the server can run its
/// debounced checks while the editor is quiet.
class Transport {
 public:
  enum class Status { kMessage, kTimeout, kEnd, kBadHeader, kWatch };

  /// A descriptor to wait on besides stdin (inotify): Read returns kWatch when it is readable.
  void Watch(int fd) { watch_fd_ = fd; }

  Status Read(std::string* body, std::optional<Clock::time_point> deadline) {
    for (;;) {
      size_t header_end = buffer_.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        std::optional<size_t> length;
        size_t pos = 0;
        while (pos < header_end) {
          size_t eol = buffer_.find("\r\n", pos);
          std::string line = buffer_.substr(pos, eol - pos);
          pos = eol + 2;
          static const std::string kKey = "content-length:";
          std::string lower;
          for (char c : line.substr(0, kKey.size())) lower += static_cast<char>(std::tolower(c));
          if (lower == kKey) {
            std::string digits = line.substr(kKey.size());
            size_t n = 0;
            bool ok = false;
            for (char c : digits) {
              if (c == ' ' || c == '\t') continue;
              if (c < '0' || c > '9' || n > (size_t{1} << 28)) {
                ok = false;
                break;
              }
              n = n * 10 + static_cast<size_t>(c - '0');
              ok = true;
            }
            if (ok) length = n;
          }
        }
        if (!length) {
          buffer_.erase(0, header_end + 4);  // skip it: the next header may be good
          return Status::kBadHeader;
        }
        if (buffer_.size() >= header_end + 4 + *length) {
          *body = buffer_.substr(header_end + 4, *length);
          buffer_.erase(0, header_end + 4 + *length);
          return Status::kMessage;
        }
      } else if (buffer_.size() > (size_t{1} << 16) && buffer_.find("\r\n\r\n") == std::string::npos) {
        buffer_.clear();  // no header ends in 64 KiB of text: garbage
        return Status::kBadHeader;
      }
      int timeout = -1;
      if (deadline) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
        if (left <= 0) return Status::kTimeout;
        timeout = static_cast<int>(left);
      }
      pollfd p[2] = {{0, POLLIN, 0}, {watch_fd_, POLLIN, 0}};
      int n = ::poll(p, watch_fd_ >= 0 ? 2 : 1, timeout);
      if (n < 0 && errno == EINTR) continue;
      if (n == 0) return Status::kTimeout;
      if (watch_fd_ >= 0 && (p[1].revents & POLLIN) != 0 && (p[0].revents & (POLLIN | POLLHUP)) == 0) {
        return Status::kWatch;
      }
      char chunk[65536];
      ssize_t got = ::read(0, chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return Status::kEnd;
      buffer_.append(chunk, static_cast<size_t>(got));
    }
  }

  static void Write(const Json& message) {
    std::string body = message.dump(-1, ' ', false, Json::error_handler_t::replace);
    std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    const char* p = out.data();
    size_t left = out.size();
    while (left > 0) {
      ssize_t n = ::write(1, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // the editor is gone; the next read ends the session
      p += n;
      left -= static_cast<size_t>(n);
    }
  }

 private:
  std::string buffer_;
  int watch_fd_ = -1;
};

/// The UTF-16 code units of the first `bytes` bytes of `line` (an invalid byte counts
/// as one unit, as editors show it as one replacement character).
uint32_t Utf16Units(std::string_view line, size_t bytes) {
  uint32_t units = 0;
  size_t i = 0;
  bytes = std::min(bytes, line.size());
  while (i < bytes) {
    auto c = static_cast<unsigned char>(line[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + len > line.size()) len = 1;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(line[i + k]) & 0xc0) != 0x80) len = 1;
    }
    units += len == 4 ? 2 : 1;
    i += len;
  }
  return units;
}

/// The byte offset in `line` of UTF-16 position `units` (clamped to the line).
size_t ByteOffset(std::string_view line, uint32_t units) {
  size_t i = 0;
  uint32_t u = 0;
  while (i < line.size() && u < units) {
    size_t next = i + 1;
    while (next < line.size() && next - i < 4 && (static_cast<unsigned char>(line[next]) & 0xc0) == 0x80) ++next;
    u += Utf16Units(line.substr(i, next - i), next - i);
    i = next;
  }
  return i;
}

/// The path of a file: URI, percent-decoded; "" for other schemes.
std::string PathOfUri(const std::string& uri) {
  static const std::string kScheme = "file://";
  if (uri.compare(0, kScheme.size(), kScheme) != 0) return "";
  std::string path;
  for (size_t i = kScheme.size(); i < uri.size(); ++i) {
    auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
    if (uri[i] == '%' && i + 2 < uri.size() && hex(uri[i + 1]) && hex(uri[i + 2])) {
      path += static_cast<char>(std::stoi(uri.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      path += uri[i];
    }
  }
  return path;
}

struct Document {
  std::string uri;
  std::string path;
  std::string text;
  int64_t version = 0;                   ///< the version of `text`, as the editor numbered it
  std::optional<Clock::time_point> due;  ///< when to check it (debounced edits)
  int64_t checked_version = 0;           ///< the version `own` was computed for
  int64_t checks = 0;                    ///< how often it was checked (xmc/statistics)
  std::optional<DomainConfig> config;    ///< its model, when it last compiled without errors
  Json own = Json::array();              ///< its own findings, as published
  Scope scope = Scope::kAll;             ///< its guest type when it last compiled (kAll: unknown)
  std::vector<TreeFact> facts;           ///< for the cross-file checks
};

/// A config of the workspace folder that is not open: what the cross-file checks need.
struct OnDisk {
  int64_t mtime_ns = -1;
  int64_t size = -1;
  std::string text;
  std::vector<TreeFact> facts;
};

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

/// The variable the statement around byte `at` of a line assigns (`NAME = ...`, statements
/// split at ';') when `at` is in its value; else "".
std::string AssignedName(const std::string& line, size_t at) {
  size_t start = at == 0 ? std::string::npos : line.rfind(';', at - 1);
  start = start == std::string::npos ? 0 : start + 1;
  size_t eq = line.find('=', start);
  if (eq == std::string::npos || at <= eq || (eq + 1 < line.size() && line[eq + 1] == '=')) return "";
  size_t b = line.find_first_not_of(" \t", start);
  size_t e = b;
  while (e < eq && IsNameChar(line[e])) ++e;
  if (b == e || line.find_first_not_of(" \t", e) != eq) return "";
  return line.substr(b, e - b);
}

class Server {
 public:
  Server(const CommonOptions& common, PythonHost* python) : common_(common), python_(python) {
    // Portable by default: an editor's machine is seldom the Xen host the config is for.
    common_.host_files = false;
  }

  int Run() {
    for (;;) {
      std::optional<Clock::time_point> next = workspace_due_;
      for (const auto& [uri, doc] : docs_) {
        if (doc.due && (!next || *doc.due < *next)) next = doc.due;
      }
      std::string body;
      Transport::Status st = transport_.Read(&body, next);
      if (st == Transport::Status::kEnd) return shutdown_ ? 0 : 1;
      if (st == Transport::Status::kTimeout) {
        CheckDue();
        continue;
      }
      if (st == Transport::Status::kWatch) {
        // A file of the folder changed: look again once the writes have settled.
        char events[4096];
        while (::read(inotify_fd_, events, sizeof events) > 0) {
        }
        workspace_due_ = Clock::now() + std::chrono::milliseconds(300);
        continue;
      }
      if (st == Transport::Status::kBadHeader) {
        Error(nullptr, kParseError, "a message without a valid Content-Length header");
        continue;
      }
      Json msg = Json::parse(body, nullptr, false);
      if (msg.is_discarded() || !msg.is_object()) {
        Error(nullptr, kParseError, "the message is not a JSON object");
        continue;
      }
      if (!msg.contains("method") || !msg["method"].is_string()) {
        if (msg.contains("id")) Error(msg["id"], kInvalidRequest, "a request without a method");
        continue;  // a response to a request of ours (we send none that need one)
      }
      std::string method = msg["method"];
      Json id = msg.contains("id") ? msg["id"] : Json();
      Json params = msg.contains("params") ? msg["params"] : Json::object();
      if (method == "exit") return shutdown_ ? 0 : 1;
      try {
        Handle(method, id, params);
      } catch (const std::exception& e) {
        // A malformed request (a field of the wrong type): answered, never fatal.
        if (!id.is_null()) Error(id, kInvalidRequest, std::string("invalid params: ") + e.what());
      }
    }
  }

 private:
  void Handle(const std::string& method, const Json& id, const Json& params) {
    bool request = !id.is_null();
    if (method == "initialize") {
      Initialize(params);
      Reply(id, {{"capabilities",
                  {{"positionEncoding", "utf-16"},
                   {"textDocumentSync", {{"openClose", true}, {"change", 1}, {"save", {{"includeText", false}}}}},
                   {"hoverProvider", true},
                   {"completionProvider", {{"triggerCharacters", Json::array({"'", "\"", ",", "="})}}},
                   {"codeActionProvider", {{"codeActionKinds", Json::array({"quickfix", "refactor"})}}}}},
                 {"serverInfo", {{"name", "xmc"}, {"version", kVersion}}}});
      initialized_ = true;
      return;
    }
    if (!initialized_) {
      if (request) Error(id, kServerNotInitialized, "initialize first");
      return;
    }
    if (method == "shutdown") {
      shutdown_ = true;
      Reply(id, nullptr);
    } else if (method == "textDocument/didOpen") {
      const Json& td = params.at("textDocument");
      Document& doc = docs_[td.at("uri").get<std::string>()];
      doc.uri = td.at("uri");
      doc.path = PathOfUri(doc.uri);
      doc.text = td.at("text");
      doc.version = td.value("version", int64_t{0});
      Publish(doc);
    } else if (method == "textDocument/didChange") {
      auto it = docs_.find(params.at("textDocument").at("uri").get<std::string>());
      if (it == docs_.end()) return;
      for (const Json& change : params.at("contentChanges")) {
        if (!change.contains("range")) it->second.text = change.at("text");  // full sync only
      }
      it->second.version = params.at("textDocument").value("version", it->second.version);
      it->second.due = Clock::now() + std::chrono::milliseconds(200);  // while typing: wait for a pause
    } else if (method == "textDocument/didSave") {
      auto it = docs_.find(params.at("textDocument").at("uri").get<std::string>());
      if (it != docs_.end()) Publish(it->second);
    } else if (method == "textDocument/didClose") {
      std::string uri = params.at("textDocument").at("uri");
      docs_.erase(uri);
      Send(uri, Json::array(), std::nullopt);
      SendAll();  // a file of the folder counts again as it is on disk
    } else if (method == "textDocument/hover") {
      Reply(id, Hover(params));
    } else if (method == "textDocument/completion") {
      Reply(id, Completion(params));
    } else if (method == "textDocument/codeAction") {
      Reply(id, CodeActions(params));
    } else if (method == "xmc/statistics") {
      // For tests and for the curious: how often each open document was checked, so that
      // debouncing is observable without timing the server.
      Json checks = Json::object();
      for (const auto& [uri, doc] : docs_) checks[uri] = doc.checks;
      Reply(id, {{"checks", checks}});
    } else if (request) {
      Error(id, kMethodNotFound, "xmc does not implement " + method);
    }
    // Other notifications ($/cancelRequest, initialized, ...): nothing to do.
  }

  void Initialize(const Json& params) {
    // The workspace folder: its configs are checked against each other (and watched).
    std::string root;
    if (params.contains("workspaceFolders") && params["workspaceFolders"].is_array() &&
        !params["workspaceFolders"].empty() && params["workspaceFolders"][0].contains("uri")) {
      root = params["workspaceFolders"][0]["uri"].get<std::string>();
    } else if (params.contains("rootUri") && params["rootUri"].is_string()) {
      root = params["rootUri"].get<std::string>();
    }
    folder_ = PathOfUri(root);
    // A link from each diagnostic to its entry in xmc(1), where the client shows links.
    const Json* caps = &params;
    for (const char* key : {"capabilities", "textDocument", "publishDiagnostics", "codeDescriptionSupport"}) {
      caps = caps->is_object() && caps->contains(key) ? &(*caps)[key] : nullptr;
      if (caps == nullptr) break;
    }
    code_links_ = caps != nullptr && caps->is_boolean() && caps->get<bool>();
    if (!folder_.empty()) {
      inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
      if (inotify_fd_ >= 0) transport_.Watch(inotify_fd_);
    }
    if (!params.contains("initializationOptions") || !params["initializationOptions"].is_object()) return;
    const Json& o = params["initializationOptions"];
    if (o.contains("host") && o["host"].is_string()) common_.host_files = o["host"] == "yes";
    if (o.contains("root") && o["root"].is_string()) {
      common_.root = o["root"];
      if (!o.contains("host")) common_.host_files = true;  // as --root does on the command line
    }
    if (o.contains("evalTimeout") && o["evalTimeout"].is_number() && o["evalTimeout"].get<double>() >= 0) {
      common_.eval_timeout = o["evalTimeout"];
    }
  }

  void CheckDue() {
    auto now = Clock::now();
    bool any = false;
    for (auto& [uri, doc] : docs_) {
      if (doc.due && *doc.due <= now) {
        Analyze(doc);
        any = true;
      }
    }
    if (any || (workspace_due_ && *workspace_due_ <= now)) SendAll();
  }

  /// Checks a document's text now and publishes what changed.
  void Publish(Document& doc) {
    Analyze(doc);
    SendAll();
  }

  /// The request for a document or a workspace file: as `xmc check` has it, the workspace
  /// folder being the tree checked (a config reads in it with the user's rights).
  CompileRequest Request(const std::string& path, std::string text) const {
    CompileRequest r = CheckRequest(RequestFromOptions(common_), path, path, std::move(text));
    if (!folder_.empty()) r.own_dirs.push_back(folder_);
    return r;
  }

  /// Checks a document's text as `xmc check` checks a file: its own findings, its facts
  /// for the cross-file checks, its xl.cfg.
  void Analyze(Document& doc) {
    doc.due.reset();
    doc.checked_version = doc.version;
    ++doc.checks;
    std::string path = doc.path.empty() ? doc.uri : doc.path;
    RealHost host(common_.root);
    Compilation c = Compile(Request(path, doc.text), host, python_);
    SourceFile source(path, doc.text);
    doc.own = Json::array();
    for (const Diagnostic& d : c.diags.all()) {
      if (d.file == path) doc.own.push_back(ToLsp(d, source));
    }
    doc.facts.clear();
    doc.config.reset();
    if (c.evaluated) {
      doc.facts = TreeFactsOf(c.config);
      GuestType type = c.config.guest_type();
      doc.scope = type == GuestType::kHvm ? Scope::kHvm : type == GuestType::kPv ? Scope::kPv : Scope::kAll;
      if (c.diags.ErrorCount() == 0) doc.config = std::move(c.config);  // for "Convert to xl.cfg"
    }
  }

  /// The facts of a config of the folder: an open document's, or the file's (compiled
  /// again only when it changed on disk).
  const std::vector<TreeFact>* FactsOf(const std::string& path) {
    for (const auto& [uri, doc] : docs_) {
      if (doc.path == path) return &doc.facts;
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
    OnDisk& f = on_disk_[path];
    int64_t mtime = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    if (f.mtime_ns != mtime || f.size != st.st_size) {
      f.mtime_ns = mtime;
      f.size = st.st_size;
      RealHost real;
      std::string error;
      auto text = real.ReadFile(path, &error, common_.max_input_kib * 1024);
      f.text = text ? *text : std::string();
      f.facts.clear();
      if (text && !LooksBinary(*text)) {
        RealHost host(common_.root);
        Compilation c = Compile(Request(path, *text), host, python_);
        if (c.evaluated) f.facts = TreeFactsOf(c.config);
      }
    }
    return &f.facts;
  }

  /// The text of a file as the server knows it (open buffer or disk), or nullptr.
  const std::string* TextOf(const std::string& path) const {
    for (const auto& [uri, doc] : docs_) {
      if (doc.path == path) return &doc.text;
    }
    auto it = on_disk_.find(path);
    return it == on_disk_.end() ? nullptr : &it->second.text;
  }

  /// The cross-file checks over the folder (walked as `xmc check DIR` walks it), then every
  /// open document's findings and those of the folder's other files.
  void SendAll() {
    workspace_due_.reset();
    std::map<std::string, Json> cross;
    if (!folder_.empty()) {
      RealHost real;
      Diagnostics ignored, found;
      TreeWalk walk(real, &ignored);
      walk.set_limit(kWorkspaceFiles);
      TreeChecker checker;
      bool io_error = false;
      walk.Walk(
          folder_,
          [&](const std::string& file) {
            if (inotify_fd_ >= 0) {
              ::inotify_add_watch(inotify_fd_, file.substr(0, file.rfind('/') + 1).c_str(), kWatchEvents);
            }
            if (const std::vector<TreeFact>* facts = FactsOf(file)) checker.Add(file, *facts, &found);
          },
          &io_error);
      if (inotify_fd_ >= 0) {
        ::inotify_add_watch(inotify_fd_, folder_.c_str(), kWatchEvents);
      }
      if (walk.truncated() && !told_truncated_) {
        told_truncated_ = true;
        Transport::Write({{"jsonrpc", "2.0"},
                          {"method", "window/showMessage"},
                          {"params",
                           {{"type", 2},
                            {"message", fmt::format("xmc: the workspace folder holds more than {} files that may be "
                                                    "configs; the cross-file checks take the first {}",
                                                    kWorkspaceFiles, kWorkspaceFiles)}}}});
      }
      for (const Diagnostic& d : found.all()) {
        const std::string* text = TextOf(d.file);
        Json j = ToLsp(d, SourceFile(d.file, text ? *text : std::string()));
        const std::string* other = TextOf(d.related_file);
        SourceFile related(d.related_file, other ? *other : std::string());
        Json start = Position(related, d.related_span.line, d.related_span.column);
        j["relatedInformation"] = Json::array(
            {{{"location", {{"uri", UriFor(d.related_file)}, {"range", {{"start", start}, {"end", start}}}}},
              {"message", "the earlier config"}}});
        cross[d.file].push_back(j);
      }
    }
    std::set<std::string> sent;
    for (auto& [uri, doc] : docs_) {
      sent.insert(doc.path);
      // An edit is waiting for its check: its findings come with that check, not older
      // ones now.
      if (doc.due) continue;
      Json all = doc.own;
      auto it = cross.find(doc.path);
      if (it != cross.end()) all.insert(all.end(), it->second.begin(), it->second.end());
      Send(doc.uri, all, doc.checked_version);  // the version they were computed for
    }
    std::set<std::string> now_published;
    for (const auto& [path, diags] : cross) {
      if (sent.count(path)) continue;
      Send(UriFor(path), diags, std::nullopt);
      now_published.insert(path);
    }
    for (const std::string& path : published_) {
      if (!now_published.count(path) && !sent.count(path)) Send(UriFor(path), Json::array(), std::nullopt);
    }
    published_ = now_published;
  }

  static std::string UriFor(const std::string& path) { return "file://" + UriOf(path); }

  static void Send(const std::string& uri, const Json& diagnostics, std::optional<int64_t> version) {
    Json params{{"uri", uri}, {"diagnostics", diagnostics}};
    if (version) params["version"] = *version;
    Transport::Write({{"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"}, {"params", params}});
  }

  static Json Position(const SourceFile& source, uint32_t line, uint32_t byte_column) {
    if (line == 0) return {{"line", 0}, {"character", 0}};
    std::string_view text = source.Line(line);
    return {{"line", line - 1}, {"character", Utf16Units(text, byte_column > 0 ? byte_column - 1 : 0)}};
  }

  Json ToLsp(const Diagnostic& d, const SourceFile& source) {
    const Span& s = d.span;
    Json start = Position(source, s.line, s.column);
    Json end = s.end_column > s.column ? Position(source, s.line, s.end_column) : start;
    std::string message = d.path.empty() ? d.message : d.path + ": " + d.message;
    for (const std::string& note : d.notes) message += "\n" + note;
    Json j{{"range", {{"start", start}, {"end", end}}},
           {"severity", d.severity == Severity::kError     ? 1
                        : d.severity == Severity::kWarning ? 2
                                                           : 3},
           {"code", std::string(InfoOf(d.id).id)},
           {"source", "xmc"},
           {"message", message}};
    if (code_links_) j["codeDescription"] = {{"href", "man:xmc(1)#" + std::string(InfoOf(d.id).id)}};
    // A did-you-mean: the edit of its quick fix, where the word stands in the span.
    if (!d.replacement.empty() && s.valid()) {
      std::string_view line = source.Line(s.line);
      size_t from = s.column > 0 ? s.column - 1 : 0;
      size_t to = s.end_column > s.column ? std::min<size_t>(s.end_column - 1, line.size()) : line.size();
      size_t at = from < line.size() ? line.substr(from, to - from).find(d.original) : std::string_view::npos;
      if (at != std::string_view::npos && !d.original.empty()) {
        size_t b = from + at;
        Json range{{"start", {{"line", s.line - 1}, {"character", Utf16Units(line, b)}}},
                   {"end", {{"line", s.line - 1}, {"character", Utf16Units(line, b + d.original.size())}}}};
        j["data"] = {{"fix", {{"range", range}, {"newText", d.replacement}}}};
      }
    }
    return j;
  }

  /// The document and the line of a position, or nullptr.
  /// The document at a request's position and that line (byte `*byte` of it), or nullptr.
  const Document* At(const Json& params, std::string* line, size_t* byte) const {
    auto it = docs_.find(params.at("textDocument").at("uri").get<std::string>());
    if (it == docs_.end()) return nullptr;
    SourceFile source(it->second.path, it->second.text);
    auto n = params.at("position").at("line").get<uint32_t>();
    *line = std::string(source.Line(n + 1));
    *byte = ByteOffset(*line, params.at("position").at("character").get<uint32_t>());
    return &it->second;
  }

  Json Hover(const Json& params) const {
    std::string line;
    size_t at = 0;
    if (At(params, &line, &at) == nullptr) return nullptr;
    size_t b = at, e = at;
    while (b > 0 && IsNameChar(line[b - 1])) --b;
    while (e < line.size() && IsNameChar(line[e])) ++e;
    if (b == e) return nullptr;
    std::string word = line.substr(b, e - b);
    const VarSpec* v = Schema::Builtin().Find(word);
    std::string text;
    if (v != nullptr && AssignedName(line, b).empty()) {
      text = "```\n" + ExplainText(*v) + "```";
    } else if (const VarSpec* owner = Schema::Builtin().Find(AssignedName(line, b))) {
      // Inside the value of NAME = ...: one of its values, or a key of its specs.
      std::vector<std::string> keys = SpecKeys(owner->name);
      if (std::find(owner->values.begin(), owner->values.end(), word) != owner->values.end()) {
        text = "`" + word + "`: one of the values of `" + owner->name + "`\n\n```\n" + ExplainText(*owner) + "```";
      } else if (e < line.size() && line[e] == '=' && std::find(keys.begin(), keys.end(), word) != keys.end()) {
        std::string all;
        for (const std::string& k : keys) all += (all.empty() ? "" : ", ") + k;
        text = "`" + word + "=`: a key of a `" + owner->name + "` spec (xm accepted " + all + ")\n\n" + owner->doc;
      }
    }
    if (text.empty()) return nullptr;
    return {{"contents", {{"kind", "markdown"}, {"value", text}}},
            {"range",
             {{"start", {{"line", params.at("position").at("line")}, {"character", Utf16Units(line, b)}}},
              {"end", {{"line", params.at("position").at("line")}, {"character", Utf16Units(line, e)}}}}}};
  }

  Json Completion(const Json& params) const {
    std::string line;
    size_t at = 0;
    Json items = Json::array();
    const Document* doc = At(params, &line, &at);
    if (doc == nullptr) return items;
    const Schema& schema = Schema::Builtin();
    std::string name = AssignedName(line, at);
    if (name.empty()) {
      // A variable name at the start of a statement.
      size_t b = at;
      while (b > 0 && IsNameChar(line[b - 1])) --b;
      size_t start = b == 0 ? std::string::npos : line.rfind(';', b - 1);
      start = start == std::string::npos ? 0 : start + 1;
      if (line.find_first_not_of(" \t", start) < b) return items;
      std::string prefix = line.substr(b, at - b);
      for (const VarSpec& v : schema.vars()) {
        if (v.name.compare(0, prefix.size(), prefix) != 0) continue;
        // Scope-aware: no HVM-only keys in a PV config, no PV-only keys in an HVM one.
        if (doc->scope != Scope::kAll && v.scope != Scope::kAll && v.scope != doc->scope) continue;
        items.push_back({{"label", v.name},
                         {"kind", 6},
                         {"detail", std::string(Name(v.type)) + (v.is_list() ? " list" : "")},
                         {"documentation", v.doc}});
      }
      return items;
    }
    // Inside a string of NAME's value: its allowed values, or a key of its specs.
    const VarSpec* v = schema.Find(name);
    std::string before = line.substr(0, at);
    size_t statement = before.rfind(';');
    size_t eq = before.find('=', statement == std::string::npos ? 0 : statement);
    if (v == nullptr || eq == std::string::npos || before.find_first_of("'\"", eq) == std::string::npos) {
      return items;
    }
    for (const std::string& value : v->values) items.push_back({{"label", value}, {"kind", 20}});
    size_t last = before.find_last_not_of(" \tabcdefghijklmnopqrstuvwxyz_0123456789");
    if (last != std::string::npos && (before[last] == '\'' || before[last] == '"' || before[last] == ',')) {
      for (const std::string& key : SpecKeys(v->name)) {
        items.push_back({{"label", key + "="}, {"kind", 10}, {"detail", "a key of a " + v->name + " spec"}});
      }
    }
    return items;
  }

  Json CodeActions(const Json& params) const {
    Json actions = Json::array();
    std::string uri = params.at("textDocument").at("uri");
    // The kinds the client asked for (context.only), or all.
    auto wanted = [&params](const std::string& kind) {
      if (!params.contains("context") || !params["context"].contains("only")) return true;
      for (const Json& k : params["context"]["only"]) {
        if (k.is_string() && kind.compare(0, k.get<std::string>().size(), k.get<std::string>()) == 0) return true;
      }
      return false;
    };
    auto doc = docs_.find(uri);
    std::optional<std::string> xl;
    if (doc != docs_.end() && doc->second.config && !doc->second.path.empty() && wanted("refactor")) {
      std::ostringstream out;
      Diagnostics emit_diags;
      EmitOptions options;
      options.file = doc->second.path;
      FindBackend("xl")->emit(*doc->second.config, options, out, &emit_diags);
      if (emit_diags.ErrorCount() == 0) xl = out.str();
    }
    if (xl) {
      // NAME.xl.cfg beside the config, with what `xmc compile --emit xl` writes.
      std::string stem = uri.substr(uri.rfind('/') + 1);
      if (stem.size() > 4 && stem.compare(stem.size() - 4, 4, ".cfg") == 0) stem.resize(stem.size() - 4);
      std::string target = uri.substr(0, uri.rfind('/') + 1) + stem + ".xl.cfg";
      Json insert{{"range", {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}}},
                  {"newText", *xl}};
      actions.push_back(
          {{"title", "Convert to xl.cfg (" + stem + ".xl.cfg)"},
           {"kind", "refactor"},
           {"edit",
            {{"documentChanges",
              Json::array({{{"kind", "create"}, {"uri", target}, {"options", {{"overwrite", true}}}},
                           {{"textDocument", {{"uri", target}, {"version", nullptr}}}, {"edits", {insert}}}})}}}});
    }
    if (!params.contains("context") || !params["context"].contains("diagnostics") || !wanted("quickfix")) {
      return actions;
    }
    for (const Json& d : params["context"]["diagnostics"]) {
      if (!d.contains("data") || !d["data"].is_object() || !d["data"].contains("fix")) continue;
      const Json& fix = d["data"]["fix"];
      actions.push_back({{"title", "Replace with '" + fix.value("newText", std::string()) + "'"},
                         {"kind", "quickfix"},
                         {"diagnostics", Json::array({d})},
                         {"isPreferred", true},
                         {"edit", {{"changes", {{uri, Json::array({fix})}}}}}});
    }
    return actions;
  }

  static void Reply(const Json& id, const Json& result) {
    Transport::Write({{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
  }

  static void Error(const Json& id, int code, const std::string& message) {
    Transport::Write({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
  }

  CommonOptions common_;
  PythonHost* python_;
  Transport transport_;
  std::map<std::string, Document> docs_;
  std::string folder_;                     ///< the workspace folder ("" = none)
  std::map<std::string, OnDisk> on_disk_;  ///< its configs that are not open
  std::set<std::string> published_;        ///< its files (not open) with findings published
  int inotify_fd_ = -1;
  std::optional<Clock::time_point> workspace_due_;
  bool told_truncated_ = false;
  bool code_links_ = false;  ///< the client shows codeDescription links
  bool initialized_ = false;
  bool shutdown_ = false;
};

}  // namespace

int RunLsp(const CommonOptions& common, PythonHost* python) {
  ::signal(SIGPIPE, SIG_IGN);  // an editor that went away ends the session at the next read
  return Server(common, python).Run();
}

}  // namespace xmc::cli
