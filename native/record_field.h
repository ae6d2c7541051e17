// What a value in an event record's XML means to this library. The XML reader's general parser and
// its learned record shapes both assign values through AssignField, so a record gives the same
// EventRecord whichever of the two reads it.
#pragma once

#include <cstdint>
#include <string_view>

#include "event_record.h"

namespace wfp {

enum class Field : uint8_t {
  None,        // read and checked, not kept (Level, Task, Guid, ...)
  Provider,    // Provider/@Name
  SystemTime,  // TimeCreated/@SystemTime
  EventId,
  Version,
  RecordId,    // EventRecordID
  Computer,
  DataName,    // Data/@Name: held in `dataName` until the element's value arrives
  DataValue,   // the text of a <Data> element (empty for <Data/>): adds a DataField
};

// `dataName` carries a <Data> element's Name from its attribute to its value.
void AssignField(Field field, std::string_view value, EventRecord& record, std::string_view& dataName);

}  // namespace wfp
