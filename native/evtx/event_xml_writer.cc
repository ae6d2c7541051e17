#include "evtx/event_xml_writer.h"

namespace wfp::evtx {

void AppendEscaped(std::string_view text, bool attribute, std::string& out) {
  size_t clean = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char* entity;
    switch (c) {
      case '&': entity = "&amp;"; break;
      case '<': entity = "&lt;"; break;
      case '>': entity = "&gt;"; break;
      case '\n': entity = "&#xA;"; break;
      case '\r': entity = "&#xD;"; break;
      case '\'': entity = attribute ? "&apos;" : nullptr; break;
      case '\t': entity = attribute ? "&#x9;" : nullptr; break;
      default: entity = nullptr;
    }
    if (!entity) continue;
    out.append(text.data() + clean, i - clean);
    out.append(entity);
    clean = i + 1;
  }
  out.append(text.data() + clean, text.size() - clean);
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
  out_->append(name);
  open_.push_back(name);
  inStartTag_ = true;
}

void EventXmlWriter::Attribute(std::string_view name, std::string_view value) {
  *out_ += ' ';
  out_->append(name);
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
    out_->append(open_.back());
    *out_ += '>';
  }
  open_.pop_back();
}

void EventXmlWriter::ProcessingInstruction(std::string_view target, std::string_view data) {
  CloseStartTag();
  out_->append("<?");
  out_->append(target);
  if (!data.empty()) {
    *out_ += ' ';
    out_->append(data);
  }
  out_->append("?>");
}

}  // namespace wfp::evtx
