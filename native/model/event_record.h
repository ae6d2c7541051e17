// One event record as a reader produces it: the System section and every EventData field by name.
// Values are views into the producer's buffer and are valid only during the sink call. The System
// values this library does not compute with are kept as the text Windows renders (an .evtx reader
// formats them the same way). Plain C++ with no Node-API and no OS code.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace wfp {

// A record ID above 2^53 reaches JavaScript as its decimal text: a double cannot hold it exactly.
inline bool RecordIdNeedsText(uint64_t recordId) { return recordId > (uint64_t{1} << 53); }

struct DataField {
  std::string_view name;  // empty for an unnamed <Data> element
  std::string_view value;
};

struct EventRecord {
  std::string_view provider;      // Provider/@Name
  std::string_view providerGuid;  // Provider/@Guid ("{54849625-5478-4994-A5BA-3E3B0328C30D}")
  std::string_view computer;
  std::string_view channel;
  std::string_view systemTime;  // TimeCreated/@SystemTime exactly as written
  std::string_view level;       // the text of Level, Task, Opcode and Keywords ("0", "12810", "0x8010000000000000")
  std::string_view task;
  std::string_view opcode;
  std::string_view keywords;
  std::string_view activityId;       // Correlation/@ActivityID
  std::string_view userId;           // Security/@UserID
  std::string_view writerProcessId;  // Execution/@ProcessID: the process that wrote the record (lsass)
  std::string_view writerThreadId;   // Execution/@ThreadID
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
