// What a value in an event record's XML means to this library. The XML reader's general parser and
// its learned record shapes both assign values through AssignField, so a record gives the same
// EventRecord whichever of the two reads it.
#pragma once

#include <cstdint>
#include <string_view>

#include "util/decimal.h"
#include "model/event_record.h"

namespace wfp {

enum class Field : uint8_t {
  None,        // read and checked, not kept (anything outside System and EventData)
  Provider,    // Provider/@Name
  SystemTime,  // TimeCreated/@SystemTime
  EventId,
  Version,
  RecordId,    // EventRecordID
  Computer,
  DataName,    // Data/@Name: held in `dataName` until the element's value arrives
  DataValue,   // the text of a <Data> element (empty for <Data/>): adds a DataField
  // System values kept as written:
  ProviderGuid,     // Provider/@Guid
  Channel,
  Level,
  Task,
  Opcode,
  Keywords,
  ActivityId,       // Correlation/@ActivityID
  UserId,           // Security/@UserID
  WriterProcessId,  // Execution/@ProcessID
  WriterThreadId,   // Execution/@ThreadID
};

namespace record_field_detail {

inline bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// System numbers may carry whitespace around the digits, as any XML text may.
inline bool ParseUnsigned(std::string_view text, uint64_t& out) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return ParseDecimal(text, out);
}

}  // namespace record_field_detail

// `dataName` carries a <Data> element's Name from its attribute to its value. Inline: the shape
// matcher calls it for every value.
inline void AssignField(Field field, std::string_view value, EventRecord& record, std::string_view& dataName) {
  uint64_t v = 0;
  switch (field) {
    case Field::None:
      break;
    case Field::Provider:
      record.provider = value;
      record.hasProvider = true;
      break;
    case Field::SystemTime:
      record.systemTime = value;
      record.hasSystemTime = true;
      break;
    case Field::EventId:
      if (record_field_detail::ParseUnsigned(value, v) && v <= 0xFFFFFFFFu) {
        record.eventId = static_cast<uint32_t>(v);
        record.hasEventId = true;
      } else {
        record.invalidField = "EventID";
      }
      break;
    case Field::Version:
      if (record_field_detail::ParseUnsigned(value, v) && v <= 0xFF) record.version = static_cast<uint32_t>(v);
      else record.invalidField = "Version";
      break;
    case Field::RecordId:
      if (record_field_detail::ParseUnsigned(value, v)) {
        record.recordId = v;
        record.hasRecordId = true;
      } else {
        record.invalidField = "EventRecordID";
      }
      break;
    case Field::Computer:
      record.computer = value;
      break;
    case Field::DataName:
      dataName = value;
      break;
    case Field::DataValue:
      record.data.push_back(DataField{dataName, value});
      dataName = std::string_view();
      break;
    case Field::ProviderGuid: record.providerGuid = value; break;
    case Field::Channel: record.channel = value; break;
    case Field::Level: record.level = value; break;
    case Field::Task: record.task = value; break;
    case Field::Opcode: record.opcode = value; break;
    case Field::Keywords: record.keywords = value; break;
    case Field::ActivityId: record.activityId = value; break;
    case Field::UserId: record.userId = value; break;
    case Field::WriterProcessId: record.writerProcessId = value; break;
    case Field::WriterThreadId: record.writerThreadId = value; break;
  }
}

}  // namespace wfp
