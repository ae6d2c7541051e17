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
  for (auto part : {wide("Microsoft-Windows-Security-Auditing"), wide("host.example")})
    body.insert(body.end(), part.begin(), part.end());
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

// The templates Windows 10's manifest of Microsoft-Windows-Security-Auditing gives through
// EventMetadataEventTemplate (the same as the stand-in wevtapi.dll serves).
std::string TemplateXml(const std::vector<std::string>& names) {
  std::string xml = "<template xmlns=\"http://schemas.microsoft.com/win/2004/08/events\">";
  for (const std::string& n : names)
    xml += "<data name=\"" + n + "\" inType=\"win:UnicodeString\" outType=\"xs:string\"/>";
  return xml + "</template>";
}

InsertionLayouts Windows10Templates() {
  const std::vector<std::string> packet = {"ProcessId",  "Application", "Direction", "SourceAddress",
                                           "SourcePort", "DestAddress", "DestPort",  "Protocol",
                                           "FilterRTID", "LayerName",   "LayerRTID"};
  std::vector<std::string> connection0 = packet;
  connection0[0] = "ProcessID";
  std::vector<std::string> connection1 = connection0;
  connection1.insert(connection1.end(), {"RemoteUserID", "RemoteMachineID"});
  const std::vector<std::string> bind = {"ProcessId", "Application", "SourceAddress", "SourcePort",
                                         "Protocol",  "FilterRTID",  "LayerName",     "LayerRTID"};
  InsertionLayouts layouts;
  layouts.AddTemplate(4719, 0,
                      TemplateXml({"SubjectUserSid", "SubjectUserName", "SubjectDomainName", "SubjectLogonId",
                                   "CategoryId", "SubcategoryId", "SubcategoryGuid", "AuditPolicyChanges"}));
  layouts.AddTemplate(5031, 0, TemplateXml({"Profiles", "Application"}));
  for (uint32_t id : {5152u, 5153u}) layouts.AddTemplate(id, 0, TemplateXml(packet));
  for (uint32_t id : {5154u, 5155u, 5158u, 5159u}) layouts.AddTemplate(id, 0, TemplateXml(bind));
  for (uint32_t id : {5156u, 5157u}) {
    layouts.AddTemplate(id, 0, TemplateXml(connection0));
    layouts.AddTemplate(id, 1, TemplateXml(connection1));
  }
  return layouts;
}

}  // namespace

TEST_CASE("legacy records: every fixture block record maps to the same names and BlockEvent") {
  XmlEventReader reader;
  const EventSelection selection = EventSelection::Everything();
  const InsertionLayouts fromMetadata = Windows10Templates(), tableOnly;
  size_t mapped = 0;
  for (const InsertionLayouts* layouts : {&fromMetadata, &tableOnly})
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
        std::vector<uint8_t> bytes =
            BuildEventLogRecord(static_cast<uint32_t>(original.recordId), seconds, original.eventId, 16, strings);
        LegacyRecord legacy;
        const size_t used = ParseEventLogRecord(bytes.data(), bytes.size(), legacy);
        if (used != bytes.size()) {
          Check(false, f.file + ": EVENTLOGRECORD parses");
          continue;
        }
        // The legacy API gives no version: it is the version of the template the layout matches (OTRF's
        // 5156s say 0 yet carry the version-1 fields, so the XML's version is not compared).
        EventRecord mappedRecord;
        std::vector<std::string> scratch;
        ToEventRecord(legacy, *layouts, mappedRecord, scratch);
        const InsertionLayout* layout = layouts->Find(original.eventId, strings.size());
        Check(layout && mappedRecord.version == layout->version, f.file + ": the version of the template that matched");
        bool sameFields = mappedRecord.data.size() == original.data.size();
        for (size_t i = 0; sameFields && i < original.data.size(); ++i)
          sameFields = mappedRecord.data[i].name == original.data[i].name &&
                       mappedRecord.data[i].value == original.data[i].value;
        Check(sameFields,
              f.file + " record " + std::to_string(original.recordId) + ": insertion strings map to the same names");
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
  Check(mapped == 2 * 9099, "every fixture block record went through EVENTLOGRECORD, with and without metadata (" +
                                std::to_string(mapped) + ")");
}

TEST_CASE("legacy records: unknown layouts by position; truncated and corrupt buffers rejected") {
  XmlEventReader reader;
  // A layout not known here keeps every string, by position.
  std::vector<uint8_t> odd = BuildEventLogRecord(7, 0, 5152, 16, {"a", "b", "c"});
  LegacyRecord legacy;
  Check(ParseEventLogRecord(odd.data(), odd.size(), legacy) == odd.size(), "a 3-string 5152 parses");
  EventRecord r;
  std::vector<std::string> scratch;
  ToEventRecord(legacy, InsertionLayouts(), r, scratch);
  Check(r.data.size() == 3 && r.data[2].name == "Param3" && r.data[2].value == "c",
        "unknown layouts name strings by position");
  // Truncated and corrupted buffers are rejected, not read past.
  Check(ParseEventLogRecord(odd.data(), odd.size() - 1, legacy) == 0, "a truncated record is rejected");
  odd[4] ^= 0xFF;
  Check(ParseEventLogRecord(odd.data(), odd.size(), legacy) == 0, "a record without the signature is rejected");
}

