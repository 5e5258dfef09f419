// Recording fakes of the runtime's interfaces, for tests: every operation is logged in
// order ("create", "write /xmc/domain/1/name=web", ...), state is kept (nodes, domains),
// and any operation can be made to fail (fail_at: the operation's name).
#pragma once

#include <deque>
#include <map>
#include <set>

#include "runtime/launch.h"

namespace xmc::runtime {

class FakeXenStore : public XenStore {
 public:
  std::vector<std::string> log;
  std::map<std::string, std::string> nodes;  ///< path -> value ("" for a directory)
  std::map<std::string, std::vector<std::string>> perms;
  std::set<std::string> fail_at;  ///< "write", "mkdir", "transaction", ...
  int eagain = 0;                 ///< transactions that end with EAGAIN before one succeeds

  std::optional<std::string> Read(const std::string& path) override {
    auto it = nodes.find(path);
    return it == nodes.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  bool Write(const std::string& path, const std::string& value) override {
    log.push_back("write " + path + "=" + value);
    if (fail_at.count("write")) return false;
    staged()[path] = value;
    return true;
  }
  bool Mkdir(const std::string& path) override {
    log.push_back("mkdir " + path);
    if (fail_at.count("mkdir")) return false;
    staged()[path];
    return true;
  }
  bool Remove(const std::string& path) override {
    log.push_back("rm " + path);
    for (auto it = staged().begin(); it != staged().end();) {
      bool below = it->first == path || it->first.rfind(path + "/", 0) == 0;
      it = below ? staged().erase(it) : std::next(it);
    }
    return true;
  }
  bool SetPermissions(const std::string& path, const std::vector<std::string>& p) override {
    log.push_back("perms " + path);
    if (fail_at.count("perms")) return false;
    perms[path] = p;
    return true;
  }
  std::vector<std::string> List(const std::string& path) override {
    std::vector<std::string> out;
    for (const auto& [p, v] : nodes) {
      if (p.rfind(path + "/", 0) == 0 && p.find('/', path.size() + 1) == std::string::npos)
        out.push_back(p.substr(path.size() + 1));
    }
    return out;
  }
  bool Transaction(const std::function<bool()>& body) override {
    for (;;) {
      log.push_back("transaction");
      if (fail_at.count("transaction")) return false;
      pending_ = nodes;
      in_ = true;
      bool ok = body();
      in_ = false;
      if (ok && eagain > 0) {  // another writer won: nothing of this attempt stays
        --eagain;
        log.push_back("eagain");
        continue;
      }
      if (ok) nodes = pending_;
      log.push_back(ok ? "commit" : "abort");
      return ok;
    }
  }

 private:
  std::map<std::string, std::string>& staged() { return in_ ? pending_ : nodes; }
  std::map<std::string, std::string> pending_;
  bool in_ = false;
};

class FakeDriver : public DomainDriver {
 public:
  std::vector<std::string> log;
  std::map<uint32_t, std::string> domains;  ///< domid -> name (existing domains)
  std::set<uint32_t> paused;
  std::vector<std::string> created_json;  ///< what Create was handed, in order
  /// "create", "create-half" (fails, leaving the domain), "unpause", "destroy", "rename", "coredump"
  std::set<std::string> fail_at;
  std::deque<Stop> stops;  ///< what WaitForStop returns, in turn (then kGone: the domain goes)
  uint32_t next_domid = 1;

