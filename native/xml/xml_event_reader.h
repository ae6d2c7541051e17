// Incremental reader for EvtRender-style event XML: the output of `wevtutil qe ... /f:xml`,
// `Get-WinEvent | % ToXml()` and `EvtRender(EvtRenderEventXml)`. Accepts one <Event> after another,
// with or without an <Events> root, XML declaration, namespace, comments, either quote style and any
// whitespace between elements. Plain C++ with no Node-API, so it can be unit-tested and fuzzed alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include "model/error_codes.h"
#include "model/event_record.h"
#include "xml/record_shapes.h"

namespace wfp {

// A problem in the input: `offset` is the byte offset in the input where the problem starts (the start
// of the record for a record that cannot be read).
struct ReadIssue {
  const ErrorCode* code = nullptr;
  std::string message;
  uint64_t offset = 0;
};

class XmlEventReader {
 public:
  // `learnShapes`: read records that repeat a known layout through RecordShapes. Off only to check
  // that both paths give the same records.
  explicit XmlEventReader(bool learnShapes = true) : learnShapes_(learnShapes) {}

  // A record larger than this is rejected instead of buffered: real event records are below 64 KiB.
  static constexpr size_t kMaxRecordBytes = 1 << 20;

  enum class Step { Record, Issue, NeedMore };

  // Adds bytes that follow those already given. Invalidates the views of the last record.
  void Append(const char* data, size_t size);

  // Reads the next record or problem from the bytes given so far. With `eof` set, a partial record
  // at the end becomes an ERR_XML_TRUNCATED issue instead of waiting for more bytes.
  Step Next(bool eof, EventRecord& record, ReadIssue& issue, uint64_t& recordOffset);

  // Forgets all buffered bytes; the next Append starts at stream offset `offset`. Learned shapes stay.
  void Reset(uint64_t offset);

  // The stream offset just past what Next() has read: after a Record, the end of that record.
  uint64_t consumed() const { return base_ + pos_; }

  // How many records a learned shape has read (the rest went through the general parser).
  uint64_t shapedRecords() const { return shapedRecords_; }

 private:
  enum class Parse { Ok, NeedMore, Malformed };

  Parse ParseEvent(size_t start, EventRecord& record, size_t& end, std::string& why, size_t& resumeAt);
  bool SkipToNextEventStart();
  bool Holds(size_t& next, char byte, const char* from, const char* to);
  void Compact();

  std::string buf_;
  size_t pos_ = 0;
  uint64_t base_ = 0;                // stream offset of buf_[0]
  bool resyncing_ = false;           // after a bad record: discard input up to the next <Event
  bool inGarbage_ = false;           // a garbage run was already reported
  std::deque<std::string> decoded_;  // values that needed entity decoding, for the current record
  static constexpr size_t kUnknown = static_cast<size_t>(-1);
  size_t amp_ = kUnknown;  // offset in buf_ of the next '&' at or after the last lookup
  size_t nul_ = kUnknown;  // same for NUL
  bool learnShapes_;
  uint64_t shapedRecords_ = 0;
  RecordShapes shapes_;
  ShapeRecorder recorder_;
};

}  // namespace wfp
