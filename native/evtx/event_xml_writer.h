// Writes the element calls of one .evtx record as EvtRender-style event XML on one line: no
// whitespace between elements, attributes in single quotes, `<Name/>` for an element without
// content. Text escapes `&`, `<` and `>`; attribute values also `'`; line breaks and tabs become
// character references, so a record never spans lines and reads back to the same values (a damaged
// record's names that are no XML names have their offending characters written as '_'). Only
// `wfp-blocks export` renders XML; the normal path builds records without it. Plain C++ with no
// Node-API and no OS code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "evtx/binxml.h"

namespace wfp::evtx {

class EventXmlWriter final : public BinXmlVisitor {
 public:
  // Appends the record to `out`.
  void Start(std::string& out);

  void StartElement(std::string_view name) override;
  void Attribute(std::string_view name, std::string_view value) override;
  void Text(std::string_view text) override;
  void EndElement() override;
  void ProcessingInstruction(std::string_view target, std::string_view data) override;

 private:
  void CloseStartTag();

  std::string* out_ = nullptr;
  std::vector<std::string_view> open_;
  bool inStartTag_ = false;
};

// Appends `text` escaped for XML content (`attribute`: for a single-quoted attribute value).
void AppendEscaped(std::string_view text, bool attribute, std::string& out);
// The same through a pointer, for the render plans (evtx/xml_plan.h): at most kMaxEscaped bytes a byte.
inline constexpr size_t kMaxEscaped = 6;
char* WriteEscaped(std::string_view text, bool attribute, char* out);
// Each byte's entity (0: none) for text or attribute values, and the writing of one (kMaxEscaped at most).
const uint8_t* EscapesOf(bool attribute);
char* WriteEntity(uint8_t entity, char* out);
void AppendName(std::string_view name, std::string& out);

}  // namespace wfp::evtx
