// The .evtx decoder on every real .evtx file of test/fixtures/evtx: the same records and problems
// however the bytes arrive (whole, one byte at a time, pieces across chunk boundaries), positions
// that are the records' true byte ranges in the file, records skipped by event ID before decoding
// giving the same wanted records, and a chunk read on its own (from its first byte) giving the records
// it gives in the whole file.
#include <cstring>
#include <string>
#include <vector>

#include "evtx/evtx_decoder.h"
#include "evtx/evtx_layout.h"
#include "evtx_builder.h"
#include "test_main.h"

namespace {

using namespace wfp;
using namespace wfp::test;

CollectingSink Decode(const std::string& bytes, size_t piece, bool xml, std::function<bool(uint32_t)> wants = nullptr,
                      EvtxDecoder::Counts* counts = nullptr) {
  CollectingSink sink(xml, std::move(wants));
  EvtxDecoder decoder("file.evtx", 0);
  for (size_t at = 0; at < bytes.size(); at += piece)
    decoder.Feed(bytes.data() + at, std::min(piece, bytes.size() - at), sink);
  decoder.Finish(sink);
  if (counts) *counts = decoder.counts();
  return sink;
}

}  // namespace

TEST_CASE("evtx decoder: every real file gives the same records and problems whole, byte by byte and in odd pieces") {
  Check(EvtxFixtures().size() == 21, "the 21 real .evtx files");
  for (const EvtxFile& f : EvtxFixtures()) {
    const CollectingSink whole = Decode(f.bytes, f.bytes.size(), true);
    for (size_t piece : {size_t{1}, size_t{7}, size_t{4097}, size_t{65537}, size_t{200000}}) {
      if (piece == 1 && f.bytes.size() > (256u << 10)) continue;  // the 1 MB files: odd pieces only
      Check(Decode(f.bytes, piece, true).transcript == whole.transcript,
            f.name + " in pieces of " + std::to_string(piece));
    }
    // Without XML the same records, at the same places, with the same problems; no XML rendered.
    const CollectingSink plain = Decode(f.bytes, f.bytes.size(), false);
    Check(plain.fields.size() == whole.fields.size() && plain.codes == whole.codes,
          f.name + ": the same records without XML");
    for (size_t i = 0; i < plain.fields.size() && i < whole.fields.size(); ++i)
      Check(
          plain.fields[i].substr(0, plain.fields[i].find(' ')) == whole.fields[i].substr(0, whole.fields[i].find(' ')),
          f.name + ": the same byte ranges");
    bool none = true;
    for (const std::string& xml : plain.xml) none = none && xml.empty();
    Check(none, f.name + ": no XML unless asked for");
  }
}

TEST_CASE("evtx decoder: positions are the records' byte ranges in the file") {
  for (const EvtxFile& f : EvtxFixtures()) {
    const CollectingSink s = Decode(f.bytes, f.bytes.size(), false);
    for (const std::string& fields : s.fields) {
      const uint64_t start = std::stoull(fields);
      const uint64_t end = std::stoull(fields.substr(fields.find('-') + 1));
      uint32_t signature = 0, size = 0, copy = 0;
      std::memcpy(&signature, f.bytes.data() + start, 4);
      std::memcpy(&size, f.bytes.data() + start + 4, 4);
      std::memcpy(&copy, f.bytes.data() + end - 4, 4);
      Check(signature == evtx::kRecordSignature && size == end - start && copy == size,
            f.name + " record at " + std::to_string(start));
      Check((start - evtx::kFileHeaderSize) / evtx::kChunkSize == (end - 1 - evtx::kFileHeaderSize) / evtx::kChunkSize,
            f.name + ": a record lies inside its chunk");
    }
  }
}

TEST_CASE("evtx decoder: records not wanted are skipped before decoding; the wanted ones are the same") {
  uint64_t skipped = 0;
  for (const EvtxFile& f : EvtxFixtures()) {
    const CollectingSink all = Decode(f.bytes, f.bytes.size(), false);
    auto wanted = [](uint32_t id) { return id == 4719 || (id >= 5150 && id <= 5159) || id == 5031; };
    EvtxDecoder::Counts counts;
    const CollectingSink some = Decode(f.bytes, f.bytes.size(), false, wanted, &counts);
    std::vector<std::string> expected;
    for (const std::string& fields : all.fields) {
      const uint32_t id = static_cast<uint32_t>(std::stoul(fields.substr(fields.find(" id=") + 4)));
      if (wanted(id)) expected.push_back(fields);
    }
    // Records whose event ID only a full read tells (template-less ones) are read in full, then
    // dropped by the sink: here they arrive, since this sink's Wants is only asked before decoding.
    std::vector<std::string> got;
    for (const std::string& fields : some.fields) {
      const uint32_t id = static_cast<uint32_t>(std::stoul(fields.substr(fields.find(" id=") + 4)));
      if (wanted(id)) got.push_back(fields);
    }
    Check(got == expected, f.name + ": the wanted records");
    Check(some.codes == all.codes, f.name + ": the same problems");
    skipped += counts.skipped;
  }
  Check(skipped > 3000, "most records are skipped by their event ID: " + std::to_string(skipped));
}

TEST_CASE("evtx decoder: a chunk read from its first byte gives the records it gives in the whole file") {
  for (const EvtxFile& f : EvtxFixtures()) {
    if (f.bytes.size() < evtx::kFileHeaderSize + 2 * evtx::kChunkSize) continue;
    const CollectingSink whole = Decode(f.bytes, f.bytes.size(), false);
    // The file header, then only the second chunk: a bookmark inside it resumes at its first byte.
    const std::string second = f.bytes.substr(0, evtx::kFileHeaderSize) +
                               f.bytes.substr(evtx::kFileHeaderSize + evtx::kChunkSize, evtx::kChunkSize);
    const CollectingSink alone = Decode(second, second.size(), false);
    std::vector<std::string> expected;
    for (const std::string& fields : whole.fields) {
      uint64_t start = std::stoull(fields);
      if (start >= evtx::kFileHeaderSize + evtx::kChunkSize && start < evtx::kFileHeaderSize + 2 * evtx::kChunkSize) {
        // The same record, at the offset it has in the shorter input.
        expected.push_back(std::to_string(start - evtx::kChunkSize) + fields.substr(fields.find('-'), 1) +
                           std::to_string(std::stoull(fields.substr(fields.find('-') + 1)) - evtx::kChunkSize) +
                           fields.substr(fields.find(' ')));
      }
    }
    Check(alone.fields == expected, f.name + ": the second chunk alone");
  }
}
