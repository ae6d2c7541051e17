// A stand-in fwpuclnt.dll for running the 'netevents' source (and the enricher's filter lookups) under
// Wine, whose own fwpuclnt fails every call (FwpmEngineOpen0 returns 1764). It implements the
// documented contract of every function the addon calls, over net events built from real fixture
// records, and can be told to fail. Test code only: never shipped.
//
//   WFP_STANDIN_NETEVENTS  the events the engine sees, one per line ("t=<FILETIME> type=3 ver=4 la=<hex>
//                          ..."; test/wine/helpers.cjs writes them from fixture records). Re-read as it
//                          grows: an appended line is a new event, delivered to subscriptions.
//   WFP_STANDIN_ENGINE     the machine-wide engine options, "collect keywords" (they persist across
//                          processes, as BFE's do); absent: Windows' defaults, 1 and 0.
//   WFP_STANDIN_FILTERS    opt-in filters for FwpmFilterGetById0, one per line "id|name|description|provider"
//                          or "id|name|description|provider|{provider key}" (else a key made from the id);
//                          without it every lookup is FWP_E_FILTER_NOT_FOUND.
//   WFP_STANDIN_BUFFER     how many of the newest events the engine's buffer keeps (default 150).
//   WFP_STANDIN_LOG        file that every call is appended to.
//   WFP_STANDIN_FAIL       comma-separated: open=<code>, subscribe=<code>, enum=<code>, setoption=<code>
//                          (that call always fails with the code); subscribe-replays=<n> (a new subscription also
//                          delivers the n newest events already in the log, as events in flight while it was
//                          made do);
//                          break-after=<n> (once n events were
//                          delivered through callbacks in all, the engine restarts: callbacks stop and every
//                          call on an existing handle fails with RPC_S_SERVER_UNAVAILABLE, and for down-ms=<ms>
//                          (default 500) FwpmEngineOpen0 fails with EPT_S_NOT_REGISTERED, as while BFE is down).
//
// Contract points (learn.microsoft.com, fwpmu.h, fwpmtypes.h): every function returns ERROR_SUCCESS or an
// error code; memory the API returns is freed with FwpmFreeMemory0, which sets the pointer to NULL.
// FwpmNetEventSubscribe<n> delivers FWPM_NET_EVENT<n+1> on a thread of its own; FwpmNetEventUnsubscribe0
// "will not return until" a callback in progress completes (so calling it from the callback deadlocks:
// the stand-in reports that instead of hanging); closing a session cancels its subscriptions. An
// enumeration handle snapshots the log; FwpmNetEventEnum<n> returns pages of FWPM_NET_EVENT<n>, zero
// entries at the end; with collection off it fails with FWP_E_NET_EVENTS_DISABLED. Setting engine options
// fails in a dynamic session (FWP_E_DYNAMIC_SESSION_IN_PROGRESS). By default "outbound, all events are
// collected; inbound, only unicast" (FwpmEngineSetOption0): inbound multicast and broadcast events need
// their keywords, classify-allow and capability events need theirs.
#include <windows.h>

#include <fwpmu.h>
#include <sddl.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "standin_shared.h"

#include "win/fwp_net_events.h"

#ifndef WFP_STANDIN_NEWEST
#define WFP_STANDIN_NEWEST 5  // the newest FWPM_NET_EVENT version exported; 2 stands for Windows 8.1
#endif

