// One event record as a reader produces it: the System section and every EventData field by name.
// Values are views into the producer's buffer and are valid only during the sink call. Plain C++ with
// no Node-API and no OS code.
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
  std::string_view provider;      // Provider/@Name
  std::string_view providerGuid;  // Provider/@Guid, as written ("{54849625-...}")
  std::string_view computer;
  std::string_view channel;
  std::string_view systemTime;  // TimeCreated/@SystemTime exactly as written
  std::string_view keywords;    // as written ("0x8010000000000000")
  std::string_view activityId;  // Correlation/@ActivityID
  std::string_view userId;      // Security/@UserID
  uint32_t eventId = 0;
  uint32_t version = 0;
  uint32_t level = 0;
  uint32_t task = 0;
  uint32_t opcode = 0;
  uint32_t processId = 0;  // Execution/@ProcessID: the process that wrote the record
  uint32_t threadId = 0;   // Execution/@ThreadID
  uint64_t recordId = 0;
  bool hasProvider = false;
  bool hasEventId = false;
  bool hasRecordId = false;
  bool hasSystemTime = false;
  bool hasExecution = false;
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
