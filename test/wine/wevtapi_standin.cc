// A stand-in wevtapi.dll for running the Windows sources under Wine, whose own wevtapi is a stub. It
// implements the documented contract of the functions the addon calls, over real fixture records,
// and behaves as the real one was seen to behave by Winlogbeat, fluent-bit, Vector and Wazuh. Test
// code only: never shipped.
//
//   WFP_STANDIN_RECORDS  file of event XML, one record per line: the "Security log". It is re-read on
//                        every EvtNext, so appending lines writes new events; a watcher thread signals
//                        subscriptions when the file grows.
//   WFP_STANDIN_FIREWALL_RECORDS  the same for the firewall's operational log (Microsoft-Windows-Windows
//                        Firewall With Advanced Security/Firewall), whose record IDs are its own. Unset or
//                        empty: this machine has no such channel (EvtQuery and EvtSubscribe on it fail
//                        with ERROR_EVT_CHANNEL_NOT_FOUND); set to a file not there yet: an empty log.
//   WFP_STANDIN_LOG      file that every call is appended to, so tests can see the real calls happen.
//   WFP_STANDIN_FAIL     comma-separated behaviours to inject; the injection state starts afresh
//                        whenever this value changes, so the tests of one process do not meet:
//     subscribe=<code>            EvtSubscribe always fails with <code>
//     subscribe-fails=<n>:<code>  the first <n> EvtSubscribe calls fail with <code> (a service still starting)
//     stale-after=<n>             EvtNext fails once with ERROR_EVT_QUERY_RESULT_STALE once <n> records were
//                                 returned in all (a log cleared or rolled over)
//     restart-after=<n>           the EventLog service restarts once <n> records were returned: EvtNext
//                                 fails with RPC_S_CALL_CANCELLED (beats #27947), then the next three
//                                 EvtSubscribe/EvtQuery calls fail with RPC_S_SERVER_UNAVAILABLE, the one
//                                 after with ERROR_EVT_CHANNEL_NOT_FOUND (beats #30201, #34605), then it is up
//     short-batch=<n>             EvtNext returns at most <n> records per call, more remaining (its
//                                 documentation: loop until ERROR_NO_MORE_ITEMS)
//     invalid-bound-above=<n>     the first EvtNext asking for more than <n> fails with RPC_S_INVALID_BOUND
//                                 and still moves the read position past them (beats #3076)
//     render-fail=<id>:<code>     EvtRender fails with <code> on the record with EventRecordID <id>
//     query=<code>                EvtQuery always fails with <code>
//     metadata=<code>             EvtOpenPublisherMetadata fails with <code> (15002: not installed)
//
// Contract points (learn.microsoft.com, winevt.h): EvtSubscribe with a signal event and no callback is
// a pull subscription; its structured query (<QueryList>) has a <Select Path="channel"> per log, each
// with its own XPath; flags 1 = to future events, 2 = from the oldest record, 3 = after a bookmark,
// plus 0x10000 = strict: fail with ERROR_NOT_FOUND when the bookmarked record is not found, which here
// (as Vector issue 26120 saw on a healthy host) includes a record the query does not select; plus
// 0x1000 = EvtSubscribeTolerateQueryErrors: a <Select> of a channel this machine does not have is left
// out (without it EvtSubscribe fails with ERROR_EVT_CHANNEL_NOT_FOUND; with it, only when no part is
// left). A bookmark over several channels holds a <Bookmark Channel='…' RecordId='…'/> per channel
// (EvtCreateBookmark: "if the query is against multiple channels, the bookmark handle will contain
// bookmarks for each channel"); after a bookmark, each channel starts after its own record. Not
// documented, and modelled here as follows (the addon relies on neither: its own per-channel floors
// drop what was delivered): strict fails when the record of any channel the bookmark names is not
// found, and a channel of the query that the bookmark does not name is read from its oldest record.
// The records of several channels come out of EvtNext interleaved in the order they were written, by
// their SystemTime (within a channel, in record order). EvtNext
// returns FALSE with ERROR_NO_MORE_ITEMS when nothing is left. EvtQuery takes a channel path (flag 1)
// and reads forwards (0x100) or newest first (0x200); its query may be "*" or an XPath over EventID
// and EventRecordID. EvtRender(EvtRenderEventXml) and EvtGetEventMetadataProperty fail with
// ERROR_INSUFFICIENT_BUFFER and set the size needed (in bytes) when the buffer is too small.
// EvtOpenPublisherMetadata gives the installed manifest of Microsoft-Windows-Security-Auditing (the
// templates below, field names in order, as in the manifest Windows 10 ships); EvtNextEventMetadata
// returns NULL with ERROR_NO_MORE_ITEMS after the last event. Every handle's opening and closing is
// logged, so tests can check that none leaks.
#include <windows.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "standin_shared.h"

