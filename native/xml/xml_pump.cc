#include "xml/xml_pump.h"

#include <cstring>

namespace wfp {

void XmlPump::Feed(const char* data, size_t size, RecordSink& sink) {
  if (encodingKnown_) return Deliver(data, size, sink);
  head_.append(data, size);
  if (head_.size() >= 4) ChooseEncoding(sink);
}

// From the first four bytes (XML 1.0, appendix F): a UTF-8 byte-order mark is skipped; UTF-16 is told
// by its byte-order mark or, without one, by the zero bytes of the ASCII markup every XML document
// starts with ('<' or whitespace): 3C 00 xx 00 is little-endian, 00 3C 00 xx big-endian.
void XmlPump::ChooseEncoding(RecordSink& sink) {
  encodingKnown_ = true;
  unsigned b[4] = {256, 256, 256, 256};  // no byte
  for (size_t i = 0; i < 4 && i < head_.size(); ++i) b[i] = static_cast<unsigned char>(head_[i]);
  size_t skip = 0;
  if (b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
    skip = 3;
  } else if ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)) {
    utf16_ = std::make_unique<Utf16Decoder>(b[0] == 0xFE);
    skip = 2;
  } else if (b[3] != 256 && b[0] != 0 && b[1] == 0 && b[2] != 0 && b[3] == 0) {
    utf16_ = std::make_unique<Utf16Decoder>(false);
  } else if (b[3] != 256 && b[0] == 0 && b[1] != 0 && b[2] == 0 && b[3] != 0) {
    utf16_ = std::make_unique<Utf16Decoder>(true);
  }
  std::string head;
  head.swap(head_);
  reader_.Reset(utf16_ ? 0 : skip);
  given_ = utf16_ ? 0 : skip;
  Deliver(head.data() + skip, head.size() - skip, sink);
}

void XmlPump::Deliver(const char* data, size_t size, RecordSink& sink) {
  if (utf16_) {
    converted_.clear();
    utf16_->Decode(data, size, converted_);
    NoteNewlines(converted_.data(), converted_.size());
    reader_.Append(converted_.data(), converted_.size());
  } else {
    NoteNewlines(data, size);
    reader_.Append(data, size);
  }
  Drain(false, sink);
}

void XmlPump::Finish(RecordSink& sink) {
  if (!encodingKnown_) ChooseEncoding(sink);  // fewer than 4 bytes in all
  Drain(true, sink);
  if (!sawContent_ && !sink.Stopping())
    sink.OnIssue(Issue{&kErrEmptyInput, "input contains no <Event> record", input_});
}

void XmlPump::Drain(bool eof, RecordSink& sink) {
  while (!sink.Stopping()) {
    uint64_t offset = 0;
    switch (reader_.Next(eof, record_, issue_, offset)) {
      case XmlEventReader::Step::Record:
        sawContent_ = true;
        sink.OnRecord(record_, Position{input_, index_, offset, reader_.consumed()});
        break;
      case XmlEventReader::Step::Issue: {
        sawContent_ = true;
        Issue issue{issue_.code, std::move(issue_.message), input_, static_cast<int64_t>(issue_.offset)};
        Locate(issue_.offset, issue.line, issue.column);
        sink.OnIssue(std::move(issue));
        break;
      }
      case XmlEventReader::Step::NeedMore:
        return;
    }
    ForgetNewlinesBefore(reader_.consumed());
  }
}

void XmlPump::NoteNewlines(const char* data, size_t size) {
  for (const char* p = data; (p = static_cast<const char*>(std::memchr(p, '\n', size - (p - data)))) != nullptr; ++p)
    newlines_.push_back(given_ + static_cast<uint64_t>(p - data));
  given_ += size;
}

void XmlPump::ForgetNewlinesBefore(uint64_t offset) {
  while (!newlines_.empty() && newlines_.front() < offset) {
    lastForgotten_ = newlines_.front() + 1;
    newlines_.pop_front();
    ++forgottenNewlines_;
  }
}

void XmlPump::Locate(uint64_t offset, int64_t& line, int64_t& column) const {
  uint64_t before = forgottenNewlines_, lineStart = lastForgotten_;
  if (offset < lineStart) return;  // already forgotten: no position (never expected)
  for (uint64_t nl : newlines_) {
    if (nl >= offset) break;
    ++before;
    lineStart = nl + 1;
  }
  line = static_cast<int64_t>(before + 1);
  column = static_cast<int64_t>(offset - lineStart + 1);
}

}  // namespace wfp
