// Windows enrichment for the live sources, on the watcher's thread. Every lookup is best-effort and
// bounded: a failure leaves its field empty. Only built for Windows; under Wine the WFP engine is the
// stand-in fwpuclnt.dll's (test/wine/), which knows the filters a test gives it, and the fixtures'
// devices and PIDs are not this machine's, so the Wine suite checks filter names and that the other
// lookups fail soft. The real Windows workflow checks the values.
#include <windows.h>

#include <fwpmu.h>
#include <shlwapi.h>

#include <chrono>
#include <iterator>
#include <list>
#include <unordered_map>

#include "enrich/device_map.h"
#include "enrich/enricher.h"
#include "win/wfp_engine.h"
#include "win/wide.h"

namespace wfp {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kRefreshAtMost = std::chrono::seconds(10);  // device map and service table, on a miss
constexpr auto kFilterTtl = std::chrono::seconds(60);      // run-time filter IDs change: keep names briefly
constexpr size_t kFilterCacheSize = 512;
constexpr auto kProcessTtl = std::chrono::seconds(5);
constexpr size_t kProcessCacheSize = 4096;

std::string Narrowed(const wchar_t* s) {
  std::string out;
  if (s) Narrow(s, wcslen(s), out);
  return out;
}

// A small least-recently-used map with an age limit.
template <typename Key, typename Value>
class LruCache {
 public:
  const Value* Find(const Key& key, Clock::time_point now) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    if (now - it->second->at > kFilterTtl) {
      order_.erase(it->second);
      index_.erase(it);
      return nullptr;
    }
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->value;
  }
  void Put(const Key& key, Value value, Clock::time_point now) {
    if (auto it = index_.find(key); it != index_.end()) {
      order_.erase(it->second);
      index_.erase(it);
    }
    order_.push_front(Entry{key, std::move(value), now});
    index_[key] = order_.begin();
    if (order_.size() > kFilterCacheSize) {
      index_.erase(order_.back().key);
      order_.pop_back();
    }
  }

 private:
  struct Entry {
    Key key;
    Value value;
    Clock::time_point at;
  };
  std::list<Entry> order_;
  std::unordered_map<Key, typename std::list<Entry>::iterator> index_;
};

struct FilterInfo {
  std::optional<std::string> name, description, provider;
};

class WindowsEnricher final : public Enricher {
 public:
  explicit WindowsEnricher(std::shared_ptr<WfpEngine> engine) : engine_(std::move(engine)) {}

  void Enrich(const BlockEvent& e, Enrichment& out) override {
    const Clock::time_point now = Clock::now();
    if (e.application) out.applicationPath = ApplicationPath(*e.application, now);
    if (e.pid) Process(*e.pid, e.timeMs, now, out);
    if (e.filterId && *e.filterId != 0) {
      FilterInfo info = Filter(*e.filterId, now);
      out.filterName = info.name;
      out.filterDescription = info.description;
      out.filterProvider = info.provider;
    }
    if (e.filterOrigin) out.ruleName = RuleName(*e.filterOrigin);
  }

 private:
  std::optional<std::string> ApplicationPath(std::string_view path, Clock::time_point now) {
    if (devices_.empty() || lastDeviceRefresh_ == Clock::time_point{}) RefreshDevices(now);
    std::optional<std::string> dos = devices_.ToDosPath(path);
    if (!dos && now - lastDeviceRefresh_ > kRefreshAtMost) {  // a volume mounted since the last look
      RefreshDevices(now);
      dos = devices_.ToDosPath(path);
    }
    return dos;
  }

  void RefreshDevices(Clock::time_point now) {
    lastDeviceRefresh_ = now;
    std::vector<std::pair<std::string, std::string>> map;
    wchar_t drive[3] = L"A:";
    const DWORD drives = GetLogicalDrives();
    for (int i = 0; i < 26; ++i) {
      if (!(drives & (1u << i))) continue;
      drive[0] = static_cast<wchar_t>(L'A' + i);
      wchar_t target[1024];
      if (QueryDosDeviceW(drive, target, static_cast<DWORD>(std::size(target)))) map.emplace_back(Narrowed(target), Narrowed(drive));
    }
    devices_.Assign(std::move(map));
  }

  void Process(uint64_t pid, double eventMs, Clock::time_point now, Enrichment& out) {
    if (pid == 0) return;  // no owning process
    if (pid == 4) {
      out.processName = "System";
      return;
    }
    // A flood repeats the same PIDs: look each up once in a while, not once per event.
    auto cached = processes_.find(pid);
    if (cached == processes_.end() || now - cached->second.at > kProcessTtl) {
      if (processes_.size() > kProcessCacheSize) processes_.clear();
      cached = processes_.insert_or_assign(pid, LookUpProcess(pid, now)).first;
    }
    const ProcessInfo& p = cached->second;
    // A process created after the event holds a reused PID: it is not the one that was blocked.
    if (!p.name || p.createdMs > eventMs + 1000) return;
    out.processName = p.name;
    if (_stricmp(p.name->c_str(), "svchost.exe") == 0) out.services = Services(pid, now);
  }

  struct ProcessInfo {
    std::optional<std::string> name;
    double createdMs = 0;
    Clock::time_point at;
  };