namespace {

using EVT_HANDLE = HANDLE;

constexpr DWORD kToFutureEvents = 1, kStartAtOldest = 2, kStartAfterBookmark = 3, kStrict = 0x10000,
                kTolerateQueryErrors = 0x1000;
constexpr DWORD kQueryChannelPath = 1, kQueryReverse = 0x200;
constexpr DWORD kRenderEventXml = 1;
constexpr DWORD kErrorStale = 15011, kErrorChannelNotFound = 15007, kErrorInvalidQuery = 15001;
constexpr DWORD kRpcServerUnavailable = 1722, kRpcCallCancelled = 1818, kRpcInvalidBound = 1734;
constexpr DWORD kVarTypeString = 1, kVarTypeUInt32 = 8;
constexpr DWORD kMetadataEventId = 0, kMetadataEventVersion = 1, kMetadataEventTemplate = 8;

std::mutex mutex;  // the injection state

// The injection state of the current WFP_STANDIN_FAIL value.
struct Injected {
  std::string fail;
  long returnedInAll = 0;
  bool staleDone = false, boundDone = false;
  long subscribeFailures = 0;
  bool restarting = false, restartDone = false;
  int downCalls = 0;  // calls answered while the service restarts
};
Injected injected;

// Under `mutex`: the state for the current value, reset when the value changed.
Injected& State() {
  std::string fail = Env("WFP_STANDIN_FAIL");
  if (fail != injected.fail) {
    injected = Injected{};
    injected.fail = fail;
  }
  return injected;
}

long Setting(const std::string& fail, const std::string& key, long* second = nullptr) {
  size_t at = fail.find(key + "=");
  if (at == std::string::npos) return -1;
  const char* text = fail.c_str() + at + key.size() + 1;
  char* end = nullptr;
  long value = std::strtol(text, &end, 10);
  if (second) *second = *end == ':' ? std::strtol(end + 1, nullptr, 10) : -1;
  return value;
}

// While the service restarts, every call that talks to it gets the error of its phase.
DWORD ServiceDown() {
  std::lock_guard<std::mutex> lock(mutex);
  Injected& s = State();
  if (!s.restarting) return 0;
  ++s.downCalls;
  if (s.downCalls <= 3) return kRpcServerUnavailable;
  s.restarting = false;
  return kErrorChannelNotFound;
}

std::string Narrow(const wchar_t* s) {
  if (!s) return "(null)";
  int n = WideCharToMultiByte(CP_UTF8, 0, s, -1, nullptr, 0, nullptr, nullptr);
  std::string out(n > 0 ? n - 1 : 0, '\0');
  WideCharToMultiByte(CP_UTF8, 0, s, -1, out.data(), n, nullptr, nullptr);
  return out;
}

std::wstring Wide(const std::string& s) {
  int chars = MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
  std::wstring out(static_cast<size_t>(chars), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), out.data(), chars);
  return out;
}

// The channels of this machine: the Security log, and the firewall's operational log when
// WFP_STANDIN_FIREWALL_RECORDS names its file.
constexpr const char* kChannels[] = {"Security", "Microsoft-Windows-Windows Firewall With Advanced Security/Firewall"};
constexpr const char* kChannelFiles[] = {"WFP_STANDIN_RECORDS", "WFP_STANDIN_FIREWALL_RECORDS"};
constexpr int kChannelCount = 2;

