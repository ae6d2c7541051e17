#include "batch.h"

#include <cmath>
#include <cstring>

#include "event_classes.h"

namespace wfp {
namespace {

constexpr uint32_t kInitialTableSize = 1024;

// Eight bytes at a time: every string of every event is hashed, so byte-wise FNV cost too much.
uint32_t Hash(std::string_view s) {
  constexpr uint64_t kMul = 0xff51afd7ed558ccdull;
  uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
  const char* p = s.data();
  size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  }
  uint64_t tail = 0;
  for (size_t i = 0; i < n; ++i) tail |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  h = (h ^ tail) * kMul;
  return static_cast<uint32_t>(h ^ (h >> 32));
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
  for (Recent& r : recent_) r.valid = false;
}

Batch BatchBuilder::Take() {
  Batch out = std::move(batch_);
  Start();
  return out;
}

std::string_view BatchBuilder::StringAt(uint32_t i) const {
  const uint32_t end = i + 1 < stringCount_ ? offsets_[i + 1] - 1 : static_cast<uint32_t>(batch_.strings.size());
  return std::string_view(batch_.strings.data() + offsets_[i], end - offsets_[i]);
}

void BatchBuilder::Grow() {
  std::vector<uint32_t> bigger(table_.size() * 2, 0);
  const uint32_t mask = static_cast<uint32_t>(bigger.size() - 1);
  for (uint32_t i = 0; i < stringCount_; ++i) {
    std::string_view s = StringAt(i);
    uint32_t slot = Hash(s) & mask;
    while (bigger[slot]) slot = (slot + 1) & mask;
    bigger[slot] = i + 1;
  }
  table_.swap(bigger);
}

uint32_t BatchBuilder::Intern(std::string_view s) {
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
    if (StringAt(i) == s) return i;
    slot = (slot + 1) & mask;
  }
  if (stringCount_ > 0) batch_.strings.push_back('\0');
  offsets_.push_back(static_cast<uint32_t>(batch_.strings.size()));
  batch_.strings.append(s);
  table_[slot] = ++stringCount_;
  if (stringCount_ * 2 > table_.size()) Grow();
  return stringCount_ - 1;
}

double BatchBuilder::InternAt(size_t position, std::string_view s) {
  // Records of one kind repeat most values at the same place (field names, the computer, "S-1-0-0"),
  // so comparing with what was last interned there usually spares the hash lookup.
  if (position >= recent_.size()) recent_.resize(position + 1);
  Recent& r = recent_[position];
  if (r.valid && r.length == s.size() && std::memcmp(batch_.strings.data() + r.offset, s.data(), s.size()) == 0)
    return r.index;
  const uint32_t index = Intern(s);
  // A string stored cleaned (it held NUL) differs from the input: never match it by its bytes.
  r = Recent{offsets_[index], static_cast<uint32_t>(s.size()), index, StringAt(index).size() == s.size()};
  return index;
}

void BatchBuilder::Add(const BlockEvent& e) { Add(e, 0, NAN, NAN); }

void BatchBuilder::Add(const BlockEvent& e, uint64_t count, double firstMs, double lastMs) {
  const EventRecord& r = *e.record;
  std::vector<double>& n = batch_.numbers;
  const size_t at = n.size();
  n.resize(at + kHeaderSlots + 2 * r.data.size());
  double* s = n.data() + at;
  // String slots use their own slot number as the InternAt position; data fields come after them.
  auto str = [&](Slot slot, const std::optional<std::string_view>& v) { s[slot] = v ? InternAt(slot, *v) : -1.0; };
  auto endpoint = [&](const Endpoint& ep, Slot address, Slot port) {
    s[address] = ep.present ? InternAt(address, ep.address) : -1.0;
    s[port] = Number(ep.port);
  };

  s[kEventId] = r.eventId;
  s[kRecordId] = static_cast<double>(r.recordId);
  s[kTimeMs] = e.timeMs;
  s[kVersion] = r.version;
  s[kComputer] = InternAt(kComputer, r.computer);
  s[kKind] = InternAt(kKind, kKindNames[static_cast<size_t>(e.kind)]);
  s[kAction] = InternAt(kAction, kActionNames[static_cast<size_t>(e.action)]);
  s[kDirection] = e.direction == Direction::None ? -1.0 : InternAt(kDirection, kDirectionNames[static_cast<size_t>(e.direction)]);
  s[kProtocol] = Number(e.protocol);
  s[kProtocolName] = e.protocolName.empty() ? -1.0 : InternAt(kProtocolName, e.protocolName);
  s[kPid] = Number(e.pid);
  str(kApplication, e.application);
  endpoint(e.source, kSourceAddress, kSourcePort);
  endpoint(e.destination, kDestAddress, kDestPort);
  s[kLocal] = static_cast<double>(e.local);
  s[kRemote] = static_cast<double>(e.remote);
  s[kFilterId] = Number(e.filterId);
  str(kFilterOrigin, e.filterOrigin);
  s[kLayerId] = Number(e.layerId);
  str(kLayerName, e.layerName);
  s[kInterfaceIndex] = Number(e.interfaceIndex);
  const Enrichment* x = e.enrichment;
  auto owned = [&](Slot slot, const std::optional<std::string>& v) { s[slot] = x && v ? InternAt(slot, *v) : -1.0; };
  owned(kApplicationPath, x ? x->applicationPath : std::nullopt);
  owned(kFilterName, x ? x->filterName : std::nullopt);
  owned(kFilterDescription, x ? x->filterDescription : std::nullopt);
  owned(kFilterProvider, x ? x->filterProvider : std::nullopt);
  owned(kRuleName, x ? x->ruleName : std::nullopt);
  owned(kProcessName, x ? x->processName : std::nullopt);
  owned(kServices, x ? x->services : std::nullopt);
  s[kCount] = count ? static_cast<double>(count) : NAN;
  s[kFirstTimeMs] = firstMs;
  s[kLastTimeMs] = lastMs;
  s[kDataCount] = static_cast<double>(r.data.size());
  double* d = s + kHeaderSlots;
  for (size_t i = 0; i < r.data.size(); ++i) {
    const DataField& f = r.data[i];
    // An unnamed <Data> element is keyed by its position, so no value is dropped.
    d[2 * i] = f.name.empty() ? Intern(std::to_string(i)) : InternAt(kHeaderSlots + 2 * i, f.name);
    d[2 * i + 1] = InternAt(kHeaderSlots + 2 * i + 1, f.value);
  }
  ++batch_.events;
}

void BatchBuilder::AddPolicyChange(BatchPolicyChange change) {
  change.atEvent = batch_.events;
  batch_.policyChanges.push_back(std::move(change));
}

void BatchBuilder::AddIssue(BatchIssue issue) {
  issue.atEvent = batch_.events;
  batch_.issues.push_back(std::move(issue));
}

}  // namespace wfp
