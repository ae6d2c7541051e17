// Picks the decoder for one input from its first bytes, never from its name, and feeds it: .evtx
// files ("ElfFile\0"), the firewall's own log (pfirewall.log), or event XML (UTF-8 or UTF-16, the
// fallback for anything else). A format is a line in the table of input_decoder.cc: what its first
// bytes look like, and its decoder. Plain C++ with no Node-API and no OS code.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "model/event_source.h"
#include "sources/source_options.h"

namespace wfp {

// Reads `utcOffsetMinutes`.
InputOptions ReadInputOptions(OptionReader& options);

class InputDecoder final : public RecordDecoder {
 public:
  InputDecoder(std::string input, uint32_t index, InputOptions options)
      : input_(std::move(input)), index_(index), options_(options) {}

  void Feed(const char* data, size_t size, RecordSink& sink) override;
  void Finish(RecordSink& sink) override;
  uint64_t end() const override { return decoder_ ? decoder_->end() : 0; }
  // What is read next is another input (a followed file's next content), numbered `index`: decode it
  // from its first byte.
  void Restart(uint32_t index);
  const std::string& input() const { return input_; }

 private:
  void Choose(bool eof);

  std::string input_;
  uint32_t index_;
  InputOptions options_;
  std::string head_;  // the first bytes, until a format is chosen
  std::unique_ptr<RecordDecoder> decoder_;
};

}  // namespace wfp
