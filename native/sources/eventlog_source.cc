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
constexpr DWORD kBackoffFirstMs = 250;
constexpr DWORD kBackoffMaxMs = 30000;

bool IsTransient(DWORD code) {
  switch (code) {
    case win32::kEvtQueryResultStale:
    case win32::kEvtQueryResultInvalidPosition:
    case win32::kInvalidHandle:
    case win32::kRpcServerUnavailable:
    case win32::kRpcCallCancelled:
    case win32::kInvalidParameter:
    case win32::kCancelled:
    case win32::kEvtPublisherDisabled:
      return true;
    default:
      return false;
  }
}


}  // namespace

std::string BuildQuery(const EventSelection& selection, bool policyChanges) {
  const std::string channel(kSecurityChannel);
  std::string ids;
  auto add = [&](uint32_t id) {
    if (!ids.empty()) ids += " or ";
    ids += "EventID=" + std::to_string(id);
  };
  if (policyChanges) add(kAuditPolicyChangedEventId);
  selection.ForEach(add);
  return "<QueryList><Query Id=\"0\" Path=\"" + channel + "\"><Select Path=\"" + channel + "\">*[System[(" + ids +
         ")]]</Select></Query></QueryList>";
}

EventLogSource::EventLogSource(LiveStart start, EventSelection selection, bool policyChanges)
    : start_(std::move(start)),
      selection_(selection),
      policyChanges_(policyChanges),
      query_(Widen(BuildQuery(selection_, policyChanges_))) {}

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
  std::string what = std::string(api) + " failed on " + channel + ": " + SystemMessage(code) + " (" + std::to_string(code) + ")";
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
    default:
      return report(kErrEventLog, code == 0 ? "the call failed without an error code, as Wine's wevtapi stubs do" : "");
  }
}

void EventLogSource::Transient(RecordSink& sink, std::string message, unsigned long code) {
  sink.OnIssue(Issue{&kErrEventLogTransient, std::move(message), std::string(kSecurityChannel), -1, static_cast<int64_t>(code)});
}

// Subscribes after the last record handed on (a resubscription), or where the options say (the
// first). A bookmark whose record is gone is a gap: reported, then reading starts at the oldest.
bool EventLogSource::Subscribe(RecordSink& sink, bool afterLastRecord) {
  CloseSubscription();
  DWORD backoff = kBackoffFirstMs;
  std::minstd_rand jitter(GetCurrentThreadId());
  while (!sink.Stopping()) {
    std::string bookmarkXml;
    DWORD flags = EvtSubscribeToFutureEvents;
    if (afterLastRecord && lastRecordId_) bookmarkXml = BookmarkXml(lastRecordId_);
    else if (start_.at == StartAt::Bookmark) bookmarkXml = start_.bookmark;
    else if (start_.at == StartAt::Oldest || afterLastRecord) flags = EvtSubscribeStartAtOldestRecord;

    EVT_HANDLE bookmark = nullptr;
    if (!bookmarkXml.empty()) {
      bookmark = EvtCreateBookmark(Widen(bookmarkXml).c_str());
      if (!bookmark) {
        DWORD code = GetLastError();
        sink.OnIssue(Issue{&kErrInvalidBookmark, "EvtCreateBookmark rejected the bookmark: " + SystemMessage(code),
                           std::string(kSecurityChannel), -1, static_cast<int64_t>(code),
                           "pass a bookmark string that a watcher gave out"});
        return false;
      }
      flags = EvtSubscribeStartAfterBookmark | EvtSubscribeStrict;
    }
    signal_.Set();  // whatever happens next, the first wait drains
    EVT_HANDLE h = EvtSubscribe(nullptr, signal_.handle(), nullptr, query_.c_str(), bookmark, nullptr, nullptr, flags);
    DWORD code = h ? 0 : GetLastError();
    if (!h && bookmark && (code == win32::kNotFound || code == win32::kEvtQueryResultStale ||
                           code == win32::kEvtQueryResultInvalidPosition)) {
      sink.OnGap("the bookmarked record is no longer in the " + std::string(kSecurityChannel) +
                 " log (cleared or overwritten); reading goes on from the oldest record");
      h = EvtSubscribe(nullptr, signal_.handle(), nullptr, query_.c_str(), nullptr, nullptr, nullptr,
                       EvtSubscribeStartAtOldestRecord);
      code = h ? 0 : GetLastError();
    }
    if (bookmark) EvtClose(bookmark);
    if (h) {
      subscription_ = h;
      return true;
    }
    if (!IsTransient(code)) {
      Fatal(sink, "EvtSubscribe", code);
      return false;
    }
    Transient(sink, "EvtSubscribe failed for now: " + SystemMessage(code) + "; retrying", code);
    if (!WaitOrStop(backoff + jitter() % (backoff / 5 + 1))) return false;
    backoff = std::min(backoff * 2, kBackoffMaxMs);
    afterLastRecord = true;
  }
  return false;
}

void EventLogSource::Deliver(RecordSink& sink, void* event) {
  DWORD used = 0, properties = 0;
  if (render_.size() < 4096) render_.resize(4096);
  DWORD bytes = static_cast<DWORD>(render_.size() * sizeof(wchar_t));
  if (!EvtRender(nullptr, static_cast<EVT_HANDLE>(event), EvtRenderEventXml, bytes, render_.data(), &used, &properties)) {
    DWORD code = GetLastError();
    if (code == win32::kInsufficientBuffer) {
      render_.resize(used / sizeof(wchar_t) + 1);
      bytes = static_cast<DWORD>(render_.size() * sizeof(wchar_t));
      if (!EvtRender(nullptr, static_cast<EVT_HANDLE>(event), EvtRenderEventXml, bytes, render_.data(), &used,
                     &properties))
        code = GetLastError();
      else
        code = 0;
    }
    if (code) {
      sink.OnIssue(Issue{&kErrEventLogRecord, "EvtRender failed on one record: " + SystemMessage(code),
                         std::string(kSecurityChannel), -1, static_cast<int64_t>(code)});
      return;
    }
  }
  size_t chars = used / sizeof(wchar_t);
  while (chars > 0 && render_[chars - 1] == L'\0') --chars;
  Narrow(render_.data(), chars, utf8_);

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
    // The pipeline drops what was already handed on (a resubscription from the oldest record after
    // a gap repeats records); a resubscription starts after the newest one seen.
    if (record_.hasRecordId && record_.recordId > lastRecordId_) lastRecordId_ = record_.recordId;
    sink.OnRecord(record_, Position{kSecurityChannel});
  }
}

EventLogSource::Drained EventLogSource::Drain(RecordSink& sink) {
  EVT_HANDLE events[kMaxBatch];
  while (!sink.Stopping()) {
    DWORD returned = 0;  // not to be trusted on failure (MS-EVEN6)
    if (!EvtNext(static_cast<EVT_HANDLE>(subscription_), batch_, events, 0, 0, &returned)) {
      const DWORD code = GetLastError();
      if (code == win32::kNoMoreItems || code == win32::kInvalidOperation || code == win32::kTimeout)
        return Drained::Empty;
      if (code == win32::kRpcInvalidBound) {  // the batch was too large for these records
        batch_ = std::max<uint32_t>(1, batch_ / 2);
        return Drained::Resubscribe;
      }
      if (IsTransient(code)) {
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
    if (returned < batch_) return Drained::Empty;
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
    const DWORD timeout = due ? std::min<DWORD>(kSpeculativePullMs, static_cast<DWORD>(due->count())) : kSpeculativePullMs;
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