// The index of a channel this machine has, -1 for any other.
int FindChannel(const std::string& name) {
  for (int c = 0; c < kChannelCount; ++c)
    if (name == kChannels[c]) return c == 0 || !Env(kChannelFiles[c]).empty() ? c : -1;
  return -1;
}

// As the call log names a channel: the last part of its path ("Security", "Firewall").
std::string ShortName(const std::string& channel) { return channel.substr(channel.rfind('/') + 1); }

struct Record {
  std::string xml;
  unsigned long long recordId;
  unsigned eventId;
  std::string written;  // SystemTime as "YYYY-MM-DDThh:mm:ss.fffffffff": the order of writing across channels
};

// SystemTime='2020-02-12 14:45:13.3651450' or "...T...Z", made comparable as text.
std::string WrittenAt(const std::string& line) {
  size_t at = line.find("SystemTime=");
  if (at == std::string::npos || at + 12 >= line.size()) return std::string();
  const char quote = line[at + 11];
  size_t end = line.find(quote, at + 12);
  std::string t = line.substr(at + 12, end == std::string::npos ? 0 : end - at - 12);
  if (!t.empty() && t.back() == 'Z') t.pop_back();
  std::replace(t.begin(), t.end(), ' ', 'T');
  size_t dot = t.find('.');
  std::string fraction = dot == std::string::npos ? std::string() : t.substr(dot + 1);
  fraction.resize(9, '0');
  return t.substr(0, dot) + "." + fraction;
}

std::vector<Record> LoadRecords(int channel) {
  std::vector<Record> records;
  for (const std::string& line : FileLines(Env(kChannelFiles[channel]), true)) {
    size_t id = line.find("<EventRecordID>"), ev = line.find("<EventID");
    if (id == std::string::npos || ev == std::string::npos) continue;
    records.push_back(Record{line, std::strtoull(line.c_str() + id + 15, nullptr, 10),
                             static_cast<unsigned>(std::strtoul(line.c_str() + line.find('>', ev) + 1, nullptr, 10)),
                             WrittenAt(line)});
  }
  return records;
}

// The sizes of the channels' files, to see them grow.
long long FileSizes() {
  long long sum = 0;
  for (int c = 0; c < kChannelCount; ++c) {
    WIN32_FILE_ATTRIBUTE_DATA data;
    const std::string path = Env(kChannelFiles[c]);
    if (!path.empty() && GetFileAttributesExA(path.c_str(), GetFileExInfoStandard, &data))
      sum += (static_cast<long long>(data.nFileSizeHigh) << 32) | data.nFileSizeLow;
  }
  return sum;
}

// What a query selects: event IDs and record IDs, as XPath "EventID=n" / "EventRecordID=n" terms and
// "(EventID >= a and EventID <= b)" ranges joined by "or" ("*" selects everything). As the real event
// log, a query of more than 21 comparisons is refused (ERROR_EVT_INVALID_QUERY: Winlogbeat's and the
// Elastic integration's documented limit).
struct Selection {
  std::vector<std::pair<unsigned, unsigned>> eventIds;  // inclusive ranges
  std::vector<unsigned long long> recordIds;
  size_t comparisons = 0;
  bool Matches(const Record& r) const {
    bool any = eventIds.empty() && recordIds.empty();
    for (auto [low, high] : eventIds) any = any || (r.eventId >= low && r.eventId <= high);
    for (unsigned long long id : recordIds) any = any || id == r.recordId;
    return any;
  }
  bool TooLong() const { return comparisons > 21; }
};

Selection ParseSelection(const std::string& q) {
  Selection s;
  const std::regex eventId("EventID=(\\d+)"), recordId("EventRecordID=(\\d+)"),
      range("EventID >= (\\d+) and EventID <= (\\d+)");
  for (std::sregex_iterator it(q.begin(), q.end(), eventId), end; it != end; ++it) {
    const unsigned id = static_cast<unsigned>(std::stoul((*it)[1].str()));
    s.eventIds.emplace_back(id, id);
    ++s.comparisons;
  }
  for (std::sregex_iterator it(q.begin(), q.end(), range), end; it != end; ++it) {
    s.eventIds.emplace_back(static_cast<unsigned>(std::stoul((*it)[1].str())),
                            static_cast<unsigned>(std::stoul((*it)[2].str())));
    s.comparisons += 2;
  }
  for (std::sregex_iterator it(q.begin(), q.end(), recordId), end; it != end; ++it) {
    s.recordIds.push_back(std::stoull((*it)[1].str()));
    ++s.comparisons;
  }
  return s;
}

