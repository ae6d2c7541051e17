// The legacy event-log API's records: EVENTLOGRECORD (winnt.h) as ReadEventLogW returns it, and the
// field names of WFP events' insertion strings, which that API gives by position only. Plain C++ (no
// Windows headers), so the mapping is tested on Linux with buffers built from real records' values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/event_record.h"

namespace wfp {

struct LegacyRecord {
  uint32_t recordNumber = 0;
  uint32_t timeGenerated = 0;  // seconds since the Unix epoch, UTC
  uint32_t eventId = 0;        // the low 16 bits of EventID (the rest are qualifiers)
  std::string sourceName;
  std::string computerName;
  std::vector<std::string> strings;  // insertion strings, UTF-8
};

// Parses the record at `data`; returns the bytes it takes (its Length), or 0 when it is malformed.
size_t ParseEventLogRecord(const uint8_t* data, size_t size, LegacyRecord& out);

// The EventData names of a WFP event's insertion strings, and the event version that layout belongs
// to; null for a layout not known here (the strings are then named Param1, Param2, ...).
struct InsertionLayout {
  uint32_t version;
  std::vector<std::string_view> names;
};
const InsertionLayout* LayoutFor(uint32_t eventId, size_t stringCount);

// A record for the pipeline. Views point into `record` and `scratch`, which must outlive its use.
void ToEventRecord(const LegacyRecord& record, EventRecord& out, std::vector<std::string>& scratch);

}  // namespace wfp
