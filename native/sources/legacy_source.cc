// Only built for Windows. Under Wine, OpenEventLogW works but its log is empty and never signals:
// the Wine suite checks that this source opens, waits and closes cleanly. Real records only on Windows.
#include "sources/legacy_source.h"

#include <windows.h>

#include "sources/legacy_record.h"
#include "model/normalizer.h"
#include "win/process_token.h"
#include "win/wide.h"
#include "win/win32_errors.h"

namespace wfp {
namespace {

constexpr DWORD kRereadMs = 5000;  // NotifyChangeEventLog signals are pulsed and can be missed
constexpr size_t kMaxRead = 0x7ffff;  // ReadEventLogW's largest buffer

}  // namespace

LegacySource::LegacySource(StartAt from) : from_(from) {
  buffer_.resize(64 * 1024);
}

std::unique_ptr<EventSource> LegacySource::Create(OptionReader& options, const SourceContext&) {
  LiveStart start = ReadLiveStart(options);  // a bookmark's record ID is the pipeline's to skip up to
  if (options.failed()) return nullptr;
  return std::make_unique<LegacySource>(start.at);
}

LegacySource::~LegacySource() { Close(); }

void LegacySource::Interrupt() { stop_.Set(); }

void LegacySource::Close() {
  if (log_) CloseEventLog(log_);
  log_ = nullptr;
}

bool LegacySource::Open(RecordSink& sink, bool first) {
  log_ = OpenEventLogW(nullptr, Widen(kSecurityChannel).c_str());
  if (!log_) {
    const DWORD code = GetLastError();
    const bool denied = code == win32::kAccessDenied;
    sink.OnIssue(Issue{denied ? &kErrAccessDenied : &kErrEventLog,
                       "OpenEventLogW failed on " + std::string(kSecurityChannel) + ": " + SystemMessage(code) + " (" + std::to_string(code) + ")",
                       std::string(kSecurityChannel), -1, static_cast<int64_t>(code), denied ? SecurityLogAccessHint() : ""});
    return false;
  }
  if (!NotifyChangeEventLog(log_, notify_.handle())) {
    const DWORD code = GetLastError();
    sink.OnIssue(Issue{&kErrEventLogTransient, "NotifyChangeEventLog failed: " + SystemMessage(code) + "; re-reading every 5 s",
                       std::string(kSecurityChannel), -1, static_cast<int64_t>(code)});
  }
  if (first && from_ == StartAt::Now) {  // skip what is there: start after the newest record
    DWORD oldest = 0, count = 0;
    if (GetOldestEventLogRecord(log_, &oldest) && GetNumberOfEventLogRecords(log_, &count) && count > 0)
      sink.OnStartAfter(static_cast<uint64_t>(oldest) + count - 1);
  }
  return true;
}

bool LegacySource::ReadAvailable(RecordSink& sink) {
  LegacyRecord legacy;
  EventRecord record;
  while (!sink.Stopping()) {
    DWORD read = 0, needed = 0;
    if (!ReadEventLogW(log_, EVENTLOG_SEQUENTIAL_READ | EVENTLOG_FORWARDS_READ, 0, buffer_.data(),
                       static_cast<DWORD>(buffer_.size()), &read, &needed)) {
      const DWORD code = GetLastError();
      if (code == ERROR_HANDLE_EOF) return true;
      if (code == ERROR_INSUFFICIENT_BUFFER && needed <= kMaxRead) {
        buffer_.resize(needed);
        continue;
      }
      if (code == ERROR_EVENTLOG_FILE_CHANGED || code == ERROR_EVENTLOG_FILE_CORRUPT) return false;  // cleared
      sink.OnIssue(Issue{&kErrEventLogTransient, "ReadEventLogW failed: " + SystemMessage(code) + "; reopening",
                         std::string(kSecurityChannel), -1, static_cast<int64_t>(code)});
      return false;
    }
    for (size_t at = 0; at < read && !sink.Stopping();) {
      const size_t used = ParseEventLogRecord(buffer_.data() + at, read - at, legacy);
      if (!used) {
        sink.OnIssue(Issue{&kErrEventLogRecord, "an EVENTLOGRECORD that cannot be read", std::string(kSecurityChannel)});
        break;
      }
      at += used;
      if (!sink.Wants(legacy.eventId)) continue;  // the pipeline also skips what it has already seen
      ToEventRecord(legacy, record, scratch_);
      sink.OnRecord(record, Position{kSecurityChannel});
    }
  }
  return true;
}

void LegacySource::Run(RecordSink& sink) {
  // The log handle closes with the thread, not when the watcher object is collected later.
  struct CloseOnExit {
    LegacySource* source;
    ~CloseOnExit() { source->Close(); }
  } closeOnExit{this};
  if (!stop_.handle() || !notify_.handle() || !Open(sink, true)) return;
  HANDLE waits[2] = {stop_.handle(), notify_.handle()};
  while (!sink.Stopping()) {
    if (!ReadAvailable(sink)) {  // the log was cleared or failed: reopen; records keep their numbers
      Close();
      if (WaitForSingleObject(stop_.handle(), 1000) == WAIT_OBJECT_0 || !Open(sink, false)) return;
      continue;
    }
    sink.OnIdle();
    std::optional<std::chrono::milliseconds> due = sink.IdleTimeout();
    const DWORD timeout = due ? std::min<DWORD>(kRereadMs, static_cast<DWORD>(due->count())) : kRereadMs;
    if (WaitForMultipleObjects(2, waits, FALSE, timeout) == WAIT_OBJECT_0) return;
  }
}

}  // namespace wfp
