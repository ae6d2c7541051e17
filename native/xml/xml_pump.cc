#include "xml/xml_pump.h"

#include <cstring>

namespace wfp {

void XmlPump::Feed(const char* data, size_t size, RecordSink& sink) {
  if (encodingKnown_) return Deliver(data, size, sink);
  head_.append(data, size);
  if (head_.size() >= 3) {
    std::string head = std::move(head_);
    head_.clear();
    encodingKnown_ = true;
    const unsigned char* b = reinterpret_cast<const unsigned char*>(head.data());
    size_t skip = 0;
    if (b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
      skip = 3;
    } else if ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)) {
      utf16_ = std::make_unique<Utf16Decoder>(b[0] == 0xFE);
      skip = 2;
    }
    reader_.Reset(utf16_ ? 0 : skip);
    given_ = utf16_ ? 0 : skip;
    Deliver(head.data() + skip, head.size() - skip, sink);
  }
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
  if (!encodingKnown_) {  // fewer than 3 bytes in all
    encodingKnown_ = true;
    Deliver(head_.data(), head_.size(), sink);
  }
  Drain(true, sink);
  if (!sawContent_ && !sink.Stopping()) sink.OnIssue(Issue{&kErrEmptyInput, "input contains no <Event> record", input_});
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
