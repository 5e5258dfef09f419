// What turns a checked DomainConfig into a running domain (namespace xmc::runtime): the
// effects on a hypervisor sit behind two small interfaces, each with a recording fake
// (tests/runtime_fakes.h) and a real implementation that loads Xen's own libraries when
// it runs (xen.cc: libxenlight for domains, libxenstore for XenStore), so that xmc starts
// without them and a machine without Xen gets a clear message, not a loader error.
// The launcher and the monitor (launch.h; daemon.h runs the monitor) use nothing else.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace xmc::runtime {

/// No domain (a failed Create that left none).
inline constexpr uint32_t kNoDomain = ~0u;

/// XenStore: what xmc itself reads and writes (its record of the domains it started).
class XenStore {
 public:
  virtual ~XenStore() = default;
  virtual std::optional<std::string> Read(const std::string& path) = 0;
  virtual bool Write(const std::string& path, const std::string& value) = 0;
  virtual bool Mkdir(const std::string& path) = 0;
  virtual bool Remove(const std::string& path) = 0;  ///< the node and everything below it
  /// Xen permission words: "n0" (dom0 owns it, nobody else may read), "r5", ...
  virtual bool SetPermissions(const std::string& path, const std::vector<std::string>& perms) = 0;
  virtual std::vector<std::string> List(const std::string& path) = 0;
  /// Runs `body` in a transaction, again while the store says EAGAIN (another writer won);
  /// false when `body` returns false or the store fails otherwise.
  virtual bool Transaction(const std::function<bool()>& body) = 0;
};

/// Why a domain stopped running.
enum class Stop { kPoweroff, kReboot, kCrash, kWatchdog, kSoftReset, kSuspend, kGone };

/// The domain driver: libxl's operations, on domains named by their id.
class DomainDriver {
 public:
  virtual ~DomainDriver() = default;
  /// Builds the domain described by libxl JSON (`xmc compile --emit libxl-json`), paused:
  /// libxl makes the domain, sets vCPUs, affinity and memory, builds it and adds its
  /// devices. On failure `error` says which step, and `domid` is the half-made domain's id
  /// when libxl left one (kNoDomain otherwise): the caller destroys it, as xl does.
  virtual bool Create(const std::string& libxl_json, uint32_t* domid, std::string* error) = 0;
  virtual bool Unpause(uint32_t domid, std::string* error) = 0;
  virtual bool Destroy(uint32_t domid, std::string* error) = 0;
  virtual bool Shutdown(uint32_t domid, std::string* error) = 0;
  virtual bool Rename(uint32_t domid, const std::string& name, std::string* error) = 0;
  virtual bool CoreDump(uint32_t domid, const std::string& file, std::string* error) = 0;
  /// Blocks until the domain shuts down (its reason) or is gone (kGone).
  virtual Stop WaitForStop(uint32_t domid) = 0;
  /// Blocks until the domain is gone (a preserved domain, until someone destroys it).
  virtual void WaitForGone(uint32_t domid) = 0;
  /// The id of the running domain called `name`.
  virtual std::optional<uint32_t> Find(const std::string& name) = 0;
  /// Every domain but dom0: (id, name).
  virtual std::vector<std::pair<uint32_t, std::string>> List() = 0;
  /// Saves the domain's memory to `file` (libxl's stream) and `extra` (xmc's plan of it)
  /// to `file`.xmc, then destroys the domain (as `xl save`).
  virtual bool Save(uint32_t domid, const std::string& file, const std::string& extra, std::string* error) = 0;
  /// Restores a saved domain (paused): its JSON from `libxl_json`, its memory from `file`.
  virtual bool Restore(const std::string& libxl_json, const std::string& file, uint32_t* domid, std::string* error) = 0;
  /// The `extra` text saved beside `file`, and removes both (after a restore).
  virtual std::optional<std::string> ReadSaved(const std::string& file) = 0;
  virtual void RemoveSaved(const std::string& file) = 0;
  /// The saved images in `dir` (their paths, by name).
  virtual std::vector<std::string> SavedIn(const std::string& dir) = 0;
};

/// The real ones, or nullptr with `error` (no Xen libraries, not a Xen control domain).
std::unique_ptr<DomainDriver> OpenLibxl(std::string* error);
std::unique_ptr<XenStore> OpenXenStore(std::string* error);

}  // namespace xmc::runtime
