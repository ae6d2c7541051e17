// Unit tests of platform-neutral pieces: the XML reader's learned record shapes against its general
// parser, and what the Windows sources use: the device map, the coalescer and the legacy record
// mapping (EVENTLOGRECORD buffers built here from the real fixture records' values).
// Run: unit_tests <fixture records folder>. Prints "N passed, N failed".
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../coalescer.h"
#include "../device_map.h"
#include "../event_classes.h"
#include "../legacy_record.h"
#include "../normalizer.h"
#include "../xml_event_reader.h"
#include "reader_transcript.h"

namespace {

int passed = 0, failed = 0;

void Check(bool ok, const std::string& what) {
  if (ok) {
    ++passed;
  } else {
    ++failed;
    std::printf("FAIL: %s\n", what.c_str());
  }
}

template <typename A, typename B>
void Equal(const A& actual, const B& expected, const std::string& what) {
  Check(actual == expected, what);
}

// Every record of every fixture file, with the bytes it was read from kept alive.
struct Fixture {
  std::string file;
  std::vector<std::string> xml;  // one record per entry
};

std::vector<Fixture> LoadFixtures(const std::string& folder) {
  std::vector<Fixture> out;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".xml") continue;
    std::ifstream in(entry.path());
    Fixture f{entry.path().filename().string(), {}};
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) f.xml.push_back(line);
    out.push_back(std::move(f));
  }
  return out;
}

bool Read(const std::string& xml, wfp::XmlEventReader& reader, wfp::EventRecord& record) {
  reader.Reset(0);
  reader.Append(xml.data(), xml.size());
  wfp::ReadIssue issue;
  uint64_t offset;
  return reader.Next(true, record, issue, offset) == wfp::XmlEventReader::Step::Record;
}

wfp::EventSelection All() {
  const bool kinds[6] = {true, true, true, true, true, true};
  return wfp::EventSelection::Of(kinds, true);
}

std::string Replaced(std::string s, std::string_view from, std::string_view to, bool all = false) {
  for (size_t at = s.find(from); at != std::string::npos; at = all ? s.find(from, at + to.size()) : std::string::npos)
    s.replace(at, from.size(), to);
  return s;
}

// A record read through a learned shape gives exactly what the general parser gives: for every
// fixture file as it is, and for records that differ from a learned one in every way that matters
// (values the scan leaves to the parser, markup the shape does not know, errors), each placed after
// records that taught the shape.
void TestRecordShapes(const std::vector<Fixture>& fixtures) {
  uint64_t records = 0, shaped = 0;
  for (const Fixture& f : fixtures) {
    std::string all;
    for (const std::string& xml : f.xml) all += xml + "\n";
    wfp::XmlEventReader withShapes, without(false);
    Equal(wfp::ReaderTranscript(withShapes, all, 1 << 20), wfp::ReaderTranscript(without, all, 1 << 20),
          f.file + ": the same records with and without shapes");
    records += f.xml.size();
    shaped += withShapes.shapedRecords();
    Equal(without.shapedRecords(), uint64_t{0}, f.file + ": no shape without learning");
  }
  // Real logs repeat their layouts: most records are read by shape.
  Check(shaped * 10 > records * 9, "over 90% of fixture records read by a learned shape (" + std::to_string(shaped) +
                                       " of " + std::to_string(records) + ")");

  for (const Fixture& f : fixtures) {
    const std::string& r = f.xml.front();
    const std::string variants[] = {
        Replaced(r, "</Data>", "&lt;x&gt;</Data>"),              // entity in a value
        Replaced(r, "</Data>", "a>b</Data>"),                     // '>' is plain text
        Replaced(r, "</Data>", std::string("x\0y</Data>", 10)),  // NUL: an error
        Replaced(r, "SystemTime=\"", "SystemTime=\"&#50;"),      // entity in an attribute
        Replaced(r, "Guid=\"{", "Guid=\"<{"),                     // '<' in an attribute: an error
        Replaced(r, "<EventID>", "<EventID><!-- c -->"),          // comment inside a value
        Replaced(r, "</Computer>", "<![CDATA[x<y]]></Computer>"), // CDATA
        Replaced(r, "<EventID>", "<EventID>5<x/>"),               // text split by a child element
        Replaced(r, "<EventID>", "<EventID>x"),                   // an invalid number
        Replaced(r, "<EventID>", "<EventID> "),                   // a number with whitespace
        Replaced(r, "<EventData>", "<EventData><Data/><Data/><Data Name=\"E\"/><Data></Data>"),
        Replaced(r, "<EventData>", "<EventData><Data Name=\"E\"/><Data Name=\"F\" />"),  // empty values
        Replaced(r, "<Data Name=\"", "<Data Type=\"x\" Name=\""), // another attribute
        Replaced(r, "><", ">\n  <", true),                        // pretty-printed
        Replaced(r, "\"", "'", true),                             // single quotes
        Replaced(r, "</Computer>", "</Computr>"),                 // wrong end tag: an error
        Replaced(r, "</EventData>", "</EventData><Extra a=\"1\">t</Extra>"),
        Replaced(r, "<System>", "<System>stray text"),
        r.substr(0, r.size() / 2),                                // cut short, then a whole record
    };
    // Each variant on its own, twice: the second may be read by the shape the first taught; then
    // after the unaltered record, whose shape the variant's may share a beginning with.
    for (const std::string& v : variants) {
      const std::string stream = v + v + r + r + v + r.substr(0, r.size() - 3);  // the last one cut short
      for (size_t chunk : {size_t{1} << 20, size_t{97}}) {
        wfp::XmlEventReader withShapes, without(false);
        Equal(wfp::ReaderTranscript(withShapes, stream, chunk), wfp::ReaderTranscript(without, stream, chunk),
              f.file + ": an altered record reads the same with and without shapes, chunk " + std::to_string(chunk) +
                  ":\n" + v);
        Check(withShapes.shapedRecords() > 0, f.file + ": the unaltered record was read by shape");
      }
    }
  }
}

