#include "record_field.h"

#include "decimal.h"

namespace wfp {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// System numbers may carry whitespace around the digits, as any XML text may.
bool ParseUnsigned(std::string_view text, uint64_t& out) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return ParseDecimal(text, out);
}

}  // namespace

void AssignField(Field field, std::string_view value, EventRecord& record, std::string_view& dataName) {
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
      if (ParseUnsigned(value, v) && v <= 0xFFFFFFFFu) {
        record.eventId = static_cast<uint32_t>(v);
        record.hasEventId = true;
      } else {
        record.invalidField = "EventID";
      }
      break;
    case Field::Version:
      if (ParseUnsigned(value, v) && v <= 0xFF) record.version = static_cast<uint32_t>(v);
      else record.invalidField = "Version";
      break;
    case Field::RecordId:
      if (ParseUnsigned(value, v)) {
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
  }
}

}  // namespace wfp
