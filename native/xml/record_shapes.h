// Learned record shapes. An event log repeats a handful of layouts: records of one event ID differ
// only in their values. The XML reader teaches each record it parses in full (its markup, and where
// each value sits and what it means); a later record that has the same markup byte for byte outside
// its values is then read with a few compares and scans instead of tag by tag. The names of <Data>
// elements count as markup: they are what makes a layout. A record that does not match, or holds
// anything a value scan does not handle ('&', NUL, '<' in an attribute), goes through the general
// parser, which then teaches its shape. Both assign values through AssignField, so the EventRecord is
// the same whichever path reads it. Plain C++ with no Node-API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/event_record.h"
#include "model/record_field.h"

namespace wfp {

// Collects, while the general parser reads one record, where its values sit.
class ShapeRecorder {
 public:
  void Start(const char* record);
  // A value: leaf text ending at '<', or an attribute value ending at its quote. A Data name
  // (Field::DataName) becomes part of the markup.
  void Value(const char* begin, const char* end, Field field);
  // A <Data .../> element ends at `at` without text: the parser adds an empty value there.
  void EmptyData(const char* at);
  // The record holds something a shape cannot replay: a value split by markup (a child element,
  // a comment, CDATA).
  void Abort() { usable_ = false; }

 private:
  friend class RecordShapes;
  struct Span {
    const char* begin;
    const char* end;
    Field field;
  };
  const char* record_ = nullptr;
  std::vector<Span> values_;
  std::vector<const char*> emptyData_;
  bool usable_ = false;
};

class RecordShapes {
 public:
  // Reads the whole record that starts at `p` (an "<Event" tag) if a learned shape matches it, ending
  // before `e`; sets `end` just past "</Event>". False when none matches: `record` must then be
  // cleared and the record parsed in full.
  bool Match(const char* p, const char* e, EventRecord& record, const char*& end) const;

  // Adds the shape of the record [start, end) that the general parser has just read.
  void Learn(const char* start, const char* end, const ShapeRecorder& recorder);

 private:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  // Shapes share their common beginnings: each node is one step, its children the steps that may
  // follow, tried in turn. Bounded: a stream of ever-new layouts starts over instead of growing, and
  // a step with many followers (a layout that varies where real logs do not) learns no more of them.
  static constexpr size_t kMaxNodes = 4096;
  static constexpr size_t kMaxChildren = 16;
  static constexpr size_t kMaxLiteralBytes = 256 * 1024;
  enum class Hole : uint8_t { End, Text, Attribute };
  struct Node {
    uint32_t literal = 0;  // markup bytes that must match, in literals_
    uint32_t length = 0;
    uint32_t firstChild = kNone;
    uint32_t nextSibling = kNone;
    Hole hole = Hole::End;  // what follows the markup: a value, or the record's end
    Field field = Field::None;
    // At most one of these per step: a step that would need both, or two of one, is not learned.
    uint32_t dataName = kNone;  // the markup holds a Data name here (offset in the literal) ...
    uint32_t dataNameLength = 0;
    bool emptyData = false;  // ... or closes a <Data/> element: add an empty value
  };
  bool SameStep(const Node& node, const Node& step, const char* literal) const;
  uint32_t Add(const Node& step, const char* literal);  // a new node, not yet linked

  std::vector<Node> steps_;  // scratch for Learn

  std::vector<Node> nodes_{Node{}};  // nodes_[0] is the root: no markup
  std::string literals_;
};

}  // namespace wfp
