// Windows enrichment for the live sources, on the watcher's thread. Every lookup is best-effort and
// bounded: a failure leaves its field empty. Filter names are looked up only for events from after the
// current start of the Base Filtering Engine (the boot, when that cannot be read): run-time filter IDs
// are handed out anew at each start, so an older event's ID names some other filter today. After an
// RPC error (BFE restarting) the shared engine session is reset, the cache dropped and the start read
// again. Only built for Windows; under Wine the WFP engine is the stand-in fwpuclnt.dll's (test/wine/),
// which knows the filters a test gives it, BFE does not exist, and the fixtures' devices and PIDs are
// not this machine's, so the Wine suite checks filter and rule names and that the other lookups fail
// soft; the filter-time rule and the engine reopening have not run anywhere yet. The real Windows
// workflow checks the values.
#include <windows.h>

#include <fwpmu.h>
#include <shlwapi.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <iterator>
#include <list>
#include <optional>
#include <unordered_map>
#include <vector>

#include "enrich/device_map.h"
#include "enrich/enricher.h"
#include "enrich/firewall_rules.h"
#include "model/firewall_rule.h"
#include "win/wfp_engine.h"
#include "win/wide.h"
#include "win/win32_errors.h"

namespace wfp {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kRefreshAtMost = std::chrono::seconds(10);  // device map and service table, on a miss
constexpr auto kFilterTtl = std::chrono::seconds(60);      // run-time filter IDs change: keep names briefly
constexpr size_t kFilterCacheSize = 512;
constexpr auto kProcessTtl = std::chrono::seconds(5);
constexpr size_t kProcessCacheSize = 4096;
constexpr size_t kRuleCacheSize = 1024;
constexpr double kFileTimeEpochMs = 11644473600000.0;  // 1601-01-01 to 1970-01-01

double FileTimeMs(const FILETIME& t) {
  ULARGE_INTEGER v{};
  v.LowPart = t.dwLowDateTime;
  v.HighPart = t.dwHighDateTime;
  return v.QuadPart / 10000.0 - kFileTimeEpochMs;
}

double NowMs() {
  FILETIME now;
  GetSystemTimeAsFileTime(&now);
  return FileTimeMs(now);
}

std::string Narrowed(const wchar_t* s) {
  std::string out;
  if (s) Narrow(s, wcslen(s), out);
  return out;
}

// A small least-recently-used map with an age limit.
template <typename Key, typename Value, size_t kCapacity = kFilterCacheSize>
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
    if (order_.size() > kCapacity) {
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

// The firewall rule a FilterOrigin names, as its store holds it; `store` is empty when no store does.
struct RuleInfo {
  std::optional<std::string> name, group, direction, action;
  std::optional<std::string_view> store;
};

struct FilterInfo {
  std::optional<std::string> name, description, provider;
  bool otherProvider = false;
};

// Windows' own WFP providers (fwpmu.h: FWPM_PROVIDER_*; the firewall service's five, IKE/AuthIP, IPsec
// DoS protection, TCP chimney offload and templates). A filter of any other provider is another
// product's decision.
constexpr GUID kWindowsProviders[] = {
    {0x4b153735, 0x1049, 0x4480, {0xaa, 0xb4, 0xd1, 0xb9, 0xbd, 0xc0, 0x37, 0x10}},  // MPSSVC_WSH
    {0xdecc16ca, 0x3f33, 0x4346, {0xbe, 0x1e, 0x8f, 0xb4, 0xae, 0x0f, 0x3d, 0x62}},  // MPSSVC_WF
    {0xa90296f7, 0x46b8, 0x4457, {0x8f, 0x84, 0xb0, 0x5e, 0x05, 0xd3, 0xc6, 0x22}},  // MPSSVC_EDP
    {0xd0718ff9, 0x44da, 0x4f50, {0x9d, 0xc2, 0xc9, 0x63, 0xa4, 0x24, 0x76, 0x13}},  // MPSSVC_TENANT_RESTRICTIONS
    {0x3cc2631f, 0x2d5d, 0x43a0, {0xb1, 0x74, 0x61, 0x48, 0x37, 0xd8, 0x63, 0xa1}},  // MPSSVC_APP_ISOLATION
    {0x10ad9216, 0xccde, 0x456c, {0x8b, 0x16, 0xe9, 0xf0, 0x4e, 0x60, 0xa9, 0x0b}},  // IKEEXT
    {0x3c6c0519, 0xc05c, 0x4bb9, {0x83, 0x38, 0x23, 0x27, 0x81, 0x4c, 0xe8, 0xbf}},  // IPSEC_DOS_CONFIG
    {0x896aa19e, 0x9a34, 0x4bcb, {0xae, 0x79, 0xbe, 0xb9, 0x12, 0x7c, 0x84, 0xb9}},  // TCP_CHIMNEY_OFFLOAD
    {0x76cfcd30, 0x3394, 0x432d, {0xbe, 0xd3, 0x44, 0x1a, 0xe5, 0x0e, 0x63, 0xc3}},  // TCP_TEMPLATES
};

bool IsWindowsProvider(const GUID& key) {
  for (const GUID& g : kWindowsProviders)
    if (std::memcmp(&g, &key, sizeof(GUID)) == 0) return true;
  return false;
}

class WindowsEnricher final : public Enricher {
 public:
  explicit WindowsEnricher(std::shared_ptr<WfpEngine> engine) : engine_(std::move(engine)) {}

  void Enrich(const BlockEvent& e, Enrichment& out) override {
    const Clock::time_point now = Clock::now();
    if (e.application) out.applicationPath = ApplicationPath(*e.application, now);
    if (e.pid) Process(*e.pid, e.timeMs, now, out);
    if (e.filterId && *e.filterId != 0 && FilterIdsStillMean(e.timeMs, now)) {
      FilterInfo info = Filter(*e.filterId, now);
      out.filterName = info.name;
      out.filterDescription = info.description;
      out.filterProvider = info.provider;
      out.otherProvider = info.otherProvider;
    }
    if (e.filterOrigin) {
      const RuleInfo& rule = Rule(*e.filterOrigin);
      out.ruleName = rule.name;
      if (rule.store) {
        out.ruleGroup = rule.group;
        out.ruleDirection = rule.direction;
        out.ruleAction = rule.action;
        out.ruleStore = std::string(*rule.store);
      }
    }
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
      if (QueryDosDeviceW(drive, target, static_cast<DWORD>(std::size(target))))
        map.emplace_back(Narrowed(target), Narrowed(drive));
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
    if (GetProcessTimes(process, &created, &exited, &kernel, &user) &&
        QueryFullProcessImageNameW(process, 0, image, &size)) {
      info.createdMs = FileTimeMs(created);
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
      const DWORD code = ok ? ERROR_SUCCESS : GetLastError();  // before anything else can change it
      auto* entries = reinterpret_cast<ENUM_SERVICE_STATUS_PROCESSW*>(buffer.data());
      for (DWORD i = 0; i < count; ++i) {
        std::string& names = services_[entries[i].ServiceStatusProcess.dwProcessId];
        if (!names.empty()) names += ',';
        names += Narrowed(entries[i].lpServiceName);
      }
      if (ok || code != ERROR_MORE_DATA) break;
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
    const DWORD code = engine ? FwpmFilterGetById0(engine, id, &filter) : ERROR_SUCCESS;
    if (engine && WfpEngineUnreachable(code)) {
      // BFE restarted (or is restarting): every run-time ID is new. The shared session is opened anew
      // on a later lookup (the 'netevents' source resets it too), and the engine's new start learnt then.
      engine_->Reset();
      engineOpen_ = false;
      filters_ = LruCache<uint64_t, FilterInfo>();
      engineStartMs_.reset();
      return info;
    }
    if (engine && code == ERROR_SUCCESS && filter) {
      if (filter->displayData.name) info.name = Narrowed(filter->displayData.name);
      if (filter->displayData.description) info.description = Narrowed(filter->displayData.description);
      FWPM_PROVIDER0* provider = nullptr;
      // A filter with no provider key tells nothing about whose it is.
      info.otherProvider = filter->providerKey && !IsWindowsProvider(*filter->providerKey);
      if (filter->providerKey && FwpmProviderGetByKey0(engine, filter->providerKey, &provider) == ERROR_SUCCESS &&
          provider) {
        if (provider->displayData.name) info.provider = Narrowed(provider->displayData.name);
        FwpmFreeMemory0(reinterpret_cast<void**>(&provider));
      }
      FwpmFreeMemory0(reinterpret_cast<void**>(&filter));
    }
    filters_.Put(id, info, now);
    return info;
  }

  // Whether an event's run-time filter ID still names the filter it named then: only for events
  // from after the engine's current start.
  bool FilterIdsStillMean(double eventMs, Clock::time_point now) {
    if (!engineStartMs_ || now - lastStartRead_ > kRefreshAtMost * 6) {
      lastStartRead_ = now;
      engineStartMs_ = EngineStartMs();
    }
    return eventMs >= *engineStartMs_;
  }

  // When the Base Filtering Engine's process started, else when the machine booted.
  static double EngineStartMs() {
    const double bootMs = NowMs() - static_cast<double>(GetTickCount64());
    SC_HANDLE scm = OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT);
    if (!scm) return bootMs;
    double startMs = bootMs;
    if (SC_HANDLE bfe = OpenServiceW(scm, L"BFE", SERVICE_QUERY_STATUS)) {
      SERVICE_STATUS_PROCESS status{};
      DWORD needed = 0;
      if (QueryServiceStatusEx(bfe, SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE*>(&status), sizeof status, &needed) &&
          status.dwProcessId) {
        if (HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, status.dwProcessId)) {
          FILETIME created{}, exited{}, kernel{}, user{};
          if (GetProcessTimes(process, &created, &exited, &kernel, &user))
            startMs = std::max(bootMs, FileTimeMs(created));
          CloseHandle(process);
        }
      }
      CloseServiceHandle(bfe);
    }
    CloseServiceHandle(scm);
    return startMs;
  }

  // FilterOrigin names a firewall rule by its ID, a value in one of the rule stores, or a default
  // filter by its name, which no store holds (firewall_rules.h). Looked up once in a while per origin.
  const RuleInfo& Rule(std::string_view origin) {
    const Clock::time_point now = Clock::now();
    const std::string key(origin);
    if (const RuleInfo* cached = rules_.Find(key, now)) return *cached;
    rules_.Put(key, LookUpRule(Widen(origin)), now);
    return *rules_.Find(key, now);
  }

  // A localised "@FirewallAPI.dll,-28502" as this machine shows it; as written when it cannot be.
  static std::string Resolved(std::string text) {
    if (text.empty() || text.front() != '@') return text;
    wchar_t resolved[1024];
    if (SHLoadIndirectString(Widen(text).c_str(), resolved, static_cast<UINT>(std::size(resolved)), nullptr) == S_OK)
      return Narrowed(resolved);
    return text;
  }

  static RuleInfo LookUpRule(const std::wstring& value) {
    std::vector<wchar_t> data(2048);
    for (size_t i = 0; i < std::size(kFirewallRuleStores); ++i) {
      const wchar_t* store = kFirewallRuleStores[i];
      DWORD size = static_cast<DWORD>(data.size() * sizeof(wchar_t));
      LSTATUS status =
          RegGetValueW(HKEY_LOCAL_MACHINE, store, value.c_str(), RRF_RT_REG_SZ, nullptr, data.data(), &size);
      if (status == ERROR_MORE_DATA) {  // rule strings have no size limit: ask again with the size given
        data.resize(size / sizeof(wchar_t) + 1);
        size = static_cast<DWORD>(data.size() * sizeof(wchar_t));
        status = RegGetValueW(HKEY_LOCAL_MACHINE, store, value.c_str(), RRF_RT_REG_SZ, nullptr, data.data(), &size);
      }
      if (status != ERROR_SUCCESS) continue;
      const std::string text = Narrowed(data.data());
      RuleInfo info;
      FirewallRule parsed;
      std::string error;
      if (ParseFirewallRule(Narrowed(value.c_str()), text, RuleStore::Local, parsed, error)) {
        if (parsed.name) info.name = Resolved(*parsed.name);
        if (parsed.group) info.group = Resolved(*parsed.group);
        if (parsed.direction) {
          const std::string& d = *parsed.direction;
          info.direction = d == "In" ? "inbound" : d == "Out" ? "outbound" : d;
        }
        if (parsed.action) {
          const std::string& a = *parsed.action;
          info.action = a == "Allow" ? "allow" : a == "Block" ? "block" : a == "ByPass" ? "bypass" : a;
        }
      } else if (std::optional<std::string> name = FirewallRuleName(text)) {
        info.name = Resolved(*name);  // not a rule string this reads: its name is still the rule's
      } else {
        continue;
      }
      info.store = kFirewallRuleStoreNames[i];
      return info;
    }
    return RuleInfo{};
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
  std::optional<double> engineStartMs_;
  Clock::time_point lastStartRead_{};
  LruCache<std::string, RuleInfo, kRuleCacheSize> rules_;
};

}  // namespace

std::shared_ptr<WfpEngine> CreateSharedWfpEngine() { return std::make_shared<WfpEngine>(); }

std::unique_ptr<Enricher> CreateSystemEnricher(std::shared_ptr<WfpEngine> engine) {
  return std::make_unique<WindowsEnricher>(engine ? std::move(engine) : CreateSharedWfpEngine());
}

}  // namespace wfp