// The installed manifest's templates: (event ID, version, field names in order).
struct Template {
  unsigned id, version;
  std::vector<const char*> fields;
};

const std::vector<Template>& Templates() {
  static const std::vector<Template> all = [] {
    const std::vector<const char*> packet = {"ProcessId",  "Application", "Direction", "SourceAddress",
                                             "SourcePort", "DestAddress", "DestPort",  "Protocol",
                                             "FilterRTID", "LayerName",   "LayerRTID"};
    std::vector<const char*> connection0 = packet;
    connection0[0] = "ProcessID";
    std::vector<const char*> connection1 = connection0;
    connection1.insert(connection1.end(), {"RemoteUserID", "RemoteMachineID"});
    const std::vector<const char*> bind = {"ProcessId", "Application", "SourceAddress", "SourcePort",
                                           "Protocol",  "FilterRTID",  "LayerName",     "LayerRTID"};
    const std::vector<const char*> mac = {"Direction",     "SourceAddress", "DestAddress", "EtherType", "MediaType",
                                          "InterfaceType", "VlanTag",       "FilterRTID",  "LayerName", "LayerRTID"};
    std::vector<Template> t;
    t.push_back({4624, 2, {"SubjectUserSid", "SubjectUserName"}});  // another event, skipped by readers
    t.push_back({4719,
                 0,
                 {"SubjectUserSid", "SubjectUserName", "SubjectDomainName", "SubjectLogonId", "CategoryId",
                  "SubcategoryId", "SubcategoryGuid", "AuditPolicyChanges"}});
    t.push_back({5031, 0, {"Profiles", "Application"}});
    for (unsigned id : {5150u, 5151u}) t.push_back({id, 0, mac});
    for (unsigned id : {5152u, 5153u}) t.push_back({id, 0, packet});
    for (unsigned id : {5154u, 5155u, 5158u, 5159u}) t.push_back({id, 0, bind});
    for (unsigned id : {5156u, 5157u}) {
      t.push_back({id, 0, connection0});
      t.push_back({id, 1, connection1});
    }
    return t;
  }();
  return all;
}

std::string TemplateXml(const Template& t) {
  std::string xml = "<template xmlns=\"http://schemas.microsoft.com/win/2004/08/events\">";
  for (const char* f : t.fields)
    xml += std::string("<data name=\"") + f + "\" inType=\"win:UnicodeString\" outType=\"xs:string\"/>";
  return xml + "</template>";
}

enum class Kind { Subscription, Query, Event, Bookmark, Publisher, MetadataEnum, EventMetadata };
const char* KindName(Kind k) {
  switch (k) {
    case Kind::Subscription:
      return "subscription";
    case Kind::Query:
      return "query";
    case Kind::Event:
      return "event";
    case Kind::Bookmark:
      return "bookmark";
    case Kind::Publisher:
      return "publisher";
    case Kind::MetadataEnum:
      return "metadata-enum";
    case Kind::EventMetadata:
      return "event-metadata";
  }
  return "?";
}

struct Object {
  explicit Object(Kind k) : kind(k) {
    if (kind != Kind::Event) Log(std::string("open ") + KindName(kind));
  }
  virtual ~Object() = default;
  Kind kind;
};

struct EventObject : Object {
  EventObject() : Object(Kind::Event) {}
  std::wstring xml;
  unsigned long long recordId = 0;
};

struct BookmarkObject : Object {
  BookmarkObject() : Object(Kind::Bookmark) {}
  std::vector<std::pair<std::string, unsigned long long>> marks;  // (channel, record ID) per <Bookmark>
  const unsigned long long* Find(const std::string& channel) const {
    for (const auto& [name, id] : marks)
      if (name == channel) return &id;
    return nullptr;
  }
  std::string Describe() const {
    std::string out;
    for (const auto& [name, id] : marks) out += (out.empty() ? "" : "+") + ShortName(name) + ":" + std::to_string(id);
    return out;
  }
};