  bool Create(const std::string& json, uint32_t* domid, std::string* error) override {
    log.push_back("create");
    created_json.push_back(json);
    if (fail_at.count("create")) return Fail("create", error);
    *domid = next_domid++;
    domains[*domid] = NameIn(json);
    paused.insert(*domid);
    return fail_at.count("create-half") ? Fail("create", error) : true;
  }
  bool Unpause(uint32_t domid, std::string* error) override {
    log.push_back("unpause " + std::to_string(domid));
    if (fail_at.count("unpause")) return Fail("unpause", error);
    paused.erase(domid);
    return true;
  }
  bool Destroy(uint32_t domid, std::string* error) override {
    log.push_back("destroy " + std::to_string(domid));
    if (fail_at.count("destroy")) return Fail("destroy", error);
    domains.erase(domid);
    paused.erase(domid);
    return true;
  }
  bool Shutdown(uint32_t domid, std::string* error) override {
    log.push_back("shutdown " + std::to_string(domid));
    if (fail_at.count("shutdown")) return Fail("shutdown", error);
    if (!stubborn.count(domains[domid])) domains.erase(domid);  // it powers off (on_poweroff=destroy)
    return true;
  }
  bool Rename(uint32_t domid, const std::string& name, std::string* error) override {
    log.push_back("rename " + std::to_string(domid) + " " + name);
    if (fail_at.count("rename")) return Fail("rename", error);
    domains[domid] = name;
    return true;
  }
  bool CoreDump(uint32_t domid, const std::string& file, std::string* error) override {
    log.push_back("coredump " + std::to_string(domid) + " " + file);
    return fail_at.count("coredump") ? Fail("coredump", error) : true;
  }
  Stop WaitForStop(uint32_t domid) override {
    log.push_back("wait " + std::to_string(domid));
    if (stops.empty()) {  // destroyed by someone else
      domains.erase(domid);
      return Stop::kGone;
    }
    Stop s = stops.front();
    stops.pop_front();
    return s;
  }
  void WaitForGone(uint32_t domid) override {  // someone destroys it
    log.push_back("wait-gone " + std::to_string(domid));
    domains.erase(domid);
  }
  std::optional<uint32_t> Find(const std::string& name) override {
    for (const auto& [id, n] : domains) {
      if (n == name) return id;
    }
    return std::nullopt;
  }
  std::vector<std::pair<uint32_t, std::string>> List() override { return {domains.begin(), domains.end()}; }
  /// Saved images: file -> (the domain's name, extra).
  std::map<std::string, std::pair<std::string, std::string>> saved;
  /// Domains that ignore a shutdown request (they stay until destroyed).
  std::set<std::string> stubborn;
  bool Save(uint32_t domid, const std::string& file, const std::string& extra, std::string* error) override {
    log.push_back("save " + std::to_string(domid) + " " + file);
    if (fail_at.count("save")) return Fail("save", error);
    saved[file] = {domains[domid], extra};
    domains.erase(domid);
    return true;
  }
  bool Restore(const std::string& json, const std::string& file, uint32_t* domid, std::string* error) override {
    log.push_back("restore " + file);
    if (fail_at.count("restore") || !saved.count(file)) return Fail("restore", error);
    *domid = next_domid++;
    domains[*domid] = NameIn(json);
    paused.insert(*domid);
    return true;
  }
  std::optional<std::string> ReadSaved(const std::string& file) override {
    auto it = saved.find(file);
    return it == saved.end() ? std::nullopt : std::optional<std::string>(it->second.second);
  }
  void RemoveSaved(const std::string& file) override { saved.erase(file); }
  std::vector<std::string> SavedIn(const std::string& dir) override {
    std::vector<std::string> out;
    for (const auto& [file, what] : saved) {
      if (file.rfind(dir + "/", 0) == 0) out.push_back(file);
    }
    return out;
  }

 private:
  static bool Fail(const std::string& what, std::string* error) {
    *error = "injected " + what + " failure";
    return false;
  }
  /// c_info.name of libxl JSON, found by text (enough for the fake).
  static std::string NameIn(const std::string& json) {
    size_t at = json.find("\"name\": \"");
    if (at == std::string::npos) return "";
    at += 9;
    return json.substr(at, json.find('"', at) - at);
  }
};

class FakeMonitorStarter : public MonitorStarter {
 public:
  std::vector<uint32_t> started;
  bool fail = false;
  bool Start(const LaunchPlan&, uint32_t domid, std::string* error) override {
    if (fail) {
      *error = "injected monitor failure";
      return false;
    }
    started.push_back(domid);
    return true;
  }
};

}  // namespace xmc::runtime
