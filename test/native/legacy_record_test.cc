// The legacy source's EVENTLOGRECORD mapping, on buffers built here from every real fixture record's
// values: the insertion strings map to the same field names and the same BlockEvent as the XML.
#include "test_main.h"

#include <cstring>

#include "model/normalizer.h"
#include "sources/legacy_record.h"

namespace {
using namespace wfp;
using namespace wfp::test;

// The bytes ReadEventLogW returns for a record with these insertion strings.
std::vector<uint8_t> BuildEventLogRecord(uint32_t number, uint32_t time, uint32_t eventId, uint16_t type,
                                         const std::vector<std::string>& strings) {
  auto wide = [](std::string_view s) {
    std::vector<uint8_t> out;
    for (unsigned char c : s) {  // the fixture values are ASCII
      out.push_back(c);
      out.push_back(0);
    }
    out.push_back(0);
    out.push_back(0);
    return out;
  };
  std::vector<uint8_t> body;
  for (auto part : {wide("Microsoft-Windows-Security-Auditing"), wide("host.example")}) body.insert(body.end(), part.begin(), part.end());
  while ((56 + body.size()) % 4) body.push_back(0);
  const uint32_t stringOffset = static_cast<uint32_t>(56 + body.size());
  for (const std::string& s : strings) {
    auto w = wide(s);
    body.insert(body.end(), w.begin(), w.end());
  }
  while ((56 + body.size()) % 4) body.push_back(0);
  const uint32_t length = static_cast<uint32_t>(56 + body.size() + 4);
  std::vector<uint8_t> record(56);
  auto put32 = [&](size_t at, uint32_t v) { std::memcpy(record.data() + at, &v, 4); };
  auto put16 = [&](size_t at, uint16_t v) { std::memcpy(record.data() + at, &v, 2); };
  put32(0, length);
  put32(4, 0x654c664c);
  put32(8, number);
  put32(12, time);
  put32(16, time);
  put32(20, eventId | 0x00000000u);
  put16(24, type);
  put16(26, static_cast<uint16_t>(strings.size()));
  put32(36, stringOffset);
  put32(48, 0);
  put32(52, length - 4);
  record.insert(record.end(), body.begin(), body.end());
  const uint32_t tail = length;
  record.insert(record.end(), reinterpret_cast<const uint8_t*>(&tail), reinterpret_cast<const uint8_t*>(&tail) + 4);
  return record;
}

}  // namespace

TEST_CASE("legacy records: every fixture block record maps to the same names and BlockEvent") {
  XmlEventReader reader;
  const EventSelection selection = EventSelection::Everything();
  size_t mapped = 0;
  for (const Fixture& f : Fixtures()) {
    for (const std::string& xml : f.xml) {
      EventRecord original;
      if (!Read(xml, reader, original) || !FindTrafficEvent(original.eventId)) continue;
      std::vector<std::string> strings;
      for (const DataField& d : original.data) strings.emplace_back(d.value);
      BlockEvent expected;
      NormalizeIssue issue;
      if (Normalize(original, selection, expected, issue) != Normalized::Event) continue;

      const uint32_t seconds = static_cast<uint32_t>(expected.timeMs / 1000);
      std::vector<uint8_t> bytes = BuildEventLogRecord(static_cast<uint32_t>(original.recordId), seconds,
                                                       original.eventId, 16, strings);
      LegacyRecord legacy;
      const size_t used = ParseEventLogRecord(bytes.data(), bytes.size(), legacy);
      if (used != bytes.size()) {
        Check(false, f.file + ": EVENTLOGRECORD parses");
        continue;
      }
      // The legacy API gives no version: it is inferred from the layout (OTRF's 5156s say 0 yet carry
      // the version-1 fields, so the XML's version is not compared).
      EventRecord mappedRecord;
      std::vector<std::string> scratch;
      ToEventRecord(legacy, mappedRecord, scratch);
      bool sameFields = mappedRecord.data.size() == original.data.size();
      for (size_t i = 0; sameFields && i < original.data.size(); ++i)
        sameFields = mappedRecord.data[i].name == original.data[i].name && mappedRecord.data[i].value == original.data[i].value;
      Check(sameFields, f.file + " record " + std::to_string(original.recordId) + ": insertion strings map to the same names");
      BlockEvent got;
      const bool normalized = Normalize(mappedRecord, selection, got, issue) == Normalized::Event;
      Check(normalized && got.kind == expected.kind && got.direction == expected.direction &&
                got.pid == expected.pid && got.local == expected.local && got.remote == expected.remote &&
                got.layerName == expected.layerName && got.filterId == expected.filterId &&
                static_cast<uint64_t>(got.timeMs / 1000) == seconds,
            f.file + " record " + std::to_string(original.recordId) + ": the same BlockEvent as from the XML");
      ++mapped;
    }
  }
  Check(mapped == 9099, "every fixture block record went through EVENTLOGRECORD (" + std::to_string(mapped) + ")");

}

TEST_CASE("legacy records: unknown layouts by position; truncated and corrupt buffers rejected") {
  XmlEventReader reader;
  // A layout not known here keeps every string, by position.
  std::vector<uint8_t> odd = BuildEventLogRecord(7, 0, 5152, 16, {"a", "b", "c"});
  LegacyRecord legacy;
  Check(ParseEventLogRecord(odd.data(), odd.size(), legacy) == odd.size(), "a 3-string 5152 parses");
  EventRecord r;
  std::vector<std::string> scratch;
  ToEventRecord(legacy, r, scratch);
  Check(r.data.size() == 3 && r.data[2].name == "Param3" && r.data[2].value == "c", "unknown layouts name strings by position");
  // Truncated and corrupted buffers are rejected, not read past.
  Check(ParseEventLogRecord(odd.data(), odd.size() - 1, legacy) == 0, "a truncated record is rejected");
  odd[4] ^= 0xFF;
  Check(ParseEventLogRecord(odd.data(), odd.size(), legacy) == 0, "a record without the signature is rejected");
}
