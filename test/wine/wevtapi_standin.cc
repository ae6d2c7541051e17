// A stand-in wevtapi.dll for running the 'eventlog' source under Wine, whose own wevtapi is a stub.
// It implements the documented contract of the five functions the source calls, over real fixture
// records, and can be told to fail. Test code only: never shipped.
//
//   WFP_STANDIN_RECORDS  file of event XML, one record per line: the "Security log". It is re-read on
//                        every EvtNext, so appending lines writes new events; a watcher thread signals
//                        subscriptions when the file grows.
//   WFP_STANDIN_LOG      file that every call is appended to, so tests can see the real calls happen.
//   WFP_STANDIN_FAIL     comma-separated: subscribe=<code> (EvtSubscribe always fails with it),
//                        stale-after=<n> (EvtNext fails once with ERROR_EVT_QUERY_RESULT_STALE once n
//                        records were returned in all).
//
// Contract points (learn.microsoft.com, winevt.h): EvtSubscribe with a signal event and no callback is
// a pull subscription; flags 1 = to future events, 2 = from the oldest record, 3 = after a bookmark,
// plus 0x10000 = strict (fail with ERROR_NOT_FOUND when the bookmarked record is gone). EvtNext returns
// FALSE with ERROR_NO_MORE_ITEMS when nothing is left. EvtRender(EvtRenderEventXml) fails with
// ERROR_INSUFFICIENT_BUFFER and sets BufferUsed (in bytes) when the buffer is too small.
#include <windows.h>

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

namespace {

using EVT_HANDLE = HANDLE;

constexpr DWORD kToFutureEvents = 1, kStartAtOldest = 2, kStartAfterBookmark = 3, kStrict = 0x10000;
constexpr DWORD kRenderEventXml = 1;
constexpr DWORD kErrorStale = 15011, kErrorChannelNotFound = 15007;

std::mutex logMutex;
std::atomic<long> returnedInAll{0};
std::atomic<bool> staleInjected{false};

std::string Env(const char* name) {
  char value[4096];
  DWORD n = GetEnvironmentVariableA(name, value, sizeof value);
  return n && n < sizeof value ? std::string(value, n) : std::string();
}

void Log(const std::string& line) {
  std::string path = Env("WFP_STANDIN_LOG");
  if (path.empty()) return;
  std::lock_guard<std::mutex> lock(logMutex);
  if (FILE* f = std::fopen(path.c_str(), "ab")) {
    std::fprintf(f, "%s\n", line.c_str());
    std::fclose(f);
  }
}

long FailSetting(const std::string& key) {
  std::string fail = Env("WFP_STANDIN_FAIL");
  size_t at = fail.find(key + "=");
  return at == std::string::npos ? -1 : std::atol(fail.c_str() + at + key.size() + 1);
}

std::string Narrow(const wchar_t* s) {
  if (!s) return "(null)";
  int n = WideCharToMultiByte(CP_UTF8, 0, s, -1, nullptr, 0, nullptr, nullptr);
  std::string out(n > 0 ? n - 1 : 0, '\0');
  WideCharToMultiByte(CP_UTF8, 0, s, -1, out.data(), n, nullptr, nullptr);
  return out;
}

struct Record {
  std::string xml;
  unsigned long long recordId;
  unsigned eventId;
};

std::vector<Record> LoadRecords() {
  std::vector<Record> records;
  FILE* f = std::fopen(Env("WFP_STANDIN_RECORDS").c_str(), "rb");
  if (!f) return records;
  std::string all;
  char chunk[65536];
  for (size_t n; (n = std::fread(chunk, 1, sizeof chunk, f)) > 0;) all.append(chunk, n);
  std::fclose(f);
  size_t start = 0;
  while (start < all.size()) {
    size_t end = all.find('\n', start);
    if (end == std::string::npos) break;  // a line still being written
    std::string line = all.substr(start, end - start);
    start = end + 1;
    size_t id = line.find("<EventRecordID>"), ev = line.find("<EventID");
    if (id == std::string::npos || ev == std::string::npos) continue;
    records.push_back(Record{line, std::strtoull(line.c_str() + id + 15, nullptr, 10),
                             static_cast<unsigned>(std::strtoul(line.c_str() + line.find('>', ev) + 1, nullptr, 10))});
  }
  return records;
}

long long FileSize() {
  WIN32_FILE_ATTRIBUTE_DATA data;
  if (!GetFileAttributesExA(Env("WFP_STANDIN_RECORDS").c_str(), GetFileExInfoStandard, &data)) return -1;
  return (static_cast<long long>(data.nFileSizeHigh) << 32) | data.nFileSizeLow;
}

enum class Kind { Subscription, Event, Bookmark };

struct Object {
  explicit Object(Kind k) : kind(k) {}
  virtual ~Object() = default;
  Kind kind;
};

struct EventObject : Object {
  EventObject() : Object(Kind::Event) {}
  std::wstring xml;
};

struct BookmarkObject : Object {
  BookmarkObject() : Object(Kind::Bookmark) {}
  unsigned long long recordId = 0;
};

struct Subscription : Object {
  Subscription() : Object(Kind::Subscription) {}
  ~Subscription() override {
    stop = true;
    if (watcher.joinable()) watcher.join();
  }
  std::vector<unsigned> ids;
  size_t position = 0;  // index of the next record to look at
  HANDLE signal = nullptr;
  std::atomic<bool> stop{false};
  std::thread watcher;
};

}  // namespace