TEST_CASE("legacy records: a layout only the installed metadata knows maps by name; versions come from the template") {
  // A 5152 with two fields more than the table knows (Windows 11 added FilterOrigin and InterfaceIndex
  // to 5152 and 5157): by position from the table alone, by name from the machine's own template.
  const std::vector<std::string> names = {"ProcessId",   "Application",  "Direction",     "SourceAddress", "SourcePort",
                                          "DestAddress", "DestPort",     "Protocol",      "FilterRTID",    "LayerName",
                                          "LayerRTID",   "FilterOrigin", "InterfaceIndex"};
  const std::vector<std::string> values = {"4", "System", "%%14592", "169.46.118.42", "0",  "169.46.6.101",
                                           "8", "1",      "67249",   "%%14610",       "44", "Stealth",
                                           "12"};
  std::vector<uint8_t> bytes = BuildEventLogRecord(9, 1467213897, 5152, 16, values);
  LegacyRecord legacy;
  Check(ParseEventLogRecord(bytes.data(), bytes.size(), legacy) == bytes.size(), "parses");
  EventRecord r;
  std::vector<std::string> scratch;
  ToEventRecord(legacy, InsertionLayouts(), r, scratch);
  Check(r.data[11].name == "Param12", "the table alone does not know it");
  InsertionLayouts layouts = Windows10Templates();
  Check(layouts.AddTemplate(5152, 1, TemplateXml(names)), "the newer template is read");
  ToEventRecord(legacy, layouts, r, scratch);
  bool named = r.data.size() == names.size();
  for (size_t i = 0; named && i < names.size(); ++i) named = r.data[i].name == names[i] && r.data[i].value == values[i];
  Check(named, "every string by its template's name");
  Equal(r.version, 1u, "the template's version");
  BlockEvent e;
  NormalizeIssue issue;
  Check(Normalize(r, EventSelection::Everything(), e, issue) == Normalized::Event &&
            e.filterOrigin == std::string_view("Stealth") && e.interfaceIndex == 12u,
        "FilterOrigin and InterfaceIndex reach the event");
  // The old 11-field 5152s still map through the version-0 template.
  std::vector<uint8_t> old =
      BuildEventLogRecord(10, 1467213897, 5152, 16, std::vector<std::string>(values.begin(), values.begin() + 11));
  Check(ParseEventLogRecord(old.data(), old.size(), legacy) == old.size(), "parses");
  ToEventRecord(legacy, layouts, r, scratch);
  Check(r.data[10].name == "LayerRTID" && r.version == 0, "the version-0 layout");
  // 5156 with 13 strings is version 1 by the manifest.
  Check(layouts.Find(5156, 13) && layouts.Find(5156, 13)->version == 1 && layouts.Find(5156, 11)->version == 0,
        "5156 versions");
  // 4719 has a layout now, from the metadata and from the table.
  Check(layouts.Find(4719, 8) && BuiltInLayout(4719, 8) && BuiltInLayout(4719, 8)->names[6] == "SubcategoryGuid",
        "4719");
}

TEST_CASE("legacy records: templates that name no field, or one twice, are refused; quoting and spacing vary") {
  InsertionLayouts layouts;
  Check(!layouts.AddTemplate(5152, 0, ""), "empty");
  Check(!layouts.AddTemplate(5152, 0, "<template xmlns='x'></template>"), "no data");
  Check(!layouts.AddTemplate(5152, 0, "<template><data name='A'/><data name='A'/></template>"), "a name twice");
  Check(!layouts.AddTemplate(5152, 0, "<template><data inType='win:UInt32'/></template>"), "a data without a name");
  Check(layouts.templates() == 0, "none added");
  Check(layouts.AddTemplate(5031, 0,
                            "<template>\n <data\n  inType='win:UnicodeString' name = 'Profiles'/>\n <data "
                            "name=\"Application\"/><database name='X'/></template>"),
        "single and double quotes, spaces around =, other elements ignored");
  const InsertionLayout* l = layouts.Find(5031, 2);
  Check(l && l->names.size() == 2 && l->names[0] == "Profiles" && l->names[1] == "Application", "both names in order");
}

TEST_CASE("legacy records: after a malformed record, the next whole one is found") {
  std::vector<uint8_t> a = BuildEventLogRecord(1, 0, 5152, 16, {"x"}), b = BuildEventLogRecord(2, 0, 5157, 16, {"y"});
  std::vector<uint8_t> buffer = a;
  buffer.insert(buffer.end(), b.begin(), b.end());
  LegacyRecord legacy;
  // Bad contents in a well-framed record (its string offset points outside it): skip its Length.
  std::vector<uint8_t> badStrings = buffer;
  badStrings[36] = 0xF0;
  Check(ParseEventLogRecord(badStrings.data(), badStrings.size(), legacy) == 0, "the bad record does not parse");
  Equal(SkipMalformedRecord(badStrings.data(), badStrings.size()), a.size(), "skipped by its own Length");
  // A broken Length: the next signature with a matching Length at both ends.
  std::vector<uint8_t> badLength = buffer;
  badLength[0] = 0x03;
  Equal(SkipMalformedRecord(badLength.data(), badLength.size()), a.size(), "found by the next signature");
  Check(ParseEventLogRecord(badLength.data() + a.size(), b.size(), legacy) == b.size() && legacy.recordNumber == 2,
        "and it parses");
  Equal(SkipMalformedRecord(badLength.data(), a.size()), size_t{0}, "nothing whole left");
}
