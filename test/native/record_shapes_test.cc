// The XML reader's learned record shapes against its general parser: a record read through a shape
// gives exactly what the general parser gives.
#include "test_main.h"

#include <algorithm>

#include "model/record_values.h"
#include "reader_transcript.h"

namespace {
using namespace wfp;
using namespace wfp::test;
}  // namespace

TEST_CASE("record shapes: every fixture file reads the same with and without shapes, mostly by shape") {
  uint64_t records = 0, shaped = 0;
  for (const Fixture& f : Fixtures()) {
    std::string all;
    for (const std::string& xml : f.xml) all += xml + "\n";
    XmlEventReader withShapes, without(false);
    Equal(ReaderTranscript(withShapes, all, 1 << 20), ReaderTranscript(without, all, 1 << 20),
          f.file + ": the same records with and without shapes");
    records += f.xml.size();
    shaped += withShapes.shapedRecords();
    Equal(without.shapedRecords(), uint64_t{0}, f.file + ": no shape without learning");
  }
  // Real logs repeat their layouts: most records are read by shape.
  Check(shaped * 10 > records * 9, "over 90% of fixture records read by a learned shape (" + std::to_string(shaped) +
                                       " of " + std::to_string(records) + ")");
}

// Records that differ from a learned one in every way that matters (values the scan leaves to the
// parser, markup the shape does not know, errors), each placed after records that taught the shape.
TEST_CASE("record shapes: altered records read the same with and without shapes") {
  for (const Fixture& f : Fixtures()) {
    const std::string& r = f.xml.front();
    const std::string variants[] = {
        Replaced(r, "</Data>", "&lt;x&gt;</Data>"),                // entity in a value
        Replaced(r, "</Data>", "a>b</Data>"),                      // '>' is plain text
        Replaced(r, "</Data>", std::string("x\0y</Data>", 10)),    // NUL: an error
        Replaced(r, "SystemTime=\"", "SystemTime=\"&#50;"),        // entity in an attribute
        Replaced(r, "Guid=\"{", "Guid=\"<{"),                      // '<' in an attribute: an error
        Replaced(r, "<EventID>", "<EventID><!-- c -->"),           // comment inside a value
        Replaced(r, "</Computer>", "<![CDATA[x<y]]></Computer>"),  // CDATA
        Replaced(r, "<EventID>", "<EventID>5<x/>"),                // text split by a child element
        Replaced(r, "<EventID>", "<EventID>x"),                    // an invalid number
        Replaced(r, "<EventID>", "<EventID> "),                    // a number with whitespace
        Replaced(r, "<EventData>", "<EventData><Data/><Data/><Data Name=\"E\"/><Data></Data>"),
        Replaced(r, "<EventData>", "<EventData><Data Name=\"E\"/><Data Name=\"F\" />"),  // empty values
        Replaced(r, "<Data Name=\"", "<Data Type=\"x\" Name=\""),                        // another attribute
        Replaced(r, "><", ">\n  <", true),                                               // pretty-printed
        Replaced(r, "\"", "'", true),                                                    // single quotes
        Replaced(r, "</Computer>", "</Computr>"),                                        // wrong end tag: an error
        Replaced(r, "</EventData>", "</EventData><Extra a=\"1\">t</Extra>"),
        Replaced(r, "<System>", "<System>stray text"),
        r.substr(0, r.size() / 2),                                   // cut short, then a whole record
        Replaced(r, "</Computer>", "<!-- never closed</Computer>"),  // broken at the next <Event
        Replaced(r, "</Computer>", "<![CDATA[never closed</Computer>"),
        Replaced(r, "<EventID>", "<EventID><?pi never closed"),
        Replaced(r, "<System>", "<System><!-- <Event> -->"),                         // a closed comment holding <Event
        Replaced(r, "</Computer>", std::string("<![CDATA[a\0b]]></Computer>", 27)),  // NUL in CDATA: an error
        Replaced(r, "</Computer>", "&#x0000000000041;&#000066;</Computer>"),         // leading zeros
        Replaced(r, "\"/>", "/>"),                                                   // an attribute value never closed
    };
    // Each variant on its own, twice: the second may be read by the shape the first taught; then
    // after the unaltered record, whose shape the variant's may share a beginning with.
    for (const std::string& v : variants) {
      const std::string stream = v + v + r + r + v + r.substr(0, r.size() - 3);  // the last one cut short
      for (size_t chunk : {size_t{1} << 20, size_t{97}}) {
        XmlEventReader withShapes, without(false);
        Equal(ReaderTranscript(withShapes, stream, chunk), ReaderTranscript(without, stream, chunk),
              f.file + ": an altered record reads the same with and without shapes, chunk " + std::to_string(chunk) +
                  ":\n" + v);
        Check(withShapes.shapedRecords() > 0, f.file + ": the unaltered record was read by shape");
      }
    }
  }
}

