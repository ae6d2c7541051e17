// The live source on Windows: an EvtSubscribe pull subscription on the Security log, drained with
// EvtNext on the watcher's thread, which waits on the subscription's signal and a stop event together.
// Windows filters by event ID before anything is rendered; each record is rendered as XML once and
// read by the same XmlEventReader as exported logs (never EvtFormatMessage).
#pragma once

#include <cstdint>
#include <string>

#include "event_classes.h"
#include "event_source.h"
#include "win32_event.h"
#include "xml_event_reader.h"

namespace wfp {

inline constexpr const char* kErrAccessDenied = "ERR_ACCESS_DENIED";
inline constexpr const char* kErrChannelNotFound = "ERR_CHANNEL_NOT_FOUND";
inline constexpr const char* kErrEventLogQuery = "ERR_EVENTLOG_QUERY";
inline constexpr const char* kErrEventLog = "ERR_EVENTLOG";
inline constexpr const char* kErrEventLogTransient = "ERR_EVENTLOG_TRANSIENT";
inline constexpr const char* kErrInvalidBookmark = "ERR_INVALID_BOOKMARK";
// Not an error: the bookmarked record is gone (log cleared or overwritten); reading goes on from the oldest.
inline constexpr const char* kGap = "GAP";

enum class StartAt { Now, Oldest, Bookmark };

struct EventLogOptions {
  std::string channel = "Security";
  StartAt from = StartAt::Now;
  std::string bookmark;  // with StartAt::Bookmark: bookmark XML
  EventSelection selection;
  bool policyChanges = false;  // also subscribe to 4719 (audit policy changed)
};

// The subscription query: the selected event IDs of the channel (and 4719), as a structured XML query.
std::string BuildQuery(const std::string& channel, const EventSelection& selection, bool policyChanges);

class EventLogSource final : public EventSource {
 public:
  explicit EventLogSource(EventLogOptions options);
  ~EventLogSource() override;
  void Run(RecordSink& sink) override;
  void Interrupt() override;

 private:
  enum class Drained { Empty, Resubscribe, Fatal, Stopped };
  bool Subscribe(RecordSink& sink, bool afterLastRecord);
  Drained Drain(RecordSink& sink);
  void Deliver(RecordSink& sink, void* event);
  bool WaitOrStop(unsigned long milliseconds);
  void Fatal(RecordSink& sink, const char* api, unsigned long code);
  void CloseSubscription();

  EventLogOptions options_;
  std::wstring query_;
  Win32Event stop_{true, false};
  Win32Event signal_{false, true};  // auto-reset and initially set: the first wait drains the backlog
  void* subscription_ = nullptr;  // EVT_HANDLE
  uint32_t batch_ = 64;
  uint64_t lastRecordId_ = 0;     // the last record handed on; records at or below it are not repeated
  XmlEventReader reader_;
  EventRecord record_;
  std::wstring render_;
  std::string utf8_;
};

}  // namespace wfp
