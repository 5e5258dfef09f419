// The real XenStore client and domain driver. Xen's libraries are loaded when they are
// first needed (dlopen), not linked: xmc starts as fast without them, runs where they are
// absent, and says so when a domain is to be started there. Only their headers are
// needed to build this file (libxen-dev); without them XMC_HAVE_XEN is unset and both
// Open functions say that this build cannot start domains.
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "runtime/runtime.h"

#ifdef XMC_HAVE_XEN
#include <libxl.h>
#include <libxl_utils.h>
#include <xenstore.h>
#include <xentoollog.h>
#endif

namespace xmc::runtime {

#ifndef XMC_HAVE_XEN

std::unique_ptr<DomainDriver> OpenLibxl(std::string* error) {
  *error = "this build of xmc cannot start domains (it was built without Xen's libxl headers, libxen-dev)";
  return nullptr;
}
std::unique_ptr<XenStore> OpenXenStore(std::string* error) { return OpenLibxl(error), nullptr; }

#else

namespace {

/// libxl's INVALID_DOMID is the int ~0; a domid is a uint32_t.
constexpr uint32_t kInvalidDomid = static_cast<uint32_t>(INVALID_DOMID);

/// A function of a dlopen()ed library, by the type of its declaration in the header.
template <typename F>
bool Load(void* lib, const char* name, F** fn, std::string* error) {
  *fn = reinterpret_cast<F*>(::dlsym(lib, name));
  if (*fn == nullptr) *error = std::string("no ") + name + " in Xen's libraries";
  return *fn != nullptr;
}

void* OpenLibrary(const char* soname, std::string* error) {
  void* lib = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) *error = std::string("cannot load ") + soname + " (are Xen's tools installed?): " + ::dlerror();
  return lib;
}

class LibXenStore : public XenStore {
 public:
  bool Open(std::string* error) {
    void* lib = OpenLibrary("libxenstore.so.4", error);
    if (lib == nullptr) return false;
    bool ok = Load(lib, "xs_open", &open_, error) && Load(lib, "xs_close", &close_, error) &&
              Load(lib, "xs_read", &read_, error) && Load(lib, "xs_write", &write_, error) &&
              Load(lib, "xs_mkdir", &mkdir_, error) && Load(lib, "xs_rm", &rm_, error) &&
              Load(lib, "xs_set_permissions", &perms_, error) && Load(lib, "xs_directory", &dir_, error) &&
              Load(lib, "xs_transaction_start", &start_, error) && Load(lib, "xs_transaction_end", &end_, error);
    if (!ok) return false;
    h_ = open_(0);
    if (h_ == nullptr) *error = std::string("cannot connect to xenstored: ") + std::strerror(errno);
    return h_ != nullptr;
  }
  ~LibXenStore() override {
    if (h_ != nullptr) close_(h_);
  }

  std::optional<std::string> Read(const std::string& path) override {
    unsigned len = 0;
    char* v = static_cast<char*>(read_(h_, t_, path.c_str(), &len));
    if (v == nullptr) return std::nullopt;
    std::string s(v, len);
    std::free(v);
    return s;
  }
  bool Write(const std::string& path, const std::string& value) override {
    return write_(h_, t_, path.c_str(), value.data(), static_cast<unsigned>(value.size()));
  }
  bool Mkdir(const std::string& path) override { return mkdir_(h_, t_, path.c_str()); }
  bool Remove(const std::string& path) override { return rm_(h_, t_, path.c_str()) || errno == ENOENT; }
  bool SetPermissions(const std::string& path, const std::vector<std::string>& words) override {
    std::vector<xs_permissions> perms;
    for (const std::string& w : words) {
      if (w.size() < 2) return false;
      unsigned bits = w[0] == 'r' ? XS_PERM_READ : w[0] == 'w' ? XS_PERM_WRITE : w[0] == 'b' ? 3 : XS_PERM_NONE;
      perms.push_back({static_cast<unsigned>(std::strtoul(w.c_str() + 1, nullptr, 10)), bits});
    }
    return perms_(h_, t_, path.c_str(), perms.data(), static_cast<unsigned>(perms.size()));
  }
  std::vector<std::string> List(const std::string& path) override {
    unsigned n = 0;
    char** names = dir_(h_, t_, path.c_str(), &n);
    std::vector<std::string> out(names, names + (names ? n : 0));
    std::free(names);
    return out;
  }
  bool Transaction(const std::function<bool()>& body) override {
    for (int attempt = 0; attempt < 100; ++attempt) {
      t_ = start_(h_);
      if (t_ == XBT_NULL) return false;
      bool ok = body();
      xs_transaction_t t = t_;
      t_ = XBT_NULL;
      if (end_(h_, t, !ok)) return ok;
      if (!ok || errno != EAGAIN) return false;  // EAGAIN: another writer won; again
    }
    return false;
  }

