// Builds .evtx bytes token by token for the native unit tests: a chunk's BinXML (each name inline the
// first time the chunk uses it, each template defined by the first record that uses it), records,
// valid checksums, and the file header. For the cases no real file has: optional and array
// substitutions written on purpose, borrowed names, hostile counts, sizes, offsets and nesting.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "evtx/evtx_layout.h"
#include "model/event_source.h"
#include "util/crc32.h"

namespace wfp::test {

struct TestValue {
  uint8_t type;
  std::string bytes;
};

inline std::string Utf16Bytes(const std::u16string& s) {
  return std::string(reinterpret_cast<const char*>(s.data()), s.size() * 2);
}

template <typename T>
std::string LeBytes(T v) {
  return std::string(reinterpret_cast<const char*>(&v), sizeof v);
}

class ChunkWriter {
 public:
  ChunkWriter() : c(evtx::kChunkSize, 0) { std::memcpy(c.data(), evtx::kChunkSignature, 8); }

  std::vector<uint8_t> c;
  uint32_t at = evtx::kChunkHeaderSize;

  void U8(uint8_t v) { c.at(at++) = v; }
  void U16(uint16_t v) { Raw(&v, 2); }
  void U32(uint32_t v) { Raw(&v, 4); }
  void U64(uint64_t v) { Raw(&v, 8); }
  void Raw(const void* p, size_t n) {
    if (at + n > c.size()) throw std::runtime_error("chunk full");
    std::memcpy(c.data() + at, p, n);
    at += static_cast<uint32_t>(n);
  }
  void Raw(const std::string& s) { Raw(s.data(), s.size()); }
  void Put32(uint32_t where, uint32_t v) { std::memcpy(c.data() + where, &v, 4); }

  // A name: inline the first time, then by the offset of that first one.
  void Name(const std::u16string& name) {
    auto known = names_.find(name);
    if (known != names_.end()) return U32(known->second);
    U32(at + 4);
    names_[name] = at;
    U32(0);
    U16(0);
    U16(static_cast<uint16_t>(name.size()));
    Raw(Utf16Bytes(name));
    U16(0);
  }
  // A name at an offset of the caller's choosing (a borrowed or hostile one).
  void NameAt(uint32_t offset) { U32(offset); }
  uint32_t NameOffset(const std::u16string& name) const { return names_.at(name); }

  void Open(const std::u16string& name, bool attributes = false, bool dependency = true) {
    U8(attributes ? 0x41 : 0x01);
    if (dependency) U16(0xFFFF);
    U32(0);
    Name(name);
    if (attributes) U32(0);
  }
  void Attr(const std::u16string& name) {
    U8(0x06);
    Name(name);
  }
  void CloseStart() { U8(0x02); }
  void CloseEmpty() { U8(0x03); }
  void End() { U8(0x04); }
  void Text(const std::u16string& s) {
    U8(0x05);
    U8(0x01);
    U16(static_cast<uint16_t>(s.size()));
    Raw(Utf16Bytes(s));
  }
  void Sub(uint16_t index, uint8_t type, bool optional = false) {
    U8(optional ? 0x0E : 0x0D);
    U16(index);
    U8(type);
  }
  void FragmentHeader() {
    U8(0x0F);
    U8(1);
    U8(1);
    U8(0);
  }
  void Eof() { U8(0x00); }

  // `<element>` with one substitution as its text.
  void SubElement(const std::u16string& name, uint16_t index, uint8_t type, bool optional = false) {
    Open(name);
    CloseStart();
    Sub(index, type, optional);
    End();
  }

  // A template instance: the definition inline the first time `key` is used in this chunk.
  void Instance(int key, const std::function<void()>& definition, const std::vector<TestValue>& values) {
    U8(0x0C);
    U8(1);
    U32(static_cast<uint32_t>(key));
    auto known = templates_.find(key);
    if (known != templates_.end()) {
      U32(known->second);
    } else {
      U32(at + 4);
      templates_[key] = at;
      U32(0);                                                               // next definition
      for (int i = 0; i < 16; ++i) U8(static_cast<uint8_t>(key * 16 + i));  // identifier
      const uint32_t sizeAt = at;
      U32(0);
      const uint32_t start = at;
      FragmentHeader();
      definition();
      Eof();
      Put32(sizeAt, at - start);
    }
    Values(values);
  }
  void Values(const std::vector<TestValue>& values) {
    U32(static_cast<uint32_t>(values.size()));
    for (const TestValue& v : values) {
      U16(static_cast<uint16_t>(v.bytes.size()));
      U8(v.type);
      U8(0);
    }
    for (const TestValue& v : values) Raw(v.bytes);
  }
  uint32_t TemplateOffset(int key) const { return templates_.at(key); }

