// The RecordDecoder for .evtx files (chosen by the signature "ElfFile\0"): the file header, then one
// 64 KiB chunk at a time, held whole (at most one chunk is buffered, whatever the input's chunking),
// its records read in order into EventRecords through BinXmlReader and RecordBuilder (for an export,
// into event XML by the template's plan, evtx/xml_plan.h, or else through EventXmlWriter). A record
// whose event ID the sink does not want is skipped after its template tells the ID, before its strings
// are decoded. Positions are true file offsets: a record's first byte and the byte just past it. Reading
// from the middle of a chunk needs the chunk from its first byte (templates and names are defined
// by earlier records of the chunk), so a resumed replay reads the file from its first byte and the
// pipeline drops every record that ends at or before the bookmark's offset.
//
// Dirty files: the header's chunk count and dirty flag are not trusted (every chunk with a chunk
// signature is read); a chunk of zero bytes, or one without a signature past the header's count, is
// unused space. Each problem is reported once, naming the file, the chunk and the byte offset, and
// reading goes on: a damaged file header (chunks are self-describing), a chunk without its signature
// (skipped), a CRC-32 that does not match (the chunk's records are still read where their own
// structure holds; files whose header says Windows keeps no checksums are not checked), a record
// whose size and copy of size differ or that is cut short (skipped; the rest of the chunk is scanned
// for the next sound record, which must come later in the chunk's record range), a record whose
// BinXML cannot be read (skipped), a file that ends inside a chunk (the records wholly inside it are
// read). Records in a chunk's free space (after its last record: deleted or older copies) are not
// read. Plain C++ with no Node-API and no OS code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evtx/binxml.h"
#include "evtx/event_xml_writer.h"
#include "evtx/record_builder.h"
#include "evtx/xml_plan.h"
#include "model/event_source.h"
#include "util/text_buffer.h"

namespace wfp {

class EvtxDecoder final : public RecordDecoder {
 public:
  EvtxDecoder(std::string input, uint32_t index) : input_(std::move(input)), index_(index) {}

  static constexpr size_t kSignatureBytes = 8;
  static bool Matches(std::string_view head);

  void Feed(const char* data, size_t size, RecordSink& sink) override;
  void Finish(RecordSink& sink) override;
  uint64_t end() const override { return fed_; }

  struct Counts {
    uint64_t chunks = 0;   // chunks with a chunk signature
    uint64_t records = 0;  // records handed to the sink
    uint64_t skipped = 0;  // records not wanted, skipped before decoding
  };
  const Counts& counts() const { return counts_; }

 private:
  void ReadHeader(const uint8_t* header, RecordSink& sink);
  void ReadChunk(const uint8_t* chunk, size_t size, RecordSink& sink);
  // Reads the record at `at` of the chunk if it is one; returns its size, or 0 when there is none.
  uint32_t RecordAt(const uint8_t* chunk, uint32_t at, uint32_t limit) const;
  void ReadRecord(const uint8_t* chunk, uint32_t at, uint32_t size, RecordSink& sink);
  void Report(RecordSink& sink, const ErrorCode& code, const std::string& message, uint64_t offset);
  uint64_t ChunkOffset() const;
  std::string ChunkName() const;

  std::string input_;
  uint32_t index_;
  uint64_t fed_ = 0;              // bytes given so far: the input's end, in file offsets
  std::vector<uint8_t> pending_;  // the header or the chunk being assembled
  bool headerRead_ = false;
  bool checksums_ = true;
  uint64_t headerChunks_ = 0;  // the chunk count the header gives
  uint64_t chunk_ = 0;         // index of the chunk being read
  uint32_t cutAt_ = 0;         // where the record the file ends inside starts in its chunk
  bool sawContent_ = false;
  Counts counts_;
  evtx::BinXmlReader binxml_;
  evtx::RecordBuilder builder_;
  evtx::EventXmlWriter writer_;
  EventRecord record_;
  std::string xml_;  // the walk's XML
  evtx::XmlRenderer renderer_;
  TextBuffer planned_;  // the XML by the template's plan
};

}  // namespace wfp
