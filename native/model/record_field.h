// What a value of an event record means to this library: which System element or attribute holds
// which field, and how its text is kept. The XML reader (its general parser and its learned record
// shapes) and the .evtx reader all assign values through AssignField, so a record gives the same
// EventRecord whichever reads it. Plain C++ with no Node-API and no OS code.
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
  RecordId,  // EventRecordID
  Computer,
  DataName,   // Data/@Name: held in `dataName` until the element's value arrives
  DataValue,  // the text of a <Data> element (empty for <Data/>): adds a DataField
  // System values kept as written:
  ProviderGuid,  // Provider/@Guid
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

// Which record field the text of a System element belongs to.
inline Field SystemTextField(std::string_view name) {
  if (name == "EventID") return Field::EventId;
  if (name == "Version") return Field::Version;
  if (name == "EventRecordID") return Field::RecordId;
  if (name == "Computer") return Field::Computer;
  if (name == "Channel") return Field::Channel;
  if (name == "Level") return Field::Level;
  if (name == "Task") return Field::Task;
  if (name == "Opcode") return Field::Opcode;
  if (name == "Keywords") return Field::Keywords;
  return Field::None;
}

// Which record field an attribute of a System element belongs to.
inline Field SystemAttributeField(std::string_view element, std::string_view attr) {
  switch (element.size()) {
    case 8:
      if (element == "Provider")
        return attr == "Name" ? Field::Provider : attr == "Guid" ? Field::ProviderGuid : Field::None;
      if (element == "Security") return attr == "UserID" ? Field::UserId : Field::None;
      break;
    case 9:
      if (element == "Execution")
        return attr == "ProcessID" ? Field::WriterProcessId : attr == "ThreadID" ? Field::WriterThreadId : Field::None;
      break;
    case 11:
      if (element == "TimeCreated") return attr == "SystemTime" ? Field::SystemTime : Field::None;
      if (element == "Correlation") return attr == "ActivityID" ? Field::ActivityId : Field::None;
      break;
  }
  return Field::None;
}

// UserData values include their elements' attributes, but not namespace declarations.
inline bool IsNamespaceDeclaration(std::string_view attribute) {
  return attribute == "xmlns" || attribute.substr(0, 6) == "xmlns:";
}

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
      if (record_field_detail::ParseUnsigned(value, v) && v <= 0xFF)
        record.version = static_cast<uint32_t>(v);
      else
        record.invalidField = "Version";
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
    case Field::ProviderGuid:
      record.providerGuid = value;
      break;
    case Field::Channel:
      record.channel = value;
      break;
    case Field::Level:
      record.level = value;
      break;
    case Field::Task:
      record.task = value;
      break;
    case Field::Opcode:
      record.opcode = value;
      break;
    case Field::Keywords:
      record.keywords = value;
      break;
    case Field::ActivityId:
      record.activityId = value;
      break;
    case Field::UserId:
      record.userId = value;
      break;
    case Field::WriterProcessId:
      record.writerProcessId = value;
      break;
    case Field::WriterThreadId:
      record.writerThreadId = value;
      break;
  }
}

}  // namespace wfp
