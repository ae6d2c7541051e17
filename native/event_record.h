// One event record as the sources produce it: the System fields this library uses, and every EventData
// field by name. Values are views into the producer's buffer and are valid only during the sink call.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace wfp {

struct DataField {
  std::string_view name;  // empty for an unnamed <Data> element
  std::string_view value;
};

struct EventRecord {
  std::string_view provider;
  std::string_view computer;
  std::string_view systemTime;  // TimeCreated/@SystemTime exactly as written
  uint32_t eventId = 0;
  uint32_t version = 0;
  uint64_t recordId = 0;
  bool hasProvider = false;
  bool hasEventId = false;
  bool hasRecordId = false;
  bool hasSystemTime = false;
  std::vector<DataField> data;

  // The System field whose text was not a valid number, if any; the normaliser reports it.
  std::string_view invalidField;

  // Resets every field but keeps the data vector's capacity: one record is reused for a whole stream.
  void Clear() {
    std::vector<DataField> keep = std::move(data);
    keep.clear();
    *this = EventRecord{};
    data = std::move(keep);
  }
};

}  // namespace wfp
