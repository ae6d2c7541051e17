// BinXML as the .evtx reader reads it, on records built token by token (evtx_builder.h) for what no
// real file has on purpose: each substitution rule (optional null attribute and element, normal null,
// arrays, empty arrays, nested BinXML, template-less records), the EventID read before decoding,
// templates reused within and across chunks (names borrowed from elsewhere in the chunk checked again),
// and hostile bytes: counts, sizes and offsets of 4 GB, nesting and expansion without end.
#include <string>
#include <vector>

#include "evtx/evtx_decoder.h"
#include "evtx_builder.h"
#include "test_main.h"

namespace {

using namespace wfp;
using namespace wfp::test;
using evtx::kBinXml;
using evtx::kFileTime;
using evtx::kGuid;
using evtx::kNull;
using evtx::kString;
using evtx::kUInt16;
using evtx::kUInt64;

// The records' fields (read without XML) and their XML (read for an export, which takes XML alone).
CollectingSink Decode(const std::string& file) {
  auto run = [&](bool xml) {
    CollectingSink sink(xml);
    EvtxDecoder decoder("built.evtx", 0);
    decoder.Feed(file.data(), file.size(), sink);
    decoder.Finish(sink);
    return sink;
  };
  CollectingSink fields = run(false);
  CollectingSink xml = run(true);
  Check(fields.codes == xml.codes, "the same problems with and without XML");
  fields.xml = xml.xml;
  return fields;
}

const std::string kNs = "xmlns='http://schemas.microsoft.com/win/2004/08/events/event'";

// Event > System (Provider, EventID %0, TimeCreated %1, EventRecordID %2, Correlation %3 optional)
//       > EventData (Data A %4, Data B %5 optional, Data C %6).
void SecurityLikeTemplate(ChunkWriter& w) {
  w.Open(u"Event", true);
  w.Attr(u"xmlns");
  w.Text(u"http://schemas.microsoft.com/win/2004/08/events/event");
  w.CloseStart();
  w.Open(u"System");
  w.CloseStart();
  w.Open(u"Provider", true);
  w.Attr(u"Name");
  w.Text(u"Microsoft-Windows-Security-Auditing");
  w.CloseEmpty();
  w.SubElement(u"EventID", 0, kUInt16);
  w.Open(u"TimeCreated", true);
  w.Attr(u"SystemTime");
  w.Sub(1, kFileTime);
  w.CloseEmpty();
  w.SubElement(u"EventRecordID", 2, kUInt64);
  w.Open(u"Correlation", true);
  w.Attr(u"ActivityID");
  w.Sub(3, kGuid, true);
  w.CloseEmpty();
  w.End();
  w.Open(u"EventData");
  w.CloseStart();
  for (auto [name, index, optional] : {std::tuple{u"A", 4, false}, {u"B", 5, true}, {u"C", 6, false}}) {
    w.Open(u"Data", true);
    w.Attr(u"Name");
    w.Text(name);
    w.CloseStart();
    w.Sub(static_cast<uint16_t>(index), kString, optional);
    w.End();
  }
  w.End();
  w.End();
}

std::vector<TestValue> SecurityLikeValues(uint16_t eventId, uint64_t recordId, TestValue a, TestValue b, TestValue c,
                                          TestValue activity = {kNull, ""}) {
  return {{kUInt16, LeBytes<uint16_t>(eventId)},
          {kFileTime, LeBytes<uint64_t>(131116874743460000ull)},
          {kUInt64, LeBytes<uint64_t>(recordId)},
          activity,
          a,
          b,
          c};
}

TestValue Str(const std::u16string& s) { return {kString, Utf16Bytes(s)}; }

}  // namespace

