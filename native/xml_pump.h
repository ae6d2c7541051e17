// Feeds bytes of event XML through an XmlEventReader into a RecordSink. Shared by the sources that
// read recorded XML (files and streams). Detects a byte-order mark: UTF-8's is skipped, and UTF-16
// input is converted to UTF-8 first (offsets then count bytes of the UTF-8 form).
#pragma once

#include <memory>
#include <string>

#include "event_source.h"
#include "utf16_decoder.h"
#include "xml_event_reader.h"

namespace wfp {

inline constexpr const char* kErrEmptyInput = "ERR_EMPTY_INPUT";

class XmlPump {
 public:
  explicit XmlPump(std::string input) : input_(std::move(input)) {}

  void Feed(const char* data, size_t size, RecordSink& sink);
  // The input has ended: report a partial record, and an input that held no record at all.
  void Finish(RecordSink& sink);
  // The file was truncated: start again from its beginning.
  void Restart();
  const std::string& input() const { return input_; }

 private:
  void Deliver(const char* data, size_t size, RecordSink& sink);
  void Drain(bool eof, RecordSink& sink);

  std::string input_;
  XmlEventReader reader_;
  EventRecord record_;
  ReadIssue issue_;
  bool sawContent_ = false;
  bool encodingKnown_ = false;
  std::string head_;                      // first bytes, until the encoding is known
  std::unique_ptr<Utf16Decoder> utf16_;   // set for UTF-16 input
  std::string converted_;
};

}  // namespace wfp
