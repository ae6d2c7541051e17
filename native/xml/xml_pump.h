// Feeds bytes of event XML through an XmlEventReader into a RecordSink. Shared by the sources that
// read recorded XML (files and streams). Detects the encoding: UTF-8's byte-order mark is skipped, and
// UTF-16 (with a byte-order mark or without) is converted to UTF-8 first (offsets then count bytes of
// the UTF-8 form). Plain C++ with no
// Node-API and no OS code.
#pragma once

#include <memory>
#include <string>

#include "model/event_source.h"
#include "xml/utf16_decoder.h"
#include "xml/xml_event_reader.h"

namespace wfp {

class XmlPump final : public RecordDecoder {
 public:
  explicit XmlPump(std::string input) : input_(std::move(input)) {}

  void Feed(const char* data, size_t size, RecordSink& sink) override;
  void Finish(RecordSink& sink) override;

 private:
  void ChooseEncoding(RecordSink& sink);
  void Deliver(const char* data, size_t size, RecordSink& sink);
  void Drain(bool eof, RecordSink& sink);

  std::string input_;
  XmlEventReader reader_;
  EventRecord record_;
  ReadIssue issue_;
  bool sawContent_ = false;
  bool encodingKnown_ = false;
  std::string head_;                      // the first 4 bytes, until the encoding is known
  std::unique_ptr<Utf16Decoder> utf16_;   // set for UTF-16 input
  std::string converted_;
};

}  // namespace wfp
