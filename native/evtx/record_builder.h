// Builds an EventRecord from the element calls of one .evtx record, keeping exactly what the XML
// reader keeps from the same record's XML: the System fields by element and attribute name (through
// model/record_field.h), each <Data> of EventData by its Name, the other children of EventData and
// the leaf elements below UserData's child by their element name (and those elements' attributes by
// attribute name). An element's text is the concatenation of its
// pieces; an element with child elements keeps none of its own. Plain C++ with no Node-API and no OS
// code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "evtx/binxml.h"
#include "model/event_record.h"
#include "model/record_field.h"

namespace wfp::evtx {

class RecordBuilder final : public BinXmlVisitor {
 public:
  // Starts a record; views kept in it point into `arena` (or the BinXML reader's programs).
  void Start(EventRecord& record, TextArena& arena);

  void StartElement(std::string_view name) override;
  void Attribute(std::string_view name, std::string_view value) override;
  void Text(std::string_view text) override;
  void EndElement() override;
  void ProcessingInstruction(std::string_view, std::string_view) override {}

 private:
  enum class Section : uint8_t { None, System, EventData, UserData, Other };
  struct Open {
    std::string_view local;  // the name without a namespace prefix
    Field field = Field::None;
    bool keepsEmpty = false;  // a data value: kept as "" when the element has no text
    bool hasChild = false;
    int pieces = 0;
    std::string_view text;
  };

  EventRecord* record_ = nullptr;
  TextArena* arena_ = nullptr;
  std::vector<Open> stack_;
  Section section_ = Section::None;
  std::string_view dataName_;
  std::string joined_;
};

}  // namespace wfp::evtx
