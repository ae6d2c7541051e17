// The legacy source's reading loop, on any LegacyLog: the Win32 calls (OpenEventLogW, ReadEventLogW,
// NotifyChangeEventLog) live in legacy_source.cc, a fake in the unit tests, so that what the loop does
// about each answer is tested on Linux. What it does:
// - opens with backoff (250 ms doubling to 30 s, with jitter) whenever the log cannot be opened or read
//   (the EventLog service restarting gives ERROR_INVALID_HANDLE on reads and RPC errors on opens: Wazuh
//   issue 3792); only access denied at the first open ends the source;
// - starts with EVENTLOG_SEEK_READ at the newest record ('now'), the bookmarked record, or the last
//   record read (after a reopen), and reads sequentially from there; where the seek is refused
//   (ERROR_INVALID_PARAMETER: "may not work with large log files", KB 177199) it reads from the start,
//   and the pipeline skips what is at or below the floor;
// - steps over a malformed EVENTLOGRECORD to the next whole one, reporting it;
// - reopens after ERROR_EVENTLOG_FILE_CHANGED (cleared) and, saying so, ERROR_EVENTLOG_FILE_CORRUPT.
// Plain C++ with no OS code.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/event_source.h"
#include "sources/legacy_record.h"
#include "sources/source_options.h"

namespace wfp {

// Each call returns 0 or the Win32 error code.
class LegacyLog {
 public:
  // OpenEventLogW(Security) and NotifyChangeEventLog; `notifyError` is the latter's error (0 when it
  // works: without it the log is only re-read every few seconds).
  virtual uint32_t Open(uint32_t& notifyError) = 0;
  virtual void Close() = 0;
  // GetOldestEventLogRecord + GetNumberOfEventLogRecords: the newest record number (0 for an empty log).
  virtual uint32_t Newest(uint32_t& record) = 0;
  // ReadEventLogW, forwards: from record `seekTo` (EVENTLOG_SEEK_READ) when it is not 0, else
  // sequentially. On ERROR_INSUFFICIENT_BUFFER, `read` is the size needed.
  virtual uint32_t Read(uint32_t seekTo, std::vector<uint8_t>& buffer, uint32_t& read) = 0;
  // Waits up to `milliseconds` for the change notification; false when the source is to stop.
  virtual bool Wait(uint32_t milliseconds) = 0;
  // What to do about access denied (from the process token).
  virtual std::string AccessHint() = 0;

 protected:
  ~LegacyLog() = default;
};

class LegacyReader {
 public:
  // `bookmarkedRecord` with StartAt::Bookmark: where to seek to (the pipeline skips up to it).
  LegacyReader(LegacyLog& log, const InsertionLayouts& layouts, StartAt from, uint64_t bookmarkedRecord);
  void Run(RecordSink& sink);

 private:
  enum class Outcome { CaughtUp, Reopen, RetryLater, Stopped };
  bool Open(RecordSink& sink, bool first);
  bool Backoff();  // waits the current backoff and doubles it; false when stopping
  Outcome ReadAvailable(RecordSink& sink);
  void Deliver(uint32_t read, RecordSink& sink);
  void Transient(RecordSink& sink, const std::string& what, uint32_t code);

  LegacyLog& log_;
  const InsertionLayouts& layouts_;
  StartAt from_;
  uint64_t bookmarkedRecord_;
  uint32_t resumeAt_ = 0;  // a record that exists to seek to (read again, and skipped by the pipeline); 0: none
  bool seek_ = false;      // the next read seeks to resumeAt_
  bool seekRefused_ = false;
  bool corruptReported_ = false;
  uint32_t backoffMs_;
  uint32_t jitter_ = 1;
  std::vector<uint8_t> buffer_;
  LegacyRecord legacy_;
  EventRecord record_;
  std::vector<std::string> scratch_;
};

}  // namespace wfp