  static ProcessInfo LookUpProcess(uint64_t pid, Clock::time_point now) {
    ProcessInfo info;
    info.at = now;
    HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid));
    if (!process) return info;  // exited, or not ours to look at
    FILETIME created{}, exited{}, kernel{}, user{};
    wchar_t image[MAX_PATH * 2];
    DWORD size = static_cast<DWORD>(std::size(image));
    if (GetProcessTimes(process, &created, &exited, &kernel, &user) && QueryFullProcessImageNameW(process, 0, image, &size)) {
      ULARGE_INTEGER start{};
      start.LowPart = created.dwLowDateTime;
      start.HighPart = created.dwHighDateTime;
      constexpr double kFileTimeEpochMs = 11644473600000.0;  // 1601-01-01 to 1970-01-01
      info.createdMs = start.QuadPart / 10000.0 - kFileTimeEpochMs;
      std::string path = Narrowed(image);
      info.name = path.substr(path.find_last_of('\\') + 1);
    }
    CloseHandle(process);
    return info;
  }

  std::optional<std::string> Services(uint64_t pid, Clock::time_point now) {
    auto found = services_.find(pid);
    if (found == services_.end() && now - lastServiceRefresh_ > kRefreshAtMost) {
      RefreshServices(now);
      found = services_.find(pid);
    }
    if (found == services_.end()) return std::nullopt;
    return found->second;
  }

  void RefreshServices(Clock::time_point now) {
    lastServiceRefresh_ = now;
    services_.clear();
    SC_HANDLE scm = OpenSCManagerW(nullptr, nullptr, SC_MANAGER_ENUMERATE_SERVICE);
    if (!scm) return;
    DWORD needed = 0, count = 0, resume = 0;
    std::vector<BYTE> buffer(64 * 1024);
    while (true) {
      BOOL ok = EnumServicesStatusExW(scm, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_ACTIVE, buffer.data(),
                                      static_cast<DWORD>(buffer.size()), &needed, &count, &resume, nullptr);
      auto* entries = reinterpret_cast<ENUM_SERVICE_STATUS_PROCESSW*>(buffer.data());
      for (DWORD i = 0; i < count; ++i) {
        std::string& names = services_[entries[i].ServiceStatusProcess.dwProcessId];
        if (!names.empty()) names += ',';
        names += Narrowed(entries[i].lpServiceName);
      }
      if (ok || GetLastError() != ERROR_MORE_DATA) break;
      if (needed > buffer.size()) buffer.resize(needed);
    }
    CloseServiceHandle(scm);
  }

  FilterInfo Filter(uint64_t id, Clock::time_point now) {
    if (const FilterInfo* cached = filters_.Find(id, now)) return *cached;
    FilterInfo info;
    // The session the watcher's WFP source uses too; a failed open is retried at most every 10 s.
    HANDLE engine = nullptr;
    if (engineOpen_ || now - lastEngineTry_ > kRefreshAtMost) {
      lastEngineTry_ = now;
      unsigned long code = 0;
      engine = static_cast<HANDLE>(engine_->Open(code));
      engineOpen_ = engine != nullptr;
    }
    FWPM_FILTER0* filter = nullptr;
    if (engine && FwpmFilterGetById0(engine, id, &filter) == ERROR_SUCCESS && filter) {
      if (filter->displayData.name) info.name = Narrowed(filter->displayData.name);
      if (filter->displayData.description) info.description = Narrowed(filter->displayData.description);
      FWPM_PROVIDER0* provider = nullptr;
      if (filter->providerKey && FwpmProviderGetByKey0(engine, filter->providerKey, &provider) == ERROR_SUCCESS && provider) {
        if (provider->displayData.name) info.provider = Narrowed(provider->displayData.name);
        FwpmFreeMemory0(reinterpret_cast<void**>(&provider));
      }
      FwpmFreeMemory0(reinterpret_cast<void**>(&filter));
    }
    filters_.Put(id, info, now);
    return info;
  }

  // FilterOrigin names a firewall rule by its ID (a value of the rule stores), or a default filter by
  // its name ("Stealth", "Query User Default"), which is kept as it is.
  std::optional<std::string> RuleName(std::string_view origin) {
    if (origin.empty() || origin.front() != '{') return std::nullopt;
    const std::wstring value = Widen(origin);
    for (const wchar_t* key : {L"SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules",
                               L"SOFTWARE\\Policies\\Microsoft\\WindowsFirewall\\FirewallRules"}) {
      wchar_t data[4096];
      DWORD size = sizeof data;
      if (RegGetValueW(HKEY_LOCAL_MACHINE, key, value.c_str(), RRF_RT_REG_SZ, nullptr, data, &size) != ERROR_SUCCESS) continue;
      // "v2.30|Action=Block|Active=TRUE|Dir=Out|...|Name=@FirewallAPI.dll,-28502|..."
      std::wstring rule(data);
      size_t at = rule.find(L"|Name=");
      if (at == std::wstring::npos) continue;
      std::wstring name = rule.substr(at + 6, rule.find(L'|', at + 6) - (at + 6));
      if (!name.empty() && name.front() == L'@') {  // an indirect, localised string
        wchar_t resolved[1024];
        if (SHLoadIndirectString(name.c_str(), resolved, static_cast<UINT>(std::size(resolved)), nullptr) == S_OK) name = resolved;
      }
      return Narrowed(name.c_str());
    }
    return std::nullopt;
  }

  std::unordered_map<uint64_t, ProcessInfo> processes_;
  DeviceMap devices_;
  Clock::time_point lastDeviceRefresh_{};
  std::unordered_map<uint64_t, std::string> services_;
  Clock::time_point lastServiceRefresh_{};
  std::shared_ptr<WfpEngine> engine_;
  bool engineOpen_ = false;
  Clock::time_point lastEngineTry_{};
  LruCache<uint64_t, FilterInfo> filters_;
};

}  // namespace

std::shared_ptr<WfpEngine> CreateSharedWfpEngine() { return std::make_shared<WfpEngine>(); }

std::unique_ptr<Enricher> CreateSystemEnricher(std::shared_ptr<WfpEngine> engine) {
  return std::make_unique<WindowsEnricher>(engine ? std::move(engine) : CreateSharedWfpEngine());
}

}  // namespace wfp