namespace {

using wfp::fwp::NetEvent2;
using wfp::fwp::NetEvent3;

constexpr DWORD kRpcServerUnavailable = 1722, kEptNotRegistered = 1753;
constexpr DWORD kFilterNotFound = 0x80320003, kNetEventsDisabled = 0x80320013, kDynamicSession = 0x8032000B,
                kInvalidParameter = 0x80320035;

long FailSetting(const std::string& key) {
  const std::string fail = "," + Env("WFP_STANDIN_FAIL");
  size_t at = fail.find("," + key + "=");
  return at == std::string::npos ? -1 : std::atol(fail.c_str() + at + key.size() + 2);
}

// ---- the engine's persistent options ----

struct Options {
  UINT32 collect = 1, keywords = 0;
};
std::mutex optionsMutex;

Options LoadOptions() {
  Options o;
  std::string text = ReadFile(Env("WFP_STANDIN_ENGINE"));
  unsigned collect = 1, keywords = 0;
  if (std::sscanf(text.c_str(), "%u %u", &collect, &keywords) == 2) o = Options{collect, keywords};
  return o;
}

void SaveOptions(const Options& o) {
  const std::string path = Env("WFP_STANDIN_ENGINE");
  if (FILE* f = path.empty() ? nullptr : std::fopen(path.c_str(), "wb")) {
    std::fprintf(f, "%u %u\n", o.collect, o.keywords);
    std::fclose(f);
  }
}

// ---- the net events ----

struct Event {
  UINT64 time = 0;
  UINT32 type = 3, flags = 0, ipVersion = 0, protocol = 0, localPort = 0, remotePort = 0, scope = 0;
  UINT8 local[16] = {}, remote[16] = {};
  std::wstring app;
  std::string user, package;
  UINT64 filter = 0;
  UINT32 layer = 0, direction = 0x3900, loopback = 0, reauth = 0, originalProfile = 0, currentProfile = 0;
};

void Hex(const std::string& text, UINT8* out, size_t n) {
  for (size_t i = 0; i < n && 2 * i + 1 < text.size(); ++i)
    out[i] = static_cast<UINT8>(std::stoul(text.substr(2 * i, 2), nullptr, 16));
}

std::wstring Unescape(const std::string& text) {
  std::string utf8;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      utf8.push_back(static_cast<char>(std::stoul(text.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      utf8.push_back(text[i]);
    }
  }
  int n = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
  std::wstring out(static_cast<size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), out.data(), n);
  return out;
}

std::vector<Event> LoadEvents() {
  std::vector<Event> events;
  for (const std::string& line : FileLines(Env("WFP_STANDIN_NETEVENTS"), true)) {
    Event e;
    size_t at = 0;
    while (at < line.size()) {
      size_t space = line.find(' ', at);
      if (space == std::string::npos) space = line.size();
      const std::string token = line.substr(at, space - at);
      at = space + 1;
      const size_t eq = token.find('=');
      if (eq == std::string::npos) continue;
      const std::string key = token.substr(0, eq), value = token.substr(eq + 1);
      auto number = [&] { return std::strtoull(value.c_str(), nullptr, 10); };
      if (key == "t")
        e.time = number();
      else if (key == "type")
        e.type = static_cast<UINT32>(number());
      else if (key == "flags")
        e.flags = static_cast<UINT32>(std::strtoul(value.c_str(), nullptr, 16));
      else if (key == "ver")
        e.ipVersion = static_cast<UINT32>(number());
      else if (key == "proto")
        e.protocol = static_cast<UINT32>(number());
      else if (key == "la")
        Hex(value, e.local, value.size() / 2);
      else if (key == "ra")
        Hex(value, e.remote, value.size() / 2);
      else if (key == "lp")
        e.localPort = static_cast<UINT32>(number());
      else if (key == "rp")
        e.remotePort = static_cast<UINT32>(number());
      else if (key == "scope")
        e.scope = static_cast<UINT32>(number());
      else if (key == "app")
        e.app = Unescape(value);
      else if (key == "user")
        e.user = value;
      else if (key == "pkg")
        e.package = value;
      else if (key == "filter")
        e.filter = number();
      else if (key == "layer")
        e.layer = static_cast<UINT32>(number());
      else if (key == "dir")
        e.direction = static_cast<UINT32>(number());
      else if (key == "loop")
        e.loopback = static_cast<UINT32>(number());
      else if (key == "reauth")
        e.reauth = static_cast<UINT32>(number());
      else if (key == "op")
        e.originalProfile = static_cast<UINT32>(number());
      else if (key == "cp")
        e.currentProfile = static_cast<UINT32>(number());
    }
    events.push_back(std::move(e));
  }
  return events;
}

size_t BufferSize() {
  const std::string text = Env("WFP_STANDIN_BUFFER");
  return text.empty() ? 150 : std::strtoul(text.c_str(), nullptr, 10);
}

bool MulticastOrBroadcast(const Event& e) {
  if (e.ipVersion == 4)
    return (e.local[0] & 0xF0) == 0xE0 ||
           (e.local[0] == 255 && e.local[1] == 255 && e.local[2] == 255 && e.local[3] == 255);
  return e.ipVersion == 6 && e.local[0] == 0xFF;
}

// Whether the engine collects this event with these options (FwpmEngineSetOption0's defaults and keywords).
bool Collected(const Event& e, const Options& o) {
  if (!o.collect) return false;
  const bool inbound = e.direction == 0x3900 || e.direction == 1;
  if (inbound && MulticastOrBroadcast(e)) {
    const bool broadcast = e.ipVersion == 4 && e.local[0] == 255;
    if (!(o.keywords & (broadcast ? 2u : 1u))) return false;
  }
  switch (e.type) {
    case 6:
      return (o.keywords & 16) != 0;  // classify allow
    case 7:
      return (o.keywords & 4) != 0;  // capability drop
    case 8:
      return (o.keywords & 8) != 0;  // capability allow
    default:
      return true;
  }
}

struct Template {
  std::vector<UINT32> types;  // empty: all
  UINT64 start = 0, end = 0;
  bool valid = true;
};

UINT64 U64(FILETIME t) { return static_cast<UINT64>(t.dwHighDateTime) << 32 | t.dwLowDateTime; }

Template ReadTemplate(const FWPM_NET_EVENT_ENUM_TEMPLATE0* t, std::string& described) {
  Template out;
  if (!t) {
    described = "none";
    return out;
  }
  out.start = U64(t->startTime);
  out.end = U64(t->endTime);
  if (t->numFilterConditions && !t->filterCondition) out.valid = false;
  for (UINT32 i = 0; out.valid && i < t->numFilterConditions; ++i) {
    const FWPM_FILTER_CONDITION0& c = t->filterCondition[i];
    if (std::memcmp(&c.fieldKey, &wfp::fwp::kConditionNetEventType, sizeof(GUID)) != 0 ||
        c.matchType != FWP_MATCH_EQUAL || c.conditionValue.type != FWP_UINT32) {
      out.valid = false;
      break;
    }
    out.types.push_back(c.conditionValue.uint32);
  }
  described = "types=";
  for (size_t i = 0; i < out.types.size(); ++i) described += (i ? "," : "") + std::to_string(out.types[i]);
  return out;
}

bool Matches(const Template& t, const Event& e) {
  if (!t.types.empty() && std::find(t.types.begin(), t.types.end(), e.type) == t.types.end()) return false;
  if (t.start == 0 && t.end == 0) return true;  // a zeroed template, as System Informer and simplewall pass
  return e.time >= t.start && e.time <= t.end;
}

// One event in the layout of FWPM_NET_EVENT<version>, owning everything it points to.
struct Built {
  int version = 0;
  FWPM_NET_EVENT1 v1{};
  NetEvent2 v2{};
  NetEvent3 v3{};
  FWPM_NET_EVENT_CLASSIFY_DROP1 drop1{};
  wfp::fwp::ClassifyDrop2 drop2{};
  wfp::fwp::ClassifyAllow0 allow{};
  wfp::fwp::Capability0 capability{};
  std::wstring app;
  PSID user = nullptr, package = nullptr;
  ~Built() {
    if (user) LocalFree(user);
    if (package) LocalFree(package);
  }
  const void* event() const {
    return version == 1 ? static_cast<const void*>(&v1) : version == 2 ? static_cast<const void*>(&v2) : &v3;
  }
};

template <typename Header>
void FillHeader(Header& h, const Event& e, Built& b) {
  h.timeStamp = FILETIME{static_cast<DWORD>(e.time), static_cast<DWORD>(e.time >> 32)};
  h.flags = e.flags;
  h.ipVersion = e.ipVersion == 6 ? FWP_IP_VERSION_V6 : e.ipVersion == 4 ? FWP_IP_VERSION_V4 : FWP_IP_VERSION_NONE;
  h.ipProtocol = static_cast<UINT8>(e.protocol);
  if (e.ipVersion == 4) {  // host byte order, as the API gives IPv4
    h.localAddrV4 = static_cast<UINT32>(e.local[0]) << 24 | e.local[1] << 16 | e.local[2] << 8 | e.local[3];
    h.remoteAddrV4 = static_cast<UINT32>(e.remote[0]) << 24 | e.remote[1] << 16 | e.remote[2] << 8 | e.remote[3];
  } else {
    std::memcpy(h.localAddrV6.byteArray16, e.local, 16);
    std::memcpy(h.remoteAddrV6.byteArray16, e.remote, 16);
  }
  h.localPort = static_cast<UINT16>(e.localPort);
  h.remotePort = static_cast<UINT16>(e.remotePort);
  h.scopeId = e.scope;
  b.app = e.app;
  if (!b.app.empty()) {
    h.appId.size = static_cast<UINT32>((b.app.size() + 1) * sizeof(wchar_t));  // with its NUL, as the API gives it
    h.appId.data = reinterpret_cast<UINT8*>(b.app.data());
  }
  if (!e.user.empty() && ConvertStringSidToSidA(e.user.c_str(), &b.user)) h.userId = static_cast<SID*>(b.user);
}

template <typename Detail>
void FillClassify(Detail& d, const Event& e) {
  d.filterId = e.filter;
  d.layerId = static_cast<UINT16>(e.layer);
  d.reauthReason = e.reauth;
  d.originalProfile = e.originalProfile;
  d.currentProfile = e.currentProfile;
  d.msFwpDirection = e.direction;
  d.isLoopback = e.loopback ? TRUE : FALSE;
}

std::unique_ptr<Built> Build(const Event& e, int version) {
  auto b = std::make_unique<Built>();
  b->version = version;
  if (version == 1) {
    FillHeader(b->v1.header, e, *b);
    b->v1.type = static_cast<FWPM_NET_EVENT_TYPE>(e.type);
    FillClassify(b->drop1, e);
    b->v1.classifyDrop = &b->drop1;
    return b;
  }
  const void* detail = nullptr;
  switch (e.type) {
    case 3:
      FillClassify(b->drop2, e);
      detail = &b->drop2;
      break;
    case 6:
      FillClassify(b->allow, e);
      detail = &b->allow;
      break;
    case 7:
    case 8:
      b->capability.filterId = e.filter;
      b->capability.isLoopback = e.loopback ? TRUE : FALSE;
      detail = &b->capability;
      break;
  }
  wfp::fwp::NetEventHeader2& h = version == 2 ? b->v2.header : b->v3.header.common;
  FillHeader(h, e, *b);
  h.addressFamily = e.ipVersion == 6 ? FWP_AF_INET6 : FWP_AF_INET;
  if (!e.package.empty() && ConvertStringSidToSidA(e.package.c_str(), &b->package))
    h.packageSid = static_cast<SID*>(b->package);
  if (version == 2) {
    b->v2.type = static_cast<FWPM_NET_EVENT_TYPE>(e.type);
    b->v2.detail = detail;
  } else {
    b->v3.type = static_cast<FWPM_NET_EVENT_TYPE>(e.type);
    b->v3.detail = detail;
  }
  return b;
}

// ---- handles ----

std::mutex stateMutex;
std::atomic<long> generation{0};  // incremented when the engine "restarts"
std::atomic<long> deliveredInAll{0};
std::atomic<DWORD> downUntil{0};  // GetTickCount() until which BFE is down

struct Engine {
  long generation;
  bool dynamic;
};
std::set<Engine*> engines;

bool Alive(Engine* e) { return e && e->generation == generation.load(); }

struct Subscription;
std::set<Subscription*> subscriptions;

struct Subscription {
  Engine* engine;
  Template filter;
  int version;
  void* callback;
  void* context;
  size_t next;  // the index of the first event it has not yet looked at
  std::atomic<bool> stop{false};
  std::thread thread;
  DWORD threadId = 0;
};

struct EnumHandle {
  Engine* engine;
  std::vector<Event> snapshot;
  size_t position = 0;
};
std::set<EnumHandle*> enumHandles;

// What FwpmFreeMemory0 frees: every block the stand-in handed out.
std::map<void*, std::shared_ptr<void>> allocations;

template <typename T>
T* Keep(std::shared_ptr<T> owner) {
  T* p = owner.get();
  std::lock_guard<std::mutex> lock(stateMutex);
  allocations[p] = owner;
  return p;
}

void MaybeBreak() {
  const long after = FailSetting("break-after");
  if (after < 0 || deliveredInAll.load() != after) return;
  const long down = FailSetting("down-ms");
  downUntil = GetTickCount() + static_cast<DWORD>(down >= 0 ? down : 500);
  ++generation;
  Log("engine restarted");
}

void Deliver(Subscription* s) {
  while (!s->stop) {
    Sleep(20);
    if (!Alive(s->engine)) continue;  // a subscription whose engine went away says nothing
    const std::vector<Event> events = LoadEvents();
    Options options;
    {
      std::lock_guard<std::mutex> lock(optionsMutex);
      options = LoadOptions();
    }
    for (; s->next < events.size() && !s->stop && Alive(s->engine); ++s->next) {
      const Event& e = events[s->next];
      if (!Matches(s->filter, e) || !Collected(e, options)) continue;
      std::unique_ptr<Built> b = Build(e, s->version);
      using Callback = void(CALLBACK*)(void*, const void*);
      reinterpret_cast<Callback>(s->callback)(s->context, b->event());
      ++deliveredInAll;
      MaybeBreak();
    }
  }
}

DWORD Subscribe(const char* name, int version, HANDLE engineHandle, const FWPM_NET_EVENT_SUBSCRIPTION0* subscription,
                void* callback, void* context, HANDLE* eventsHandle) {
  auto* engine = static_cast<Engine*>(engineHandle);
  std::string described;
  Template filter = ReadTemplate(subscription ? subscription->enumTemplate : nullptr, described);
  Log(std::string(name) + " " + described);
  if (long code = FailSetting("subscribe"); code >= 0) return static_cast<DWORD>(code);
  {
    std::lock_guard<std::mutex> lock(stateMutex);
    if (!engines.count(engine)) return ERROR_INVALID_HANDLE;
  }
  if (!Alive(engine)) return kRpcServerUnavailable;
  if (!subscription || !callback || !eventsHandle || !filter.valid) return kInvalidParameter;
  size_t next = LoadEvents().size();
  if (long replays = FailSetting("subscribe-replays"); replays > 0)
    next -= std::min(next, static_cast<size_t>(replays));
  auto* s = new Subscription{engine, filter, version, callback, context, next};
  s->thread = std::thread([s] {
    s->threadId = GetCurrentThreadId();
    Deliver(s);
  });
  std::lock_guard<std::mutex> lock(stateMutex);
  subscriptions.insert(s);
  *eventsHandle = s;
  return ERROR_SUCCESS;
}

void EndSubscription(Subscription* s) {
  s->stop = true;
  if (s->thread.joinable()) s->thread.join();  // waits for a callback in progress
  delete s;
}

template <typename EventType>
DWORD Enumerate(const char* name, int version, HANDLE engineHandle, HANDLE enumHandle, UINT32 requested,
                EventType*** entries, UINT32* returned) {
  auto* engine = static_cast<Engine*>(engineHandle);
  auto* h = static_cast<EnumHandle*>(enumHandle);
  if (long code = FailSetting("enum"); code >= 0) {
    Log(std::string(name) + " failed");
    return static_cast<DWORD>(code);
  }
  {
    std::lock_guard<std::mutex> lock(stateMutex);
    if (!engines.count(engine) || !enumHandles.count(h)) return ERROR_INVALID_HANDLE;
  }
  if (!Alive(engine)) return kRpcServerUnavailable;
  if (!entries || !returned) return kInvalidParameter;
  struct Page {
    std::vector<std::unique_ptr<Built>> built;
    std::vector<EventType*> pointers;
  };
  auto page = std::make_shared<Page>();
  while (h->position < h->snapshot.size() && page->built.size() < requested) {
    page->built.push_back(Build(h->snapshot[h->position++], version));
    page->pointers.push_back(static_cast<EventType*>(const_cast<void*>(page->built.back()->event())));
  }
  *returned = static_cast<UINT32>(page->pointers.size());
  *entries = nullptr;
  if (*returned) {
    EventType** array = page->pointers.data();
    std::lock_guard<std::mutex> lock(stateMutex);
    allocations[array] = page;
    *entries = array;
  }
  Log(std::string(name) + " returned=" + std::to_string(*returned));
  return ERROR_SUCCESS;
}

}  // namespace

