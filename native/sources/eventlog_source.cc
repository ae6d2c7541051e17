// Only built for Windows. Under Wine it runs against a stand-in wevtapi.dll (test/wine/); only a real
// Windows runner (.github/workflows/windows.yml) checks it against the real event log.
#include "sources/eventlog_source.h"

#include <windows.h>
#include <winevt.h>

#include <algorithm>
#include <random>

#include "model/bookmark.h"
#include "model/normalizer.h"
#include "win/process_token.h"
#include "win/wide.h"
#include "win/win32_errors.h"

namespace wfp {
namespace {

constexpr DWORD kSpeculativePullMs = 5000;  // self-heal against a lost wake-up (Vector's lesson)
constexpr DWORD kMaxBatch = 64;
constexpr uint32_t kGrowAfterCalls = 16;  // EvtNext calls without RPC_S_INVALID_BOUND before the batch doubles
constexpr DWORD kBackoffFirstMs = 250;
constexpr DWORD kBackoffMaxMs = 30000;

// What EvtNext (and a resubscription) may recover from: §12 of the subscriber notes. The subscription
// is rebuilt after the last record handed on.
bool IsTransientRead(DWORD code) {
  switch (code) {
    case win32::kEvtQueryResultStale:
    case win32::kEvtQueryResultInvalidPosition:
    case win32::kInvalidHandle:
    case win32::kRpcServerUnavailable:
    case win32::kRpcCallCancelled:
    case win32::kRpcCallFailed:
    case win32::kInvalidParameter:  // EvtNext after an automatic log backup (beats #39456)
    case win32::kCancelled:
    case win32::kEvtPublisherDisabled:
      return true;
    default:
      return false;
  }
}

// EvtSubscribe during a service restart: the RPC errors while the service is down, and (Winlogbeat
// treats it so) a channel "not found" while it comes back, but only on a resubscription: on the first
// subscription it is a real answer. ERROR_INVALID_PARAMETER from EvtSubscribe means our flags, query or
// bookmark were refused: retrying cannot help.
bool IsTransientSubscribe(DWORD code, bool resubscribe) {
  if (code == win32::kInvalidParameter) return false;
  if (code == win32::kEvtChannelNotFound) return resubscribe;
  return IsTransientRead(code);
}

bool IsBookmarkGone(DWORD code) {
  return code == win32::kNotFound || code == win32::kEvtQueryResultStale ||
         code == win32::kEvtQueryResultInvalidPosition;
}

// Every subscription: a machine without one of the query's logs (the firewall's) still subscribes to
// the others (EVT_SUBSCRIBE_FLAGS: "complete the subscription even if the part of the query generates
// an error"); the Security log comes first, as the part the service keeps.
constexpr DWORD kTolerate = EvtSubscribeTolerateQueryErrors;

std::string_view ChannelName(Channel channel) { return kChannelNames[static_cast<size_t>(channel)]; }

// The XPath of event IDs: runs of IDs as ranges, since the event log refuses a query of more than
// about 21 comparisons (ERROR_EVT_INVALID_QUERY; Winlogbeat documents the limit and ranges as the way
// round it).
std::string EventIdTerms(std::vector<uint32_t> wanted) {
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::string ids;
  for (size_t i = 0; i < wanted.size();) {
    size_t j = i;
    while (j + 1 < wanted.size() && wanted[j + 1] == wanted[j] + 1) ++j;
    if (!ids.empty()) ids += " or ";
    ids += j - i >= 2
               ? "(EventID >= " + std::to_string(wanted[i]) + " and EventID <= " + std::to_string(wanted[j]) + ")"
               : "EventID=" + std::to_string(wanted[i]) + (j > i ? " or EventID=" + std::to_string(wanted[j]) : "");
    i = j + 1;
  }
  return ids;
}

}  // namespace

std::string BuildQuery(const EventSelection& selection, bool policyChanges) {
  // The blocks asked for, 4719 when asked, and the change events of both logs always: blocks carry the
  // last change of their rule (model/rule_change.h) whether or not changes are reported.
  std::vector<uint32_t> wanted[kChannelCount];
  std::vector<uint32_t>& security = wanted[static_cast<size_t>(Channel::Security)];
  if (policyChanges) security.push_back(kAuditPolicyChangedEventId);
  selection.ForEach([&](uint32_t id) { security.push_back(id); });
  for (const EventInfo& e : kEvents)
    if (e.role == Role::RuleChange) wanted[static_cast<size_t>(e.channel)].push_back(e.id);
  std::string queries;
  for (size_t c = 0; c < kChannelCount; ++c) {
    const std::string channel(kChannelNames[c]);
    queries += "<Query Id=\"" + std::to_string(c) + "\" Path=\"" + channel + "\"><Select Path=\"" + channel +
               "\">*[System[(" + EventIdTerms(wanted[c]) + ")]]</Select></Query>";
  }
  return "<QueryList>" + queries + "</QueryList>";
}

EventLogSource::EventLogSource(LiveStart start, EventSelection selection, bool policyChanges)
    : start_(std::move(start)),
      selection_(selection),
      policyChanges_(policyChanges),
      query_(Widen(BuildQuery(selection_, policyChanges_))),
      batch_(kMaxBatch) {
  const size_t security = static_cast<size_t>(Channel::Security), firewall = static_cast<size_t>(Channel::Firewall);
  if (start_.at == StartAt::Now) floorWanted_.fill(true);
  if (start_.at == StartAt::Bookmark) {
    if (start_.recordId) last_[security] = start_.recordId;
    last_[firewall] = start_.firewallRecordId;
    for (size_t c = 0; c < kChannelCount; ++c) floorWanted_[c] = !last_[c];
  }
}

std::unique_ptr<EventSource> EventLogSource::Create(OptionReader& options, const SourceContext& context) {
  LiveStart start = ReadLiveStart(options);
  if (options.failed()) return nullptr;
  return std::make_unique<EventLogSource>(std::move(start), context.selection, context.policyChanges);
}

EventLogSource::~EventLogSource() { CloseSubscription(); }

void EventLogSource::Interrupt() { stop_.Set(); }

void EventLogSource::CloseSubscription() {
  if (subscription_) EvtClose(static_cast<EVT_HANDLE>(subscription_));  // also closes its event handles
  subscription_ = nullptr;
}

bool EventLogSource::WaitOrStop(unsigned long milliseconds) {
  return WaitForSingleObject(stop_.handle(), milliseconds) != WAIT_OBJECT_0;
}

void EventLogSource::Fatal(RecordSink& sink, const char* api, unsigned long code) {
  const std::string channel(kSecurityChannel);
  std::string what =
      std::string(api) + " failed on " + channel + ": " + SystemMessage(code) + " (" + std::to_string(code) + ")";
  const auto report = [&](const ErrorCode& error, std::string hint) {
    sink.OnIssue(Issue{&error, std::move(what), channel, -1, static_cast<int64_t>(code), std::move(hint)});
  };
  switch (code) {
    case win32::kAccessDenied:
      return report(kErrAccessDenied, SecurityLogAccessHint());
    case win32::kEvtChannelNotFound:
      return report(kErrChannelNotFound, "the channel does not exist on this machine");
    case win32::kEvtInvalidQuery:
      return report(kErrEventLogQuery, "the event log rejected the query");
    case win32::kInvalidParameter:
      return report(kErrEventLog, "the event log refused the subscription's flags, query or bookmark");
    default:
      return report(kErrEventLog, code == 0 ? "the call failed without an error code, as Wine's wevtapi stubs do" : "");
  }
}

void EventLogSource::Transient(RecordSink& sink, std::string message, unsigned long code) {
  sink.OnIssue(
      Issue{&kErrEventLogTransient, std::move(message), std::string(kSecurityChannel), -1, static_cast<int64_t>(code)});
}

bool EventLogSource::Render(void* event, unsigned long& code) {
  DWORD used = 0, properties = 0;
  if (render_.size() < 4096) render_.resize(4096);
  DWORD bytes = static_cast<DWORD>(render_.size() * sizeof(wchar_t));
  if (!EvtRender(nullptr, static_cast<EVT_HANDLE>(event), EvtRenderEventXml, bytes, render_.data(), &used,
                 &properties)) {
    code = GetLastError();
    if (code != win32::kInsufficientBuffer) return false;
    render_.resize(used / sizeof(wchar_t) + 1);
    bytes = static_cast<DWORD>(render_.size() * sizeof(wchar_t));
    if (!EvtRender(nullptr, static_cast<EVT_HANDLE>(event), EvtRenderEventXml, bytes, render_.data(), &used,
                   &properties)) {
      code = GetLastError();
      return false;
    }
  }
  size_t chars = used / sizeof(wchar_t);
  while (chars > 0 && render_[chars - 1] == L'\0') --chars;
  Narrow(render_.data(), chars, utf8_);
  return true;
}

bool EventLogSource::QueryFirst(Channel log, const wchar_t* query, bool newestFirst, unsigned long& code) {
  const std::wstring channel = Widen(ChannelName(log));
  EVT_HANDLE results =
      EvtQuery(nullptr, channel.c_str(), query,
               EvtQueryChannelPath | (newestFirst ? EvtQueryReverseDirection : EvtQueryForwardDirection));
  if (!results) {
    code = GetLastError();
    return false;
  }
  EVT_HANDLE event = nullptr;
  DWORD returned = 0;
  bool found = false;
  if (!EvtNext(results, 1, &event, 0, 0, &returned)) {
    code = GetLastError();
  } else {
    found = returned == 1 && Render(event, code);
    if (found) {
      reader_.Reset(0);
      reader_.Append(utf8_.data(), utf8_.size());
      ReadIssue issue;
      uint64_t offset = 0;
      found = reader_.Next(true, record_, issue, offset) == XmlEventReader::Step::Record && record_.hasRecordId;
      if (!found) code = 0;
    }
    EvtClose(event);
  }
  EvtClose(results);
  return found;
}

// 'now' is the newest record of each log when the watcher starts: a resubscription before any matching
// record was seen (a rare kind, or a first EvtSubscribe that failed while the service was starting)
// must never start at the oldest record and report the whole log as new (Winlogbeat issue 27947 shows
// service restarts happen). The same for a log the bookmark does not name: its changes from before the
// start are not reported as new. Tried again before each subscription attempt until it works.
void EventLogSource::FindStartFloors(RecordSink& sink) {
  for (size_t c = 0; c < kChannelCount; ++c) {
    if (!floorWanted_[c]) continue;
    const Channel channel = static_cast<Channel>(c);
    unsigned long code = 0;
    if (QueryFirst(channel, L"*", true, code)) {
      floorWanted_[c] = false;
      last_[c] = std::max(last_[c].value_or(0), record_.recordId);
      sink.OnStartAfter(static_cast<uint32_t>(c), record_.recordId);
    } else if (code == win32::kNoMoreItems) {
      floorWanted_[c] = false;  // an empty log: every record to come is new
    } else if (code == win32::kEvtChannelNotFound && channel != Channel::Security) {
      floorWanted_[c] = false;  // a machine without that log: the subscription leaves it out
    }
  }
}

// One EvtSubscribe: after the last record handed on in each log (a resubscription), or where the
// options say (the first). With a bookmark, EvtSubscribeStrict fails when a bookmarked record is "not
// found", which also happens for a record that is still in the log but not one the query selects (the
// 'now' floor, a bookmark from a watcher with other kinds; Vector issue 26120 saw it on every
// resubscription). So each bookmarked record is looked up: all still there, the subscription resumes
// after them without Strict (Vector PR 26125); one gone, it is a gap, and reading goes on from the
// oldest record of every log (the pipeline drops what was already handed on, log by log).
void* EventLogSource::SubscribeOnce(RecordSink& sink, bool resubscribe, unsigned long& code, bool& reported) {
  const bool positioned = std::any_of(last_.begin(), last_.end(), [](const auto& id) { return id.has_value(); });
  DWORD flags = EvtSubscribeToFutureEvents;
  std::string bookmarkXml;
  if ((resubscribe || start_.at == StartAt::Bookmark) && positioned) {
    bookmarkXml = BookmarkXml(last_);
  } else if (start_.at == StartAt::Oldest) {
    flags = EvtSubscribeStartAtOldestRecord;
  }  // else 'now' with nothing handed on and no floor found: new records only

  EVT_HANDLE bookmark = nullptr;
  if (!bookmarkXml.empty()) {
    bookmark = EvtCreateBookmark(Widen(bookmarkXml).c_str());
    if (!bookmark) {
      code = GetLastError();
      sink.OnIssue(Issue{&kErrInvalidBookmark, "EvtCreateBookmark rejected the bookmark: " + SystemMessage(code),
                         std::string(kSecurityChannel), -1, static_cast<int64_t>(code),
                         "pass a bookmark string that a watcher gave out"});
      reported = true;
      return nullptr;
    }
    flags = EvtSubscribeStartAfterBookmark | EvtSubscribeStrict;
  }
  signal_.Set();  // whatever happens next, the first wait drains
  EVT_HANDLE h =
      EvtSubscribe(nullptr, signal_.handle(), nullptr, query_.c_str(), bookmark, nullptr, nullptr, flags | kTolerate);
  code = h ? 0 : GetLastError();
  if (!h && bookmark && IsBookmarkGone(code)) {
    std::string gone;  // the logs whose bookmarked record is no longer there
    for (size_t c = 0; c < kChannelCount; ++c) {
      if (!last_[c]) continue;
      unsigned long lookup = 0;
      const std::wstring byId = L"*[System[(EventRecordID=" + std::to_wstring(*last_[c]) + L")]]";
      const Channel channel = static_cast<Channel>(c);
      if (QueryFirst(channel, byId.c_str(), false, lookup) && record_.recordId == *last_[c]) continue;
      if (lookup == win32::kEvtChannelNotFound && channel != Channel::Security) continue;  // left out of the query
      gone += (gone.empty() ? "" : " and the ") + std::string(kChannelNames[c]);
    }
    if (gone.empty()) {
      h = EvtSubscribe(nullptr, signal_.handle(), nullptr, query_.c_str(), bookmark, nullptr, nullptr,
                       EvtSubscribeStartAfterBookmark | kTolerate);
    } else {
      sink.OnGap("the bookmarked record is no longer in the " + gone +
                 " log (cleared or overwritten); reading goes on from the oldest record");
      h = EvtSubscribe(nullptr, signal_.handle(), nullptr, query_.c_str(), nullptr, nullptr, nullptr,
                       EvtSubscribeStartAtOldestRecord | kTolerate);
    }
    code = h ? 0 : GetLastError();
  }
  if (bookmark) EvtClose(bookmark);
  return h;
}

bool EventLogSource::Subscribe(RecordSink& sink, bool resubscribe) {
  CloseSubscription();
  DWORD backoff = kBackoffFirstMs;
  std::minstd_rand jitter(GetCurrentThreadId());
  while (!sink.Stopping()) {
    FindStartFloors(sink);
    unsigned long code = 0;
    bool reported = false;
    if (void* h = SubscribeOnce(sink, resubscribe, code, reported)) {
      subscription_ = h;
      return true;
    }
    if (reported) return false;
    if (!IsTransientSubscribe(code, resubscribe)) {
      Fatal(sink, "EvtSubscribe", code);
      return false;
    }
    Transient(sink, "EvtSubscribe failed for now: " + SystemMessage(code) + "; retrying", code);
    if (!WaitOrStop(backoff + jitter() % (backoff / 5 + 1))) return false;
    backoff = std::min(backoff * 2, kBackoffMaxMs);
    resubscribe = true;
  }
  return false;
}

void EventLogSource::Deliver(RecordSink& sink, void* event) {
  unsigned long code = 0;
  if (!Render(event, code)) {
    // One record: reported, and the source reads on (a fatal code here would end `for await`).
    sink.OnIssue(Issue{&kErrEventLogRecord, "EvtRender failed on one record: " + SystemMessage(code),
                       std::string(kSecurityChannel), -1, static_cast<int64_t>(code)});
    return;
  }
  reader_.Reset(0);
  reader_.Append(utf8_.data(), utf8_.size());
  ReadIssue issue;
  uint64_t offset = 0;
  while (true) {
    XmlEventReader::Step step = reader_.Next(true, record_, issue, offset);
    if (step == XmlEventReader::Step::NeedMore) return;
    if (step == XmlEventReader::Step::Issue) {
      sink.OnIssue(Issue{issue.code, std::move(issue.message), std::string(kSecurityChannel)});
      continue;
    }
    // Its <Channel> says which log it is from (the Security log unless it names another of the query).
    size_t c = static_cast<size_t>(Channel::Security);
    for (size_t i = 0; i < kChannelCount; ++i)
      if (record_.channel == kChannelNames[i]) c = i;
    // The pipeline drops what was already handed on (a resubscription from the oldest record after
    // a gap repeats records); a resubscription starts after the newest one seen in each log.
    if (record_.hasRecordId && record_.recordId > last_[c].value_or(0)) last_[c] = record_.recordId;
    sink.OnRecord(record_, Position{kChannelNames[c], static_cast<uint32_t>(c)});
  }
}

// Reads until ERROR_NO_MORE_ITEMS: a short batch does not mean the end (EvtNext's documentation says
// to loop until that code).
EventLogSource::Drained EventLogSource::Drain(RecordSink& sink) {
  EVT_HANDLE events[kMaxBatch];
  while (!sink.Stopping()) {
    DWORD returned = 0;  // not to be trusted on failure (MS-EVEN6)
    if (!EvtNext(static_cast<EVT_HANDLE>(subscription_), batch_, events, 0, 0, &returned)) {
      const DWORD code = GetLastError();
      if (code == win32::kNoMoreItems || code == win32::kInvalidOperation || code == win32::kTimeout)
        return Drained::Empty;
      if (code == win32::kRpcInvalidBound) {  // the batch was too large for these records (beats #3076)
        batch_ = std::max<uint32_t>(1, batch_ / 2);
        callsSinceHalved_ = 0;
        return Drained::Resubscribe;
      }
      if (IsTransientRead(code)) {
        Transient(sink, "EvtNext failed: " + SystemMessage(code) + "; resubscribing after the last record", code);
        return Drained::Resubscribe;
      }
      Fatal(sink, "EvtNext", code);
      return Drained::Fatal;
    }
    for (DWORD i = 0; i < returned; ++i) {
      if (!sink.Stopping()) Deliver(sink, events[i]);
      EvtClose(events[i]);
    }
    // A halved batch grows back once large records have passed: a smaller one only costs more calls.
    if (batch_ < kMaxBatch && ++callsSinceHalved_ >= kGrowAfterCalls) {
      batch_ = std::min<uint32_t>(kMaxBatch, batch_ * 2);
      callsSinceHalved_ = 0;
    }
  }
  return Drained::Stopped;
}

void EventLogSource::Run(RecordSink& sink) {
  if (!stop_.handle() || !signal_.handle()) {
    Fatal(sink, "CreateEvent", GetLastError());
    return;
  }
  // The subscription closes with the thread, not when the watcher object is collected later.
  struct CloseOnExit {
    EventLogSource* source;
    ~CloseOnExit() { source->CloseSubscription(); }
  } closeOnExit{this};
  if (!Subscribe(sink, false)) return;
  HANDLE waits[2] = {stop_.handle(), signal_.handle()};
  DWORD backoff = kBackoffFirstMs;
  while (!sink.Stopping()) {
    std::optional<std::chrono::milliseconds> due = sink.IdleTimeout();
    const DWORD timeout =
        due ? std::min<DWORD>(kSpeculativePullMs, static_cast<DWORD>(due->count())) : kSpeculativePullMs;
    const DWORD w = WaitForMultipleObjects(2, waits, FALSE, timeout);
    if (w == WAIT_OBJECT_0 || w == WAIT_FAILED) break;
    switch (Drain(sink)) {
      case Drained::Empty:
        backoff = kBackoffFirstMs;
        sink.OnIdle();
        break;
      case Drained::Resubscribe:
        sink.OnIdle();
        if (!WaitOrStop(backoff) || !Subscribe(sink, true)) return;
        backoff = std::min(backoff * 2, kBackoffMaxMs);
        break;
      case Drained::Fatal:
      case Drained::Stopped:
        return;
    }
  }
}

}  // namespace wfp