// A subscription or a query: what EvtNext reads from.
struct ResultSet : Object {
  explicit ResultSet(Kind k) : Object(k) {}
  ~ResultSet() override {
    stop = true;
    if (watcher.joinable()) watcher.join();
  }
  // A subscription: per channel of this machine, whether the query reads it, what it selects there and
  // the index of the next record to look at (it reads the live files).
  bool reads[kChannelCount] = {};
  Selection selections[kChannelCount];
  size_t positions[kChannelCount] = {};
  Selection selection;        // a query's
  std::vector<Record> fixed;  // a query's records, in its order
  size_t position = 0;        // a query's next record

  // The next record of the query (a subscription: the one written first among its channels' next
  // selected records), the position moved past it; null when there is none.
  const Record* Next(const std::vector<Record> (&records)[kChannelCount]) {
    if (kind == Kind::Query) return position < fixed.size() ? &fixed[position++] : nullptr;
    int first = -1;
    for (int c = 0; c < kChannelCount; ++c) {
      if (!reads[c]) continue;
      while (positions[c] < records[c].size() && !selections[c].Matches(records[c][positions[c]])) ++positions[c];
      if (positions[c] < records[c].size() &&
          (first < 0 || records[c][positions[c]].written < records[first][positions[first]].written))
        first = c;
    }
    return first < 0 ? nullptr : &records[first][positions[first]++];
  }
  HANDLE signal = nullptr;
  std::atomic<bool> stop{false};
  std::thread watcher;
};

struct PublisherObject : Object {
  PublisherObject() : Object(Kind::Publisher) {}
};
struct MetadataEnumObject : Object {
  MetadataEnumObject() : Object(Kind::MetadataEnum) {}
  size_t next = 0;
};
struct EventMetadataObject : Object {
  explicit EventMetadataObject(const Template& t) : Object(Kind::EventMetadata), tmpl(&t) {}
  const Template* tmpl;
};

// EVT_VARIANT: an 8-byte value, a count and a type; a string's characters follow it in the buffer.
struct Variant {
  union {
    UINT32 uint32;
    const wchar_t* string;
    UINT64 raw;
  };
  DWORD count;
  DWORD type;
};
static_assert(sizeof(Variant) == 16);

}  // namespace

extern "C" __declspec(dllexport) EVT_HANDLE WINAPI EvtCreateBookmark(LPCWSTR xml) {
  auto* b = new BookmarkObject;
  if (xml) {
    std::string text = Narrow(xml);
    const std::regex mark("<Bookmark\\s+Channel=['\"]([^'\"]*)['\"]\\s+RecordId=['\"](\\d+)['\"][^>]*/>");
    for (std::sregex_iterator it(text.begin(), text.end(), mark), end; it != end; ++it)
      b->marks.emplace_back((*it)[1].str(), std::strtoull((*it)[2].str().c_str(), nullptr, 10));
    if (b->marks.empty() || text.find("<BookmarkList>") != 0 ||
        std::count(text.begin(), text.end(), '<') != static_cast<long>(b->marks.size()) + 2) {
      delete b;
      Log("EvtCreateBookmark rejected");
      SetLastError(ERROR_INVALID_PARAMETER);
      return nullptr;
    }
  }
  Log("EvtCreateBookmark " + b->Describe());
  return b;
}