// The bounds on what is learned: a Data name that changes in every record (more followers than a
// step keeps), and ever-new layouts (more steps than are kept, so the shapes start over).
void TestRecordShapeBounds(const std::vector<Fixture>& fixtures) {
  const std::string& r = fixtures.front().xml.front();
  std::string varyingName, growing;
  for (int i = 0; i < 600; ++i) {
    varyingName += Replaced(r, "<Data Name=\"", "<Data Name=\"N" + std::to_string(i % 40)) + "\n";
    std::string extra;
    for (int j = 0; j < i % 50; ++j) extra += "<Data Name=\"X" + std::to_string(j) + "\">v</Data>";
    const std::string layout = Replaced(r, "<EventData>", "<EventData>" + extra + "<Data Name=\"L" + std::to_string(i) + "\">x</Data>");
    growing += layout + "\n" + layout + "\n";  // each new layout twice: the second reads by shape
  }
  for (const std::string* stream : {&varyingName, &growing}) {
    wfp::XmlEventReader withShapes, without(false);
    const std::string a = wfp::ReaderTranscript(withShapes, *stream, 1 << 16);
    Equal(a, wfp::ReaderTranscript(without, *stream, 1 << 16), "bounded shapes read the same as the general parser");
    Equal(static_cast<size_t>(std::count(a.begin(), a.end(), '@')), stream == &growing ? size_t{1200} : size_t{600},
          "every record read");
    Check(withShapes.shapedRecords() >= 600 / 40 * 16 / 2, "records still read by shape: " + std::to_string(withShapes.shapedRecords()));
  }
}

// System numbers are whole unsigned 64-bit decimals, whitespace around them allowed; SystemTime keeps
// whole milliseconds, truncated.
void TestNumbers(const std::vector<Fixture>& fixtures) {
  const std::string& r = fixtures.front().xml.front();
  const size_t open = r.find("<EventRecordID>") + 15, close = r.find("</EventRecordID>");
  auto withRecordId = [&](const std::string& id) { return r.substr(0, open) + id + r.substr(close); };
  struct Case {
    const char* text;
    bool valid;
    uint64_t value;
  };
  const Case cases[] = {{"18446744073709551615", true, UINT64_MAX}, {" 42\n", true, 42},
                        {"00000000000000000001", true, 1},          {"18446744073709551616", false, 0},
                        {"99999999999999999999", false, 0},         {"100000000000000000000", false, 0},
                        {"-1", false, 0},                            {"", false, 0}};
  for (bool shapes : {false, true}) {
    wfp::XmlEventReader reader(shapes);
    for (const Case& c : cases) {
      wfp::EventRecord record;
      // Twice: with shapes on, the second is read by the shape the first taught.
      for (int i = 0; i < 2; ++i) Check(Read(withRecordId(c.text), reader, record), std::string("reads ") + c.text);
      const std::string what = std::string("EventRecordID '") + c.text + "'" + (shapes ? " (shapes)" : "");
      Equal(record.hasRecordId, c.valid, what + " is a number or not");
      Equal(record.invalidField == "EventRecordID", !c.valid, what + " reported as invalid");
      if (c.valid) Equal(record.recordId, c.value, what + " value");
    }
  }
  double ms = 0;
  Check(wfp::ParseSystemTime("2016-06-29T15:24:34.3469999999999999999Z", ms) && ms == 1467213874346.0,
        "SystemTime truncates to whole milliseconds");
  Check(wfp::ParseSystemTime("2016-06-29T15:24:34.3Z", ms) && ms == 1467213874300.0, "one fraction digit");
  Check(!wfp::ParseSystemTime("2016-06-29T15:24:34.Z", ms), "a dot without digits is not a time");
}

