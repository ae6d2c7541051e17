// Feeds bytes of event XML through an XmlEventReader into a RecordSink. Shared by the sources that
// read recorded XML (files and streams). Detects the encoding: UTF-8's byte-order mark is skipped, and
// UTF-16 (with a byte-order mark or without) is converted to UTF-8 first (offsets then count bytes of
// the UTF-8 form). Plain C++ with no
// Node-API and no OS code.
#pragma once

#include <deque>
#include <memory>
#include <string>

#include "model/event_source.h"
#include "xml/utf16_decoder.h"
#include "xml/xml_event_reader.h"

namespace wfp {

class XmlPump final : public RecordDecoder {
 public:
  XmlPump(std::string input, uint32_t index) : input_(std::move(input)), index_(index) {}

  void Feed(const char* data, size_t size, RecordSink& sink) override;
  void Finish(RecordSink& sink) override;
  uint64_t end() const override { return reader_.consumed(); }

 private:
  void ChooseEncoding(RecordSink& sink);
  void Deliver(const char* data, size_t size, RecordSink& sink);
  void Drain(bool eof, RecordSink& sink);
  // Line numbers for issues: the newlines of what the reader was given are noted as it goes, and
  // forgotten (counted) once the reader is past them, so memory stays bounded by one record.
  void NoteNewlines(const char* data, size_t size);
  void ForgetNewlinesBefore(uint64_t offset);
  void Locate(uint64_t offset, int64_t& line, int64_t& column) const;

  std::string input_;
  uint32_t index_;
  XmlEventReader reader_;
  EventRecord record_;
  ReadIssue issue_;
  bool sawContent_ = false;
  bool encodingKnown_ = false;
  std::string head_;                     // the first 4 bytes, until the encoding is known
  std::unique_ptr<Utf16Decoder> utf16_;  // set for UTF-16 input
  std::string converted_;
  uint64_t given_ = 0;              // offset (in the reader's terms) of the next byte given to it
  uint64_t forgottenNewlines_ = 0;  // newlines before the first one in newlines_
  uint64_t lastForgotten_ = 0;      // offset just past the last forgotten newline (0: none)
  std::deque<uint64_t> newlines_;   // offsets of the newlines not forgotten yet
};

}  // namespace wfp
