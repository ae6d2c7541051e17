// The XML reader on broken and oversized input: markup that is never closed is resynced at the next
// record, the 1 MiB record limit is one rule whatever the chunks, character references and NUL bytes
// as XML defines them. Every input is read in several chunkings, with and without learned shapes, and
// must give the same transcript each time.
#include "test_main.h"

#include <algorithm>

#include "reader_transcript.h"

namespace {
using namespace wfp;
using namespace wfp::test;

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The transcript of `input`, checked to be the same for every chunk size and with or without shapes.
std::string SameWhateverTheChunks(const std::string& input, std::initializer_list<size_t> chunks,
                                  const std::string& what) {
  std::string first;
  for (size_t chunk : chunks) {
    for (bool shapes : {true, false}) {
      XmlEventReader reader(shapes);
      const std::string t = ReaderTranscript(reader, input, chunk);
      if (first.empty())
        first = t;
      else
        Equal(t, first, what + ": the same with chunks of " + std::to_string(chunk) + (shapes ? "" : ", no shapes"));
    }
  }
  return first;
}

// Records read before the end of the input is known (follow mode, a stream still open).
size_t RecordsBeforeEof(const std::string& input) {
  XmlEventReader reader;
  reader.Append(input.data(), input.size());
  EventRecord record;
  ReadIssue issue;
  uint64_t offset = 0;
  size_t records = 0;
  for (XmlEventReader::Step step; (step = reader.Next(false, record, issue, offset)) != XmlEventReader::Step::NeedMore;)
    records += step == XmlEventReader::Step::Record;
  return records;
}

std::string Lines(const std::vector<std::string>& records) {
  std::string out;
  for (const std::string& r : records) out += r + "\n";
  return out;
}

}  // namespace

TEST_CASE("reader: markup never closed, inside or between records, is resynced at the next <Event>") {
  const std::vector<std::string>& xml = Fixtures().front().xml;
  const std::vector<std::string> good(xml.begin() + 1, xml.begin() + 6);
  const std::string& r = xml.front();
  struct Case {
    std::string broken;
    const char* what;
  };
  const Case cases[] = {
      {Replaced(r, "</Computer>", "<!-- never closed</Computer>"), "a comment inside a record"},
      {Replaced(r, "</Computer>", "<![CDATA[never closed</Computer>"), "CDATA inside a record"},
      {Replaced(r, "<EventID>", "<EventID><?pi never closed"), "a processing instruction inside a record"},
      {Replaced(r, "<EventData>", "<EventData><Data Name='x'>y<!-- "), "a comment inside a value"},
      {r + "\n<!-- never closed", "a comment between records"},
      {r + "\n<?xml version='1.0'", "a declaration between records"},
      {"<Events><!-- never closed", "a comment after the <Events> tag"},
  };
  for (const Case& c : cases) {
    const std::string input = c.broken + "\n" + Lines(good);
    const std::string t = SameWhateverTheChunks(input, {1 << 20, 4096, 97, 1}, c.what);
    Equal(Count(t, "issue @"), size_t{1}, std::string(c.what) + ": one problem reported\n" + t);
    Equal(Count(t, "ERR_XML_MALFORMED"), size_t{1}, std::string(c.what) + ": as malformed XML\n" + t);
    Check(t.find("not closed before the next <Event>") != std::string::npos, std::string(c.what) + ": says why\n" + t);
    const size_t records = Count(t, "record @");
    Check(records == good.size() || records == good.size() + 1,
          std::string(c.what) + ": every later record read\n" + t);
    // Follow mode: the later records arrive without waiting for more input (the last may still grow).
    Check(RecordsBeforeEof(input) >= good.size() - 1, std::string(c.what) + ": later records delivered before the end");
  }
  // An input cut inside the next record's start tag is truncated, not garbage.
  for (const std::string cut : {"<", "<Ev", "<Event", "<Event xmlns="}) {
    const std::string t = SameWhateverTheChunks(r + "\n" + cut, {1 << 20, 1}, "cut at " + cut);
    Check(t.find("ERR_XML_TRUNCATED input ends inside an <Event> element") != std::string::npos &&
              Count(t, "issue @") == 1,
          "an input cut at '" + cut + "' is truncated\n" + t);
  }
}