void TestDeviceMap() {
  wfp::DeviceMap map;
  map.Assign({{"\\Device\\HarddiskVolume1", "D:"}, {"\\Device\\HarddiskVolume10\\", "E:"}, {"\\Device\\HarddiskVolume3", "C:"}});
  auto dos = [&](std::string_view p) { return map.ToDosPath(p).value_or("<none>"); };
  Equal(dos("\\device\\harddiskvolume3\\windows\\system32\\svchost.exe"), std::string("C:\\windows\\system32\\svchost.exe"),
        "device path to drive, case-insensitively");
  Equal(dos("\\Device\\HarddiskVolume10\\x.exe"), std::string("E:\\x.exe"), "HarddiskVolume10 is not HarddiskVolume1");
  Equal(dos("\\Device\\HarddiskVolume1\\x.exe"), std::string("D:\\x.exe"), "HarddiskVolume1");
  Equal(dos("\\Device\\HarddiskVolume100\\x.exe"), std::string("<none>"), "no prefix match across a component");
  Equal(dos("\\Device\\Mup\\server\\share\\tool.exe"), std::string("\\\\server\\share\\tool.exe"), "Mup to UNC");
  Equal(dos("\\??\\C:\\tools\\nc.exe"), std::string("C:\\tools\\nc.exe"), "\\??\\ prefix");
  Equal(dos("C:\\program files\\app.exe"), std::string("C:\\program files\\app.exe"), "DOS paths stay (5031 logs them)");
  Equal(dos("\\device\\harddiskvolume7\\a.exe"), std::string("<none>"), "unknown volume: nothing, so the caller refreshes");
}

void TestCoalescer(const std::vector<Fixture>& fixtures) {
  using Clock = wfp::Coalescer::Clock;
  wfp::XmlEventReader reader;
  const wfp::EventSelection selection = All();

  // The 5158 binds of one host repeat with the same program and ports: they fold.
  bool found = false;
  for (const Fixture& f : fixtures) {
    if (f.file != "otrf-f2bb3e18.xml") continue;
    found = true;
    wfp::Coalescer coalescer(60000);
    std::vector<std::unique_ptr<wfp::HeldEvent>> ready;
    uint64_t total = 0;
    for (const std::string& xml : f.xml) {
      wfp::EventRecord r;
      wfp::BlockEvent e;
      wfp::NormalizeIssue issue;
      if (!Read(xml, reader, r) || wfp::Normalize(r, selection, e, issue) != wfp::Normalized::Event) continue;
      ++total;
      coalescer.Add(e, Clock::now(), ready);  // the next Read() reuses the buffer the record points into
    }
    coalescer.FlushAll(ready);
    uint64_t folded = 0;
    bool ordered = true, ownCopies = true;
    for (const auto& h : ready) {
      folded += h->count;
      ordered = ordered && h->firstMs <= h->lastMs;
      const std::string_view computer = h->event().record->computer;
      ownCopies = ownCopies && computer.size() > 10 && computer.substr(computer.size() - 15) == ".theshire.local";
    }
    Equal(folded, total, "every record is counted once");
    Check(ready.size() * 5 < total, "repeats are folded (" + std::to_string(ready.size()) + " of " + std::to_string(total) + ")");
    Check(ordered, "firstTime <= lastTime");
    Check(ownCopies, "a held event keeps its own copy of the record");
  }
  Check(found, "the coalescing fixture is there");

  // Windows by event time: the same block 61 s later is a new event; another remote port is another key.
  const std::string base =
      "<Event><System><Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>5157</EventID><TimeCreated "
      "SystemTime='TIME'/><EventRecordID>1</EventRecordID><Computer>c</Computer></System><EventData>"
      "<Data Name='Direction'>%%14593</Data><Data Name='SourceAddress'>10.0.0.1</Data><Data Name='SourcePort'>5000</Data>"
      "<Data Name='DestAddress'>192.0.2.1</Data><Data Name='DestPort'>PORT</Data><Data Name='Protocol'>6</Data>"
      "<Data Name='FilterRTID'>7</Data></EventData></Event>";
  auto record = [&](const std::string& time, const std::string& port) {
    std::string s = base;
    s.replace(s.find("TIME"), 4, time);
    s.replace(s.find("PORT"), 4, port);
    return s;
  };
  wfp::Coalescer coalescer(60000);
  std::vector<std::unique_ptr<wfp::HeldEvent>> ready;
  for (const std::string& xml : {record("2024-01-01T00:00:00.000Z", "443"), record("2024-01-01T00:00:30.000Z", "443"),
                                 record("2024-01-01T00:00:31.000Z", "8443"), record("2024-01-01T00:01:01.000Z", "443")}) {
    wfp::EventRecord r;
    wfp::BlockEvent e;
    wfp::NormalizeIssue issue;
    Check(Read(xml, reader, r) && wfp::Normalize(r, selection, e, issue) == wfp::Normalized::Event, "synthetic record reads");
    coalescer.Add(e, Clock::now(), ready);
  }
  Equal(ready.size(), size_t{1}, "the first window closed when a record 61 s later arrived");
  Equal(ready.empty() ? 0 : ready[0]->count, uint64_t{2}, "two records in the first window");
  Check(coalescer.NextDeadline().has_value(), "held events have a deadline");
  coalescer.Expire(Clock::now() + std::chrono::minutes(2), ready);
  Equal(ready.size(), size_t{3}, "the clock expires held events while the source waits");
  Check(!coalescer.NextDeadline().has_value(), "nothing is left held");
}

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

