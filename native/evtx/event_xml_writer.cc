#include "evtx/event_xml_writer.h"

namespace wfp::evtx {

void AppendEscaped(std::string_view text, bool attribute, std::string& out) {
  size_t clean = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char* entity;
    switch (c) {
      case '&':
        entity = "&amp;";
        break;
      case '<':
        entity = "&lt;";
        break;
      case '>':
        entity = "&gt;";
        break;
      case '\n':
        entity = "&#xA;";
        break;
      case '\r':
        entity = "&#xD;";
        break;
      case '\'':
        entity = attribute ? "&apos;" : nullptr;
        break;
      case '\t':
        entity = attribute ? "&#x9;" : nullptr;
        break;
      default:
        entity = nullptr;
    }
    if (!entity) continue;
    out.append(text.data() + clean, i - clean);
    out.append(entity);
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