extern "C" __declspec(dllexport) EVT_HANDLE WINAPI
    EvtSubscribe(EVT_HANDLE session, HANDLE signal, LPCWSTR channel, LPCWSTR query, EVT_HANDLE bookmark, PVOID context,
                 PVOID callback, DWORD flags) {
  const std::string q = Narrow(query);
  auto* b = static_cast<BookmarkObject*>(bookmark);
  Log("EvtSubscribe flags=" + std::to_string(flags) + " bookmark=" + (b ? b->Describe() : "none") +
      " signal=" + (signal ? "yes" : "no") + " callback=" + (callback ? "yes" : "no") + " query=" + q);
  DWORD refused = 0;
  {
    std::lock_guard<std::mutex> lock(mutex);
    Injected& s = State();
    long code2 = -1;
    const long always = Setting(s.fail, "subscribe");
    const long times = Setting(s.fail, "subscribe-fails", &code2);
    if (always >= 0)
      refused = static_cast<DWORD>(always);
    else if (times >= 0 && s.subscribeFailures < times)
      refused = static_cast<DWORD>(code2), ++s.subscribeFailures;
  }
  if (refused) {
    Log("failed EvtSubscribe " + std::to_string(refused));
    SetLastError(refused);
    return nullptr;
  }
  if (DWORD down = ServiceDown()) {
    Log("failed EvtSubscribe " + std::to_string(down));
    SetLastError(down);
    return nullptr;
  }
  if (session || callback || !signal || (channel && Narrow(channel) != "Security")) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  auto* s = new ResultSet(Kind::Subscription);
  std::vector<Record> records[kChannelCount];
  const std::regex select("<Select Path=\"([^\"]*)\">(.*?)</Select>");
  bool any = false;
  for (std::sregex_iterator it(q.begin(), q.end(), select), end; it != end; ++it) {
    const int c = FindChannel((*it)[1].str());
    if (c < 0) {
      if (flags & kTolerateQueryErrors) {
        Log("tolerated: no channel " + (*it)[1].str());
        continue;
      }
      delete s;
      SetLastError(kErrorChannelNotFound);
      return nullptr;
    }
    s->selections[c] = ParseSelection((*it)[2].str());
    if (s->selections[c].TooLong()) {
      delete s;
      SetLastError(kErrorInvalidQuery);
      return nullptr;
    }
    s->reads[c] = any = true;
    records[c] = LoadRecords(c);
  }
  if (!any) {
    delete s;
    SetLastError(kErrorChannelNotFound);
    return nullptr;
  }
  for (int c = 0; c < kChannelCount; ++c) {
    if (!s->reads[c]) continue;
    size_t& position = s->positions[c];
    switch (flags & 0xFFF) {
      case kToFutureEvents:
        position = records[c].size();
        break;
      case kStartAtOldest:
        position = 0;
        break;
      case kStartAfterBookmark: {
        const unsigned long long* after = b ? b->Find(kChannels[c]) : nullptr;
        if (!after) break;  // a channel the bookmark does not name: from its oldest record
        bool found = false, selected = false;
        for (const Record& r : records[c])
          if (r.recordId == *after) found = true, selected = s->selections[c].Matches(r);
        if ((flags & kStrict) && !(found && selected)) {
          Log(std::string("strict refused: the bookmarked record is ") + (found ? "not selected" : "gone") +
              (c ? " in " + ShortName(kChannels[c]) : ""));
          delete s;
          SetLastError(ERROR_NOT_FOUND);
          return nullptr;
        }
        // Not strict: after the record closest to the bookmarked one.
        while (position < records[c].size() && records[c][position].recordId <= *after) ++position;
        break;
      }
      default:
        delete s;
        SetLastError(ERROR_INVALID_PARAMETER);
        return nullptr;
    }
  }
  s->signal = signal;
  SetEvent(signal);
  // Signals the subscriber when a "log" grows (the real service does this as records are written).
  s->watcher = std::thread([s] {
    long long size = FileSizes();
    while (!s->stop) {
      Sleep(20);
      long long now = FileSizes();
      if (now != size) {
        size = now;
        SetEvent(s->signal);
      }
    }
  });
  return s;
}