void TestLegacyRecords(const std::vector<Fixture>& fixtures) {
  wfp::XmlEventReader reader;
  const wfp::EventSelection selection = All();
  size_t mapped = 0;
  for (const Fixture& f : fixtures) {
    for (const std::string& xml : f.xml) {
      wfp::EventRecord original;
      if (!Read(xml, reader, original) || !wfp::ClassifyEventId(original.eventId)) continue;
      std::vector<std::string> strings;
      for (const wfp::DataField& d : original.data) strings.emplace_back(d.value);
      wfp::BlockEvent expected;
      wfp::NormalizeIssue issue;
      if (wfp::Normalize(original, selection, expected, issue) != wfp::Normalized::Event) continue;

      const uint32_t seconds = static_cast<uint32_t>(expected.timeMs / 1000);
      std::vector<uint8_t> bytes = BuildEventLogRecord(static_cast<uint32_t>(original.recordId), seconds,
                                                       original.eventId, 16, strings);
      wfp::LegacyRecord legacy;
      const size_t used = wfp::ParseEventLogRecord(bytes.data(), bytes.size(), legacy);
      if (used != bytes.size()) {
        Check(false, f.file + ": EVENTLOGRECORD parses");
        continue;
      }
      // The legacy API gives no version: it is inferred from the layout (OTRF's 5156s say 0 yet carry
      // the version-1 fields, so the XML's version is not compared).
      wfp::EventRecord mappedRecord;
      std::vector<std::string> scratch;
      wfp::ToEventRecord(legacy, mappedRecord, scratch);
      bool sameFields = mappedRecord.data.size() == original.data.size();
      for (size_t i = 0; sameFields && i < original.data.size(); ++i)
        sameFields = mappedRecord.data[i].name == original.data[i].name && mappedRecord.data[i].value == original.data[i].value;
      Check(sameFields, f.file + " record " + std::to_string(original.recordId) + ": insertion strings map to the same names");
      wfp::BlockEvent got;
      const bool normalized = wfp::Normalize(mappedRecord, selection, got, issue) == wfp::Normalized::Event;
      Check(normalized && got.kind == expected.kind && got.direction == expected.direction &&
                got.pid == expected.pid && got.local == expected.local && got.remote == expected.remote &&
                got.layerName == expected.layerName && got.filterId == expected.filterId &&
                static_cast<uint64_t>(got.timeMs / 1000) == seconds,
            f.file + " record " + std::to_string(original.recordId) + ": the same BlockEvent as from the XML");
      ++mapped;
    }
  }
  Check(mapped == 9099, "every fixture block record went through EVENTLOGRECORD (" + std::to_string(mapped) + ")");

  // A layout not known here keeps every string, by position.
  std::vector<uint8_t> odd = BuildEventLogRecord(7, 0, 5152, 16, {"a", "b", "c"});
  wfp::LegacyRecord legacy;
  Check(wfp::ParseEventLogRecord(odd.data(), odd.size(), legacy) == odd.size(), "a 3-string 5152 parses");
  wfp::EventRecord r;
  std::vector<std::string> scratch;
  wfp::ToEventRecord(legacy, r, scratch);
  Check(r.data.size() == 3 && r.data[2].name == "Param3" && r.data[2].value == "c", "unknown layouts name strings by position");
  // Truncated and corrupted buffers are rejected, not read past.
  Check(wfp::ParseEventLogRecord(odd.data(), odd.size() - 1, legacy) == 0, "a truncated record is rejected");
  odd[4] ^= 0xFF;
  Check(wfp::ParseEventLogRecord(odd.data(), odd.size(), legacy) == 0, "a record without the signature is rejected");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::printf("usage: unit_tests <fixture records folder>\n");
    return 2;
  }
  const std::vector<Fixture> fixtures = LoadFixtures(argv[1]);
  TestRecordShapes(fixtures);
  TestRecordShapeBounds(fixtures);
  TestNumbers(fixtures);
  TestDeviceMap();
  TestCoalescer(fixtures);
  TestLegacyRecords(fixtures);
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
