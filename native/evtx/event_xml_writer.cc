#include "evtx/event_xml_writer.h"

#include <cstring>

namespace wfp::evtx {

namespace {

// The entities bytes are written as (index 0: the byte as it is), for text and for attribute values.
constexpr char kEntities[8][8] = {"", "&amp;", "&lt;", "&gt;", "&#xA;", "&#xD;", "&apos;", "&#x9;"};
constexpr uint8_t kEntityLengths[] = {0, 5, 4, 4, 5, 5, 6, 5};

struct EscapeTable {
  uint8_t text[256] = {}, attribute[256] = {};
  constexpr EscapeTable() {
    const unsigned char both[] = {'&', '<', '>', '\n', '\r'};
    for (uint8_t i = 0; i < sizeof both; ++i) text[both[i]] = attribute[both[i]] = static_cast<uint8_t>(i + 1);
    attribute[static_cast<unsigned char>('\'')] = 6;
    attribute[static_cast<unsigned char>('\t')] = 7;
  }
};
constexpr EscapeTable kEscapes;

}  // namespace

const uint8_t* EscapesOf(bool attribute) { return attribute ? kEscapes.attribute : kEscapes.text; }

char* WriteEntity(uint8_t entity, char* out) {
  std::memcpy(out, kEntities[entity], kMaxEscaped);  // whole: 8 bytes each
  return out + kEntityLengths[entity];
}

char* WriteEscaped(std::string_view text, bool attribute, char* out) {
  const uint8_t* escapes = EscapesOf(attribute);
  for (char c : text) {
    const uint8_t entity = escapes[static_cast<unsigned char>(c)];
    if (entity)
      out = WriteEntity(entity, out);
    else
      *out++ = c;
  }
  return out;
}

void AppendEscaped(std::string_view text, bool attribute, std::string& out) {
  const uint8_t* escapes = EscapesOf(attribute);
  size_t clean = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const uint8_t entity = escapes[static_cast<unsigned char>(text[i])];
    if (!entity) continue;
    out.append(text.data() + clean, i - clean);
    out.append(kEntities[entity], kEntityLengths[entity]);
    clean = i + 1;
  }
  out.append(text.data() + clean, text.size() - clean);
}

// Real names are XML names; a damaged record's may hold any character: those that would end the name
// or the line become '_', so the record still takes one line of markup.
void AppendName(std::string_view name, std::string& out) {
  auto stops = [](char c) {
    const unsigned char u = static_cast<unsigned char>(c);
    return u <= ' ' || c == '<' || c == '>' || c == '&' || c == '\'' || c == '"' || c == '=' || c == '/' || c == '?' ||
           c == '!';
  };
  bool plain = !name.empty();
  for (char c : name) plain = plain && !stops(c);
  if (plain) {
    out.append(name);
    return;
  }
  for (char c : name) {
    const unsigned char u = static_cast<unsigned char>(c);
    const bool stop = u <= ' ' || c == '<' || c == '>' || c == '&' || c == '\'' || c == '"' || c == '=' || c == '/' ||
                      c == '?' || c == '!';
    out += stop ? '_' : c;
  }
  if (name.empty()) out += '_';
}

void EventXmlWriter::Start(std::string& out) {
  out_ = &out;
  open_.clear();
  inStartTag_ = false;
}

void EventXmlWriter::CloseStartTag() {
  if (!inStartTag_) return;
  *out_ += '>';
  inStartTag_ = false;
}

void EventXmlWriter::StartElement(std::string_view name) {
  CloseStartTag();
  *out_ += '<';
  AppendName(name, *out_);
  open_.push_back(name);
  inStartTag_ = true;
}

void EventXmlWriter::Attribute(std::string_view name, std::string_view value) {
  *out_ += ' ';
  AppendName(name, *out_);
  out_->append("='");
  AppendEscaped(value, true, *out_);
  *out_ += '\'';
}

void EventXmlWriter::Text(std::string_view text) {
  CloseStartTag();
  AppendEscaped(text, false, *out_);
}

void EventXmlWriter::EndElement() {
  if (inStartTag_) {
    out_->append("/>");
    inStartTag_ = false;
  } else {
    out_->append("</");
    AppendName(open_.back(), *out_);
    *out_ += '>';
  }
  open_.pop_back();
}

void EventXmlWriter::ProcessingInstruction(std::string_view target, std::string_view data) {
  CloseStartTag();
  out_->append("<?");
  AppendName(target, *out_);
  if (!data.empty()) {
    *out_ += ' ';
    for (char c : data) *out_ += c == '\n' || c == '\r' ? ' ' : c;
  }
  out_->append("?>");
}

}  // namespace wfp::evtx