TEST_CASE("evtx BinXML: substitutions as Windows renders them; optional nulls leave out an attribute or an element") {
  ChunkWriter w;
  w.Record(1, [&] {
    w.FragmentHeader();
    w.Instance(
        1, [&] { SecurityLikeTemplate(w); }, SecurityLikeValues(5157, 1, Str(u"a&b<c>"), {kNull, ""}, {kNull, ""}));
  });
  const std::string guid(16, '\x11');
  w.Record(2, [&] {
    w.FragmentHeader();
    w.Instance(
        1, [] {}, SecurityLikeValues(4624, 2, Str(u"x"), Str(u"y"), Str(u"it's"), {kGuid, guid}));
  });
  CollectingSink s = Decode(BuildFile({w.Done()}));
  Equal(s.codes, std::vector<std::string>{}, "no problem");
  Equal(s.xml.size(), size_t{2}, "two records");
  const std::string system =
      "<System><Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>5157</EventID>"
      "<TimeCreated "
      "SystemTime='2016-06-29T15:24:34.346000000Z'/><EventRecordID>1</EventRecordID><Correlation/></System>";
  Equal(s.xml[0],
        "<Event " + kNs + ">" + system +
            "<EventData><Data Name='A'>a&amp;b&lt;c&gt;</Data><Data Name='C'/></EventData></Event>",
        "record 1: null optional ActivityID attribute and Data B left out, null Data C empty");
  Check(s.xml[1].find("<Correlation ActivityID='{11111111-1111-1111-1111-111111111111}'/>") != std::string::npos,
        "record 2 has its ActivityID");
  Check(s.xml[1].find("<Data Name='B'>y</Data><Data Name='C'>it's</Data>") != std::string::npos,
        "record 2 has B, and C unescaped in text");
  Check(s.fields[0].find(" id=5157 rec=1 time=2016-06-29T15:24:34.346000000Z {A=a&b<c>} {C=}") != std::string::npos,
        s.fields[0]);
  Check(s.fields[1].find("{A=x} {B=y} {C=it's}") != std::string::npos, s.fields[1]);
}

TEST_CASE("evtx BinXML: the event ID is read from the template's values, and unwanted records are skipped") {
  ChunkWriter w;
  for (uint64_t id = 1; id <= 6; ++id)
    w.Record(id, [&] {
      w.FragmentHeader();
      w.Instance(
          1, [&] { SecurityLikeTemplate(w); },
          SecurityLikeValues(id % 2 ? 5157 : 4624, id, Str(u"v"), Str(u"w"), Str(u"z")));
    });
  const std::string file = BuildFile({w.Done()});
  CollectingSink only(false, [](uint32_t id) { return id == 5157; });
  EvtxDecoder decoder("built.evtx", 0);
  decoder.Feed(file.data(), file.size(), only);
  decoder.Finish(only);
  Equal(only.fields.size(), size_t{3}, "the three 5157 records");
  Equal(decoder.counts().skipped, uint64_t{3}, "the three 4624 records skipped before decoding");
  Check(only.fields[1].find("id=5157 rec=3") != std::string::npos, only.fields[1]);
}

TEST_CASE("evtx BinXML: an element whose substitution holds an array is repeated per item, once for an empty array") {
  auto defineList = [](ChunkWriter& w) {
    w.Open(u"Event");
    w.CloseStart();
    w.Open(u"EventData");
    w.CloseStart();
    w.Open(u"Data", true);
    w.Attr(u"Name");
    w.Text(u"IoCount");
    w.CloseStart();
    w.Sub(0, kUInt16 | evtx::kArrayFlag);
    w.End();
    w.Open(u"Data", true);
    w.Attr(u"Name");
    w.Text(u"Paths");
    w.CloseStart();
    w.Sub(1, kString | evtx::kArrayFlag);
    w.End();
    w.End();
    w.End();
  };
  ChunkWriter w;
  std::string three = LeBytes<uint16_t>(1) + LeBytes<uint16_t>(2) + LeBytes<uint16_t>(65535);
  w.Record(1, [&] {
    w.FragmentHeader();
    w.Instance(2, [&] { defineList(w); },
               {{kUInt16 | evtx::kArrayFlag, three},
                {kString | evtx::kArrayFlag, Utf16Bytes(std::u16string(u"C:\\a\0D:\\b\0", 10))}});
  });
  w.Record(2, [&] {
    w.FragmentHeader();
    w.Instance(2, [] {}, {{kUInt16 | evtx::kArrayFlag, ""}, {kString | evtx::kArrayFlag, ""}});
  });
  CollectingSink s = Decode(BuildFile({w.Done()}));
  Equal(s.xml.at(0),
        std::string("<Event><EventData><Data Name='IoCount'>1</Data><Data Name='IoCount'>2</Data><Data "
                    "Name='IoCount'>65535</Data>"
                    "<Data Name='Paths'>C:\\a</Data><Data Name='Paths'>D:\\b</Data></EventData></Event>"),
        "items");
  Equal(s.xml.at(1), std::string("<Event><EventData><Data Name='IoCount'/><Data Name='Paths'/></EventData></Event>"),
        "empty arrays");
  Check(s.fields.at(0).find("{IoCount=1} {IoCount=2} {IoCount=65535} {Paths=C:\\a} {Paths=D:\\b}") != std::string::npos,
        s.fields[0]);
}

