#include "evtx/evtx_decoder.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "evtx/evtx_layout.h"
#include "util/crc32.h"

namespace wfp {
namespace {

using namespace evtx;

std::string Hex32(uint32_t v) {
  char buf[12];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

bool AllZero(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (p[i]) return false;
  return true;
}

}  // namespace

bool EvtxDecoder::Matches(std::string_view head) {
  return head.size() >= kSignatureBytes && std::memcmp(head.data(), kFileSignature, kSignatureBytes) == 0;
}

uint64_t EvtxDecoder::ChunkOffset() const { return kFileHeaderSize + chunk_ * kChunkSize; }

std::string EvtxDecoder::ChunkName() const {
  return "chunk " + std::to_string(chunk_) + " (at offset " + std::to_string(ChunkOffset()) + ")";
}

void EvtxDecoder::Report(RecordSink& sink, const ErrorCode& code, const std::string& message, uint64_t offset) {
  sawContent_ = true;
  sink.OnIssue(Issue{&code, message, input_, static_cast<int64_t>(offset)});
}

void EvtxDecoder::Feed(const char* data, size_t size, RecordSink& sink) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(data);
  fed_ += size;
  while (size && !sink.Stopping()) {
    if (!headerRead_) {
      const size_t take = std::min(size, kFileHeaderSize - pending_.size());
      pending_.insert(pending_.end(), p, p + take);
      p += take;
      size -= take;
      if (pending_.size() < kFileHeaderSize) continue;
      ReadHeader(pending_.data(), sink);
      headerRead_ = true;
      pending_.clear();
      continue;
    }
    if (pending_.empty() && size >= kChunkSize) {  // a whole chunk in the caller's buffer: read it there
      ReadChunk(p, kChunkSize, sink);
      ++chunk_;
      p += kChunkSize;
      size -= kChunkSize;
      continue;
    }
    if (pending_.capacity() < kChunkSize) pending_.reserve(kChunkSize);
    const size_t take = std::min(size, kChunkSize - pending_.size());
    pending_.insert(pending_.end(), p, p + take);
    p += take;
    size -= take;
    if (pending_.size() < kChunkSize) continue;
    ReadChunk(pending_.data(), kChunkSize, sink);
    ++chunk_;
    pending_.clear();
  }
}

void EvtxDecoder::Finish(RecordSink& sink) {
  if (sink.Stopping()) return;
  if (!headerRead_) {
    Report(sink, kErrEvtxTruncated,
           "the file ends inside its header, after " + std::to_string(pending_.size()) + " of " +
               std::to_string(kFileHeaderSize) + " bytes",
           pending_.size());
  } else if (!pending_.empty()) {
    const bool isChunk = pending_.size() >= sizeof kChunkSignature &&
                         std::memcmp(pending_.data(), kChunkSignature, sizeof kChunkSignature) == 0;
    cutAt_ = 0;
    ReadChunk(pending_.data(), pending_.size(), sink);
    if (isChunk && !sink.Stopping())
      Report(sink, kErrEvtxTruncated,
             "the file ends inside " + ChunkName() + ", after " + std::to_string(pending_.size()) + " of its " +
                 std::to_string(kChunkSize) + " bytes: the records wholly inside it were read" +
                 (cutAt_ ? ", the record at offset " + std::to_string(ChunkOffset() + cutAt_) + " is cut short" : ""),
             ChunkOffset() + (cutAt_ ? cutAt_ : pending_.size()));
    pending_.clear();
  }
  if (!sawContent_ && !sink.Stopping())
    sink.OnIssue(Issue{&kErrEmptyInput, "the .evtx file holds no event record", input_});
}

void EvtxDecoder::ReadHeader(const uint8_t* h, RecordSink& sink) {
  const uint32_t flags = U32(h + kFileFlags);
  checksums_ = !(flags & kFileFlagNoChecksums);
  headerChunks_ = U16(h + kFileChunkCount);
  if (!Matches(std::string_view(reinterpret_cast<const char*>(h), kSignatureBytes))) {
    Report(sink, kErrEvtxHeader, "no .evtx file signature: every chunk is read all the same", 0);
    headerChunks_ = UINT64_MAX;
  } else if (checksums_ && Crc32(h, kFileChecksum - 4) != U32(h + kFileChecksum)) {
    Report(sink, kErrEvtxHeader,
           "the file header's checksum " + Hex32(U32(h + kFileChecksum)) + " does not match its bytes (" +
               Hex32(Crc32(h, kFileChecksum - 4)) + "): its values are not used, every chunk is read",
           0);
    headerChunks_ = UINT64_MAX;
  }
  const uint16_t major = U16(h + kFileMajorVersion);
  if (major != 3)
    Report(sink, kErrEvtxHeader,
           "format version " + std::to_string(major) + "." + std::to_string(U16(h + kFileMinorVersion)) +
               " (3.1 and 3.2 are known): read as 3.x",
           kFileMajorVersion);
}

uint32_t EvtxDecoder::RecordAt(const uint8_t* c, uint32_t at, uint32_t limit) const {
  if (limit - at < kRecordMinSize || U32(c + at) != kRecordSignature) return 0;
  const uint32_t size = U32(c + at + kRecordSize);
  if (size < kRecordMinSize || size > limit - at || U32(c + at + size - 4) != size) return 0;
  return size;
}

void EvtxDecoder::ReadChunk(const uint8_t* c, size_t size, RecordSink& sink) {
  const uint64_t base = ChunkOffset();
  if (size < kChunkHeaderSize) return;  // a file cut inside this chunk's header: Finish reports it
  if (std::memcmp(c, kChunkSignature, sizeof kChunkSignature) != 0) {
    // Zero bytes are a chunk never used; past the chunks the header counts, so is anything else
    // unless a record starts where the first one would.
    const bool used = chunk_ < headerChunks_ || U32(c + kChunkHeaderSize) == kRecordSignature;
    if (used && !AllZero(c, size))
      Report(sink, kErrEvtxChunk, ChunkName() + " has no chunk signature: its records are skipped", base);
    return;
  }
  ++counts_.chunks;
  const bool whole = size == kChunkSize;
  bool headerSound = true;
  if (checksums_) {
    const uint32_t crc = Crc32(c + 128, kChunkHeaderSize - 128, Crc32(c, 120));
    if (crc != U32(c + kChunkHeaderChecksum)) {
      headerSound = false;
      Report(sink, kErrEvtxChecksum,
             ChunkName() + ": the header checksum " + Hex32(U32(c + kChunkHeaderChecksum)) +
                 " does not match its bytes (" + Hex32(crc) + "); its records are read where their own structure holds",
             base);
    }
  }
  uint32_t limit = static_cast<uint32_t>(size);
  const uint32_t freeSpace = U32(c + kChunkFreeSpaceOffset);
  if (freeSpace >= kChunkHeaderSize && freeSpace <= kChunkSize) {
    limit = std::min(limit, freeSpace);
    if (checksums_ && whole && headerSound) {
      const uint32_t crc = Crc32(c + kChunkHeaderSize, freeSpace - kChunkHeaderSize);
      if (crc != U32(c + kChunkRecordsChecksum))
        Report(sink, kErrEvtxChecksum,
               ChunkName() + ": the records checksum " + Hex32(U32(c + kChunkRecordsChecksum)) +
                   " does not match their bytes (" + Hex32(crc) + "); they are read where their own structure holds",
               base + kChunkRecordsChecksum);
    }
  } else {
    Report(sink, kErrEvtxChunk,
           ChunkName() + ": its free space offset " + std::to_string(freeSpace) +
               " is outside the chunk; records are looked for up to the chunk's end",
           base + kChunkFreeSpaceOffset);
  }
  const uint64_t firstId = U64(c + kChunkFirstRecordId), lastId = U64(c + kChunkLastRecordId);
  const bool idsKnown = headerSound && firstId <= lastId;

  binxml_.StartChunk(c, size);
  uint64_t previousId = 0;
  bool any = false;
  uint32_t at = kChunkHeaderSize;
  while (limit - at >= kRecordMinSize && !sink.Stopping()) {
    if (const uint32_t recordSize = RecordAt(c, at, limit)) {
      previousId = U64(c + at + kRecordId);
      any = true;
      ReadRecord(c, at, recordSize, sink);
      at += recordSize;
      continue;
    }
    const uint32_t claimed = U32(c + at + kRecordSize);
    if (U32(c + at) == kRecordSignature && !whole && claimed >= kRecordMinSize && claimed > size - at) {
      cutAt_ = at;  // the file ends inside this record
      return;
    }
    if (AllZero(c + at, limit - at)) return;  // zero bytes up to the free space: no more records
    std::string what;
    if (U32(c + at) != kRecordSignature)
      what = "no record where the previous one ends";
    else if (claimed < kRecordMinSize || claimed > limit - at)
      what = "record " + std::to_string(U64(c + at + kRecordId)) + " claims a size of " + std::to_string(claimed) +
             " bytes, which does not fit the chunk";
    else
      what = "record " + std::to_string(U64(c + at + kRecordId)) + ": its size (" + std::to_string(claimed) +
             ") and the copy of its size at its end (" + std::to_string(U32(c + at + claimed - 4)) +
             ") differ: the record was not completely written";
    Report(sink, kErrEvtxRecord,
           ChunkName() + ", offset " + std::to_string(base + at) + ": " + what +
               "; the rest of the chunk is searched for the next record",
           base + at);
    // Records are 8-byte aligned; a record found here must come later in the chunk's range.
    uint32_t next = at + 8;
    for (; limit - next >= kRecordMinSize; next += 8) {
      if (U32(c + next) != kRecordSignature || !RecordAt(c, next, limit)) continue;
      const uint64_t id = U64(c + next + kRecordId);
      if ((!any || id > previousId) && (!idsKnown || (id >= firstId && id <= lastId))) break;
    }
    at = next;
  }
}

void EvtxDecoder::ReadRecord(const uint8_t* c, uint32_t at, uint32_t size, RecordSink& sink) {
  const uint32_t begin = at + kRecordHeaderSize, end = at + size - 4;
  const uint64_t offset = ChunkOffset() + at;
  sawContent_ = true;
  const bool wantsXml = sink.WantsXml();
  if (!wantsXml) {
    const std::optional<uint32_t> eventId = binxml_.PeekEventId(begin, end);
    if (eventId && !sink.Wants(*eventId)) {
      ++counts_.skipped;
      return;
    }
  }
  std::string why;
  bool ok;
  if (wantsXml) {  // the sink takes the XML alone: by the template's plan where it has one, else by the walk
    record_.Clear();
    planned_.clear();
    if (renderer_.Render(binxml_, begin, end, planned_)) {
      record_.xml = planned_.view();
      ok = true;
    } else {
      xml_.clear();
      writer_.Start(xml_);
      ok = binxml_.ReadEvent(begin, end, writer_, why);
      record_.xml = xml_;
    }
  } else {
    builder_.Start(record_, binxml_.arena());
    ok = binxml_.ReadEvent(begin, end, builder_, why);
  }
  if (!ok) {
    Report(sink, kErrEvtxBinXml,
           ChunkName() + ", record " + std::to_string(U64(c + at + kRecordId)) + " at offset " +
               std::to_string(offset) + ": its BinXML cannot be read (" + why + "); the record is skipped",
           offset);
    return;
  }
  ++counts_.records;
  sink.OnRecord(record_, Position{input_, index_, offset, offset + size});
}

}  // namespace wfp