// The bounds on what is learned: a Data name that changes in every record (more followers than a
// step keeps), and ever-new layouts (more steps than are kept, so the shapes start over).
TEST_CASE("record shapes: bounded learning reads the same as the general parser") {
  const std::string& r = Fixtures().front().xml.front();
  std::string varyingName, growing;
  for (int i = 0; i < 600; ++i) {
    varyingName += Replaced(r, "<Data Name=\"", "<Data Name=\"N" + std::to_string(i % 40)) + "\n";
    std::string extra;
    for (int j = 0; j < i % 50; ++j) extra += "<Data Name=\"X" + std::to_string(j) + "\">v</Data>";
    const std::string layout =
        Replaced(r, "<EventData>", "<EventData>" + extra + "<Data Name=\"L" + std::to_string(i) + "\">x</Data>");
    growing += layout + "\n" + layout + "\n";  // each new layout twice: the second reads by shape
  }
  for (const std::string* stream : {&varyingName, &growing}) {
    XmlEventReader withShapes, without(false);
    const std::string a = ReaderTranscript(withShapes, *stream, 1 << 16);
    Equal(a, ReaderTranscript(without, *stream, 1 << 16), "bounded shapes read the same as the general parser");
    Equal(static_cast<size_t>(std::count(a.begin(), a.end(), '@')), stream == &growing ? size_t{1200} : size_t{600},
          "every record read");
    Check(withShapes.shapedRecords() >= 600 / 40 * 16 / 2,
          "records still read by shape: " + std::to_string(withShapes.shapedRecords()));
  }
}

// System numbers are whole unsigned 64-bit decimals, whitespace around them allowed; SystemTime keeps
// whole milliseconds, truncated.
TEST_CASE("numbers: System numbers and SystemTime") {
  const std::string& r = Fixtures().front().xml.front();
  const size_t open = r.find("<EventRecordID>") + 15, close = r.find("</EventRecordID>");
  auto withRecordId = [&](const std::string& id) { return r.substr(0, open) + id + r.substr(close); };
  struct Case {
    const char* text;
    bool valid;
    uint64_t value;
  };
  const Case cases[] = {{"18446744073709551615", true, UINT64_MAX},
                        {" 42\n", true, 42},
                        {"00000000000000000001", true, 1},
                        {"18446744073709551616", false, 0},
                        {"99999999999999999999", false, 0},
                        {"100000000000000000000", false, 0},
                        {"-1", false, 0},
                        {"", false, 0}};
  for (bool shapes : {false, true}) {
    XmlEventReader reader(shapes);
    for (const Case& c : cases) {
      EventRecord record;
      // Twice: with shapes on, the second is read by the shape the first taught.
      for (int i = 0; i < 2; ++i) Check(Read(withRecordId(c.text), reader, record), std::string("reads ") + c.text);
      const std::string what = std::string("EventRecordID '") + c.text + "'" + (shapes ? " (shapes)" : "");
      Equal(record.hasRecordId, c.valid, what + " is a number or not");
      Equal(record.invalidField == "EventRecordID", !c.valid, what + " reported as invalid");
      if (c.valid) Equal(record.recordId, c.value, what + " value");
    }
  }
  double ms = 0;
  Check(ParseSystemTime("2016-06-29T15:24:34.3469999999999999999Z", ms) && ms == 1467213874346.0,
        "SystemTime truncates to whole milliseconds");
  Check(ParseSystemTime("2016-06-29T15:24:34.3Z", ms) && ms == 1467213874300.0, "one fraction digit");
  Check(!ParseSystemTime("2016-06-29T15:24:34.Z", ms), "a dot without digits is not a time");
  for (const char* impossible : {"2016-02-31T00:00:00Z", "2015-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
                                 "2016-04-31T00:00:00Z", "2016-06-00T00:00:00Z", "2016-13-01T00:00:00Z"})
    Check(!ParseSystemTime(impossible, ms), std::string(impossible) + " does not exist: not a time");
  for (const char* leap : {"2016-02-29T00:00:00Z", "2000-02-29T00:00:00Z"})
    Check(ParseSystemTime(leap, ms), std::string(leap) + " exists");
  Check(ParseSystemTime("2016-12-31T23:59:59.999Z", ms) && ms == 1483228799999.0, "the last day of the year");
}