extern "C" __declspec(dllexport) EVT_HANDLE WINAPI
    EvtQuery(EVT_HANDLE session, LPCWSTR path, LPCWSTR query, DWORD flags) {
  const std::string q = Narrow(query);
  Log("EvtQuery path=" + Narrow(path) + " flags=" + std::to_string(flags) + " query=" + q);
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (long code = Setting(State().fail, "query"); code >= 0) {
      SetLastError(static_cast<DWORD>(code));
      return nullptr;
    }
  }
  if (DWORD down = ServiceDown()) {
    SetLastError(down);
    return nullptr;
  }
  const int channel = path ? FindChannel(Narrow(path)) : -1;
  if (session || !(flags & kQueryChannelPath) || channel < 0) {
    SetLastError(path && channel < 0 ? kErrorChannelNotFound : ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  if (q != "*" && q.find("*[System[") != 0) {
    SetLastError(kErrorInvalidQuery);
    return nullptr;
  }
  auto* r = new ResultSet(Kind::Query);
  r->selection = ParseSelection(q);
  if (r->selection.TooLong()) {
    delete r;
    SetLastError(kErrorInvalidQuery);
    return nullptr;
  }
  for (Record& rec : LoadRecords(channel))
    if (r->selection.Matches(rec)) r->fixed.push_back(std::move(rec));
  if (flags & kQueryReverse) std::reverse(r->fixed.begin(), r->fixed.end());
  return r;
}

extern "C" __declspec(dllexport) BOOL WINAPI
    EvtNext(EVT_HANDLE resultSet, DWORD size, EVT_HANDLE* events, DWORD timeout, DWORD flags, PDWORD returned) {
  auto* s = static_cast<ResultSet*>(resultSet);
  if (!s || (s->kind != Kind::Subscription && s->kind != Kind::Query) || !events || !returned || size == 0) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return FALSE;
  }
  const bool subscription = s->kind == Kind::Subscription;
  std::vector<Record> records[kChannelCount];
  for (int c = 0; c < kChannelCount; ++c)
    if (subscription && s->reads[c]) records[c] = LoadRecords(c);
  long shortBatch = -1;
  DWORD fail = 0;
  if (subscription) {
    std::lock_guard<std::mutex> lock(mutex);
    Injected& st = State();
    const long staleAfter = Setting(st.fail, "stale-after");
    const long restartAfter = Setting(st.fail, "restart-after");
    const long boundAbove = Setting(st.fail, "invalid-bound-above");
    shortBatch = Setting(st.fail, "short-batch");
    if (staleAfter >= 0 && st.returnedInAll >= staleAfter && !st.staleDone) {
      st.staleDone = true;
      fail = kErrorStale;
    } else if (restartAfter >= 0 && st.returnedInAll >= restartAfter && !st.restartDone) {
      st.restartDone = st.restarting = true;
      fail = kRpcCallCancelled;
    } else if (boundAbove >= 0 && static_cast<long>(size) > boundAbove && !st.boundDone) {
      st.boundDone = true;
      fail = kRpcInvalidBound;
      for (DWORD skipped = 0; skipped < size && s->Next(records); ++skipped) {
      }  // the position moves on
    }
  }
  if (fail) {
    Log("failed EvtNext " + std::to_string(fail));
    SetLastError(fail);
    return FALSE;
  }
  const DWORD most = shortBatch > 0 ? std::min<DWORD>(size, static_cast<DWORD>(shortBatch)) : size;
  DWORD n = 0;
  while (n < most) {
    const Record* r = s->Next(records);
    if (!r) break;
    auto* e = new EventObject;
    e->xml = Wide(r->xml);
    e->recordId = r->recordId;
    events[n++] = e;
  }
  if (subscription) {
    std::lock_guard<std::mutex> lock(mutex);
    State().returnedInAll += n;
  }
  Log(std::string(subscription ? "EvtNext" : "EvtNext query") + " size=" + std::to_string(size) +
      " returned=" + std::to_string(n));
  *returned = n;
  if (n == 0) {
    SetLastError(ERROR_NO_MORE_ITEMS);
    return FALSE;
  }
  return TRUE;
}

extern "C" __declspec(dllexport) BOOL WINAPI
    EvtRender(EVT_HANDLE context, EVT_HANDLE fragment, DWORD flags, DWORD bufferSize, PVOID buffer, PDWORD bufferUsed,
              PDWORD propertyCount) {
  auto* e = static_cast<EventObject*>(fragment);
  if (context || !e || e->kind != Kind::Event || flags != kRenderEventXml || !bufferUsed || !propertyCount) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return FALSE;
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    long code = -1;
    const long id = Setting(State().fail, "render-fail", &code);
    if (id >= 0 && static_cast<unsigned long long>(id) == e->recordId) {
      SetLastError(static_cast<DWORD>(code));
      return FALSE;
    }
  }
  const DWORD bytes = static_cast<DWORD>((e->xml.size() + 1) * sizeof(wchar_t));
  *bufferUsed = bytes;
  *propertyCount = 0;
  if (bufferSize < bytes || !buffer) {
    SetLastError(ERROR_INSUFFICIENT_BUFFER);
    return FALSE;
  }
  std::memcpy(buffer, e->xml.c_str(), bytes);
  return TRUE;
}