extern "C" __declspec(dllexport) EVT_HANDLE WINAPI EvtCreateBookmark(LPCWSTR xml) {
  auto* b = new BookmarkObject;
  if (xml) {
    std::string text = Narrow(xml);
    std::smatch m;
    if (!std::regex_search(text, m, std::regex("RecordId=['\"](\\d+)['\"]"))) {
      delete b;
      Log("EvtCreateBookmark rejected");
      SetLastError(ERROR_INVALID_PARAMETER);
      return nullptr;
    }
    b->recordId = std::strtoull(m[1].str().c_str(), nullptr, 10);
  }
  Log("EvtCreateBookmark recordId=" + std::to_string(b->recordId));
  return b;
}

extern "C" __declspec(dllexport) EVT_HANDLE WINAPI EvtSubscribe(EVT_HANDLE session, HANDLE signal, LPCWSTR channel,
                                                               LPCWSTR query, EVT_HANDLE bookmark, PVOID context,
                                                               PVOID callback, DWORD flags) {
  const std::string q = Narrow(query);
  auto* b = static_cast<BookmarkObject*>(bookmark);
  Log("EvtSubscribe flags=" + std::to_string(flags) + " bookmark=" + (b ? std::to_string(b->recordId) : "none") +
      " signal=" + (signal ? "yes" : "no") + " callback=" + (callback ? "yes" : "no") + " query=" + q);
  if (long code = FailSetting("subscribe"); code >= 0) {
    SetLastError(static_cast<DWORD>(code));
    return nullptr;
  }
  if (session || callback || !signal || (channel && Narrow(channel) != "Security")) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  std::smatch m;
  if (!std::regex_search(q, m, std::regex("Path=\"([^\"]*)\"")) || m[1].str() != "Security") {
    SetLastError(kErrorChannelNotFound);
    return nullptr;
  }
  auto* s = new Subscription;
  s->signal = signal;
  const std::regex eventId("EventID=(\\d+)");
  for (std::sregex_iterator it(q.begin(), q.end(), eventId), end; it != end; ++it)
    s->ids.push_back(static_cast<unsigned>(std::stoul((*it)[1].str())));
  std::vector<Record> records = LoadRecords();
  switch (flags & 0xFFFF) {
    case kToFutureEvents:
      s->position = records.size();
      break;
    case kStartAtOldest:
      s->position = 0;
      break;
    case kStartAfterBookmark: {
      size_t i = 0;
      while (i < records.size() && records[i].recordId <= (b ? b->recordId : 0)) ++i;
      bool found = false;
      for (const Record& r : records) found = found || (b && r.recordId == b->recordId);
      if (!found && (flags & kStrict)) {
        delete s;
        SetLastError(ERROR_NOT_FOUND);
        return nullptr;
      }
      s->position = i;
      break;
    }
    default:
      delete s;
      SetLastError(ERROR_INVALID_PARAMETER);
      return nullptr;
  }
  SetEvent(signal);
  // Signals the subscriber when the "log" grows (the real service does this as records are written).
  s->watcher = std::thread([s] {
    long long size = FileSize();
    while (!s->stop) {
      Sleep(20);
      long long now = FileSize();
      if (now != size) {
        size = now;
        SetEvent(s->signal);
      }
    }
  });
  return s;
}

extern "C" __declspec(dllexport) BOOL WINAPI EvtNext(EVT_HANDLE resultSet, DWORD size, EVT_HANDLE* events, DWORD timeout,
                                                    DWORD flags, PDWORD returned) {
  auto* s = static_cast<Subscription*>(resultSet);
  if (!s || s->kind != Kind::Subscription || !events || !returned || size == 0) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return FALSE;
  }
  long staleAfter = FailSetting("stale-after");
  if (staleAfter >= 0 && returnedInAll >= staleAfter && !staleInjected.exchange(true)) {
    Log("EvtNext stale");
    SetLastError(kErrorStale);
    return FALSE;
  }
  std::vector<Record> records = LoadRecords();
  DWORD n = 0;
  while (s->position < records.size() && n < size) {
    const Record& r = records[s->position++];
    bool wanted = s->ids.empty();
    for (unsigned id : s->ids) wanted = wanted || id == r.eventId;
    if (!wanted) continue;
    auto* e = new EventObject;
    int chars = MultiByteToWideChar(CP_UTF8, 0, r.xml.data(), static_cast<int>(r.xml.size()), nullptr, 0);
    e->xml.resize(static_cast<size_t>(chars));
    MultiByteToWideChar(CP_UTF8, 0, r.xml.data(), static_cast<int>(r.xml.size()), e->xml.data(), chars);
    events[n++] = e;
  }
  returnedInAll += n;
  Log("EvtNext size=" + std::to_string(size) + " returned=" + std::to_string(n));
  *returned = n;
  if (n == 0) {
    SetLastError(ERROR_NO_MORE_ITEMS);
    return FALSE;
  }
  return TRUE;
}

extern "C" __declspec(dllexport) BOOL WINAPI EvtRender(EVT_HANDLE context, EVT_HANDLE fragment, DWORD flags,
                                                      DWORD bufferSize, PVOID buffer, PDWORD bufferUsed,
                                                      PDWORD propertyCount) {
  auto* e = static_cast<EventObject*>(fragment);
  if (context || !e || e->kind != Kind::Event || flags != kRenderEventXml || !bufferUsed || !propertyCount) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return FALSE;
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

extern "C" __declspec(dllexport) BOOL WINAPI EvtClose(EVT_HANDLE object) {
  auto* o = static_cast<Object*>(object);
  if (!o) {
    SetLastError(ERROR_INVALID_HANDLE);
    return FALSE;
  }
  if (o->kind == Kind::Subscription) Log("EvtClose subscription");
  delete o;
  return TRUE;
}