TEST_CASE(
    "evtx BinXML: a BinXml value is read in place, template-less or a template instance; template-less records too") {
  ChunkWriter w;
  // A template whose EventData is a substitution of type BinXml.
  auto define = [&] {
    w.Open(u"Event");
    w.CloseStart();
    w.SubElement(u"EventData", 0, kBinXml);
    w.End();
  };
  // The value: a template-less fragment (its elements carry no dependency identifier).
  ChunkWriter inner;
  inner.at = 0;
  w.Record(1, [&] {
    w.FragmentHeader();
    // The value's bytes, written where they will be: after the instance header and one descriptor.
    w.U8(0x0C);
    w.U8(1);
    w.U32(3);
    w.U32(w.at + 4);
    const uint32_t defAt = w.at;
    w.U32(0);
    for (int i = 0; i < 16; ++i) w.U8(0x33);
    const uint32_t sizeAt = w.at;
    w.U32(0);
    const uint32_t start = w.at;
    w.FragmentHeader();
    define();
    w.Eof();
    w.Put32(sizeAt, w.at - start);
    (void)defAt;
    w.U32(1);
    const uint32_t descriptor = w.at;
    w.U32(0);
    const uint32_t valueAt = w.at;
    w.Open(u"Data", true, false);
    w.Attr(u"Name");
    w.Text(u"Inline");
    w.CloseStart();
    w.Text(u"value");
    w.End();
    w.Eof();
    w.Put32(descriptor, (w.at - valueAt) | (uint32_t{kBinXml} << 16));
  });
  // A template-less record (a forwarded event): elements and inline values, no template.
  w.Record(2, [&] {
    w.FragmentHeader();
    w.Open(u"Event", false, false);
    w.CloseStart();
    w.Open(u"System", false, false);
    w.CloseStart();
    w.Open(u"EventID", false, false);
    w.CloseStart();
    w.U8(0x05);
    w.U8(kUInt16);
    w.U16(4103);
    w.End();
    w.End();
    w.Open(u"EventData", false, false);
    w.CloseStart();
    w.Open(u"Data", false, false);
    w.CloseStart();
    w.Text(u"Set-Mailbox");
    w.End();
    w.End();
    w.End();
    w.Eof();
  });
  CollectingSink s = Decode(BuildFile({w.Done()}));
  Equal(s.codes, std::vector<std::string>{}, "no problem");
  Equal(s.xml.at(0), std::string("<Event><EventData><Data Name='Inline'>value</Data></EventData></Event>"),
        "nested BinXML");
  Equal(s.xml.at(1),
        std::string(
            "<Event><System><EventID>4103</EventID></System><EventData><Data>Set-Mailbox</Data></EventData></Event>"),
        "template-less record with an inline UInt16");
  Check(s.fields.at(1).find("id=4103") != std::string::npos && s.fields[1].find("{=Set-Mailbox}") != std::string::npos,
        s.fields[1]);
}

TEST_CASE("evtx BinXML: a template reused by another chunk is checked against the names it borrows there") {
  // Template 1 names its only Data element by a name it borrows from an earlier record of the chunk.
  auto chunk = [](const std::u16string& borrowed) {
    ChunkWriter w;
    w.Record(1, [&] {
      w.FragmentHeader();
      w.Instance(9,
                 [&] {
                   w.Open(u"Event");
                   w.CloseStart();
                   w.Open(borrowed);  // defines the name inline here
                   w.CloseEmpty();
                   w.End();
                 },
                 {});
    });
    const uint32_t name = w.NameOffset(borrowed);
    w.Record(2, [&] {
      w.FragmentHeader();
      w.Instance(1,
                 [&] {
                   w.Open(u"Event");
                   w.CloseStart();
                   w.U8(0x01);
                   w.U16(0xFFFF);
                   w.U32(0);
                   w.NameAt(name);  // not inline: the name defined in record 1
                   w.CloseEmpty();
                   w.End();
                 },
                 {});
    });
    return w.Done();
  };
  CollectingSink s = Decode(BuildFile({chunk(u"Alpha"), chunk(u"Gamma")}));
  Equal(s.xml.size(), size_t{4}, "four records");
  Equal(s.xml.at(1), std::string("<Event><Alpha/></Event>"), "first chunk: its own name");
  Equal(s.xml.at(3), std::string("<Event><Gamma/></Event>"),
        "second chunk, same template bytes: the name it holds there");
}