extern "C" {

__declspec(dllexport) DWORD WINAPI
    FwpmEngineOpen0(const wchar_t* serverName, UINT32 authnService, SEC_WINNT_AUTH_IDENTITY_W* authIdentity,
                    const FWPM_SESSION0* session, HANDLE* engineHandle) {
  const bool dynamic = session && (session->flags & 0x00000001);  // FWPM_SESSION_FLAG_DYNAMIC
  Log(std::string("FwpmEngineOpen0") + (dynamic ? " dynamic" : ""));
  if (long code = FailSetting("open"); code >= 0) return static_cast<DWORD>(code);
  if (static_cast<int32_t>(downUntil.load() - GetTickCount()) > 0) return kEptNotRegistered;
  if (serverName || authIdentity || !engineHandle) return ERROR_INVALID_PARAMETER;
  if (authnService != RPC_C_AUTHN_WINNT && authnService != RPC_C_AUTHN_DEFAULT) return ERROR_INVALID_PARAMETER;
  auto* e = new Engine{generation.load(), dynamic};
  std::lock_guard<std::mutex> lock(stateMutex);
  engines.insert(e);
  *engineHandle = e;
  return ERROR_SUCCESS;
}

__declspec(dllexport) DWORD WINAPI FwpmEngineClose0(HANDLE engineHandle) {
  auto* engine = static_cast<Engine*>(engineHandle);
  std::vector<Subscription*> ended;
  {
    std::lock_guard<std::mutex> lock(stateMutex);
    if (!engines.count(engine)) return ERROR_INVALID_HANDLE;
    engines.erase(engine);
    for (auto it = subscriptions.begin(); it != subscriptions.end();) {
      if ((*it)->engine == engine) {
        ended.push_back(*it);
        it = subscriptions.erase(it);
      } else {
        ++it;
      }
    }
  }
  Log("FwpmEngineClose0 subscriptions=" + std::to_string(ended.size()));
  for (Subscription* s : ended) EndSubscription(s);  // "all subscriptions are automatically canceled"
  delete engine;
  return ERROR_SUCCESS;
}

__declspec(dllexport) void WINAPI FwpmFreeMemory0(void** p) {
  if (!p || !*p) return;
  std::lock_guard<std::mutex> lock(stateMutex);
  if (!allocations.erase(*p)) Log("FwpmFreeMemory0 of a pointer the API did not return");
  *p = nullptr;
}

__declspec(dllexport) DWORD WINAPI
    FwpmEngineGetOption0(HANDLE engineHandle, FWPM_ENGINE_OPTION option, FWP_VALUE0** value) {
  auto* engine = static_cast<Engine*>(engineHandle);
  {
    std::lock_guard<std::mutex> lock(stateMutex);
    if (!engines.count(engine)) return ERROR_INVALID_HANDLE;
  }
  if (!Alive(engine)) return kRpcServerUnavailable;
  if (!value || (option != 0 && option != 1)) return ERROR_INVALID_PARAMETER;
  Options o;
  {
    std::lock_guard<std::mutex> lock(optionsMutex);
    o = LoadOptions();
  }
  auto v = std::make_shared<FWP_VALUE0>();
  v->type = FWP_UINT32;
  v->uint32 = option == 0 ? o.collect : o.keywords;
  *value = Keep(v);
  return ERROR_SUCCESS;
}

__declspec(dllexport) DWORD WINAPI
    FwpmEngineSetOption0(HANDLE engineHandle, FWPM_ENGINE_OPTION option, const FWP_VALUE0* newValue) {
  auto* engine = static_cast<Engine*>(engineHandle);
  Log("FwpmEngineSetOption0 option=" + std::to_string(option) +
      " value=" + (newValue ? std::to_string(newValue->uint32) : "null"));
  if (long code = FailSetting("setoption"); code >= 0) return static_cast<DWORD>(code);
  {
    std::lock_guard<std::mutex> lock(stateMutex);
    if (!engines.count(engine)) return ERROR_INVALID_HANDLE;
  }
  if (!Alive(engine)) return kRpcServerUnavailable;
  if (engine->dynamic) return kDynamicSession;
  if (!newValue || newValue->type != FWP_UINT32 || (option != 0 && option != 1) ||
      (option == 0 && newValue->uint32 > 1))
    return ERROR_INVALID_PARAMETER;
  std::lock_guard<std::mutex> lock(optionsMutex);
  Options o = LoadOptions();
  (option == 0 ? o.collect : o.keywords) = newValue->uint32;
  SaveOptions(o);
  return ERROR_SUCCESS;
}

__declspec(dllexport) DWORD WINAPI FwpmNetEventSubscribe0(HANDLE e, const FWPM_NET_EVENT_SUBSCRIPTION0* s,
                                                          FWPM_NET_EVENT_CALLBACK0 c, void* x, HANDLE* h) {
  return Subscribe("FwpmNetEventSubscribe0", 1, e, s, reinterpret_cast<void*>(c), x, h);
}
__declspec(dllexport) DWORD WINAPI
    FwpmNetEventSubscribe1(HANDLE e, const FWPM_NET_EVENT_SUBSCRIPTION0* s, void* c, void* x, HANDLE* h) {
  return Subscribe("FwpmNetEventSubscribe1", 2, e, s, c, x, h);
}
#if WFP_STANDIN_NEWEST > 2
__declspec(dllexport) DWORD WINAPI
    FwpmNetEventSubscribe2(HANDLE e, const FWPM_NET_EVENT_SUBSCRIPTION0* s, void* c, void* x, HANDLE* h) {
  return Subscribe("FwpmNetEventSubscribe2", 3, e, s, c, x, h);
}
__declspec(dllexport) DWORD WINAPI
    FwpmNetEventSubscribe3(HANDLE e, const FWPM_NET_EVENT_SUBSCRIPTION0* s, void* c, void* x, HANDLE* h) {
  return Subscribe("FwpmNetEventSubscribe3", 4, e, s, c, x, h);
}
__declspec(dllexport) DWORD WINAPI
    FwpmNetEventSubscribe4(HANDLE e, const FWPM_NET_EVENT_SUBSCRIPTION0* s, void* c, void* x, HANDLE* h) {
  return Subscribe("FwpmNetEventSubscribe4", 5, e, s, c, x, h);
}
#endif

__declspec(dllexport) DWORD WINAPI FwpmNetEventUnsubscribe0(HANDLE engineHandle, HANDLE eventsHandle) {
  auto* s = static_cast<Subscription*>(eventsHandle);
  Log("FwpmNetEventUnsubscribe0");
  if (!eventsHandle) return ERROR_SUCCESS;  // "may be NULL, in which case the function will have no effect"
  {
    std::lock_guard<std::mutex> lock(stateMutex);
    if (!subscriptions.count(s)) return ERROR_INVALID_HANDLE;
    if (s->threadId == GetCurrentThreadId()) {
      Log("FwpmNetEventUnsubscribe0 called from its own callback: the real call deadlocks");
      return ERROR_INVALID_OPERATION;
    }
    subscriptions.erase(s);
  }
  const bool alive = Alive(s->engine);
  EndSubscription(s);
  return alive ? ERROR_SUCCESS : kRpcServerUnavailable;
}

__declspec(dllexport) DWORD WINAPI
    FwpmNetEventCreateEnumHandle0(HANDLE engineHandle, const FWPM_NET_EVENT_ENUM_TEMPLATE0* enumTemplate,
                                  HANDLE* enumHandle) {
  auto* engine = static_cast<Engine*>(engineHandle);
  std::string described;
  Template filter = ReadTemplate(enumTemplate, described);
  Log("FwpmNetEventCreateEnumHandle0 " + described);
  {
    std::lock_guard<std::mutex> lock(stateMutex);
    if (!engines.count(engine)) return ERROR_INVALID_HANDLE;
  }
  if (!Alive(engine)) return kRpcServerUnavailable;
  if (!enumHandle || !filter.valid) return kInvalidParameter;
  Options options;
  {
    std::lock_guard<std::mutex> lock(optionsMutex);
    options = LoadOptions();
  }
  if (!options.collect) return kNetEventsDisabled;
  std::vector<Event> all = LoadEvents();
  // The circular log holds the newest events only.
  const size_t keep = BufferSize();
  std::vector<Event> buffer;
  for (size_t i = all.size() > keep ? all.size() - keep : 0; i < all.size(); ++i)
    if (Collected(all[i], options)) buffer.push_back(all[i]);
  auto* h = new EnumHandle{engine, {}};
  for (const Event& e : buffer)
    if (Matches(filter, e)) h->snapshot.push_back(e);
  std::lock_guard<std::mutex> lock(stateMutex);
  enumHandles.insert(h);
  *enumHandle = h;
  return ERROR_SUCCESS;
}

__declspec(dllexport) DWORD WINAPI FwpmNetEventDestroyEnumHandle0(HANDLE engineHandle, HANDLE enumHandle) {
  auto* h = static_cast<EnumHandle*>(enumHandle);
  std::lock_guard<std::mutex> lock(stateMutex);
  if (!enumHandles.erase(h)) return ERROR_INVALID_HANDLE;
  delete h;
  return ERROR_SUCCESS;
}

__declspec(dllexport) DWORD WINAPI
    FwpmNetEventEnum1(HANDLE e, HANDLE h, UINT32 n, FWPM_NET_EVENT1*** entries, UINT32* returned) {
  return Enumerate("FwpmNetEventEnum1", 1, e, h, n, entries, returned);
}
__declspec(dllexport) DWORD WINAPI
    FwpmNetEventEnum2(HANDLE e, HANDLE h, UINT32 n, NetEvent2*** entries, UINT32* returned) {
  return Enumerate("FwpmNetEventEnum2", 2, e, h, n, entries, returned);
}
#if WFP_STANDIN_NEWEST > 2
__declspec(dllexport) DWORD WINAPI
    FwpmNetEventEnum3(HANDLE e, HANDLE h, UINT32 n, NetEvent3*** entries, UINT32* returned) {
  return Enumerate("FwpmNetEventEnum3", 3, e, h, n, entries, returned);
}
__declspec(dllexport) DWORD WINAPI
    FwpmNetEventEnum4(HANDLE e, HANDLE h, UINT32 n, NetEvent3*** entries, UINT32* returned) {
  return Enumerate("FwpmNetEventEnum4", 4, e, h, n, entries, returned);
}
__declspec(dllexport) DWORD WINAPI
    FwpmNetEventEnum5(HANDLE e, HANDLE h, UINT32 n, NetEvent3*** entries, UINT32* returned) {
  return Enumerate("FwpmNetEventEnum5", 5, e, h, n, entries, returned);
}
#endif

// "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" into a GUID.
static bool ParseGuid(const std::string& text, GUID& out) {
  unsigned long d1 = 0;
  unsigned d2 = 0, d3 = 0, b[8] = {};
  if (std::sscanf(text.c_str(), "{%8lx-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x}", &d1, &d2, &d3, &b[0], &b[1], &b[2], &b[3],
                  &b[4], &b[5], &b[6], &b[7]) != 11)
    return false;
  out.Data1 = d1;
  out.Data2 = static_cast<unsigned short>(d2);
  out.Data3 = static_cast<unsigned short>(d3);
  for (int i = 0; i < 8; ++i) out.Data4[i] = static_cast<unsigned char>(b[i]);
  return true;
}

__declspec(dllexport) DWORD WINAPI FwpmFilterGetById0(HANDLE engineHandle, UINT64 id, FWPM_FILTER0** filter) {
  auto* engine = static_cast<Engine*>(engineHandle);
  {
    std::lock_guard<std::mutex> lock(stateMutex);
    if (!engines.count(engine)) return ERROR_INVALID_HANDLE;
  }
  if (!Alive(engine)) return kRpcServerUnavailable;
  if (!filter) return ERROR_INVALID_PARAMETER;
  for (const std::string& line : FileLines(Env("WFP_STANDIN_FILTERS"), false)) {
    const size_t a = line.find('|'), b = line.find('|', a + 1), c = line.find('|', b + 1);
    if (c == std::string::npos || std::strtoull(line.c_str(), nullptr, 10) != id) continue;
    struct Owned {
      FWPM_FILTER0 filter{};
      std::wstring name, description;
      GUID provider{};
    };
    auto o = std::make_shared<Owned>();
    o->name = Unescape(line.substr(a + 1, b - a - 1));
    o->description = Unescape(line.substr(b + 1, c - b - 1));
    // The provider key: the line's fifth column, else one that names this line by its filter ID.
    const size_t d = line.find('|', c + 1);
    if (d == std::string::npos || !ParseGuid(line.substr(d + 1), o->provider))
      o->provider.Data1 = static_cast<unsigned long>(id);
    o->filter.filterId = id;
    o->filter.displayData.name = o->name.data();
    o->filter.displayData.description = o->description.data();
    o->filter.providerKey = line.size() > c + 1 ? &o->provider : nullptr;
    Log("FwpmFilterGetById0 id=" + std::to_string(id));
    std::lock_guard<std::mutex> lock(stateMutex);
    allocations[&o->filter] = o;
    *filter = &o->filter;
    return ERROR_SUCCESS;
  }
  Log("FwpmFilterGetById0 id=" + std::to_string(id) + " not found");
  return kFilterNotFound;
}

__declspec(dllexport) DWORD WINAPI
    FwpmProviderGetByKey0(HANDLE engineHandle, const GUID* key, FWPM_PROVIDER0** provider) {
  auto* engine = static_cast<Engine*>(engineHandle);
  {
    std::lock_guard<std::mutex> lock(stateMutex);
    if (!engines.count(engine)) return ERROR_INVALID_HANDLE;
  }
  if (!Alive(engine)) return kRpcServerUnavailable;
  if (!key || !provider) return ERROR_INVALID_PARAMETER;
  const std::string prefix = std::to_string(key->Data1) + "|";
  for (const std::string& line : FileLines(Env("WFP_STANDIN_FILTERS"), false)) {
    const size_t a = line.find('|'), b = line.find('|', a + 1), c = line.find('|', b + 1), d = line.find('|', c + 1);
    if (c == std::string::npos) continue;
    GUID lineKey{};
    const bool keyed = d != std::string::npos && ParseGuid(line.substr(d + 1), lineKey);
    if (keyed ? std::memcmp(&lineKey, key, sizeof(GUID)) != 0 : line.rfind(prefix, 0) != 0) continue;
    struct Owned {
      FWPM_PROVIDER0 provider{};
      std::wstring name;
    };
    auto o = std::make_shared<Owned>();
    o->name = Unescape(line.substr(c + 1, d == std::string::npos ? std::string::npos : d - c - 1));
    o->provider.providerKey = *key;
    o->provider.displayData.name = o->name.data();
    std::lock_guard<std::mutex> lock(stateMutex);
    allocations[&o->provider] = o;
    *provider = &o->provider;
    return ERROR_SUCCESS;
  }
  return 0x80320005;  // FWP_E_PROVIDER_NOT_FOUND
}

}  // extern "C"