 private:
  decltype(&xs_open) open_ = nullptr;
  decltype(&xs_close) close_ = nullptr;
  decltype(&xs_read) read_ = nullptr;
  decltype(&xs_write) write_ = nullptr;
  decltype(&xs_mkdir) mkdir_ = nullptr;
  decltype(&xs_rm) rm_ = nullptr;
  decltype(&xs_set_permissions) perms_ = nullptr;
  decltype(&xs_directory) dir_ = nullptr;
  decltype(&xs_transaction_start) start_ = nullptr;
  decltype(&xs_transaction_end) end_ = nullptr;
  xs_handle* h_ = nullptr;
  xs_transaction_t t_ = XBT_NULL;
};

// Every libxl function the driver calls: declared and loaded from this one list, so
// that none can be used without being loaded.
#define XMC_LIBXL_FUNCTIONS(X)                      \
  X(libxl_ctx_alloc, ctx_alloc_)                    \
  X(libxl_ctx_free, ctx_free_)                      \
  X(libxl_domain_config_init, config_init_)         \
  X(libxl_domain_config_dispose, config_dispose_)   \
  X(libxl_domain_config_from_json, from_json_)      \
  X(libxl_domain_create_new, create_)               \
  X(libxl_domain_unpause, unpause_)                 \
  X(libxl_domain_destroy, destroy_)                 \
  X(libxl_domain_shutdown, shutdown_)               \
  X(libxl_domain_rename, rename_)                   \
  X(libxl_domain_core_dump, core_dump_)             \
  X(libxl_evenable_domain_death, evenable_)         \
  X(libxl_evdisable_domain_death, evdisable_)       \
  X(libxl_event_wait, event_wait_)                  \
  X(libxl_event_free, event_free_)                  \
  X(libxl_name_to_domid, name_to_domid_)            \
  X(libxl_domain_info, info_)                       \
  X(libxl_list_domain, list_)                       \
  X(libxl_dominfo_list_free, list_free_)            \
  X(libxl_domid_to_name, domid_to_name_)            \
  X(libxl_domain_suspend, suspend_)                 \
  X(libxl_domain_create_restore, restore_)          \
  X(libxl_domain_restore_params_init, params_init_) \
  X(libxl_domain_restore_params_dispose, params_dispose_)
#define XMC_DECLARE(symbol, member) decltype(&symbol) member = nullptr;
#define XMC_LOAD(symbol, member) &&Load(xl, #symbol, &member, error)

class Libxl : public DomainDriver {
 public:
  bool Open(std::string* error) {
    void* log = OpenLibrary("libxentoollog.so.1", error);
    void* xl = log ? OpenLibrary("libxenlight.so.4.17", error) : nullptr;
    if (xl == nullptr) return false;
    bool ok = Load(log, "xtl_createlogger_stdiostream", &logger_, error) &&
              Load(log, "xtl_logger_destroy", &logger_destroy_, error) XMC_LIBXL_FUNCTIONS(XMC_LOAD);
    if (!ok) return false;
    // libxl's own messages go to a buffer: a failure's message quotes its last errors.
    log_file_ = ::open_memstream(&log_text_, &log_size_);
    lg_ = logger_(log_file_, XTL_ERROR, 0);
    if (ctx_alloc_(&ctx_, LIBXL_VERSION, 0, reinterpret_cast<xentoollog_logger*>(lg_)) != 0) {
      *error = "cannot open libxl (is this a Xen control domain, and are you root?)" + LastErrors();
      return false;
    }
    return true;
  }
  ~Libxl() override {
    if (ctx_ != nullptr) ctx_free_(ctx_);
    if (lg_ != nullptr) logger_destroy_(reinterpret_cast<xentoollog_logger*>(lg_));
    if (log_file_ != nullptr) std::fclose(log_file_);
    std::free(log_text_);
  }

