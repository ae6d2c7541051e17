#include "pipeline/export_sink.h"

#include <cstring>

#include "util/decimal.h"

namespace wfp {
namespace {

constexpr size_t kBatchBytes = 256 << 10;
// Reserved for each batch's text, so that it is not copied as it grows: the batch goes once it holds
// kBatchBytes, with the record that took it there (only a record of over 64 KiB may make it move).
constexpr size_t kBatchRoom = kBatchBytes + (64 << 10);

void AppendJsonString(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t clean = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + clean, i - clean);
    clean = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(s.data() + clean, s.size() - clean);
  out += '"';
}

// A System value: a number when its text is one, null when the record has none, else the text.
void AppendNumberOrText(std::string_view text, std::string& out) {
  uint64_t v = 0;
  if (text.empty())
    out += "null";
  else if (ParseDecimal(text, v) && v < (uint64_t{1} << 53))
    out.append(text);
  else
    AppendJsonString(text, out);
}

void AppendTextOrNull(std::string_view text, std::string& out) {
  if (text.empty())
    out += "null";
  else
    AppendJsonString(text, out);
}

// Already one line (every .evtx record, most XML): written as it is.
bool OneLine(std::string_view xml) {
  return !std::memchr(xml.data(), '\n', xml.size()) && !std::memchr(xml.data(), '\r', xml.size());
}

}  // namespace

ExportSink::ExportSink(ExportFormat format, uint32_t batchRecords, DeliveryQueue& queue)
    : format_(format), batchRecords_(batchRecords ? batchRecords : 1), queue_(queue) {}

void ExportSink::OnRecord(const EventRecord& record, const Position&) {
  const std::string_view xml = record.xml;
  if (batch_.text.empty()) batch_.text.reserve(kBatchRoom);
  if (format_ == ExportFormat::Xml && OneLine(xml)) {
    batch_.text.append(xml);  // as it is, without a copy on the way
    batch_.text.append("\n");
  } else {
    line_.clear();
    if (format_ == ExportFormat::Xml)
      AppendXmlLine(xml, line_);
    else
      AppendJsonLine(record, line_);
    batch_.text.append(line_);
  }
  ++batch_.events;
  if (batch_.events >= batchRecords_ || batch_.text.size() >= kBatchBytes) Flush();
}

void ExportSink::OnEvent(const BlockEvent& event, const Position& at) {
  if (event.record) OnRecord(*event.record, at);
}

void ExportSink::OnIssue(Issue issue) {
  // Delivered after the records before it: those go out first, in their own batch.
  Flush();
  batch_.issues.push_back(BatchIssue{0, issue.code, std::move(issue.message), std::move(issue.input), issue.offset,
                                     issue.systemCode, std::move(issue.hint)});
}

void ExportSink::Flush() {
  if (batch_.events == 0 && batch_.issues.empty()) return;
  queue_.Push(std::move(batch_));
  batch_ = Batch{};
}

void ExportSink::AppendXmlLine(std::string_view xml, std::string& out) {
  if (OneLine(xml)) {
    out.append(xml).push_back('\n');
    return;
  }
  // Line breaks that only lay out the markup go; those inside values become character references
  // (inside a CDATA section, the section is closed around them).
  enum class In { Text, Tag, Quoted, Comment, CData } in = In::Text;
  char quote = 0;
  size_t textStart = out.size();
  bool textHasBreak = false, textOnlySpace = true;
  for (size_t i = 0; i < xml.size(); ++i) {
    const char c = xml[i];
    switch (in) {
      case In::Text:
        if (c == '<') {
          if (textHasBreak && textOnlySpace) out.resize(textStart);  // layout between elements
          if (xml.compare(i, 4, "<!--") == 0)
            in = In::Comment;
          else if (xml.compare(i, 9, "<![CDATA[") == 0)
            in = In::CData;
          else
            in = In::Tag;
          out += c;
          continue;
        }
        if (c == '\n' || c == '\r') {
          textHasBreak = true;
          out += c == '\n' ? "&#xA;" : "&#xD;";
          continue;
        }
        if (c != ' ' && c != '\t') textOnlySpace = false;
        out += c;
        continue;
      case In::Tag:
        if (c == '>') {
          in = In::Text;
          out += c;
          textStart = out.size();
          textHasBreak = false;
          textOnlySpace = true;
          continue;
        }
        if (c == '"' || c == '\'') {
          in = In::Quoted;
          quote = c;
        }
        out += c == '\n' || c == '\r' || c == '\t' ? ' ' : c;
        continue;
      case In::Quoted:
        if (c == quote) in = In::Tag;
        if (c == '\n')
          out += "&#xA;";
        else if (c == '\r')
          out += "&#xD;";
        else if (c == '\t')
          out += "&#x9;";
        else
          out += c;
        continue;
      case In::Comment:
        if (c == '>' && xml.compare(i - 2, 3, "-->") == 0)
          in = In::Tag, --i;  // the '>' ends it as a tag
        else
          out += c == '\n' || c == '\r' ? ' ' : c;
        continue;
      case In::CData:
        if (c == '>' && xml.compare(i - 2, 3, "]]>") == 0)
          in = In::Tag, --i;
        else if (c == '\n' || c == '\r')
          out.append("]]>").append(c == '\n' ? "&#xA;" : "&#xD;").append("<![CDATA[");
        else
          out += c;
        continue;
    }
  }
  out += '\n';
}