TEST_CASE("reader: the 1 MiB record limit is one rule whatever the chunks") {
  const std::string& r = Fixtures().front().xml.front();
  const std::string& next = Fixtures().front().xml[1];
  constexpr size_t kMax = XmlEventReader::kMaxRecordBytes;
  // A record of exactly `size` bytes: a Data value padded to fit.
  auto sized = [&](size_t size) {
    std::string base = Replaced(r, "<EventData>", "<EventData><Data Name='Pad'></Data>");
    const size_t at = base.find("<Data Name='Pad'>") + 17;
    return base.insert(at, std::string(size - base.size(), 'x'));
  };
  const std::initializer_list<size_t> chunks = {1 << 20, 300000, 65536};
  for (size_t size : {kMax - 1, kMax}) {
    const std::string t = SameWhateverTheChunks(sized(size) + "\n" + next + "\n", chunks,
                                                "a record of " + std::to_string(size) + " bytes");
    Equal(Count(t, "record @"), size_t{2}, "a record of " + std::to_string(size) + " bytes is read, then the next");
    Equal(Count(t, "issue @"), size_t{0}, "no problem with a record of " + std::to_string(size) + " bytes");
  }
  for (size_t size : {kMax + 1, kMax + kMax / 2, 3 * kMax}) {
    const std::string t = SameWhateverTheChunks(sized(size) + "\n" + next + "\n", chunks,
                                                "a record of " + std::to_string(size) + " bytes");
    Equal(Count(t, "ERR_RECORD_TOO_LARGE"), size_t{1},
          "a record of " + std::to_string(size) + " bytes is too large\n" + t);
    Equal(Count(t, "issue @"), size_t{1}, "one problem for a record of " + std::to_string(size) + " bytes\n" + t);
    Equal(Count(t, "record @"), size_t{1}, "the record after it is read");
  }
  // A problem in the first 1 MiB is reported as what it is; one beyond it cannot be seen.
  // (Text is read once its end is seen: a bad entity in a value that ends beyond 1 MiB is not seen.)
  const std::string early = Replaced(sized(kMax + kMax / 2), "</Computer>", "</Computr>");
  std::string late = sized(kMax + kMax / 2);
  late.insert(late.size() * 3 / 4, "</Wrong>");
  Check(SameWhateverTheChunks(early + "\n" + next, chunks, "malformed early").find("ERR_XML_MALFORMED") !=
            std::string::npos,
        "malformed within the first 1 MiB");
  Check(SameWhateverTheChunks(late + "\n" + next, chunks, "malformed late").find("ERR_RECORD_TOO_LARGE") !=
            std::string::npos,
        "malformed beyond the first 1 MiB: too large");
  // Markup between records is bounded the same way, and what follows it is read.
  const std::string longComment = "<!-- " + std::string(kMax + 10, 'c') + " -->\n" + next + "\n";
  const std::string t = SameWhateverTheChunks(longComment, chunks, "a comment over 1 MiB");
  Check(t.find("not closed within 1 MiB") != std::string::npos,
        "a comment over 1 MiB is reported\n" + t.substr(0, 300));
  Equal(Count(t, "record @"), size_t{1}, "the record after the comment is read");
}

TEST_CASE("reader: character references with leading zeros, and NUL nowhere") {
  const std::string& r = Fixtures().front().xml.front();
  for (bool shapes : {true, false}) {
    XmlEventReader reader(shapes);
    EventRecord record;
    const std::string zeros = Replaced(r, "</Computer>", "&#x0000000000041;&#0000000000066;&#x00043;</Computer>");
    Check(Read(zeros, reader, record) && record.computer.substr(record.computer.size() - 3) == "ABC",
          "&#x0000000000041; is A (shapes " + std::to_string(shapes) + ")");
    for (const std::string& nul : {Replaced(r, "</Computer>", std::string("<![CDATA[a\0b]]></Computer>", 27)),
                                   Replaced(r, "</Computer>", std::string("<!-- a\0b --></Computer>", 23)),
                                   Replaced(r, "</Computer>", std::string("<?pi a\0b?></Computer>", 21))}) {
      const std::string t = ReaderTranscript(reader, nul + "\n" + r + "\n", 1 << 20);
      Check(t.find("ERR_XML_MALFORMED NUL byte in") != std::string::npos, "a NUL byte is malformed\n" + t);
      Equal(Count(t, "record @"), size_t{1}, "the next record is read");
    }
  }
}