  bool Create(const std::string& json, uint32_t* domid, std::string* error) override {
    libxl_domain_config config;
    config_init_(&config);
    Mark();
    int rc = from_json_(ctx_, &config, json.c_str());
    if (rc != 0) {
      config_dispose_(&config);
      *error = "libxl cannot read the domain's JSON (" + std::to_string(rc) + ")" + LastErrors();
      return false;
    }
    *domid = kInvalidDomid;
    rc = create_(ctx_, &config, domid, nullptr, nullptr);
    config_dispose_(&config);
    if (rc != 0) {
      *error = "libxl could not create the domain (" + std::to_string(rc) + ")" + LastErrors();
      // libxl may name an id it never made a domain of (a disk refused before building).
      if (*domid == kInvalidDomid || info_(ctx_, nullptr, *domid) != 0) *domid = kNoDomain;
    }
    return rc == 0;
  }
  bool Unpause(uint32_t domid, std::string* error) override {
    return Check(unpause_(ctx_, domid, nullptr), "unpause", error);
  }
  bool Destroy(uint32_t domid, std::string* error) override {
    return Check(destroy_(ctx_, domid, nullptr), "destroy", error);
  }
  bool Shutdown(uint32_t domid, std::string* error) override {
    return Check(shutdown_(ctx_, domid, nullptr), "shutdown", error);
  }
  bool Rename(uint32_t domid, const std::string& name, std::string* error) override {
    return Check(rename_(ctx_, domid, nullptr, name.c_str()), "rename", error);
  }
  bool CoreDump(uint32_t domid, const std::string& file, std::string* error) override {
    return Check(core_dump_(ctx_, domid, file.c_str(), nullptr), "core dump", error);
  }
  void WaitForGone(uint32_t domid) override {
    while (info_(ctx_, nullptr, domid) == 0) {
      libxl_evgen_domain_death* watch = nullptr;
      if (evenable_(ctx_, domid, 0, &watch) != 0) return;
      libxl_event* event = nullptr;
      bool gone = false;
      while (!gone && event_wait_(ctx_, &event, LIBXL_EVENTMASK_ALL, nullptr, nullptr) == 0) {
        gone = event->domid == domid && event->type == LIBXL_EVENT_TYPE_DOMAIN_DEATH;
        event_free_(ctx_, event);
      }
      evdisable_(ctx_, watch);
      if (gone) return;
    }
  }
  Stop WaitForStop(uint32_t domid) override {
    libxl_evgen_domain_death* watch = nullptr;
    if (evenable_(ctx_, domid, 0, &watch) != 0) return Stop::kGone;
    Stop why = Stop::kGone;
    for (;;) {
      libxl_event* event = nullptr;
      if (event_wait_(ctx_, &event, LIBXL_EVENTMASK_ALL, nullptr, nullptr) != 0) break;
      bool done = false;
      if (event->domid == domid && event->type == LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN) {
        switch (event->u.domain_shutdown.shutdown_reason) {
          case LIBXL_SHUTDOWN_REASON_POWEROFF: why = Stop::kPoweroff; break;
          case LIBXL_SHUTDOWN_REASON_REBOOT: why = Stop::kReboot; break;
          case LIBXL_SHUTDOWN_REASON_SUSPEND: why = Stop::kSuspend; break;
          case LIBXL_SHUTDOWN_REASON_WATCHDOG: why = Stop::kWatchdog; break;
          case LIBXL_SHUTDOWN_REASON_SOFT_RESET: why = Stop::kSoftReset; break;
          default: why = Stop::kCrash; break;
        }
        done = true;
      } else if (event->domid == domid && event->type == LIBXL_EVENT_TYPE_DOMAIN_DEATH) {
        why = Stop::kGone;
        done = true;
      }
      event_free_(ctx_, event);
      if (done) break;
    }
    evdisable_(ctx_, watch);
    return why;
  }
  std::optional<uint32_t> Find(const std::string& name) override {
    uint32_t domid = 0;
    if (name_to_domid_(ctx_, name.c_str(), &domid) != 0) return std::nullopt;
    return domid;
  }
  std::vector<std::pair<uint32_t, std::string> > List() override {
    int n = 0;
    libxl_dominfo* info = list_(ctx_, &n);
    std::vector<std::pair<uint32_t, std::string> > out;
    for (int i = 0; info != nullptr && i < n; ++i) {
      if (info[i].domid == 0) continue;
      char* name = domid_to_name_(ctx_, info[i].domid);
      out.emplace_back(info[i].domid, name ? name : "");
      std::free(name);
    }
    if (info != nullptr) list_free_(info, n);
    return out;
  }
  bool Save(uint32_t domid, const std::string& file, const std::string& extra, std::string* error) override {
    if (!WriteAll(file + ".xmc", extra, error)) return false;
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
      *error = "cannot write " + file + ": " + std::strerror(errno);
      return false;
    }
    Mark();
    int rc = suspend_(ctx_, domid, fd, 0, nullptr);
    ::close(fd);
    if (rc != 0) {
      *error = "libxl could not save the domain (" + std::to_string(rc) + ")" + LastErrors();
      ::unlink(file.c_str());
      ::unlink((file + ".xmc").c_str());
      return false;
    }
    return Destroy(domid, error);
  }
  bool Restore(const std::string& json, const std::string& file, uint32_t* domid, std::string* error) override {
    libxl_domain_config config;
    config_init_(&config);
    Mark();
    if (int rc = from_json_(ctx_, &config, json.c_str()); rc != 0) {
      config_dispose_(&config);
      *error = "libxl cannot read the domain's JSON (" + std::to_string(rc) + ")" + LastErrors();
      return false;
    }
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      config_dispose_(&config);
      *error = "cannot read " + file + ": " + std::strerror(errno);
      return false;
    }
    libxl_domain_restore_params params;
    params_init_(&params);
    params.stream_version = 2;  // what libxl_domain_suspend writes
    *domid = kInvalidDomid;
    int rc = restore_(ctx_, &config, domid, fd, -1, &params, nullptr, nullptr);
    ::close(fd);
    params_dispose_(&params);
    config_dispose_(&config);
    if (rc != 0) {
      *error = "libxl could not restore the domain (" + std::to_string(rc) + ")" + LastErrors();
      if (*domid == kInvalidDomid) *domid = kNoDomain;
    }
    return rc == 0;
  }
  std::optional<std::string> ReadSaved(const std::string& file) override {
    int fd = ::open((file + ".xmc").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::string text;
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
    ::close(fd);
    return text;
  }
  void RemoveSaved(const std::string& file) override {
    ::unlink(file.c_str());
    ::unlink((file + ".xmc").c_str());
  }
  std::vector<std::string> SavedIn(const std::string& dir) override {
    std::vector<std::string> out;
    if (DIR* d = ::opendir(dir.c_str())) {
      while (dirent* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name.size() > 4 && name.compare(name.size() - 4, 4, ".xmc") == 0)
          out.push_back(dir + "/" + name.substr(0, name.size() - 4));
      }
      ::closedir(d);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  static bool WriteAll(const std::string& path, const std::string& text, std::string* error) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    if (!ok) *error = "cannot write " + path + ": " + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return ok;
  }
  bool Check(int rc, const char* what, std::string* error) {
    if (rc != 0) *error = std::string("libxl could not ") + what + " the domain (" + std::to_string(rc) + ")";
    return rc == 0;
  }
  void Mark() {
    std::fflush(log_file_);
    mark_ = log_size_;
  }
  /// libxl's error lines since the last Mark(), at most the last three.
  std::string LastErrors() {
    std::fflush(log_file_);
    if (log_text_ == nullptr || log_size_ <= mark_) return "";
    std::string text(log_text_ + mark_, log_size_ - mark_);
    std::vector<std::string> lines;
    for (size_t at = 0; at < text.size();) {
      size_t nl = text.find('\n', at);
      std::string line = text.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
      if (!line.empty()) lines.push_back(line);
      at = nl == std::string::npos ? text.size() : nl + 1;
    }
    std::string out;
    for (size_t i = lines.size() > 3 ? lines.size() - 3 : 0; i < lines.size(); ++i) out += "\n  " + lines[i];
    return out;
  }

  decltype(&xtl_createlogger_stdiostream) logger_ = nullptr;
  decltype(&xtl_logger_destroy) logger_destroy_ = nullptr;
  XMC_LIBXL_FUNCTIONS(XMC_DECLARE)
  xentoollog_logger_stdiostream* lg_ = nullptr;
  libxl_ctx* ctx_ = nullptr;
  FILE* log_file_ = nullptr;
  char* log_text_ = nullptr;
  size_t log_size_ = 0;
  size_t mark_ = 0;
};

}  // namespace

std::unique_ptr<DomainDriver> OpenLibxl(std::string* error) {
  auto d = std::make_unique<Libxl>();
  if (!d->Open(error)) return nullptr;
  return d;
}

std::unique_ptr<XenStore> OpenXenStore(std::string* error) {
  auto s = std::make_unique<LibXenStore>();
  if (!s->Open(error)) return nullptr;
  return s;
}

#endif

}  // namespace xmc::runtime
