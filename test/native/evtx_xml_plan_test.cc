// The render plans of the XML export (evtx/xml_plan.h) against the walk through EventXmlWriter, byte
// for byte: every record of every real .evtx file, and built records for what the plan decides from
// values (left-out attributes and elements, start tags closed by '>' or '/>' as their content turns
// out, BinXML values rendered in place, text that is empty for all its bytes) and what it leaves to
// the walk (arrays, template-less BinXML values).
#include <string>
#include <vector>

#include "evtx_builder.h"
#include "evtx_xml_compare.h"
#include "test_main.h"

namespace {

using namespace wfp;
using namespace wfp::evtx;
using namespace wfp::test;

// Every record of `file` by the plan and by the walk: the same bytes.
void Compare(const std::string& name, const std::string& file, PlanAndWalk& tally) {
  ComparePlanAndWalk(reinterpret_cast<const uint8_t*>(file.data()), file.size(), tally);
  Check(tally.difference.empty(), name + ", " + tally.difference);
  tally.difference.clear();
}

TestValue Str(const std::u16string& s) { return {kString, Utf16Bytes(s)}; }

}  // namespace

TEST_CASE("evtx XML plans: every real record renders by its template's plan as by the walk, byte for byte") {
  PlanAndWalk tally;
  for (const EvtxFile& f : EvtxFixtures()) Compare(f.name, f.bytes, tally);
  Check(tally.planned > 3500, "most real records by a plan: " + std::to_string(tally.planned));
  Check(tally.walked > 100, "some by the walk (arrays, template-less values): " + std::to_string(tally.walked));
}

TEST_CASE("evtx XML plans: what the values decide, and what is left to the walk, as the walk writes it") {
  // Template 1: <Event><P A='%0' B='x%1y'><Opt>%2?</Opt></P><Q>%3</Q>text<R C='%4?'>%5 and %6</R>%7</Event>
  // (? optional); %7 is where a BinXML value goes.
  auto definition = [](ChunkWriter& w) {
    w.Open(u"Event");
    w.CloseStart();
    w.Open(u"P", true);
    w.Attr(u"A");
    w.Sub(0, kString);
    w.Attr(u"B");
    w.Text(u"x'");
    w.Sub(1, kString);
    w.Text(u"y");
    w.CloseStart();
    w.SubElement(u"Opt", 2, kString, true);
    w.End();
    w.SubElement(u"Q", 3, kString);
    w.Text(u"text&more");
    w.Open(u"R", true);
    w.Attr(u"C");
    w.Sub(4, kString, true);
    w.CloseStart();
    w.Sub(5, kString);
    w.Text(u" and ");
    w.Sub(6, kString);
    w.End();
    w.Sub(7, kBinXml);
    w.End();
  };
  // Template 2, nested: <N V='%0'>%1</N>.
  auto nested = [](ChunkWriter& w) {
    w.Open(u"N", true);
    w.Attr(u"V");
    w.Sub(0, kUInt32);
    w.CloseStart();
    w.Sub(1, kString, true);
    w.End();
  };
  const TestValue null{kNull, ""};
  const TestValue nul = Str(std::u16string(1, u'\0') + u"after");  // text that ends before it starts
  const std::vector<std::vector<TestValue>> cases = {
      {Str(u"a<b"), Str(u"c'd\te"), Str(u"o\r\n"), Str(u"q>"), Str(u"r"), Str(u"s"), Str(u"t"), null},
      {null, null, null, null, null, null, null, null},
      {nul, nul, nul, nul, nul, nul, nul, nul},
      {Str(u""),
       {kString, "\x41"},
       {kUInt32, "\x01\x02\x03"},
       {kSid, "\x01\x05"},
       Str(u"\xD800z"),
       Str(u"\U0001F600\xDC00"),
       {kGuid, std::string(16, '\x7F')},
       {kBinXml, ""}},
      {Str(u"x"), Str(u"y"), null, null, null, null, Str(u"only"), null},
      // Runs of plain ASCII longer than 8 units, broken by what is not plain at each position.
      {Str(u"abcdefghijklmnop&qrstuvwxyz<0123456789>'\"\t\n\x7F end"), Str(u"12345678\u00e9abcdefgh\U0001F600ijkl"),
       Str(u"abcdefghij" + std::u16string(1, u'\0') + u"klmnop"), Str(u"abcdefg\u8000hijklmnop\u0100qrstuvwx"),
       Str(u"ABCDEFGH"), Str(u"ABCDEFGHI\xD800"), Str(u"\r\r\r\r\r\r\r\r\r"), null},
  };
  ChunkWriter w;
  uint64_t id = 1;
  w.Record(id++, [&] { w.Instance(2, [&] { nested(w); }, {{kUInt32, LeBytes<uint32_t>(7)}, Str(u"defined")}); });
  for (const auto& values : cases)
    w.Record(id++, [&] {
      w.Instance(
          1, [&] { definition(w); }, values);
    });
  // BinXML values: a nested instance of template 2 (its optional text there or left out), and a
  // template-less fragment (the walk's).
  auto instanceBytes = [&](const std::vector<TestValue>& values) {
    std::string b = std::string("\x0C\x01", 2) + LeBytes<uint32_t>(2) + LeBytes<uint32_t>(w.TemplateOffset(2)) +
                    LeBytes<uint32_t>(static_cast<uint32_t>(values.size()));
    for (const TestValue& v : values)
      b += LeBytes<uint16_t>(static_cast<uint16_t>(v.bytes.size())) + std::string(1, static_cast<char>(v.type)) +
           std::string(1, '\0');
    for (const TestValue& v : values) b += v.bytes;
    return b;
  };
  const std::string templateLess = std::string("\x0F\x01\x01\x00", 4) + "\x01" + LeBytes<uint32_t>(0);  // cut: refused
  for (const std::string& blob :
       {instanceBytes({{kUInt32, LeBytes<uint32_t>(1)}, Str(u"inner & out")}),
        instanceBytes({{kUInt32, LeBytes<uint32_t>(2)}, null}), instanceBytes({null, nul}), templateLess}) {
    std::vector<TestValue> values = cases[1];
    values[7] = TestValue{kBinXml, blob};
    w.Record(id++, [&] {
      w.Instance(
          1, [&] { definition(w); }, values);
    });
    values[0] = Str(u"z");
    values[2] = Str(u"here");  // the BinXML value after a present optional element
    w.Record(id++, [&] {
      w.Instance(
          1, [&] { definition(w); }, values);
    });
  }
  // An array value: the walk's.
  w.Record(id++, [&] {
    w.Instance(3, [&] { w.SubElement(u"A", 0, kUInt32 | kArrayFlag); }, {{kUInt32 | kArrayFlag, std::string(8, '\1')}});
  });
  PlanAndWalk tally;
  Compare("built", BuildFile({w.Done()}), tally);
  Equal(tally.planned, size_t{1 + 6 + 6}, "the built records by a plan");
  Equal(tally.walked, size_t{2 + 1}, "the template-less BinXML values and the array by the walk");
}
