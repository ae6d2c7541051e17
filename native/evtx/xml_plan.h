// A compiled template rendered ahead as the event XML EventXmlWriter writes, for `wfp-blocks export`:
// the markup between its substitutions as ready text (names and literal values already escaped, `>`
// and `/>` placed where the template alone decides them), and steps for what the values decide: a
// value's text, an optional attribute or element left out for a null value, a start tag closed by `>`
// or `/>` as its content turns out. An instance is then written with one copy of each literal and
// each value converted and escaped straight into the output.
//
// The plan covers what real templates hold: elements, attributes, text and substitutions, and a
// BinXML value that is itself a template instance (the EventData or UserData of most events), rendered
// in place by its own plan. A template with anything else (character or entity references, inline
// values, processing instructions, text inside a start tag before any attribute), and an instance
// with an array value (an element repeated per item), a template-less BinXML value, or one near the
// walk's bounds (kMaxRecordText, kMaxRecordVisits, kMaxElementDepth, kMaxNesting) are left to the walk
// through EventXmlWriter, whose bytes the plan's are, to the byte (test/native/evtx_xml_plan_test.cc
// holds the two to each other on every real record). Plain C++ with no Node-API and no OS code.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "evtx/binxml.h"
#include "util/text_buffer.h"

namespace wfp::evtx {

struct XmlPlan {
  enum class Op : uint8_t {
    Literal,            // text: markup (after a '>' when `close` and a start tag is open)
    Text,               // index: a value's text in an element's content (`depth` elements deep)
    AttributeValue,     // index: a value's text in an attribute value
    OptionalAttribute,  // index, text (` Name='`): the attribute, unless the value is null or empty
    End,                // text (`</Name>`): that, or `/>` when the start tag is still open
    Element,            // subs: its optional values in its text; when one is null, on at `next`
  };
  struct Step {
    Op op = Op::Literal;
    bool close = false;  // Literal: content, so an open start tag gets its '>' first
    bool open = false;   // Literal: it ends inside a start tag
    uint16_t index = 0;
    uint32_t depth = 0;
    uint32_t offset = 0, length = 0;  // in text
    uint32_t firstSub = 0, subCount = 0, next = 0;
  };
  static constexpr uint32_t kSlack = 16;  // bytes past the last literal, so that any is copied 16 at a time
  std::vector<Step> steps;
  std::string text;
  std::vector<uint16_t> subs;
  uint32_t nodes = 0;    // the template's nodes: what the walk would visit at most
  uint32_t depth = 0;    // its deepest element
  bool element = false;  // every instance writes an element
};

// The plan of `program`, made on first use and kept with it; null when only the walk renders it.
const XmlPlan* PlanOf(const Program& program);

class XmlRenderer {
 public:
  // Appends the event XML of the record whose BinXML is [begin, end) of the reader's chunk. False,
  // having appended nothing that stays, when the walk must render it.
  bool Render(BinXmlReader& reader, uint32_t begin, uint32_t end, TextBuffer& out);

 private:
  bool Instance(uint32_t begin, uint32_t end, int nesting, uint32_t depth, bool& open);
  bool Value(const Bytes* values, const uint8_t* types, size_t count, uint16_t index, bool attribute, char before);

  BinXmlReader* reader_ = nullptr;
  TextBuffer* out_ = nullptr;
  size_t start_ = 0;
  size_t visits_ = 0;
  bool element_ = false;
  std::string scratch_;  // a value's text, before it is escaped
};

}  // namespace wfp::evtx