void ExportSink::AppendJsonLine(const EventRecord& r, std::string& out) {
  out += "{\"eventId\":";
  if (r.hasEventId)
    out += std::to_string(r.eventId);
  else
    out += "null";
  out += ",\"recordId\":";
  if (r.hasRecordId)
    out += std::to_string(r.recordId);
  else
    out += "null";
  out += ",\"timeCreated\":";
  AppendTextOrNull(r.systemTime, out);
  out += ",\"provider\":";
  AppendTextOrNull(r.provider, out);
  out += ",\"providerGuid\":";
  AppendTextOrNull(r.providerGuid, out);
  out += ",\"channel\":";
  AppendTextOrNull(r.channel, out);
  out += ",\"computer\":";
  AppendTextOrNull(r.computer, out);
  out += ",\"version\":" + std::to_string(r.version);
  out += ",\"level\":";
  AppendNumberOrText(r.level, out);
  out += ",\"task\":";
  AppendNumberOrText(r.task, out);
  out += ",\"opcode\":";
  AppendNumberOrText(r.opcode, out);
  out += ",\"keywords\":";
  AppendTextOrNull(r.keywords, out);
  out += ",\"activityId\":";
  AppendTextOrNull(r.activityId, out);
  out += ",\"userId\":";
  AppendTextOrNull(r.userId, out);
  out += ",\"processId\":";
  AppendNumberOrText(r.writerProcessId, out);
  out += ",\"threadId\":";
  AppendNumberOrText(r.writerThreadId, out);
  out += ",\"data\":{";
  // Group the values by name, in the order each name first appears.
  names_.clear();
  order_.clear();
  size_t groups = 0;
  for (size_t i = 0; i < r.data.size(); ++i) {
    if (r.data[i].name.empty()) {
      order_.push_back(i | (size_t{1} << 63));  // unnamed: keyed by its position
      continue;
    }
    auto [it, added] = names_.emplace(r.data[i].name, groups);
    if (added) {
      if (groups_.size() <= groups) groups_.emplace_back();
      groups_[groups].clear();
      order_.push_back(groups++);
    }
    groups_[it->second].push_back(i);
  }
  bool first = true;
  for (size_t entry : order_) {
    if (!first) out += ',';
    first = false;
    if (entry >> 63) {
      const size_t i = entry & ~(size_t{1} << 63);
      AppendJsonString(std::to_string(i), out);
      out += ':';
      AppendJsonString(r.data[i].value, out);
      continue;
    }
    const std::vector<size_t>& values = groups_[entry];
    AppendJsonString(r.data[values[0]].name, out);
    out += ':';
    if (values.size() == 1) {
      AppendJsonString(r.data[values[0]].value, out);
      continue;
    }
    out += '[';
    for (size_t k = 0; k < values.size(); ++k) {
      if (k) out += ',';
      AppendJsonString(r.data[values[k]].value, out);
    }
    out += ']';
  }
  out += "}}\n";
}

}  // namespace wfp
