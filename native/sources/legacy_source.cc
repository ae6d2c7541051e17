// Only built for Windows. Under Wine, OpenEventLogW works but its log is empty and never signals: the
// Wine suite checks that this source reads the publisher's templates through the stand-in wevtapi.dll,
// opens, waits and closes cleanly. Its reading loop is tested on Linux against a fake log
// (test/native/legacy_reader_test.cc); real records only on Windows.
#include "sources/legacy_source.h"

#include <windows.h>

#include "model/record_values.h"
#include "win/process_token.h"
#include "win/publisher_metadata.h"
#include "win/wide.h"

namespace wfp {

LegacySource::LegacySource(LiveStart start) : start_(std::move(start)) {}

std::unique_ptr<EventSource> LegacySource::Create(OptionReader& options, const SourceContext&) {
  LiveStart start = ReadLiveStart(options);  // a bookmark's record ID is also the pipeline's to skip up to
  if (options.failed()) return nullptr;
  return std::make_unique<LegacySource>(std::move(start));
}

LegacySource::~LegacySource() { Close(); }

void LegacySource::Interrupt() { stop_.Set(); }

void LegacySource::Close() {
  if (log_) CloseEventLog(log_);
  log_ = nullptr;
}

uint32_t LegacySource::Open(uint32_t& notifyError) {
  log_ = OpenEventLogW(nullptr, Widen(kSecurityChannel).c_str());
  if (!log_) return GetLastError();
  notifyError = NotifyChangeEventLog(log_, notify_.handle()) ? 0 : GetLastError();
  return 0;
}

uint32_t LegacySource::Newest(uint32_t& record) {
  DWORD oldest = 0, count = 0;
  if (!GetOldestEventLogRecord(log_, &oldest) || !GetNumberOfEventLogRecords(log_, &count)) return GetLastError();
  record = count ? oldest + count - 1 : 0;
  return 0;
}

uint32_t LegacySource::Read(uint32_t seekTo, std::vector<uint8_t>& buffer, uint32_t& read) {
  DWORD got = 0, needed = 0;
  const DWORD flags = (seekTo ? EVENTLOG_SEEK_READ : EVENTLOG_SEQUENTIAL_READ) | EVENTLOG_FORWARDS_READ;
  if (ReadEventLogW(log_, flags, seekTo, buffer.data(), static_cast<DWORD>(buffer.size()), &got, &needed)) {
    read = got;
    return 0;
  }
  const DWORD code = GetLastError();
  read = code == ERROR_INSUFFICIENT_BUFFER ? needed : 0;
  return code;
}

bool LegacySource::Wait(uint32_t milliseconds) {
  HANDLE waits[2] = {stop_.handle(), notify_.handle()};
  return WaitForMultipleObjects(2, waits, FALSE, milliseconds) != WAIT_OBJECT_0;
}

std::string LegacySource::AccessHint() { return SecurityLogAccessHint(); }

void LegacySource::Run(RecordSink& sink) {
  // The log handle closes with the thread, not when the watcher object is collected later.
  struct CloseOnExit {
    LegacySource* source;
    ~CloseOnExit() { source->Close(); }
  } closeOnExit{this};
  if (!stop_.handle() || !notify_.handle()) {
    const DWORD code = GetLastError();
    sink.OnIssue(Issue{&kErrEventLog, "CreateEvent failed: " + SystemMessage(code), std::string(kSecurityChannel), -1,
                       static_cast<int64_t>(code)});
    return;
  }
  // The field names of each event and version, from the installed manifest: Windows 11 added fields
  // to 5152 and 5157 that no fixed table can know in advance.
  InsertionLayouts layouts;
  const uint32_t code =
      ReadEventTemplates(kSecurityAuditingProvider, [&](uint32_t id, uint32_t version, std::string_view xml) {
        if (sink.Wants(id)) layouts.AddTemplate(id, version, xml);
      });
  if (code)
    sink.OnIssue(Issue{&kErrEventLogMetadata,
                       "the event templates of " + std::string(kSecurityAuditingProvider) + " could not be read: " +
                           SystemMessage(code) + "; insertion strings are named from the built-in table",
                       std::string(kSecurityChannel), -1, static_cast<int64_t>(code)});
  LegacyReader reader(*this, layouts, start_.at, start_.recordId);
  reader.Run(sink);
}

}  // namespace wfp
