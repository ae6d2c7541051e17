#include "batch.h"

#include <cmath>
#include <cstring>

#include "event_classes.h"

namespace wfp {
namespace {

constexpr uint32_t kInitialTableSize = 1024;

uint32_t Hash(std::string_view s) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

double Number(const std::optional<uint64_t>& v) { return v ? static_cast<double>(*v) : NAN; }
double Number(const std::optional<uint32_t>& v) { return v ? static_cast<double>(*v) : NAN; }

}  // namespace

BatchBuilder::BatchBuilder() { Start(); }

void BatchBuilder::Start() {
  batch_ = Batch{};
  batch_.strings.reserve(64 * 1024);
  batch_.numbers.reserve(64 * 1024);
  stringCount_ = 0;
  offsets_.clear();
  table_.assign(kInitialTableSize, 0);
}

Batch BatchBuilder::Take() {
  Batch out = std::move(batch_);
  Start();
  return out;
}

void BatchBuilder::Grow() {
  std::vector<uint32_t> bigger(table_.size() * 2, 0);
  const uint32_t mask = static_cast<uint32_t>(bigger.size() - 1);
  for (uint32_t i = 0; i < stringCount_; ++i) {
    uint32_t end = i + 1 < stringCount_ ? offsets_[i + 1] - 1 : static_cast<uint32_t>(batch_.strings.size());
    std::string_view s(batch_.strings.data() + offsets_[i], end - offsets_[i]);
    uint32_t slot = Hash(s) & mask;
    while (bigger[slot]) slot = (slot + 1) & mask;
    bigger[slot] = i + 1;
  }
  table_.swap(bigger);
}

double BatchBuilder::Intern(std::string_view s) {
  std::string cleaned;
  if (std::memchr(s.data(), '\0', s.size())) {  // NUL separates strings on the wire
    for (char c : s) {
      if (c == '\0') cleaned.append("\xEF\xBF\xBD");
      else cleaned.push_back(c);
    }
    s = cleaned;
  }
  const uint32_t mask = static_cast<uint32_t>(table_.size() - 1);
  uint32_t slot = Hash(s) & mask;
  while (uint32_t entry = table_[slot]) {
    uint32_t i = entry - 1;
    uint32_t end = i + 1 < stringCount_ ? offsets_[i + 1] - 1 : static_cast<uint32_t>(batch_.strings.size());
    if (end - offsets_[i] == s.size() && std::memcmp(batch_.strings.data() + offsets_[i], s.data(), s.size()) == 0)
      return i;
    slot = (slot + 1) & mask;
  }
  if (stringCount_ > 0) batch_.strings.push_back('\0');
  offsets_.push_back(static_cast<uint32_t>(batch_.strings.size()));
  batch_.strings.append(s);
  table_[slot] = ++stringCount_;
  if (stringCount_ * 2 > table_.size()) Grow();
  return stringCount_ - 1;
}

void BatchBuilder::Add(const BlockEvent& e) {
  const EventRecord& r = *e.record;
  std::vector<double>& n = batch_.numbers;
  const size_t at = n.size();
  n.resize(at + kHeaderSlots + 2 * r.data.size());
  double* s = n.data() + at;
  auto str = [&](const std::optional<std::string_view>& v) { return v ? Intern(*v) : -1.0; };
  auto endpoint = [&](const Endpoint& ep, Slot address, Slot port) {
    s[address] = ep.present ? Intern(ep.address) : -1.0;
    s[port] = Number(ep.port);
  };

  s[kEventId] = r.eventId;
  s[kRecordId] = static_cast<double>(r.recordId);
  s[kTimeMs] = e.timeMs;
  s[kVersion] = r.version;
  s[kComputer] = Intern(r.computer);
  s[kKind] = Intern(kKindNames[static_cast<size_t>(e.kind)]);
  s[kAction] = Intern(kActionNames[static_cast<size_t>(e.action)]);
  s[kDirection] = e.direction == Direction::None ? -1.0 : Intern(kDirectionNames[static_cast<size_t>(e.direction)]);
  s[kProtocol] = Number(e.protocol);
  s[kProtocolName] = e.protocolName.empty() ? -1.0 : Intern(e.protocolName);
  s[kPid] = Number(e.pid);
  s[kApplication] = str(e.application);
  endpoint(e.source, kSourceAddress, kSourcePort);
  endpoint(e.destination, kDestAddress, kDestPort);
  s[kLocal] = static_cast<double>(e.local);
  s[kRemote] = static_cast<double>(e.remote);
  s[kFilterId] = Number(e.filterId);
  s[kFilterOrigin] = str(e.filterOrigin);
  s[kLayerId] = Number(e.layerId);
  s[kLayerName] = str(e.layerName);
  s[kInterfaceIndex] = Number(e.interfaceIndex);
  s[kDataCount] = static_cast<double>(r.data.size());
  double* d = s + kHeaderSlots;
  for (size_t i = 0; i < r.data.size(); ++i) {
    const DataField& f = r.data[i];
    // An unnamed <Data> element is keyed by its position, so no value is dropped.
    d[2 * i] = f.name.empty() ? Intern(std::to_string(i)) : Intern(f.name);
    d[2 * i + 1] = Intern(f.value);
  }
  ++batch_.events;
}

void BatchBuilder::AddIssue(BatchIssue issue) {
  issue.atEvent = batch_.events;
  batch_.issues.push_back(std::move(issue));
}

}  // namespace wfp