  // A record: its header, the BinXML `body` writes, and the copy of its size. Returns its offset.
  uint32_t Record(uint64_t id, const std::function<void()>& body) {
    const uint32_t start = at;
    U32(evtx::kRecordSignature);
    U32(0);
    U64(id);
    U64(0);
    body();
    while ((at + 4 - start) % 8) U8(0);
    const uint32_t size = at + 4 - start;
    U32(size);
    Put32(start + 4, size);
    if (!records_) firstId_ = id;
    lastId_ = id;
    lastRecord_ = start;
    ++records_;
    return start;
  }

  // The header: record numbers and identifiers, offsets, both checksums.
  std::vector<uint8_t> Done() {
    std::vector<uint8_t> out = c;
    auto put64 = [&](size_t where, uint64_t v) { std::memcpy(out.data() + where, &v, 8); };
    auto put32 = [&](size_t where, uint32_t v) { std::memcpy(out.data() + where, &v, 4); };
    put64(evtx::kChunkFirstRecordNumber, firstId_);
    put64(evtx::kChunkLastRecordNumber, lastId_);
    put64(evtx::kChunkFirstRecordId, firstId_);
    put64(evtx::kChunkLastRecordId, lastId_);
    put32(40, 128);
    put32(evtx::kChunkLastRecordOffset, lastRecord_);
    put32(evtx::kChunkFreeSpaceOffset, at);
    put32(evtx::kChunkRecordsChecksum, Crc32(out.data() + evtx::kChunkHeaderSize, at - evtx::kChunkHeaderSize));
    put32(evtx::kChunkHeaderChecksum, Crc32(out.data() + 128, 384, Crc32(out.data(), 120)));
    return out;
  }

 private:
  std::map<std::u16string, uint32_t> names_;
  std::map<int, uint32_t> templates_;
  uint64_t firstId_ = 0, lastId_ = 0;
  uint32_t lastRecord_ = 0, records_ = 0;
};

// A file: a valid header counting the chunks, then the chunks.
inline std::string BuildFile(const std::vector<std::vector<uint8_t>>& chunks) {
  std::string file(evtx::kFileHeaderSize, '\0');
  std::memcpy(&file[0], evtx::kFileSignature, 8);
  uint64_t last = chunks.empty() ? 0 : chunks.size() - 1;
  std::memcpy(&file[evtx::kFileLastChunk], &last, 8);
  file[32] = static_cast<char>(128);
  file[evtx::kFileMinorVersion] = 1;
  file[evtx::kFileMajorVersion] = 3;
  file[41] = 0x10;  // header block size 4096
  const uint16_t count = static_cast<uint16_t>(chunks.size());
  std::memcpy(&file[evtx::kFileChunkCount], &count, 2);
  const uint32_t crc = Crc32(file.data(), 120);
  std::memcpy(&file[evtx::kFileChecksum], &crc, 4);
  for (const auto& chunk : chunks) file.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
  return file;
}

// What a decoder gives for a file: each record's XML (and its fields), each problem with its offset.
class CollectingSink final : public RecordSink {
 public:
  explicit CollectingSink(bool xml = true, std::function<bool(uint32_t)> wants = nullptr)
      : xml_(xml), wants_(std::move(wants)) {}
  void OnRecord(const EventRecord& r, const Position& at) override {
    xml.emplace_back(r.xml);
    std::string f = std::to_string(at.offset) + "-" + std::to_string(at.end) + " id=" + std::to_string(r.eventId) +
                    " rec=" + std::to_string(r.recordId) + " time=" + std::string(r.systemTime);
    for (const DataField& d : r.data) f += " {" + std::string(d.name) + "=" + std::string(d.value) + "}";
    fields.push_back(f);
    transcript += "record " + f + "\n";
  }
  void OnEvent(const BlockEvent&, const Position&) override {}
  void OnIssue(Issue issue) override {
    codes.emplace_back(issue.code->name);
    offsets.push_back(issue.offset);
    messages.push_back(issue.message);
    transcript += std::string(issue.code->name) + " @" + std::to_string(issue.offset) + " " + issue.message + "\n";
  }
  void OnGap(std::string) override {}
  void OnStartAfter(uint32_t, uint64_t) override {}
  void OnIdle() override {}
  std::optional<std::chrono::milliseconds> IdleTimeout() const override { return std::nullopt; }
  bool Stopping() const override { return false; }
  bool Wants(uint32_t id) const override { return !wants_ || wants_(id); }
  bool WantsXml() const override { return xml_; }

  std::vector<std::string> xml, fields, codes, messages;
  std::vector<int64_t> offsets;
  std::string transcript;

 private:
  bool xml_;
  std::function<bool(uint32_t)> wants_;
};

}  // namespace wfp::test