extern "C" __declspec(dllexport) EVT_HANDLE WINAPI
    EvtOpenPublisherMetadata(EVT_HANDLE session, LPCWSTR publisher, LPCWSTR logFilePath, LCID locale, DWORD flags) {
  Log("EvtOpenPublisherMetadata publisher=" + Narrow(publisher));
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (long code = Setting(State().fail, "metadata"); code >= 0) {
      SetLastError(static_cast<DWORD>(code));
      return nullptr;
    }
  }
  if (session || logFilePath || flags || !publisher || Narrow(publisher) != "Microsoft-Windows-Security-Auditing") {
    SetLastError(session || flags ? ERROR_INVALID_PARAMETER : 15002);  // ERROR_EVT_PUBLISHER_METADATA_NOT_FOUND
    return nullptr;
  }
  return new PublisherObject;
}

extern "C" __declspec(dllexport) EVT_HANDLE WINAPI EvtOpenEventMetadataEnum(EVT_HANDLE publisher, DWORD flags) {
  auto* p = static_cast<PublisherObject*>(publisher);
  if (!p || p->kind != Kind::Publisher || flags) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  return new MetadataEnumObject;
}

extern "C" __declspec(dllexport) EVT_HANDLE WINAPI EvtNextEventMetadata(EVT_HANDLE metadataEnum, DWORD flags) {
  auto* e = static_cast<MetadataEnumObject*>(metadataEnum);
  if (!e || e->kind != Kind::MetadataEnum || flags) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  if (e->next >= Templates().size()) {
    SetLastError(ERROR_NO_MORE_ITEMS);
    return nullptr;
  }
  return new EventMetadataObject(Templates()[e->next++]);
}

extern "C" __declspec(dllexport) BOOL WINAPI
    EvtGetEventMetadataProperty(EVT_HANDLE metadata, DWORD property, DWORD flags, DWORD bufferSize, PVOID buffer,
                                PDWORD bufferUsed) {
  auto* m = static_cast<EventMetadataObject*>(metadata);
  if (!m || m->kind != Kind::EventMetadata || flags || !bufferUsed) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return FALSE;
  }
  std::wstring text;
  if (property == kMetadataEventTemplate)
    text = Wide(TemplateXml(*m->tmpl));
  else if (property != kMetadataEventId && property != kMetadataEventVersion) {
    SetLastError(ERROR_NOT_SUPPORTED);
    return FALSE;
  }
  const bool isString = property == kMetadataEventTemplate;
  const DWORD bytes = static_cast<DWORD>(sizeof(Variant) + (isString ? (text.size() + 1) * sizeof(wchar_t) : 0));
  *bufferUsed = bytes;
  if (bufferSize < bytes || !buffer) {
    SetLastError(ERROR_INSUFFICIENT_BUFFER);
    return FALSE;
  }
  auto* v = static_cast<Variant*>(buffer);
  v->raw = 0;
  v->count = 0;
  if (isString) {
    auto* chars = reinterpret_cast<wchar_t*>(v + 1);
    std::memcpy(chars, text.c_str(), (text.size() + 1) * sizeof(wchar_t));
    v->string = chars;
    v->type = kVarTypeString;
  } else {
    v->uint32 = property == kMetadataEventId ? m->tmpl->id : m->tmpl->version;
    v->type = kVarTypeUInt32;
  }
  return TRUE;
}

extern "C" __declspec(dllexport) BOOL WINAPI EvtClose(EVT_HANDLE object) {
  auto* o = static_cast<Object*>(object);
  if (!o) {
    SetLastError(ERROR_INVALID_HANDLE);
    return FALSE;
  }
  if (o->kind != Kind::Event) Log(std::string("EvtClose ") + KindName(o->kind));
  delete o;
  return TRUE;
}
