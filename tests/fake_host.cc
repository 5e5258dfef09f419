#include "tests/fake_host.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <functional>

#include "compiler/base/py2.h"

namespace xmc {

using Op = HostRequest::Op;

std::string FakeHost::Resolve(const std::string& path, bool* loop, int depth) const {
  std::string p = py2::NormPath(!path.empty() && path[0] == '/' ? path : cwd + "/" + path);
  if (depth > 40) {
    if (loop) *loop = true;
    return p;
  }
  // Resolve the longest symlinked prefix.
  for (const auto& [link, target] : links) {
    if (p == link || p.compare(0, link.size() + 1, link + "/") == 0) {
      std::string dir = link.substr(0, link.rfind('/'));
      std::string to = target[0] == '/' ? target : (dir.empty() ? "" : dir) + "/" + target;
      return Resolve(to + p.substr(link.size()), loop, depth + 1);
    }
  }
  return p;
}

HostReply FakeHost::Ask(const HostRequest& q) const {
  asked.push_back(q);
  auto is_dir = [&](const std::string& p) {
    if (p == "/") return true;
    for (const auto& [k, v] : files) {
      if (k.compare(0, p.size() + 1, p + "/") == 0) return true;
    }
    for (const auto& [k, v] : links) {
      if (k.compare(0, p.size() + 1, p + "/") == 0) return true;
    }
    return false;
  };
  switch (q.op) {
    case Op::kStat:
    case Op::kLstat: {
      std::string norm = py2::NormPath(!q.path.empty() && q.path[0] == '/' ? q.path : cwd + "/" + q.path);
      HostReply r = ReplyOk();
      if (q.op == Op::kLstat && links.count(norm)) {
        r.info.kind = FileInfo::Kind::kSymlink;
        return r;
      }
      bool loop = false;
      std::string p = Resolve(q.path, &loop);
      if (loop) return ReplyError(ELOOP);
      if (auto it = files.find(p); it != files.end()) {
        r.info.kind = FileInfo::Kind::kFile;
        r.info.size = it->second.size();
        r.info.mode = S_IFREG | 0644;
      } else if (is_dir(p)) {
        r.info.kind = FileInfo::Kind::kDirectory;
        r.info.mode = S_IFDIR | 0755;
      } else {
        return ReplyError(ENOENT);
      }
      r.info.inode = std::hash<std::string>{}(p);
      return r;
    }
    case Op::kReadFile: {
      auto it = files.find(Resolve(q.path));
      if (it == files.end()) return ReplyError(is_dir(Resolve(q.path)) ? EISDIR : ENOENT);
      return ReplyOk(it->second);
    }
    case Op::kListDir: {
      std::string p = Resolve(q.path);
      if (!is_dir(p)) return ReplyError(ENOTDIR);
      HostReply r = ReplyOk();
      std::string prefix = p == "/" ? "/" : p + "/";
      auto add = [&](const std::string& k) {
        if (k.compare(0, prefix.size(), prefix) != 0) return;
        std::string rest = k.substr(prefix.size());
        rest = rest.substr(0, rest.find('/'));
        if (std::find(r.names.begin(), r.names.end(), rest) == r.names.end()) r.names.push_back(rest);
      };
      for (const auto& [k, v] : files) add(k);
      for (const auto& [k, v] : links) add(k);
      std::sort(r.names.begin(), r.names.end());
      return r;
    }
    case Op::kRealPath: {
      bool loop = false;
      HostReply r = ReplyOk();
      r.data = Resolve(q.path, &loop);
      if (loop) return ReplyError(ELOOP);
      return r;
    }
    case Op::kCwd: {
      return ReplyOk(cwd);
    }
    case Op::kGetenv: {
      auto it = env.find(q.path);
      if (it == env.end()) return ReplyError(ENOENT);
      return ReplyOk(it->second);
    }
    case Op::kEnviron: {
      HostReply r = ReplyOk();
      r.environ = env;
      return r;
    }
    case Op::kPasswdHome: {
      return ReplyOk(home);
    }
    case Op::kUname: {
      HostReply r = ReplyOk();
      r.names = uname;
      return r;
    }
    case Op::kTime: {
      HostReply r = ReplyOk();
      r.number = time;
      return r;
    }
    case Op::kRandom: {
      // Bytes 0, 1, 2, ...: repeatable.
      HostReply r = ReplyOk();
      for (uint64_t i = 0; i < q.count; ++i) r.data += static_cast<char>(i);
      return r;
    }
    case Op::kIfAddr: return ReplyError(ENODEV);
  }
  return ReplyError(EINVAL);
}

}  // namespace xmc
