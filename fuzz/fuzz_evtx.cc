// libFuzzer target for the .evtx reader: arbitrary bytes as a whole file (when they start with the
// file signature) or as chunks after a valid file header, read with and without XML rendering, whole
// and in pieces of a size the input chooses. Checks what the reader promises: positions and problem
// offsets inside the input, the same records and problems however the bytes are split, and for every
// record whose XML is well formed, that reading that XML back through the XML reader gives the same
// record (the .evtx path and the XML path agree), and that each record's XML by its template's plan is
// the walk's, byte for byte. Seeded with real chunks by scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "evtx/evtx_decoder.h"
#include "evtx/evtx_layout.h"
#include "evtx_xml_compare.h"
#include "util/crc32.h"
#include "xml/xml_event_reader.h"

namespace {

std::string Fields(const wfp::EventRecord& r) {
  std::string out = "provider=" + std::string(r.provider) + (r.hasProvider ? "" : "(none)") +
                    " id=" + std::to_string(r.eventId) + (r.hasEventId ? "" : "(none)") +
                    " record=" + std::to_string(r.recordId) + (r.hasRecordId ? "" : "(none)") +
                    " version=" + std::to_string(r.version) + " invalid=" + std::string(r.invalidField);
  for (std::string_view v : {r.providerGuid, r.computer, r.channel, r.systemTime, r.level, r.task, r.opcode, r.keywords,
                             r.activityId, r.userId, r.writerProcessId, r.writerThreadId})
    out += " [" + std::string(v) + "]";
  for (const wfp::DataField& d : r.data) out += " {" + std::string(d.name) + "=" + std::string(d.value) + "}";
  return out;
}

// Letters, digits, '-', '.', ':' ('_' is what the writer puts for what no name may hold: not plain).
bool NameChar(char c, bool first) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == ':' ||
         (!first && ((c >= '0' && c <= '9') || c == '-' || c == '.'));
}

// Whether the writer's one-line XML uses only plain names (real records always do): then the XML
// reader must read it as the same record. Names of other bytes would not be XML at all.
bool PlainNames(std::string_view xml) {
  if (xml.find("<?") != std::string_view::npos) return false;
  for (size_t i = 0; i < xml.size(); ++i) {
    if (xml[i] != '<') continue;
    size_t j = i + 1;
    if (j < xml.size() && xml[j] == '/') ++j;
    while (true) {
      const size_t start = j;
      while (j < xml.size() && NameChar(xml[j], j == start)) ++j;
      if (j == start) return false;
      if (j >= xml.size()) return false;
      if (xml[j] == '>' || xml[j] == '/') break;
      if (xml[j] == '=' && start != i + 1) {  // an attribute's value: skip it
        const size_t close = xml.find('\'', j + 2);
        if (close == std::string_view::npos) return false;
        j = close + 1;
      }
      if (j < xml.size() && (xml[j] == '>' || xml[j] == '/')) break;
      if (j >= xml.size() || xml[j] != ' ') return false;
      ++j;
    }
  }
  return true;
}

class CheckingSink final : public wfp::RecordSink {
 public:
  CheckingSink(uint64_t size, bool xml, bool skipSome) : size_(size), xml_(xml), skipSome_(skipSome) {}
  void OnRecord(const wfp::EventRecord& record, const wfp::Position& at) override {
    if (at.offset >= at.end || at.end > size_) std::abort();
    transcript += "record " + std::to_string(at.offset) + "-" + std::to_string(at.end) + "\n";
    if (!xml_) {
      fields.push_back(Fields(record));
      return;
    }
    if (record.xml.empty() || record.xml.find('\n') != std::string_view::npos) std::abort();
    xml.emplace_back(record.xml);
  }
  void OnEvent(const wfp::BlockEvent&, const wfp::Position&) override { std::abort(); }
  void OnIssue(wfp::Issue issue) override {
    if (issue.message.empty() || !issue.code) std::abort();
    if (issue.offset > static_cast<int64_t>(size_)) std::abort();
    transcript += std::string(issue.code->name) + " " + std::to_string(issue.offset) + " " + issue.message + "\n";
  }
  void OnGap(std::string) override {}
  void OnStartAfter(uint32_t, uint64_t) override {}
  void OnIdle() override {}
  std::optional<std::chrono::milliseconds> IdleTimeout() const override { return std::nullopt; }
  bool Stopping() const override { return false; }
  bool Wants(uint32_t eventId) const override { return !skipSome_ || eventId % 3 != 1; }
  bool WantsXml() const override { return xml_; }

  std::string transcript;
  std::vector<std::string> fields, xml;

 private:
  uint64_t size_;
  bool xml_, skipSome_;
};

CheckingSink Read(const std::vector<uint8_t>& file, size_t piece, bool xml, bool skipSome = false) {
  CheckingSink sink(file.size(), xml, skipSome);
  wfp::EvtxDecoder decoder("fuzz", 0);
  for (size_t at = 0; at < file.size(); at += piece)
    decoder.Feed(reinterpret_cast<const char*>(file.data() + at), std::min(piece, file.size() - at), sink);
  decoder.Finish(sink);
  return sink;
}

// A record's XML, read back by the XML reader, gives the record the .evtx path gave (when its names
// are plain and the XML reader takes it: real records always).
void CheckRoundTrip(const std::string& xml, const std::string& fields) {
  if (!PlainNames(xml)) return;
  wfp::XmlEventReader reader;
  reader.Append(xml.data(), xml.size());
  wfp::EventRecord back;
  wfp::ReadIssue issue;
  uint64_t offset = 0;
  if (reader.Next(true, back, issue, offset) != wfp::XmlEventReader::Step::Record) return;  // e.g. nested too deeply
  const std::string got = Fields(back);
  if (reader.Next(true, back, issue, offset) != wfp::XmlEventReader::Step::NeedMore) return;
  if (got != fields) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t control = data[0];
  std::vector<uint8_t> file;
  if (size - 1 >= 8 && std::memcmp(data + 1, wfp::evtx::kFileSignature, 8) == 0) {
    file.assign(data + 1, data + size);
  } else {
    // A valid file header, then the input as chunks.
    file.assign(wfp::evtx::kFileHeaderSize, 0);
    std::memcpy(file.data(), wfp::evtx::kFileSignature, 8);
    file[32] = 128;
    file[36] = 1;
    file[38] = 3;
    file[41] = 0x10;
    file[42] = 1;
    const uint32_t crc = wfp::Crc32(file.data(), 120);
    std::memcpy(file.data() + 124, &crc, 4);
    file.insert(file.end(), data + 1, data + size);
  }
  // Whole, and in pieces of 1 to 4096 bytes: the same records and problems; with XML, the same
  // records again, each reading back to the same fields; skipping by event ID, a subset.
  const size_t piece = size_t{1} << (control % 13);
  const CheckingSink whole = Read(file, file.size(), false);
  if (Read(file, piece, false).transcript != whole.transcript) std::abort();
  const CheckingSink xml = Read(file, file.size(), true);
  if (xml.transcript != whole.transcript) std::abort();
  for (size_t i = 0; i < xml.xml.size(); ++i) CheckRoundTrip(xml.xml[i], whole.fields[i]);
  if (Read(file, file.size(), false, true).fields.size() > whole.fields.size()) std::abort();
  wfp::test::PlanAndWalk both;
  wfp::test::ComparePlanAndWalk(file.data(), file.size(), both);
  if (!both.difference.empty()) std::abort();
  return 0;
}
