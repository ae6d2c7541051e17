// Only built for Windows. Under Wine it runs against a stand-in fwpuclnt.dll (test/wine/); only a real
// Windows runner (.github/workflows/windows.yml) checks it against the real engine.
#include "sources/netevents_source.h"

#include <windows.h>

#include <fwpmu.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <random>
#include <type_traits>

#include "win/wide.h"
#include "win/win32_errors.h"

namespace wfp {
namespace {

constexpr DWORD kHealthCheckMs = 2000;  // a subscription whose engine went away says nothing: ask
constexpr DWORD kBackoffFirstMs = 250;
constexpr DWORD kBackoffMaxMs = 30000;
constexpr UINT32 kListPage = 256;
constexpr DWORD kLockWaitMs = 5000;
constexpr size_t kMinHandoff = 4096;
constexpr std::string_view kInput = "netevents";

uint64_t Now() {
  FILETIME ft;
  GetSystemTimeAsFileTime(&ft);
  return static_cast<uint64_t>(ft.dwHighDateTime) << 32 | ft.dwLowDateTime;
}

FILETIME ToFileTime(uint64_t t) { return FILETIME{static_cast<DWORD>(t), static_cast<DWORD>(t >> 32)}; }

// The engine could not be reached for now, or collection was turned off meanwhile (connecting turns
// it on again).
bool IsTransient(DWORD code) { return WfpEngineUnreachable(code) || code == win32::kFwpNetEventsDisabled; }

void CopySid(const SID* sid, std::vector<uint8_t>& out) {
  out.clear();
  if (!sid) return;
  const uint8_t* bytes = reinterpret_cast<const uint8_t*>(sid);
  out.assign(bytes, bytes + 8 + 4 * static_cast<size_t>(sid->SubAuthorityCount));
}

void PutV4(UINT32 hostOrder, std::array<uint8_t, 16>& out) {
  out = {};
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(hostOrder >> (24 - 8 * i));
}

template <typename Header>
void CopyHeader(const Header& h, NetEventFacts& f) {
  f.timeStamp = static_cast<uint64_t>(h.timeStamp.dwHighDateTime) << 32 | h.timeStamp.dwLowDateTime;
  f.flags = h.flags;
  f.ipVersion = h.ipVersion == FWP_IP_VERSION_V4 ? 4 : h.ipVersion == FWP_IP_VERSION_V6 ? 6 : 0;
  f.ipProtocol = h.ipProtocol;
  if (f.ipVersion == 4) {
    PutV4(h.localAddrV4, f.localAddress);
    PutV4(h.remoteAddrV4, f.remoteAddress);
  } else if (f.ipVersion == 6) {
    std::memcpy(f.localAddress.data(), h.localAddrV6.byteArray16, 16);
    std::memcpy(f.remoteAddress.data(), h.remoteAddrV6.byteArray16, 16);
  }
  f.localPort = h.localPort;
  f.remotePort = h.remotePort;
  f.scopeId = h.scopeId;
  f.appId.clear();
  if (h.appId.data && h.appId.size >= 2) {
    f.appId.assign(reinterpret_cast<const char16_t*>(h.appId.data), h.appId.size / 2);
    while (!f.appId.empty() && f.appId.back() == 0) f.appId.pop_back();
  }
  CopySid(h.userId, f.userSid);
}

void CopyHeader(const fwp::NetEventHeader3& h, NetEventFacts& f) { CopyHeader(h.common, f); }

void CopyPackageSid(const FWPM_NET_EVENT_HEADER1&, NetEventFacts& f) { f.packageSid.clear(); }
void CopyPackageSid(const fwp::NetEventHeader2& h, NetEventFacts& f) { CopySid(h.packageSid, f.packageSid); }
void CopyPackageSid(const fwp::NetEventHeader3& h, NetEventFacts& f) { CopySid(h.common.packageSid, f.packageSid); }

template <typename Detail>
void CopyClassify(const Detail& d, NetEventFacts& f) {
  f.filterId = d.filterId;
  f.layerId = d.layerId;
  f.hasClassifyDetails = true;
  f.reauthReason = d.reauthReason;
  f.originalProfile = d.originalProfile;
  f.currentProfile = d.currentProfile;
  f.direction = d.msFwpDirection;
  f.loopback = d.isLoopback != FALSE;
}

const void* Detail(const FWPM_NET_EVENT1& e) { return e.classifyDrop; }
template <typename Header>
const void* Detail(const fwp::NetEvent<Header>& e) {
  return e.detail;
}

// Copies what this library reads from one event; false for a type it does not read.
template <typename Event>
bool CopyFacts(const Event& e, int version, NetEventFacts& f) {
  const void* detail = Detail(e);
  if (!detail) return false;
  f.structVersion = static_cast<uint8_t>(version);
  f.type = static_cast<NetEventType>(e.type);
  CopyHeader(e.header, f);
  CopyPackageSid(e.header, f);
  if constexpr (std::is_same_v<Event, FWPM_NET_EVENT1>) {
    if (f.type != NetEventType::ClassifyDrop) return false;
    CopyClassify(*static_cast<const FWPM_NET_EVENT_CLASSIFY_DROP1*>(detail), f);
    return true;
  } else {
    switch (f.type) {
      case NetEventType::ClassifyDrop:
        CopyClassify(*static_cast<const fwp::ClassifyDrop2*>(detail), f);
        return true;
      case NetEventType::ClassifyAllow:
        CopyClassify(*static_cast<const fwp::ClassifyAllow0*>(detail), f);
        return true;
      case NetEventType::CapabilityDrop:
      case NetEventType::CapabilityAllow: {
        const auto& d = *static_cast<const fwp::Capability0*>(detail);
        f.filterId = d.filterId;
        f.networkCapability = d.networkCapabilityId;
        f.loopback = d.isLoopback != FALSE;
        return true;
      }
      case NetEventType::ClassifyDropMac: {
        const auto& d = *static_cast<const fwp::ClassifyDropMac0*>(detail);
        CopyClassify(d, f);
        std::memcpy(f.localMac.data(), d.localMacAddr.byteArray6, 6);
        std::memcpy(f.remoteMac.data(), d.remoteMacAddr.byteArray6, 6);
        f.etherType = d.etherType;
        f.vlanTag = d.vlanTag;
        f.mediaType = d.mediaType;
        f.interfaceType = d.ifType;
        f.interfaceLuid = d.ifLuid;
        return true;
      }
    }
    return false;
  }
}

// The WFP callback: on a thread WFP owns, so it copies, hands over and returns. It never waits for
// the watcher and never calls back into WFP.
template <typename Event>
void CALLBACK OnNetEvent(void* context, const Event* event) {
  auto* c = static_cast<NetEventsSource::CallbackContext*>(context);
  if (!c || !event) return;
  try {
    NetEventFacts facts;
    if (!CopyFacts(*event, c->version, facts)) return;
    c->handoff->Push(std::move(facts));
  } catch (...) {
    return;  // out of memory: the event is lost, as one that finds the hand-off full
  }
  SetEvent(static_cast<HANDLE>(c->signal));
}

template <typename F>
F As(FARPROC p) {
  return reinterpret_cast<F>(reinterpret_cast<void (*)()>(p));
}

template <typename Event>
DWORD SubscribeAs(const fwp::NetEventApi& api, HANDLE engine, const FWPM_NET_EVENT_SUBSCRIPTION0& s, void* context,
                  HANDLE* handle) {
  return As<fwp::SubscribeFunction<Event>>(api.subscribe)(engine, &s, &OnNetEvent<Event>, context, handle);
}

template <typename Event>
DWORD ListAs(const fwp::NetEventApi& api, HANDLE engine, HANDLE enumHandle, std::vector<NetEventFacts>& out) {
  auto enumerate = As<fwp::EnumFunction<Event>>(api.enumerate);
  while (true) {
    Event** entries = nullptr;
    UINT32 returned = 0;
    const DWORD rc = enumerate(engine, enumHandle, kListPage, &entries, &returned);
    if (rc != ERROR_SUCCESS) return rc;
    for (UINT32 i = 0; entries && i < returned; ++i) {
      NetEventFacts f;
      if (entries[i] && CopyFacts(*entries[i], api.version, f)) out.push_back(std::move(f));
    }
    if (entries) FwpmFreeMemory0(reinterpret_cast<void**>(&entries));
    if (returned == 0) return ERROR_SUCCESS;
  }
}

DWORD GetOption(HANDLE engine, int option, uint32_t& out) {
  FWP_VALUE0* value = nullptr;
  const DWORD rc = FwpmEngineGetOption0(engine, static_cast<FWPM_ENGINE_OPTION>(option), &value);
  if (rc != ERROR_SUCCESS) return rc;
  out = value && value->type == FWP_UINT32 ? value->uint32 : 0;
  if (value) FwpmFreeMemory0(reinterpret_cast<void**>(&value));
  return ERROR_SUCCESS;
}

DWORD SetOption(HANDLE engine, int option, uint32_t v) {
  FWP_VALUE0 value{};
  value.type = FWP_UINT32;
  value.uint32 = v;
  return FwpmEngineSetOption0(engine, static_cast<FWPM_ENGINE_OPTION>(option), &value);
}

DWORD ReadOptions(HANDLE engine, EngineOptionValues& out) {
  DWORD rc = GetOption(engine, fwp::kEngineCollectNetEvents, out.collect);
  if (rc == ERROR_SUCCESS) rc = GetOption(engine, fwp::kEngineNetEventMatchAnyKeywords, out.keywords);
  return rc;
}

DWORD WriteOptions(HANDLE engine, EngineOptionValues from, EngineOptionValues to) {
  DWORD rc = ERROR_SUCCESS;
  if (to.collect != from.collect) rc = SetOption(engine, fwp::kEngineCollectNetEvents, to.collect);
  if (rc == ERROR_SUCCESS && to.keywords != from.keywords)
    rc = SetOption(engine, fwp::kEngineNetEventMatchAnyKeywords, to.keywords);
  return rc;
}

uint64_t ProcessStart(HANDLE process) {
  FILETIME created{}, exited{}, kernel{}, user{};
  if (!GetProcessTimes(process, &created, &exited, &kernel, &user)) return 0;
  return static_cast<uint64_t>(created.dwHighDateTime) << 32 | created.dwLowDateTime;
}

// Whether the watcher that wrote itself into the record may still be running.
bool Alive(const EngineOptionOwner& owner) {
  HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, owner.pid);
  if (!process) return GetLastError() == ERROR_ACCESS_DENIED;  // a process we may not look at is one that runs
  DWORD code = 0;
  const bool running =
      GetExitCodeProcess(process, &code) && code == STILL_ACTIVE && ProcessStart(process) == owner.processStart;
  CloseHandle(process);
  return running;
}

// The state file, its lock and its atomic replacement.
class StateFile {
 public:
  explicit StateFile(const std::string& path) : path_(Widen(path)) {}
  ~StateFile() {
    if (lock_ != INVALID_HANDLE_VALUE) CloseHandle(lock_);
  }

