// The legacy event-log API's records: EVENTLOGRECORD (winnt.h) as ReadEventLogW returns it, and the
// field names of WFP events' insertion strings, which that API gives by position only: from the
// installed publisher's templates (its metadata: the field names of each event ID and version, in
// order), with a built-in table as the fallback where the metadata cannot be read. Plain C++ (no
// Windows headers), so the mapping is tested on Linux with buffers built from real records' values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
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

// After a record that does not parse: how many bytes to skip to the next record that looks whole (its
// Length when that is plausible, else the next "LfLe" signature with a matching Length at both ends);
// 0 when none is left in the buffer.
size_t SkipMalformedRecord(const uint8_t* data, size_t size);

// The EventData names of a WFP event's insertion strings, and the event version that layout belongs
// to. The legacy API carries no version: it is the version of the template whose field count matches.
struct InsertionLayout {
  uint32_t version;
  std::vector<std::string> names;
};

// Layouts by event ID and string count.
class InsertionLayouts {
 public:
  // An event's template from the publisher's metadata (EventMetadataEventTemplate: "<template ...><data
  // name='ProcessID' .../>...</template>"); false (and nothing added) when it names no field, or a
  // field twice.
  bool AddTemplate(uint32_t eventId, uint32_t version, std::string_view templateXml);
  size_t templates() const { return templates_; }
  // The metadata's template for `eventId` with `stringCount` fields (the newest version of those),
  // else the built-in table's; null for a layout known nowhere (the strings are then named Param1,
  // Param2, ...).
  const InsertionLayout* Find(uint32_t eventId, size_t stringCount) const;

 private:
  std::map<std::pair<uint32_t, size_t>, InsertionLayout> fromMetadata_;
  size_t templates_ = 0;
};

// The built-in table: Microsoft's event documentation (5031, 5150-5159, 4719) and the Windows 11
// layout of 5152/5157.
const InsertionLayout* BuiltInLayout(uint32_t eventId, size_t stringCount);

// A record for the pipeline. Views point into `record`, `layouts` and `scratch`, which must outlive
// its use.
void ToEventRecord(const LegacyRecord& record, const InsertionLayouts& layouts, EventRecord& out,
                   std::vector<std::string>& scratch);

}  // namespace wfp
