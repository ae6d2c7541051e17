#include "pipeline/batch.h"

#include <chrono>
#include <cmath>
#include <cstring>

#include "util/same_bytes.h"

namespace wfp {
namespace {

constexpr uint32_t kInitialTableSize = 1024;

uint64_t HasZeroByte(uint64_t w) { return (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull; }

// Eight bytes at a time: every string of every event is hashed, so byte-wise FNV cost too much. Also
// tells whether `s` holds a NUL byte, which separates strings on the wire.
uint32_t Hash(std::string_view s, bool& hasNul) {
  constexpr uint64_t kMul = 0xff51afd7ed558ccdull;
  uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
  const char* p = s.data();
  size_t n = s.size();
  uint64_t zero = 0;
  for (; n >= 8; p += 8, n -= 8) {
    const uint64_t w = Load64(p);
    zero |= HasZeroByte(w);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  }
  // The last 0-7 bytes, read as overlapping words: every byte read belongs to the string.
  uint64_t tail = 0;
  if (n >= 4) {
    tail = Load32(p) | static_cast<uint64_t>(Load32(p + n - 4)) << 32;
    zero |= HasZeroByte(tail);
  } else if (n > 0) {
    const unsigned char a = static_cast<unsigned char>(p[0]), b = static_cast<unsigned char>(p[n / 2]),
                        c = static_cast<unsigned char>(p[n - 1]);
    tail = a | static_cast<uint64_t>(b) << 8 | static_cast<uint64_t>(c) << 16;
    zero |= !a || !b || !c;
  }
  hasNul = zero != 0;
  h = (h ^ tail) * kMul;
  return static_cast<uint32_t>(h ^ (h >> 32));
}

double Number(const std::optional<uint64_t>& v) { return v ? static_cast<double>(*v) : NAN; }
double Number(const std::optional<uint32_t>& v) { return v ? static_cast<double>(*v) : NAN; }

}  // namespace

BatchBuilder::BatchBuilder() { Start(); }

void BatchBuilder::Start() {
  batch_ = Batch{};
  if (text_) {
    batch_.text.reserve(kTextBatchBytes + kTextBatchBytes / 4);
  } else {
    batch_.strings.reserve(64 * 1024);
    batch_.numbers.reserve(64 * 1024);
  }
  stored_.clear();
  table_.assign(kInitialTableSize, 0);
  for (Recent& r : recent_) r.valid = false;
  for (int32_t& i : kindNames_) i = -1;
  for (int32_t& i : actionNames_) i = -1;
  for (int32_t& i : directionNames_) i = -1;
  for (int32_t& i : decidedByNames_) i = -1;
  for (int32_t& i : changeNames_) i = -1;
  for (int32_t& i : sidesByNames_) i = -1;
}

Batch BatchBuilder::Take() {
  Batch out = std::move(batch_);
  Start();
  return out;
}

std::string_view BatchBuilder::StringAt(uint32_t i) const {
  return std::string_view(batch_.strings.data() + stored_[i].offset, stored_[i].length);
}

void BatchBuilder::Grow() {
  std::vector<uint32_t> bigger(table_.size() * 2, 0);
  const uint32_t mask = static_cast<uint32_t>(bigger.size() - 1);
  for (uint32_t i = 0; i < stored_.size(); ++i) {
    uint32_t slot = stored_[i].hash & mask;
    while (bigger[slot]) slot = (slot + 1) & mask;
    bigger[slot] = i + 1;
  }
  table_.swap(bigger);
}

uint32_t BatchBuilder::Intern(std::string_view s) {
  bool hasNul = false;
  uint32_t hash = Hash(s, hasNul);
  std::string cleaned;
  if (hasNul) {
    for (char c : s) {
      if (c == '\0')
        cleaned.append("\xEF\xBF\xBD");
      else
        cleaned.push_back(c);
    }
    s = cleaned;
    hash = Hash(s, hasNul);
  }
  const uint32_t mask = static_cast<uint32_t>(table_.size() - 1);
  uint32_t slot = hash & mask;
  while (const uint32_t entry = table_[slot]) {
    const Stored& known = stored_[entry - 1];
    if (known.hash == hash && known.length == s.size() &&
        SameBytes(batch_.strings.data() + known.offset, s.data(), s.size()))
      return entry - 1;
    slot = (slot + 1) & mask;
  }
  if (!stored_.empty()) batch_.strings.push_back('\0');
  stored_.push_back(Stored{static_cast<uint32_t>(batch_.strings.size()), static_cast<uint32_t>(s.size()), hash});
  batch_.strings.append(s);
  const uint32_t count = static_cast<uint32_t>(stored_.size());
  table_[slot] = count;
  if (count * 2 > table_.size()) Grow();
  return count - 1;
}

double BatchBuilder::InternName(int32_t& cached, std::string_view name) {
  if (cached < 0) cached = static_cast<int32_t>(Intern(name));
  return cached;
}

double BatchBuilder::InternAt(size_t position, std::string_view s) {
  // Records of one kind repeat most values at the same place (field names, the computer, "S-1-0-0"),
  // so comparing with what was last interned there usually spares the hash lookup.
  if (position >= recent_.size()) recent_.resize(position + 1);
  Recent& r = recent_[position];
  if (r.valid && r.length == s.size() && SameBytes(batch_.strings.data() + r.offset, s.data(), s.size()))
    return r.index;
  const uint32_t index = Intern(s);
  // A string stored cleaned (it held NUL) differs from the input: never match it by its bytes.
  r = Recent{stored_[index].offset, static_cast<uint32_t>(s.size()), index, stored_[index].length == s.size()};
  return index;
}

void BatchBuilder::Add(const BlockEvent& e, const Position& at) {
  AddEvent(e, 0, NAN, NAN);
  double* s = batch_.numbers.data() + last_;
  if (at.end != kNoOffset && at.offset != kNoOffset) {
    s[kInput] = at.inputIndex;
    s[kEnd] = static_cast<double>(at.end);
  }
}

void BatchBuilder::AddFold(const BlockEvent& e, uint64_t count, double firstMs, double lastMs, uint64_t epoch,
                           uint64_t index) {
  AddEvent(e, count, firstMs, lastMs);
  double* s = batch_.numbers.data() + last_;
  s[kEpoch] = static_cast<double>(epoch);
  s[kEpochIndex] = static_cast<double>(index);
}

void BatchBuilder::AddEvent(const BlockEvent& e, uint64_t count, double firstMs, double lastMs) {
  const EventRecord& r = *e.record;
  std::vector<double>& n = batch_.numbers;
  const size_t at = n.size();
  last_ = at;
  n.resize(at + kHeaderSlots + 2 * r.data.size());
  double* s = n.data() + at;

  // The EventData fields first: the string slots that are views of their values then reuse them.
  s[kDataCount] = static_cast<double>(r.data.size());
  double* d = s + kHeaderSlots;
  for (size_t i = 0; i < r.data.size(); ++i) {
    const DataField& f = r.data[i];
    // An unnamed <Data> element is keyed by its position, so no value is dropped.
    d[2 * i] = f.name.empty() ? Intern(std::to_string(i)) : InternAt(kHeaderSlots + 2 * i, f.name);
    d[2 * i + 1] = InternAt(kHeaderSlots + 2 * i + 1, f.value);
  }
  // String slots use their own slot number as the InternAt position.
  auto view = [&](Slot slot, std::string_view v) {
    for (size_t i = 0; i < r.data.size(); ++i)
      if (r.data[i].value.data() == v.data() && r.data[i].value.size() == v.size()) return d[2 * i + 1];
    return InternAt(slot, v);
  };
  auto str = [&](Slot slot, const std::optional<std::string_view>& v) { s[slot] = v ? view(slot, *v) : -1.0; };
  auto endpoint = [&](const Endpoint& ep, Slot address, Slot port) {
    s[address] = ep.present ? view(address, ep.address) : -1.0;
    s[port] = Number(ep.port);
  };

  s[kEventId] = r.eventId;
  s[kRecordId] = static_cast<double>(r.recordId);
  s[kRecordIdText] = RecordIdNeedsText(r.recordId) ? Intern(std::to_string(r.recordId)) : -1.0;
  s[kTimeMs] = count ? firstMs : e.timeMs;
  s[kVersion] = r.version;
  s[kComputer] = InternAt(kComputer, r.computer);
  s[kKind] = InternName(kindNames_[static_cast<size_t>(e.kind)], kKindNames[static_cast<size_t>(e.kind)]);
  s[kAction] = InternName(actionNames_[static_cast<size_t>(e.action)], kActionNames[static_cast<size_t>(e.action)]);
  const size_t direction = static_cast<size_t>(e.direction);
  s[kDirection] =
      e.direction == Direction::None ? -1.0 : InternName(directionNames_[direction], kDirectionNames[direction]);
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
  auto owned = [&](Slot slot, const std::optional<std::string>& v) { s[slot] = v ? InternAt(slot, *v) : -1.0; };
  owned(kApplicationPath, x ? x->applicationPath : std::nullopt);
  owned(kFilterName, x ? x->filterName : std::nullopt);
  owned(kFilterDescription, x ? x->filterDescription : std::nullopt);
  owned(kFilterProvider, x ? x->filterProvider : std::nullopt);
  owned(kRuleName, x ? x->ruleName : std::nullopt);
  owned(kRuleGroup, x ? x->ruleGroup : std::nullopt);
  owned(kRuleDirection, x ? x->ruleDirection : std::nullopt);
  owned(kRuleAction, x ? x->ruleAction : std::nullopt);
  owned(kRuleStore, x ? x->ruleStore : std::nullopt);
  owned(kProcessName, x ? x->processName : std::nullopt);
  owned(kServices, x ? x->services : std::nullopt);
  auto system = [&](Slot slot, std::string_view v) { s[slot] = v.empty() ? -1.0 : InternAt(slot, v); };
  system(kProvider, r.provider);
  system(kProviderGuid, r.providerGuid);
  system(kChannel, r.channel);
  system(kLevel, r.level);
  system(kTask, r.task);
  system(kOpcode, r.opcode);
  system(kKeywords, r.keywords);
  system(kActivityId, r.activityId);
  system(kUserId, r.userId);
  system(kWriterProcessId, r.writerProcessId);
  system(kWriterThreadId, r.writerThreadId);
  system(kTimeCreated, r.systemTime);
  const size_t decidedBy = static_cast<size_t>(e.decidedBy);
  s[kDecidedBy] = InternName(decidedByNames_[decidedBy], kDecidedByNames[decidedBy]);
  str(kRuleId, e.ruleId);
  const ChangeNote* c = e.lastChange;
  auto note = [&](Slot slot, const std::optional<std::string>& v) { s[slot] = c && v ? InternAt(slot, *v) : -1.0; };
  if (c) {
    const size_t kind = static_cast<size_t>(c->kind);
    s[kChange] = InternName(changeNames_[kind], kChangeNames[kind]);
  } else {
    s[kChange] = -1.0;
  }
  s[kChangeEventId] = c ? c->eventId : NAN;
  s[kChangeRecordId] = c ? static_cast<double>(c->recordId) : NAN;
  s[kChangeTimeMs] = c ? c->timeMs : NAN;
  note(kChangeName, c ? c->name : std::nullopt);
  note(kChangeUserSid, c ? c->userSid : std::nullopt);
  note(kChangeUserName, c ? c->userName : std::nullopt);
  note(kChangeApplication, c ? c->application : std::nullopt);
  s[kCount] = count ? static_cast<double>(count) : NAN;
  s[kInput] = s[kEnd] = s[kEpoch] = s[kEpochIndex] = NAN;
  s[kFirstTimeMs] = firstMs;
  s[kLastTimeMs] = lastMs;
  const size_t sidesBy = static_cast<size_t>(e.sidesBy);
  s[kSidesBy] = e.sidesBy == SidesBy::None ? -1.0 : InternName(sidesByNames_[sidesBy], kSidesByNames[sidesBy]);
  const NetEventDetails* ne = e.netEvent;
  owned(kUserSid, ne ? ne->userSid : std::nullopt);
  owned(kPackageSid, ne ? ne->packageSid : std::nullopt);
  s[kLoopback] = ne && ne->loopback ? (*ne->loopback ? 1.0 : 0.0) : NAN;
  s[kReauthReason] = ne ? Number(ne->reauthReason) : NAN;
  s[kOriginalProfile] = ne ? Number(ne->originalProfile) : NAN;
  s[kCurrentProfile] = ne ? Number(ne->currentProfile) : NAN;
  str(kBookmark, e.bookmark);
  ++batch_.events;
}

void BatchBuilder::AddFormatted(EventFormat format, const BlockEvent& event, const Fold& fold, FormatContext& context) {
  if (format == EventFormat::Otel) {
    context.nowMs = static_cast<double>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
  }
  text_ = true;
  AppendFormatted(format, event, fold, context, batch_.text);
  ++batch_.events;
}

void BatchBuilder::AddPolicyChange(BatchPolicyChange change) {
  change.atEvent = batch_.events;
  batch_.policyChanges.push_back(std::move(change));
}

void BatchBuilder::AddRuleChange(const RuleChange& c, std::vector<BatchProgress> progress) {
  const EventRecord& r = *c.record;
  BatchRuleChange out;
  out.atEvent = batch_.events;
  out.progress = std::move(progress);
  out.eventId = r.eventId;
  out.recordId = r.recordId;
  out.timeMs = c.timeMs;
  out.kind = c.kind;
  out.channel = c.channel;
  out.computer = std::string(r.computer);
  auto field = [&](const char* name, const std::optional<std::string_view>& v) {
    if (v) out.fields.emplace_back(name, std::string(*v));
  };
  field("ruleId", c.ruleId);
  field("key", c.key);
  field("name", c.name);
  field("profiles", c.profiles);
  field("setting", c.setting);
  field("value", c.value);
  field("providerKey", c.providerKey);
  field("providerName", c.providerName);
  field("userSid", c.userSid);
  field("userName", c.userName);
  field("application", c.application);
  field("reason", c.reason);
  for (const auto& [name, value] : c.values) out.values.emplace_back(std::string(name), value);
  for (size_t i = 0; i < r.data.size(); ++i) {
    const DataField& f = r.data[i];
    out.data.emplace_back(f.name.empty() ? std::to_string(i) : std::string(f.name), std::string(f.value));
  }
  out.filterId = c.filterId ? static_cast<double>(*c.filterId) : NAN;
  out.pid = c.pid ? static_cast<double>(*c.pid) : NAN;
  batch_.ruleChanges.push_back(std::move(out));
}

void BatchBuilder::AddGap(std::string message) { batch_.gaps.push_back(BatchGap{batch_.events, std::move(message)}); }

void BatchBuilder::AddIssue(Issue issue) { batch_.issues.push_back(BatchIssue{batch_.events, std::move(issue)}); }

void BatchBuilder::AddInput(BatchInput input) {
  input.atEvent = batch_.events;
  batch_.inputs.push_back(std::move(input));
}

void BatchBuilder::AddEpoch(BatchEpoch epoch) { batch_.epochs.push_back(std::move(epoch)); }

void BatchBuilder::AddProgress(std::vector<BatchProgress> progress) {
  batch_.progress.push_back(Batch::ProgressMark{batch_.events, std::move(progress)});
}

}  // namespace wfp