TEST_CASE("evtx BinXML: hostile counts, sizes and offsets are errors, never reads or allocations beyond the chunk") {
  auto one = [](const std::function<void(ChunkWriter&)>& body) {
    ChunkWriter w;
    w.Record(7, [&] { body(w); });
    return Decode(BuildFile({w.Done()}));
  };
  auto expectBinXml = [](const CollectingSink& s, const char* what) {
    Equal(s.codes, std::vector<std::string>{"ERR_EVTX_BINXML"}, what);
    Check(s.messages.empty() || s.messages[0].find("record 7 at offset 4608") != std::string::npos, what);
  };
  expectBinXml(one([](ChunkWriter& w) {
                 w.FragmentHeader();
                 w.U8(0x0C);
                 w.U8(1);
                 w.U32(1);
                 w.U32(0xFFFFFFF0u);  // definition beyond the chunk
               }),
               "template definition offset of 4 GB");
  expectBinXml(one([](ChunkWriter& w) {
                 w.FragmentHeader();
                 w.Instance(1, [&] { w.SubElement(u"Event", 0, kString); }, {});
                 w.at -= 4;
                 w.U32(0xFFFFFFFFu);  // value count of 4 G
               }),
               "value count of 4 G");
  expectBinXml(one([](ChunkWriter& w) {
                 w.FragmentHeader();
                 w.Instance(1, [&] { w.SubElement(u"Event", 0, kString); }, {{kString, Utf16Bytes(u"ok")}});
                 w.Put32(w.at - 8, 0xFFFF | (uint32_t{kString} << 16));  // value size beyond the record
               }),
               "value size beyond the record");
  expectBinXml(one([](ChunkWriter& w) {
                 w.FragmentHeader();
                 w.U8(0x01);
                 w.U32(0);
                 w.NameAt(0xFFFFFFF0u);
               }),
               "name offset of 4 GB");
  expectBinXml(one([](ChunkWriter& w) {
                 w.FragmentHeader();
                 w.U8(0x0C);
                 w.U8(1);
                 w.U32(1);
                 w.U32(8);  // "definition" inside the chunk header: not BinXML
                 w.U32(0);
               }),
               "template definition offset into the chunk header");
  expectBinXml(one([](ChunkWriter& w) {
                 w.FragmentHeader();
                 for (int i = 0; i < 70; ++i) {
                   w.Open(u"E", false, false);
                   w.CloseStart();
                 }
               }),
               "elements nested 70 deep");
}

TEST_CASE("evtx BinXML: nesting through BinXml values and array expansion are bounded") {
  // Template 1: <E>%0</E> with %0 BinXml. Record 1 defines it; record 2 nests 20 instances of it.
  ChunkWriter w;
  w.Record(1, [&] {
    w.FragmentHeader();
    w.Instance(1, [&] { w.SubElement(u"E", 0, kBinXml); }, {{kNull, ""}});
  });
  const uint32_t def = w.TemplateOffset(1);
  std::string blob;
  for (int level = 0; level < 20; ++level) {
    std::string head = std::string("\x0C\x01", 2) + LeBytes<uint32_t>(1) + LeBytes<uint32_t>(def) +
                       LeBytes<uint32_t>(1) + LeBytes<uint16_t>(static_cast<uint16_t>(blob.size())) +
                       std::string(1, static_cast<char>(kBinXml)) + std::string(1, '\0');
    blob = head + blob;
  }
  w.Record(2, [&] { w.Raw(blob); });
  // Record 3: an element repeated per item of a 20,000-byte array, each repetition with a 10,000-
  // character string: 200 MB of text if nothing stopped it.
  w.Record(3, [&] {
    w.FragmentHeader();
    w.Instance(2,
               [&] {
                 w.Open(u"Event");
                 w.CloseStart();
                 w.Open(u"D", true);
                 w.Attr(u"S");
                 w.Sub(1, kString);
                 w.CloseStart();
                 w.Sub(0, evtx::kUInt8 | evtx::kArrayFlag);
                 w.End();
                 w.End();
               },
               {{evtx::kUInt8 | evtx::kArrayFlag, std::string(20000, '\x01')},
                {kString, Utf16Bytes(std::u16string(10000, u'x'))}});
  });
  CollectingSink s = Decode(BuildFile({w.Done()}));
  Equal(s.codes, (std::vector<std::string>{"ERR_EVTX_BINXML", "ERR_EVTX_BINXML"}), "two records refused");
  Check(s.messages.size() == 2 && s.messages[0].find("nested too deeply") != std::string::npos, "nesting");
  Check(s.messages.size() == 2 && s.messages[1].find("expands beyond") != std::string::npos, "expansion");
  Equal(s.xml.size(), size_t{1}, "the sound record is read");
}
