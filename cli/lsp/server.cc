// xmc lsp: a language server (LSP 3.17, JSON-RPC over stdin and stdout) for editors. It
// checks each open buffer as `xmc check` checks a file, from the buffer's unsaved text,
// and publishes the findings; hover shows a variable's documentation, completion offers
// variable names and enum values, and every did-you-mean is a quick fix. Configs with
// code run in the sandbox (one worker per session). Positions are UTF-16 code units, as
// the protocol requires; xmc's own columns are bytes.
#include <signal.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <map>
#include <optional>
#include <set>
#include <string>

#include "cli/commands.h"
#include "cli/lsp/documents.h"
#include "cli/lsp/features.h"
#include "cli/lsp/protocol.h"
#include "compiler/host/host.h"
#include "compiler/pipeline.h"
#include "compiler/tree/check_paths.h"
#include "compiler/tree/cross_file.h"
#include "compiler/tree/walk.h"
#include "version.h"

namespace xmc::cli {
namespace {

using namespace lsp;  // NOLINT(google-build-using-namespace): the server is the lsp's

/// The most files of the workspace folder the cross-file checks take (a folder opened at
/// the top of a home directory or a large repository must not be compiled whole).
constexpr size_t kWorkspaceFiles = 1000;

/// What makes the server look at the folder again: a file written, moved, made or removed.
constexpr uint32_t kWatchEvents = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE;

class Server {
 public:
  Server(const CommonOptions& common, PythonHost* python) : common_(common), python_(python) {
    // Portable by default: an editor's machine is seldom the Xen host the config is for.
    common_.session.host = "no";
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
      const Document* doc = Find(params);
      Reply(id, doc ? Hover(*doc, params) : Json(nullptr));
    } else if (method == "textDocument/completion") {
      const Document* doc = Find(params);
      Reply(id, doc ? Completion(*doc, params) : Json::array());
    } else if (method == "textDocument/codeAction") {
      Reply(id, CodeActions(Find(params), params));
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
    if (o.contains("host") && o["host"].is_string()) common_.session.host = o["host"] == "yes" ? "yes" : "no";
    if (o.contains("root") && o["root"].is_string()) {
      common_.session.root = o["root"];
      if (!o.contains("host")) common_.session.host = "yes";  // as --root does on the command line
    }
    if (o.contains("evalTimeout") && o["evalTimeout"].is_number() && o["evalTimeout"].get<double>() >= 0) {
      common_.session.eval_timeout = o["evalTimeout"];
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
    RealHost host(common_.session.root);
    Compilation c = Compile(Request(path, doc.text), host, python_);
    SourceFile source(path, doc.text);
    LspPrinter own(code_links_);
    for (const Diagnostic& d : c.diags.all()) {
      if (d.file == path) own.Print(d, &source);
    }
    doc.own = std::move(own.diagnostics);
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
    RealHost real;
    std::optional<FileInfo> info = real.Stat(path);
    if (!info || info->kind != FileInfo::Kind::kFile) return nullptr;
    OnDisk& f = on_disk_[path];
    if (f.seen.kind != FileInfo::Kind::kFile || f.seen.mtime != info->mtime || f.seen.mtime_nsec != info->mtime_nsec ||
        f.seen.size != info->size || f.seen.inode != info->inode || f.seen.device != info->device) {
      f.seen = *info;
      std::string error;
      auto text = real.ReadFile(path, &error, common_.session.max_input_kib * 1024);
      f.text = text ? *text : std::string();
      f.facts.clear();
      if (text && !LooksBinary(*text)) {
        RealHost host(common_.session.root);
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
      auto text_of = [this](const std::string& file) { return TextOf(file); };
      LspPrinter printer(code_links_, text_of);
      std::map<std::string, SourceFile> sources;
      PrintAll(
          found.all(),
          [&](const std::string& file) {
            const std::string* text = TextOf(file);
            return &sources.try_emplace(file, file, text ? *text : std::string()).first->second;
          },
          printer);
      for (size_t i = 0; i < found.all().size(); ++i) cross[found.all()[i].file].push_back(printer.diagnostics[i]);
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

  /// The open document a request names, or nullptr.
  const Document* Find(const Json& params) const {
    auto it = docs_.find(params.at("textDocument").at("uri").get<std::string>());
    return it == docs_.end() ? nullptr : &it->second;
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