  // Held until destruction; a process that dies releases it with its handles.
  bool Lock(std::string& error) {
    CreateParents();
    const std::wstring lockPath = path_ + L".lock";
    const DWORD deadline = GetTickCount() + kLockWaitMs;
    while (true) {
      lock_ = CreateFileW(lockPath.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_ALWAYS,
                          FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE, nullptr);
      if (lock_ != INVALID_HANDLE_VALUE) return true;
      const DWORD code = GetLastError();
      if (code != ERROR_SHARING_VIOLATION || static_cast<int32_t>(GetTickCount() - deadline) > 0) {
        error = "cannot lock " + Narrowed(lockPath) + ": " + SystemMessage(code);
        return false;
      }
      Sleep(20);
    }
  }

  // Nothing when there is no file; `corrupt` when there is one this version cannot read.
  std::optional<EngineOptionRecord> Load(bool& corrupt) {
    corrupt = false;
    HANDLE f = CreateFileW(path_.c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING, 0, nullptr);
    if (f == INVALID_HANDLE_VALUE) return std::nullopt;
    std::string text;
    char chunk[4096];
    DWORD n = 0;
    while (ReadFile(f, chunk, sizeof chunk, &n, nullptr) && n > 0 && text.size() < (1 << 20)) text.append(chunk, n);
    CloseHandle(f);
    std::optional<EngineOptionRecord> record = EngineOptionRecord::Parse(text);
    corrupt = !record;
    return record;
  }

  // Written to a temporary file and moved over the old one: a crash leaves one or the other.
  bool Save(const EngineOptionRecord& record, std::string& error) {
    if (!record.changed()) {
      if (!DeleteFileW(path_.c_str()) && GetLastError() != ERROR_FILE_NOT_FOUND) {
        error = "cannot delete " + Narrowed(path_) + ": " + SystemMessage(GetLastError());
        return false;
      }
      return true;
    }
    const std::wstring temp = path_ + L"." + std::to_wstring(GetCurrentProcessId()) + L".tmp";
    const std::string text = record.Serialize();
    HANDLE f = CreateFileW(temp.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    DWORD written = 0;
    const bool ok = f != INVALID_HANDLE_VALUE &&
                    WriteFile(f, text.data(), static_cast<DWORD>(text.size()), &written, nullptr) &&
                    written == text.size() && FlushFileBuffers(f);
    const DWORD code = GetLastError();
    if (f != INVALID_HANDLE_VALUE) CloseHandle(f);
    if (!ok || !MoveFileExW(temp.c_str(), path_.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
      error = "cannot write " + Narrowed(path_) + ": " + SystemMessage(ok ? GetLastError() : code);
      DeleteFileW(temp.c_str());
      return false;
    }
    return true;
  }

  std::string path() const { return Narrowed(path_); }

 private:
  static std::string Narrowed(const std::wstring& w) {
    std::string out;
    Narrow(w.data(), w.size(), out);
    return out;
  }
  void CreateParents() {
    for (size_t at = path_.find_first_of(L"\\/", 3); at != std::wstring::npos; at = path_.find_first_of(L"\\/", at + 1))
      CreateDirectoryW(path_.substr(0, at).c_str(), nullptr);
  }

  std::wstring path_;
  HANDLE lock_ = INVALID_HANDLE_VALUE;
};

std::string ComputerName() {
  wchar_t name[256];
  DWORD size = static_cast<DWORD>(std::size(name));
  std::string out;
  if (GetComputerNameExW(ComputerNameDnsFullyQualified, name, &size)) Narrow(name, size, out);
  return out;
}

std::string AccessHint() {
  return "reading WFP net events needs an elevated administrator (FWPM_ACTRL_SUBSCRIBE and FWPM_ACTRL_ENUM on the "
         "net events, FWPM_ACTRL_WRITE on the engine to turn collection on)";
}

}  // namespace

NetEventsSource::NetEventsSource(LiveStart start, std::optional<NetEventBookmark> bookmark, EventSelection selection,
                                 std::shared_ptr<WfpEngine> engine, std::string stateFile, size_t handoffCapacity)
    : start_(std::move(start)),
      startBookmark_(bookmark),
      selection_(selection),
      engine_(engine ? std::move(engine) : std::make_shared<WfpEngine>()),
      stateFile_(std::move(stateFile)),
      handoff_(std::max(handoffCapacity, kMinHandoff)),
      context_{&handoff_, nullptr} {
  context_.signal = signal_.handle();
  namespace keyword = net_event_keyword;
  const bool blocks =
      selection_.Contains(5157) || selection_.Contains(5152) || selection_.Contains(5155) || selection_.Contains(5159);
  if (blocks) types_.push_back(NetEventType::ClassifyDrop);
  if (selection_.Contains(5157)) {
    types_.push_back(NetEventType::CapabilityDrop);
    neededKeywords_ |= keyword::kCapabilityDrop;
  }
  if (selection_.Contains(5150)) types_.push_back(NetEventType::ClassifyDropMac);
  if (selection_.Contains(5156) || selection_.Contains(5154) || selection_.Contains(5158)) {
    types_.push_back(NetEventType::ClassifyAllow);
    neededKeywords_ |= keyword::kClassifyAllow;
  }
  if (selection_.Contains(5156)) {
    types_.push_back(NetEventType::CapabilityAllow);
    neededKeywords_ |= keyword::kCapabilityAllow;
  }
  owner_.pid = GetCurrentProcessId();
  owner_.processStart = ProcessStart(GetCurrentProcess());
  owner_.watcher = std::random_device{}() ^ (static_cast<uint64_t>(std::random_device{}()) << 32) ^
                   reinterpret_cast<uintptr_t>(this);
}

std::unique_ptr<EventSource> NetEventsSource::Create(OptionReader& options, const SourceContext& context) {
  LiveStart start = ReadLiveStart(options);
  std::optional<NetEventBookmark> bookmark;
  if (!options.failed() && start.at == StartAt::Bookmark) {
    bookmark = NetEventBookmark::Parse(start.bookmark);
    if (!bookmark) options.Fail("bookmark is not one the netevents source gave out");
  }
  const std::string stateFile = options.String("engineStateFile").value_or("");
  if (!options.failed() && stateFile.empty()) options.Fail("engineStateFile must be a file path");
  const double hwm = options.Number("highWaterMark").value_or(0);
  if (options.failed()) return nullptr;
  return std::make_unique<NetEventsSource>(std::move(start), bookmark, context.selection, context.wfpEngine, stateFile,
                                           static_cast<size_t>(hwm > 0 ? hwm : 0));
}

NetEventsSource::~NetEventsSource() { Disconnect(); }

void NetEventsSource::Interrupt() { stop_.Set(); }

bool NetEventsSource::WaitOrStop(unsigned long milliseconds) {
  return WaitForSingleObject(stop_.handle(), milliseconds) != WAIT_OBJECT_0;
}

NetEventsSource::Outcome NetEventsSource::Failed(RecordSink& sink, const char* api, unsigned long code) {
  std::string what = std::string(api) + " failed: " + SystemMessage(code) + " (" + std::to_string(code) + ")";
  if (IsTransient(code)) {
    sink.OnIssue(Issue{&kErrNetEventsTransient, what + "; reconnecting to the filter engine", std::string(kInput), -1,
                       static_cast<int64_t>(code)});
    return Outcome::Retry;
  }
  if (code == win32::kAccessDenied) {
    sink.OnIssue(
        Issue{&kErrAccessDenied, std::move(what), std::string(kInput), -1, static_cast<int64_t>(code), AccessHint()});
    return Outcome::Fatal;
  }
  sink.OnIssue(Issue{&kErrNetEvents, std::move(what), std::string(kInput), -1, static_cast<int64_t>(code)});
  return Outcome::Fatal;
}

void NetEventsSource::Run(RecordSink& sink) {
  if (!stop_.handle() || !signal_.handle()) {
    Failed(sink, "CreateEvent", GetLastError());
    return;
  }
  api_ = fwp::ResolveNetEventApi();
  if (!api_.version) {
    sink.OnIssue(Issue{&kErrNetEvents, "fwpuclnt.dll exports no FwpmNetEventSubscribe/FwpmNetEventEnum pair",
                       std::string(kInput)});
    return;
  }
  context_.version = api_.version;
  mapper_ = std::make_unique<NetEventMapper>(ComputerName());
  startedAt_ = Now();
  if (startBookmark_) cursor_.Restore(*startBookmark_);
  // Unsubscribed and restored when the thread ends, not when the watcher object is collected later.
  struct OnExit {
    NetEventsSource* source;
    ~OnExit() {
      source->Disconnect();
      source->ReleaseOptions();
    }
  } onExit{this};

  DWORD backoff = kBackoffFirstMs;
  std::minstd_rand jitter(GetCurrentThreadId());
  bool reconnecting = false;
  while (!sink.Stopping()) {
    Outcome o = Connect(sink, reconnecting);
    if (o == Outcome::Ok) {
      backoff = kBackoffFirstMs;
      o = Watch(sink);
    }
    if (o == Outcome::Fatal || o == Outcome::Stopped) return;
    // The engine went away: what arrived before is delivered, and the next connection lists the
    // buffer after it.
    Disconnect();
    Drain(sink);
    engine_->Reset();
    sink.OnIdle();
    if (!WaitOrStop(backoff + jitter() % (backoff / 5 + 1))) return;
    backoff = std::min(backoff * 2, kBackoffMaxMs);
    reconnecting = true;
  }
}

NetEventsSource::Outcome NetEventsSource::Connect(RecordSink& sink, bool reconnecting) {
  unsigned long code = 0;
  void* engine = engine_->Open(code);
  if (!engine) return Failed(sink, "FwpmEngineOpen0", code);
  Outcome o = EnsureOptions(sink, engine);
  if (o != Outcome::Ok) return o;
  // Subscribed before the buffer is listed, so that nothing falls between the two; what both deliver
  // is recognised (NetEventOverlap).
  o = Subscribe(sink, engine);
  if (o != Outcome::Ok) return o;
  const bool list = reconnecting || start_.at != StartAt::Now;
  return list ? List(sink, engine, reconnecting) : Outcome::Ok;
}

// One condition per net event type the watcher wants: what the subscription and the listing both ask for.
std::vector<FWPM_FILTER_CONDITION0> NetEventsSource::TypeConditions() const {
  std::vector<FWPM_FILTER_CONDITION0> conditions;
  for (NetEventType type : types_) {
    if (api_.version == 1 && type != NetEventType::ClassifyDrop) continue;  // FWPM_NET_EVENT1 knows no others
    FWPM_FILTER_CONDITION0 c{};
    c.fieldKey = fwp::kConditionNetEventType;
    c.matchType = FWP_MATCH_EQUAL;
    c.conditionValue.type = FWP_UINT32;
    c.conditionValue.uint32 = static_cast<UINT32>(type);
    conditions.push_back(c);
  }
  return conditions;
}

NetEventsSource::Outcome NetEventsSource::Subscribe(RecordSink& sink, void* engine) {
  std::vector<FWPM_FILTER_CONDITION0> conditions = TypeConditions();
  FWPM_NET_EVENT_ENUM_TEMPLATE0 filter{};
  filter.endTime = ToFileTime(UINT64_MAX >> 1);
  filter.numFilterConditions = static_cast<UINT32>(conditions.size());
  filter.filterCondition = conditions.data();
  FWPM_NET_EVENT_SUBSCRIPTION0 subscription{};
  subscription.enumTemplate = &filter;
  HANDLE engineHandle = static_cast<HANDLE>(engine), handle = nullptr;
  DWORD rc;
  switch (api_.version) {
    case 1:
      rc = SubscribeAs<FWPM_NET_EVENT1>(api_, engineHandle, subscription, &context_, &handle);
      break;
    case 2:
      rc = SubscribeAs<fwp::NetEvent2>(api_, engineHandle, subscription, &context_, &handle);
      break;
    default:
      rc = SubscribeAs<fwp::NetEvent3>(api_, engineHandle, subscription, &context_, &handle);
      break;
  }
  if (rc != ERROR_SUCCESS) return Failed(sink, "FwpmNetEventSubscribe", rc);
  subscription_ = handle;
  subscribedAt_ = Now();
  return Outcome::Ok;
}

NetEventsSource::Outcome NetEventsSource::List(RecordSink& sink, void* engine, bool reconnecting) {
  std::vector<FWPM_FILTER_CONDITION0> conditions = TypeConditions();
  FWPM_NET_EVENT_ENUM_TEMPLATE0 filter{};
  filter.endTime = ToFileTime(Now() + 864000000000ull);  // a day ahead: whatever the buffer holds now
  filter.numFilterConditions = static_cast<UINT32>(conditions.size());
  filter.filterCondition = conditions.data();
  HANDLE engineHandle = static_cast<HANDLE>(engine), enumHandle = nullptr;
  DWORD rc = FwpmNetEventCreateEnumHandle0(engineHandle, &filter, &enumHandle);
  if (rc != ERROR_SUCCESS) return Failed(sink, "FwpmNetEventCreateEnumHandle0", rc);
  std::vector<NetEventFacts> listed;
  switch (api_.version) {
    case 1:
      rc = ListAs<FWPM_NET_EVENT1>(api_, engineHandle, enumHandle, listed);
      break;
    case 2:
      rc = ListAs<fwp::NetEvent2>(api_, engineHandle, enumHandle, listed);
      break;
    default:
      rc = ListAs<fwp::NetEvent3>(api_, engineHandle, enumHandle, listed);
      break;
  }
  FwpmNetEventDestroyEnumHandle0(engineHandle, enumHandle);
  if (rc != ERROR_SUCCESS) return Failed(sink, "FwpmNetEventEnum", rc);

  std::stable_sort(listed.begin(), listed.end(),
                   [](const NetEventFacts& a, const NetEventFacts& b) { return a.timeStamp < b.timeStamp; });
  std::vector<std::pair<uint64_t, uint32_t>> keys;
  for (const NetEventFacts& f : listed) keys.emplace_back(f.timeStamp, NetEventHash(f));
  size_t first = 0;
  if (const std::optional<NetEventBookmark>& last = cursor_.last()) {
    NetEventCursor::Resume r = NetEventCursor::Locate(*last, keys);
    if (!r.found)
      sink.OnGap(reconnecting
                     ? "the filter engine's buffer no longer reaches back to the last event delivered before "
                       "the connection was lost; net events in between may be missing"
                     : "the bookmarked net event is no longer in the filter engine's buffer (it holds about "
                       "100 to 150 events and is emptied at reboot); reading goes on from the oldest one after it");
    first = r.first;
  } else if (reconnecting && start_.at == StartAt::Now) {
    // Nothing was delivered yet: what the buffer holds since the watcher started.
    while (first < keys.size() && keys[first].first < startedAt_) ++first;
  }
  std::vector<std::pair<uint64_t, uint32_t>> delivered(keys.begin() + static_cast<std::ptrdiff_t>(first), keys.end());
  for (size_t i = first; i < listed.size() && !sink.Stopping(); ++i) Deliver(sink, listed[i], keys[i].second);
  overlap_.Remember(subscribedAt_, delivered);
  return Outcome::Ok;
}

void NetEventsSource::Deliver(RecordSink& sink, const NetEventFacts& facts, uint32_t hash) {
  const NetEventBookmark bookmark = cursor_.Advance(facts.timeStamp, hash);
  if (!mapper_->Map(facts, event_) || !sink.Wants(event_.record->eventId)) return;
  bookmarkText_ = bookmark.Format();
  event_.bookmark = bookmarkText_;
  sink.OnEvent(event_, Position{kInput});
}

void NetEventsSource::Drain(RecordSink& sink) {
  drained_.clear();
  const uint64_t dropped = handoff_.TakeAll(drained_);
  if (dropped)
    sink.OnIssue(Issue{&kErrEventsLost,
                       std::to_string(dropped) + " net events were dropped: the hand-off from WFP's callback thread (" +
                           std::to_string(handoff_.capacity()) +
                           " events) was full while JavaScript took events slower "
                           "than they came; raise highWaterMark or take events faster",
                       std::string(kInput)});
  for (const NetEventFacts& f : drained_) {
    if (sink.Stopping()) return;
    const uint32_t hash = NetEventHash(f);
    if (overlap_.Seen(f.timeStamp, hash)) continue;
    Deliver(sink, f, hash);
  }
}

NetEventsSource::Outcome NetEventsSource::Watch(RecordSink& sink) {
  HANDLE waits[2] = {stop_.handle(), signal_.handle()};
  auto nextCheck = std::chrono::steady_clock::now() + std::chrono::milliseconds(kHealthCheckMs);
  sink.OnIdle();
  while (!sink.Stopping()) {
    const auto now = std::chrono::steady_clock::now();
    DWORD timeout = now >= nextCheck
                        ? 0
                        : static_cast<DWORD>(std::chrono::ceil<std::chrono::milliseconds>(nextCheck - now).count());
    if (std::optional<std::chrono::milliseconds> due = sink.IdleTimeout())
      timeout = std::min<DWORD>(timeout, static_cast<DWORD>(due->count()));
    const DWORD w = WaitForMultipleObjects(2, waits, FALSE, timeout);
    if (w == WAIT_OBJECT_0 || w == WAIT_FAILED) return Outcome::Stopped;
    if (w == WAIT_OBJECT_0 + 1) Drain(sink);
    if (std::chrono::steady_clock::now() >= nextCheck) {
      const Outcome o = Check(sink);
      if (o != Outcome::Ok) return o;
      nextCheck = std::chrono::steady_clock::now() + std::chrono::milliseconds(kHealthCheckMs);
    }
    sink.OnIdle();
  }
  return Outcome::Stopped;
}

NetEventsSource::Outcome NetEventsSource::Check(RecordSink& sink) {
  unsigned long code = 0;
  void* engine = engine_->Open(code);
  if (!engine) return Failed(sink, "FwpmEngineOpen0", code);
  uint32_t collect = 0;
  const DWORD rc = GetOption(static_cast<HANDLE>(engine), fwp::kEngineCollectNetEvents, collect);
  if (rc != ERROR_SUCCESS) return Failed(sink, "FwpmEngineGetOption0", rc);
  if (collect != 0) return Outcome::Ok;
  sink.OnIssue(
      Issue{&kErrEventsLost,
            "another program turned WFP net-event collection off (FWPM_ENGINE_COLLECT_NET_EVENTS); it is turned "
            "on again, and events in between were not collected",
            std::string(kInput)});
  return EnsureOptions(sink, engine);
}

void NetEventsSource::Disconnect() {
  if (!subscription_) return;
  unsigned long code = 0;
  void* engine = engine_->Open(code);
  // Waits for a callback in progress; from this thread, never from the callback.
  const DWORD rc = engine ? FwpmNetEventUnsubscribe0(static_cast<HANDLE>(engine), static_cast<HANDLE>(subscription_))
                          : ERROR_INVALID_HANDLE;
  subscription_ = nullptr;
  // A subscription that could not be cancelled ends with its session, before the context goes away.
  if (rc != ERROR_SUCCESS) engine_->Reset();
}

NetEventsSource::Outcome NetEventsSource::EnsureOptions(RecordSink& sink, void* engineHandle) {
  HANDLE engine = static_cast<HANDLE>(engineHandle);
  EngineOptionValues current;
  DWORD rc = ReadOptions(engine, current);
  if (rc != ERROR_SUCCESS) return Failed(sink, "FwpmEngineGetOption0", rc);
  if (!NeededChange(current, neededKeywords_).any() && ownsRecord_) return Outcome::Ok;

  StateFile file(stateFile_);
  std::string error;
  if (!file.Lock(error)) {
    if (!NeededChange(current, neededKeywords_).any()) return Outcome::Ok;  // nothing to change, nothing to record
    sink.OnIssue(Issue{&kErrNetEvents, "WFP engine options must change and the change cannot be recorded: " + error,
                       std::string(kInput)});
    return Outcome::Fatal;
  }
  bool corrupt = false;
  EngineOptionRecord record = file.Load(corrupt).value_or(EngineOptionRecord{});
  if (corrupt)
    sink.OnIssue(Issue{&kErrFileRead,
                       "the engine-option record " + file.path() + " cannot be read; what it recorded is not restored",
                       file.path()});
  record.owners.erase(std::remove_if(record.owners.begin(), record.owners.end(),
                                     [&](const EngineOptionOwner& o) { return !(o == owner_) && !Alive(o); }),
                      record.owners.end());
  if (record.changed() && record.owners.empty()) {
    // A watcher that changed the options died without putting them back.
    const EngineOptionValues restored = RestoredValues(record, current);
    if (WriteOptions(engine, current, restored) == ERROR_SUCCESS) {
      current = restored;
      record = EngineOptionRecord{};
    }
  }
  const EngineOptionChange change = NeededChange(current, neededKeywords_);
  if (!change.any()) {
    if (!record.changed())
      file.Save(record, error);  // a restored record is removed
    else if (std::find(record.owners.begin(), record.owners.end(), owner_) == record.owners.end()) {
      // What another watcher turned on is what this one relies on: it stays until both are done.
      RecordChange(record, current, change, owner_);
      if (file.Save(record, error)) ownsRecord_ = true;
    }
    return Outcome::Ok;
  }
  // Written down before anything changes.
  RecordChange(record, current, change, owner_);
  if (!file.Save(record, error)) {
    if (change.turnOnCollect) {
      sink.OnIssue(Issue{&kErrNetEvents,
                         "WFP net-event collection is off and turning it on cannot be recorded: " + error,
                         file.path()});
      return Outcome::Fatal;
    }
    sink.OnIssue(Issue{&kErrEventsLost,
                       "the engine-option change cannot be recorded, so it is not made (" + error +
                           "): permitted and app-container events are not collected",
                       file.path()});
    return Outcome::Ok;
  }
  ownsRecord_ = true;
  EngineOptionValues wanted = current;
  if (change.turnOnCollect) wanted.collect = 1;
  wanted.keywords |= change.addKeywords;
  rc = WriteOptions(engine, current, wanted);
  if (rc == ERROR_SUCCESS) return Outcome::Ok;
  // Not (or not all) changed: the record claims no more than the engine holds.
  EngineOptionValues now;
  if (ReadOptions(engine, now) == ERROR_SUCCESS) {
    if (change.turnOnCollect && now.collect == 0) record.turnedOnCollect = false;
    record.addedKeywords &= now.keywords | ~change.addKeywords;
    file.Save(record, error);
  }
  if (IsTransient(rc)) return Failed(sink, "FwpmEngineSetOption0", rc);
  const std::string why = SystemMessage(rc) + " (" + std::to_string(rc) + ")";
  const bool denied = rc == win32::kAccessDenied;
  if (!change.turnOnCollect) {
    sink.OnIssue(Issue{&kErrEventsLost,
                       "FwpmEngineSetOption0 could not add the keywords permitted and app-container events need: " +
                           why + "; those events are not collected",
                       std::string(kInput), -1, static_cast<int64_t>(rc), denied ? AccessHint() : ""});
    return Outcome::Ok;
  }
  sink.OnIssue(Issue{denied ? &kErrAccessDenied : &kErrNetEvents,
                     "WFP net-event collection is off (FWPM_ENGINE_COLLECT_NET_EVENTS = 0, a machine-wide setting that "
                     "another program may have changed) and FwpmEngineSetOption0 could not turn it on: " +
                         why,
                     std::string(kInput), -1, static_cast<int64_t>(rc), denied ? AccessHint() : ""});
  return Outcome::Fatal;
}

void NetEventsSource::ReleaseOptions() {
  if (!ownsRecord_) return;
  ownsRecord_ = false;
  StateFile file(stateFile_);
  std::string error;
  if (!file.Lock(error)) return;  // the record stays; a later watcher restores what it holds
  bool corrupt = false;
  std::optional<EngineOptionRecord> loaded = file.Load(corrupt);
  if (!loaded) return;
  EngineOptionRecord record = *loaded;
  record.owners.erase(std::remove_if(record.owners.begin(), record.owners.end(),
                                     [&](const EngineOptionOwner& o) { return o == owner_ || !Alive(o); }),
                      record.owners.end());
  if (!record.owners.empty() || !record.changed()) {
    file.Save(record, error);
    return;
  }
  unsigned long code = 0;
  void* engine = engine_->Open(code);
  EngineOptionValues current;
  if (!engine || ReadOptions(static_cast<HANDLE>(engine), current) != ERROR_SUCCESS) {
    file.Save(record, error);  // no owner left: the next watcher restores it
    return;
  }
  if (WriteOptions(static_cast<HANDLE>(engine), current, RestoredValues(record, current)) == ERROR_SUCCESS)
    record = EngineOptionRecord{};
  file.Save(record, error);
}

}  // namespace wfp
