#include "pipeline/event_formats.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>
#include <vector>

#include "model/event_catalog.h"
#include "model/record_values.h"
#include "model/rule_change.h"
#include "pipeline/event_filter.h"
#include "util/json_text.h"
#include "util/sha1.h"

namespace wfp {
namespace {

using sv = std::string_view;

// ---- the values as JavaScript holds them -------------------------------------------------------

// A string as the batch hands it to JavaScript (NUL as U+FFFD, invalid UTF-8 as U+FFFD), for
// comparing keys; the formats themselves escape the original bytes the same way.
std::string JsString(sv s) {
  bool plain = true;
  for (char c : s) plain = plain && c != '\0' && static_cast<unsigned char>(c) < 0x80;
  if (plain) return std::string(s);
  std::string nul;
  for (char c : s) {
    if (c == '\0')
      nul.append("\xEF\xBF\xBD");
    else
      nul.push_back(c);
  }
  return WellFormedUtf8(nul);
}

// An array index, as JavaScript orders an object's keys: such keys come first, ascending.
bool IsArrayIndex(sv key, uint32_t& index) {
  if (key.empty() || key.size() > 10 || (key.size() > 1 && key[0] == '0')) return false;
  uint64_t v = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v >= 4294967295ull) return false;
  index = static_cast<uint32_t>(v);
  return true;
}

struct DataEntry {
  sv key;    // as JavaScript holds it: a view of the record, or of JsData's own copy
  sv value;  // the first one assigned
};

bool NeedsJsString(sv s) {
  for (char c : s)
    if (c == '\0' || static_cast<unsigned char>(c) >= 0x80) return true;
  return false;
}

// `data` as lib/decode.ts builds it: unnamed fields keyed by position, a repeated name keeps its
// first place and its first value (as the typed fields do), array-index keys first, `__proto__` a
// field like any other. A record's usual few dozen fields live inside the object (no allocation).
class JsData {
 public:
  explicit JsData(const EventRecord& r) {
    entries_ =
        r.data.size() <= kInline ? reinterpret_cast<DataEntry*>(inline_) : (heap_.resize(r.data.size()), heap_.data());
    if (!Plain(r)) Build(r);
  }
  JsData(const JsData&) = delete;
  JsData& operator=(const JsData&) = delete;
  const DataEntry* begin() const { return entries_; }
  const DataEntry* end() const { return entries_ + size_; }

 private:
  static constexpr size_t kInline = 48;
  static constexpr size_t kMaxSlots = 128;  // at most kInline names: a table under half full

  // Most records: every name plain ASCII, not an array index, none repeated. Repeats are found in a
  // small hash table of each name's size and first bytes (its bytes compared only when those agree).
  bool Plain(const EventRecord& r) {
    if (r.data.size() > kInline) return false;
    struct Slot {
      uint64_t signature;
      uint32_t field;  // + 1; 0: empty
    };
    // A power of two at least twice the names; only that much of the table is cleared.
    size_t slotCount = 16;
    int shift = 60;  // the hash's top bits index the table
    for (; slotCount < 2 * r.data.size(); slotCount *= 2) --shift;
    Slot slots[kMaxSlots];
    std::memset(slots, 0, slotCount * sizeof(Slot));
    for (size_t i = 0; i < r.data.size(); ++i) {
      const sv name = r.data[i].name;
      if (name.empty() || (name[0] >= '0' && name[0] <= '9') || NeedsJsString(name)) return false;
      uint64_t signature = static_cast<uint64_t>(name.size()) << 56;
      std::memcpy(&signature, name.data(), std::min<size_t>(name.size(), 7));
      size_t at = static_cast<size_t>((signature * 0x9E3779B97F4A7C15ull) >> shift);
      for (; slots[at].field; at = (at + 1) & (slotCount - 1))
        if (slots[at].signature == signature && r.data[slots[at].field - 1].name == name) return false;
      slots[at] = Slot{signature, static_cast<uint32_t>(i + 1)};
      new (&entries_[i]) DataEntry{name, r.data[i].value};
    }
    size_ = r.data.size();
    return true;
  }

  void Build(const EventRecord& r) {
    size_ = 0;
    owned_.reserve(r.data.size());  // never reallocated below: keys point into it
    bool indexKeys = false;
    for (size_t i = 0; i < r.data.size(); ++i) {
      const DataField& f = r.data[i];
      DataEntry entry{f.name, f.value};
      if (f.name.empty())
        entry.key = owned_.emplace_back(std::to_string(i));
      else if (NeedsJsString(f.name))
        entry.key = owned_.emplace_back(JsString(f.name));
      bool seen = false;
      for (size_t k = 0; k < size_ && !seen; ++k) seen = entries_[k].key == entry.key;
      if (seen) continue;
      uint32_t index;
      indexKeys = indexKeys || IsArrayIndex(entry.key, index);
      new (&entries_[size_++]) DataEntry(entry);
    }
    if (indexKeys) {
      std::stable_sort(entries_, entries_ + size_, [](const DataEntry& a, const DataEntry& b) {
        uint32_t x = 0, y = 0;
        const bool ax = IsArrayIndex(a.key, x), bx = IsArrayIndex(b.key, y);
        if (ax != bx) return ax;
        return ax && x < y;
      });
    }
  }

  alignas(DataEntry) unsigned char inline_[kInline * sizeof(DataEntry)];  // left unwritten until used
  std::vector<DataEntry> heap_;                                           // more fields than fit inside
  std::vector<std::string> owned_;  // keys that differ from the record's bytes (a position, NUL, bad UTF-8)
  DataEntry* entries_ = nullptr;
  size_t size_ = 0;
};

// decode.ts's #number(): the trimmed text when it is all digits, as a JavaScript number.
std::optional<double> SystemNumber(sv text) {
  while (!text.empty() && (text.front() == ' ' || (text.front() >= '\t' && text.front() <= '\r')))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || (text.back() >= '\t' && text.back() <= '\r'))) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  // Up to 15 digits the value is exact as a double; beyond, strtod rounds as JavaScript's Number() does.
  return text.size() <= 15 ? static_cast<double>(v) : std::strtod(std::string(text).c_str(), nullptr);
}

double Num(uint64_t v) { return static_cast<double>(v); }

// String(event.recordId) in JavaScript, where recordId is a number or, above 2^53, decimal text.
std::string RecordIdText(uint64_t recordId) {
  if (RecordIdNeedsText(recordId)) return std::to_string(recordId);
  std::string id;
  AppendJsNumber(id, Num(recordId));
  return id;
}

// Node's net.isIP(): an IPv4 address, or an IPv6 one (with a zone).
int JsIsIp(sv address) {
  if (address.find(':') == sv::npos) return address.find('%') == sv::npos && ParseIpAddress(address) ? 4 : 0;
  return ParseIpAddress(address) ? 6 : 0;
}

// ---- a small JSON writer -----------------------------------------------------------------------

// Writes one line at the end of `out` through a pointer, making room ahead of what it writes (the
// most a value can take: util/json_text.h), and commits what was written when it goes.
class Json {
 public:
  explicit Json(TextBuffer& out) : out_(out), p_(out.Room(kSlack)), end_(p_ + kSlack) {}
  ~Json() { out_.Commit(p_); }
  Json(const Json&) = delete;
  Json& operator=(const Json&) = delete;

  Json& Open() { return Raw('{'), first_ = true, *this; }
  Json& Close() { return Raw('}'), first_ = false, *this; }
  Json& OpenArray() { return Raw('['), first_ = true, *this; }
  Json& CloseArray() { return Raw(']'), first_ = false, *this; }
  // One of this file's own keys: plain ASCII, written as it is (a literal's size is known here, so
  // its copy is a few moves).
  template <size_t N>
  Json& Key(const char (&key)[N]) {
    Need(N + 3);
    Comma();
    *p_++ = '"';
    std::memcpy(p_, key, N - 1);
    p_ += N - 1;
    *p_++ = '"';
    *p_++ = ':';
    return *this;
  }
  Json& Key(sv key) {
    Need(key.size() + 4);
    Comma();
    *p_++ = '"';
    Copy(key);
    *p_++ = '"';
    *p_++ = ':';
    return *this;
  }
  // A key from the record (a data field's name): escaped.
  Json& DataKey(sv key) {
    Need(JsonStringMax(key.size()) + 2);
    Comma();
    Quoted(key);
    *p_++ = ':';
    return *this;
  }
  Json& Item() {
    Need(1);
    Comma();
    return *this;
  }
  // One of this file's own strings: plain ASCII, copied as it is with its quotes.
  template <size_t N>
  Json& Str(const char (&v)[N]) {
    Need(N + 1);
    *p_ = '"';
    std::memcpy(p_ + 1, v, N - 1);
    p_[N] = '"';
    p_ += N + 1;
    return after(), *this;
  }
  Json& Str(sv v) {
    Need(JsonStringMax(v.size()));
    Quoted(v);
    return after(), *this;
  }
  Json& Num(double v) {
    Need(kJsNumberMax);
    p_ = WriteJsNumber(p_, v);
    return after(), *this;
  }
  Json& Null() { return Literal("null"); }
  // JSON text of this file's own, as it is: a literal's size is known here, so its copy is a few moves.
  template <size_t N>
  Json& Literal(const char (&text)[N]) {
    Need(N - 1);
    std::memcpy(p_, text, N - 1);
    p_ += N - 1;
    return after(), *this;
  }
  Json& Literal(sv text) { return Need(text.size()), Copy(text), after(), *this; }
  // A string's characters escaped, without its quotes (a key built of a literal prefix and a name).
  Json& Chars(sv text) {
    Need(JsonStringMax(text.size()));
    p_ = WriteJsonChars(p_, text);
    return *this;
  }
  // A string written piece by piece: its quotes, with Chars(), Number() and TimeChars() between.
  Json& OpenString() { return Raw('"'); }
  Json& CloseString() { return Raw('"'), after(), *this; }
  Json& TimeChars(double ms) {
    Need(kIsoTimeMax);
    p_ = WriteIsoTime(p_, ms);
    return *this;
  }
  // A number's digits, nothing else (a number inside a string of this file's own).
  Json& Number(double v) {
    Need(kJsNumberMax);
    p_ = WriteJsNumber(p_, v);
    return *this;
  }
  Json& Bool(bool v) { return Literal(v ? "true" : "false"); }
  Json& Time(double ms) {
    Need(kIsoTimeMax + 2);
    *p_++ = '"';
    p_ = WriteIsoTime(p_, ms);
    *p_++ = '"';
    return after(), *this;
  }
  template <typename T>
  Json& OptNum(const std::optional<T>& v) {
    return v ? Num(static_cast<double>(*v)) : Null();
  }
  Json& OptStr(const std::optional<sv>& v) { return v ? Str(*v) : Null(); }
  // A number as the text String(v) gives (OTLP's intValue).
  Json& NumText(double v) {
    Need(kJsNumberMax + 2);
    *p_++ = '"';
    p_ = WriteJsNumber(p_, v);
    *p_++ = '"';
    return after(), *this;
  }
  // The end of the line.
  void End() { Raw('\n'); }

 private:
  static constexpr size_t kSlack = 2048;  // grown by at least this much: a growth or two a line
  Json& Raw(char c) { return Need(1), *p_++ = c, *this; }
  // `v` as a JSON string: most are plain, and copied eight bytes at a time without a call.
  void Quoted(sv v) {
    if (char* end = CopyJsonPlain(p_ + 1, v)) {
      *p_ = '"';
      *end++ = '"';
      p_ = end;
    } else {
      p_ = WriteJsonString(p_, v);
    }
  }
  void Copy(sv text) {
    std::memcpy(p_, text.data(), text.size());
    p_ += text.size();
  }
  void Comma() {
    if (!first_) *p_++ = ',';
    first_ = false;
  }
  void Need(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) Grow(n);
  }
  void Grow(size_t n) {
    out_.Commit(p_);
    p_ = out_.Room(n + kSlack);
    end_ = p_ + n + kSlack;
  }
  void after() { first_ = false; }
  TextBuffer& out_;
  char* p_;
  char* end_;
  bool first_ = true;
};

// ---- json: the BlockEvent ----------------------------------------------------------------------

void Endpoint_(Json& j, const Endpoint& e) {
  if (!e.present) {
    j.Null();
    return;
  }
  j.Open().Key("address").Str(e.address).Key("port").OptNum(e.port).Close();
}

const Endpoint* SideOf(const BlockEvent& e, Side side) {
  if (side == Side::Source) return &e.source;
  if (side == Side::Destination) return &e.destination;
  return nullptr;
}

void AppendJson(const BlockEvent& e, const Fold& fold, const JsData& data, TextBuffer& out) {
  const EventRecord& r = *e.record;
  Json j(out);
  j.Open();
  j.Key("eventId").Num(r.eventId).Key("recordId");
  if (RecordIdNeedsText(r.recordId))
    j.Str(std::to_string(r.recordId));
  else
    j.Num(Num(r.recordId));
  j.Key("time").Time(e.timeMs);
  j.Key("computer").Str(r.computer).Key("version").Num(r.version);
  j.Key("action")
      .Str(kActionNames[static_cast<size_t>(e.action)])
      .Key("kind")
      .Str(kKindNames[static_cast<size_t>(e.kind)]);
  j.Key("direction");
  if (e.direction == Direction::None)
    j.Null();
  else
    j.Str(kDirectionNames[static_cast<size_t>(e.direction)]);
  j.Key("protocol").OptNum(e.protocol).Key("protocolName");
  if (e.protocolName.empty())
    j.Null();
  else
    j.Str(e.protocolName);
  j.Key("pid").OptNum(e.pid).Key("application").OptStr(e.application);
  j.Key("source");
  Endpoint_(j, e.source);
  j.Key("destination");
  Endpoint_(j, e.destination);
  for (auto [name, side] : {std::pair<sv, Side>{"local", e.local}, {"remote", e.remote}}) {
    j.Key(name);
    const Endpoint* ep = SideOf(e, side);
    if (ep)
      Endpoint_(j, *ep);
    else
      j.Null();
  }
  j.Key("sidesBy");
  if (e.sidesBy == SidesBy::None)
    j.Null();
  else
    j.Str(kSidesByNames[static_cast<size_t>(e.sidesBy)]);
  j.Key("filterId").OptNum(e.filterId).Key("filterOrigin").OptStr(e.filterOrigin);
  j.Key("layerId").OptNum(e.layerId).Key("layerName").OptStr(e.layerName);
  j.Key("interfaceIndex").OptNum(e.interfaceIndex);
  j.Key("decidedBy").Str(kDecidedByNames[static_cast<size_t>(e.decidedBy)]).Key("ruleId").OptStr(e.ruleId);
  j.Key("data").Open();
  for (const DataEntry& d : data) j.DataKey(d.key).Str(d.value);
  j.Close();
  auto text = [&](const auto& key, sv v) {
    j.Key(key);
    if (v.empty())
      j.Null();
    else
      j.Str(v);
  };
  auto number = [&](const auto& key, sv v) {
    j.Key(key);
    std::optional<double> n = v.empty() ? std::nullopt : SystemNumber(v);
    if (n)
      j.Num(*n);
    else
      j.Null();
  };
  j.Key("system").Open();
  text("provider", r.provider);
  text("providerGuid", r.providerGuid);
  text("channel", r.channel);
  number("level", r.level);
  number("task", r.task);
  number("opcode", r.opcode);
  text("keywords", r.keywords);
  text("activityId", r.activityId);
  text("userId", r.userId);
  number("processId", r.writerProcessId);
  number("threadId", r.writerThreadId);
  if (!r.systemTime.empty()) j.Key("timeCreated").Str(r.systemTime);
  j.Close();
  if (const Enrichment* x = e.enrichment) {
    auto opt = [](const std::optional<std::string>& s) { return s ? std::optional<sv>(*s) : std::nullopt; };
    if (x->applicationPath) j.Key("applicationPath").Str(*x->applicationPath);
    if (x->filterName || x->filterDescription || x->filterProvider) {
      j.Key("filter")
          .Open()
          .Key("name")
          .OptStr(opt(x->filterName))
          .Key("description")
          .OptStr(opt(x->filterDescription));
      j.Key("provider").OptStr(opt(x->filterProvider)).Close();
    }
    if (x->ruleName) j.Key("ruleName").Str(*x->ruleName);
    if (x->ruleStore) {
      j.Key("rule").Open().Key("group").OptStr(opt(x->ruleGroup)).Key("direction").OptStr(opt(x->ruleDirection));
      j.Key("action").OptStr(opt(x->ruleAction)).Key("store").Str(*x->ruleStore).Close();
    }
    if (x->processName) j.Key("processName").Str(*x->processName);
    if (x->services) {
      j.Key("services").OpenArray();
      sv rest = *x->services;
      for (;;) {
        const size_t comma = rest.find(',');
        j.Item().Str(rest.substr(0, comma));
        if (comma == sv::npos) break;
        rest.remove_prefix(comma + 1);
      }
      j.CloseArray();
    }
  }
  if (const ChangeNote* c = e.lastChange) {
    auto opt = [](const std::optional<std::string>& v) { return v ? std::optional<sv>(*v) : std::nullopt; };
    j.Key("lastChange").Open().Key("eventId").Num(c->eventId).Key("recordId").Num(Num(c->recordId));
    j.Key("time").Time(c->timeMs).Key("change").Str(kChangeNames[static_cast<size_t>(c->kind)]);
    j.Key("name").OptStr(opt(c->name)).Key("user").Open().Key("sid").OptStr(opt(c->userSid));
    j.Key("name").OptStr(opt(c->userName)).Close().Key("application").OptStr(opt(c->application)).Close();
  }
  if (const NetEventDetails* ne = e.netEvent) {
    if (ne->userSid) j.Key("userSid").Str(*ne->userSid);
    if (ne->packageSid) j.Key("packageSid").Str(*ne->packageSid);
    if (ne->loopback) j.Key("loopback").Bool(*ne->loopback);
    if (ne->reauthReason) j.Key("reauthReason").Num(*ne->reauthReason);
    if (ne->originalProfile) j.Key("originalProfile").Num(*ne->originalProfile);
    if (ne->currentProfile) j.Key("currentProfile").Num(*ne->currentProfile);
  }
  if (fold.count)
    j.Key("count").Num(Num(fold.count)).Key("firstTime").Time(fold.firstMs).Key("lastTime").Time(fold.lastMs);
  j.Close().End();
}

// ---- the facts the ECS and OTel mappings share (lib/ecs.ts, lib/windows-names.ts) ---------------

constexpr uint64_t kAuditFailure = 0x10000000000000ull;
constexpr uint64_t kAuditSuccess = 0x20000000000000ull;

// The Keywords value as a number: hex (0x...) or decimal, as strtoull reads it (saturated).
std::optional<uint64_t> KeywordBits(sv keywords) {
  const size_t start = keywords.find_first_not_of(" \t\r\n");
  if (start == sv::npos) return std::nullopt;
  sv text = keywords.substr(start, keywords.find_last_not_of(" \t\r\n") - start + 1);
  const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  if (hex) text.remove_prefix(2);
  if (text.empty()) return std::nullopt;
  const uint64_t base = hex ? 16 : 10;
  uint64_t v = 0;
  bool overflow = false;
  const uint64_t limit = hex ? UINT64_MAX / 16 : UINT64_MAX / 10, lastDigit = hex ? UINT64_MAX % 16 : UINT64_MAX % 10;
  struct DigitValues {
    uint8_t of[256] = {};
    constexpr DigitValues() {
      for (int c = 0; c < 256; ++c)
        of[c] = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : 99;
    }
  };
  static constexpr DigitValues kDigits;
  for (char c : text) {
    const uint64_t d = kDigits.of[static_cast<unsigned char>(c)];
    if (d >= base) return std::nullopt;
    overflow = overflow || v > limit || (v == limit && d > lastDigit);
    v = v * base + d;
  }
  return overflow ? UINT64_MAX : v;
}

// `bits`: KeywordBits() of the record's Keywords.
sv Outcome(const BlockEvent& e, const std::optional<uint64_t>& bits) {
  if (bits && (*bits & kAuditFailure)) return "failure";
  if (bits && (*bits & kAuditSuccess)) return "success";
  const EventInfo* info = FindEvent(e.record->eventId);
  return info && info->outcome == Outcome::Success ? "success" : "failure";
}

// The record's Task by name, when it is one of the WFP subcategories'.
sv RecordTask(const BlockEvent& e) {
  if (std::optional<double> task = SystemNumber(e.record->task)) {
    if (*task == 12809) return "Filtering Platform Packet Drop";
    if (*task == 12810) return "Filtering Platform Connection";
    if (*task == 13572) return "Filtering Platform Policy Change";
  }
  return sv();
}

sv TaskName(const BlockEvent& e) {
  if (sv task = RecordTask(e); !task.empty()) return task;
  return e.kind == Kind::Packet || e.kind == Kind::Mac ? "Filtering Platform Packet Drop"
                                                       : "Filtering Platform Connection";
}

sv Title(uint32_t eventId) {
  const EventInfo* info = FindEvent(eventId);
  return info ? info->title : sv();
}

std::optional<sv> MessageFor(const sv* value) {
  if (!value) return std::nullopt;
  sv v = *value;
  while (!v.empty() && (v.front() == ' ' || (v.front() >= '\t' && v.front() <= '\r'))) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || (v.back() >= '\t' && v.back() <= '\r'))) v.remove_suffix(1);
  if (v.size() < 3 || v[0] != '%' || v[1] != '%') return std::nullopt;
  v.remove_prefix(2);
  uint64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9' || n > 1000000) return std::nullopt;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  return n > UINT32_MAX ? std::nullopt : MessageText(static_cast<uint32_t>(n));
}

std::optional<sv> WellKnownSid(const sv* sid);  // below, with its table

sv LevelName(const BlockEvent& e) {
  std::optional<double> level = SystemNumber(e.record->level);
  if (!level) return sv();
  static constexpr sv kLevels[] = {"information", "critical", "error", "warning", "information", "verbose"};
  return *level >= 0 && *level <= 5 ? kLevels[static_cast<size_t>(*level)] : sv();
}

sv OpcodeName(const BlockEvent& e) {
  std::optional<double> opcode = SystemNumber(e.record->opcode);
  static constexpr sv kOpcodes[] = {"Info",      "Start", "Stop",   "DCStart", "DCStop",
                                    "Extension", "Reply", "Resume", "Suspend", "Send"};
  return opcode && *opcode <= 9 ? kOpcodes[static_cast<size_t>(*opcode)] : sv();
}

sv TransportName(const sv* protocol) {
  static constexpr std::pair<sv, sv> kNames[] = {
      {"1", "icmp"},       {"2", "igmp"},        {"4", "ipv4"},       {"6", "tcp"},   {"8", "egp"},   {"9", "igp"},
      {"12", "pup"},       {"17", "udp"},        {"27", "rdp"},       {"28", "irtp"}, {"33", "dccp"}, {"35", "idpr"},
      {"41", "ipv6"},      {"43", "ipv6-route"}, {"44", "ipv6-frag"}, {"46", "rsvp"}, {"47", "gre"},  {"50", "esp"},
      {"58", "ipv6-icmp"}, {"59", "ipv6-nonxt"}, {"60", "ipv6-opts"},
  };
  if (!protocol) return sv();
  for (const auto& [n, name] : kNames)
    if (n == *protocol) return name;
  return sv();
}

bool IsGuid(sv s) {
  if (!s.empty() && s.front() == '{') s.remove_prefix(1);
  if (!s.empty() && s.back() == '}') s.remove_suffix(1);
  if (s.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    const char c = s[i];
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if ((i == 8 || i == 13 || i == 18 || i == 23) ? c != '-' : !hex) return false;
  }
  return true;
}

// ::ffff:a.b.c.d (optionally in brackets, with a port) as a.b.c.d; nothing for anything else.
std::optional<sv> UnmappedIpv4(sv address) {
  sv a = address;
  if (!a.empty() && a.front() == '[') {
    a.remove_prefix(1);
    const size_t close = a.find(']');
    if (close == sv::npos) return std::nullopt;
    sv after = a.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':' || after.size() < 2) return std::nullopt;
      for (char c : after.substr(1))
        if (c < '0' || c > '9') return std::nullopt;
    }
    a = a.substr(0, close);
  }
  if (a.size() < 7) return std::nullopt;
  std::string prefix(a.substr(0, 7));
  for (char& c : prefix) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (prefix != "::ffff:") return std::nullopt;
  sv v4 = a.substr(7);
  int dots = 0, digits = 0;
  for (char c : v4) {
    if (c == '.') {
      if (!digits) return std::nullopt;
      ++dots, digits = 0;
    } else if (c >= '0' && c <= '9') {
      ++digits;
    } else {
      return std::nullopt;
    }
  }
  if (dots != 3 || !digits) return std::nullopt;
  return v4;
}

// "1:" and the base64 of the flow's SHA-1: 30 characters.
constexpr size_t kCommunityIdSize = 2 + 28;

// Writes the Community ID into `out`; false when the flow has none.
bool CommunityId(uint32_t protocol, const IpAddress& source, const IpAddress& destination, const Endpoint& s,
                 const Endpoint& d, char (&out)[kCommunityIdSize]) {
  // An address's bytes: 4 for IPv4 (also when written as IPv4-mapped IPv6), else 16.
  const uint8_t* src = source.data() + (IsIpv4(source) ? 12 : 0);
  const uint8_t* dst = destination.data() + (IsIpv4(destination) ? 12 : 0);
  const uint8_t* srcEnd = source.data() + source.size();
  const uint8_t* dstEnd = destination.data() + destination.size();
  if (srcEnd - src != dstEnd - dst) return false;
  const size_t size = static_cast<size_t>(srcEnd - src);
  const bool ports = protocol == 6 || protocol == 17 || protocol == 132;
  if (ports && (!s.port || !d.port)) return false;
  uint32_t sport = ports ? *s.port : 0, dport = ports ? *d.port : 0;
  const int order = std::memcmp(src, dst, size);
  if (order > 0 || (order == 0 && ports && sport > dport)) {
    std::swap(src, dst);
    std::swap(sport, dport);
  }
  // The seed (0), the addresses, the protocol, a pad byte and the ports, in network order.
  uint8_t input[2 + 16 + 16 + 2 + 4] = {0, 0};
  size_t n = 2;
  std::memcpy(input + n, src, size), n += size;
  std::memcpy(input + n, dst, size), n += size;
  input[n++] = static_cast<uint8_t>(protocol);
  input[n++] = 0;
  if (ports) {
    for (uint32_t p : {sport, dport}) {
      input[n++] = static_cast<uint8_t>(p >> 8);
      input[n++] = static_cast<uint8_t>(p);
    }
  }
  const std::array<uint8_t, 20> digest = Sha1(input, n);
  out[0] = '1', out[1] = ':';
  WriteBase64(out + 2, digest.data(), digest.size());
  return true;
}

// ---- ecs ---------------------------------------------------------------------------------------

bool IsEmptyValue(sv v) { return v.empty() || v == "-" || v == "{00000000-0000-0000-0000-000000000000}"; }

sv BaseName(sv path) {
  const size_t slash = path.rfind('\\');
  return slash == sv::npos ? path : path.substr(slash + 1);
}

// An endpoint's address (its zone left out) when it is an IP address, as lib/ecs.ts's net.isIP() test.
std::optional<IpAddress> EndpointIp(const Endpoint& ep) {
  if (!ep.present) return std::nullopt;
  return ParseIpAddress(ep.address.substr(0, ep.address.find('%')));
}

// lib/ecs.ts's decisionReason(): what decided the event, in a sentence, with its last change; written
// as a JSON string piece by piece (JavaScript joins strings it has already decoded, so each piece is
// escaped on its own).
void DecisionReason(Json& j, const BlockEvent& e) {
  j.OpenString().Chars(e.action == Action::Block ? "blocked" : "permitted");
  const sv filter = kDecidedByFilterNames[static_cast<size_t>(e.decidedBy)];
  if (e.decidedBy == DecidedBy::Rule) {
    j.Chars(" by firewall rule ").Chars(e.ruleId ? *e.ruleId : sv("null"));
  } else if (!filter.empty()) {
    j.Chars(" by the firewall's ").Chars(filter).Chars(" filter");
  } else if (e.filterId) {
    j.Chars(" by WFP filter ").Number(Num(*e.filterId));
  } else {
    j.Chars(" by the Windows Filtering Platform");
  }
  if (const ChangeNote* c = e.lastChange) {
    j.Chars("; last change: ").Chars(kChangeNames[static_cast<size_t>(c->kind)]);
    if (c->name && !c->name->empty()) j.Chars(" (").Chars(*c->name).Chars(")");
    j.Chars(" at ").TimeChars(c->timeMs);
    // " by " and who: the user (or their SID), " via " the application when there is a user.
    const std::optional<std::string>& user = c->userName ? c->userName : c->userSid;
    const sv who = user ? sv(*user) : sv();
    const sv via = user && c->application ? sv(" via ") : sv();
    const sv application = c->application ? sv(*c->application) : sv();
    if (!who.empty() || !via.empty() || !application.empty()) j.Chars(" by ").Chars(who).Chars(via).Chars(application);
  }
  j.CloseString();
}

void AppendEcs(const BlockEvent& e, const JsData& data, TextBuffer& out) {
  const EventRecord& r = *e.record;
  struct Mapped {
    uint32_t id;
    sv action;
    std::initializer_list<sv> type;
  };
  static const Mapped kMapped[] = {
      {5152, "windows-firewall-packet-drop", {"connection", "info", "denied"}},
      {5156, "windows-firewall-connection", {"connection", "info", "allowed"}},
      {5157, "windows-firewall-packet-block", {"connection", "info", "denied"}},
      {5158, "windows-firewall-bind-local-port", {"info"}},
  };
  const Mapped* mapped = nullptr;
  for (const Mapped& m : kMapped)
    if (m.id == r.eventId) mapped = &m;
  const sv task = RecordTask(e);
  const std::optional<uint64_t> keywordBits = KeywordBits(r.keywords);
  const bool allow = e.action == Action::Allow;
  const sv provider = r.provider.empty() ? sv("Microsoft-Windows-Security-Auditing") : r.provider;
  Json j(out);
  j.Open().Key("@timestamp").Time(e.timeMs).Key("message").Str(Title(r.eventId));
  j.Key("ecs").Open().Key("version").Str("8.11.0").Close();
  j.Key("event").Open().Key("kind").Str("event").Key("category").OpenArray().Item().Str("network").CloseArray();
  j.Key("type").OpenArray();
  if (mapped) {
    for (sv t : mapped->type) j.Item().Str(t);
  } else {
    if (e.kind == Kind::Connection || e.kind == Kind::Packet) j.Item().Str("connection");
    j.Item().Str("info").Item().Str(allow ? "allowed" : "denied");
  }
  j.CloseArray();
  j.Key("code").NumText(r.eventId);
  j.Key("provider")
      .Str(provider)
      .Key("action")
      .Str(mapped          ? mapped->action
           : !task.empty() ? task
                           : TaskName(e))
      .Key("outcome")
      .Str(Outcome(e, keywordBits));
  j.Key("module").Str("system").Key("dataset").Str("system.security").Key("reason");
  DecisionReason(j, e);
  j.Close();
  j.Key("host").Open().Key("name").Str(r.computer).Close();

  // winlog
  j.Key("winlog").Open();
  j.Key("channel").Str(r.channel.empty() ? sv("Security") : r.channel).Key("computer_name").Str(r.computer);
  j.Key("event_id").NumText(r.eventId).Key("record_id").Str(RecordIdText(r.recordId));
  j.Key("provider_name").Str(provider).Key("api").Str("wineventlog");
  j.Key("time_created");
  {
    // rfc3339Nano(): Go's form of the SystemTime (matched trimmed), trailing zeros of the fraction dropped;
    // records from no event log have none, and use the event's time.
    std::string eventTime;
    if (r.systemTime.empty()) AppendIsoTime(eventTime, e.timeMs);
    const sv original = r.systemTime.empty() ? sv(eventTime) : r.systemTime;
    sv t = original;
    while (!t.empty() && (t.front() == ' ' || (t.front() >= '\t' && t.front() <= '\r'))) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || (t.back() >= '\t' && t.back() <= '\r'))) t.remove_suffix(1);
    auto digit = [&](size_t i) { return i < t.size() && t[i] >= '0' && t[i] <= '9'; };
    bool good =
        t.size() >= 19 && t[4] == '-' && t[7] == '-' && (t[10] == 'T' || t[10] == ' ') && t[13] == ':' && t[16] == ':';
    for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u, 11u, 12u, 14u, 15u, 17u, 18u}) good = good && digit(i);
    size_t end = 19;
    sv fraction;
    if (good && end < t.size() && t[end] == '.') {
      size_t k = end + 1;
      while (digit(k)) ++k;
      good = k > end + 1;
      fraction = t.substr(end + 1, k - end - 1);
      end = k;
    }
    if (good && end < t.size() && t[end] == 'Z') ++end;
    if (good && end == t.size()) {
      fraction = fraction.substr(0, 9);
      while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
      char text[32];  // date, 'T', time, '.', nine digits, 'Z'
      size_t n = 0;
      auto put = [&](sv piece) {
        std::memcpy(text + n, piece.data(), piece.size());
        n += piece.size();
      };
      put(t.substr(0, 10)), put("T"), put(t.substr(11, 8));
      if (!fraction.empty()) put("."), put(fraction);
      put("Z");
      j.Str(sv(text, n));
    } else {
      j.Str(original);
    }
  }
  if (!task.empty()) j.Key("task").Str(task);
  if (!r.providerGuid.empty()) j.Key("provider_guid").Str(r.providerGuid);
  if (r.version) j.Key("version").Num(r.version);
  if (const std::optional<uint64_t>& bits = keywordBits) {
    static constexpr std::pair<uint64_t, sv> kKeywords[] = {
        {0x1000000000000ull, "Response Time"},
        {0x4000000000000ull, "WDI Diag"},
        {0x8000000000000ull, "SQM"},
        {0x10000000000000ull, "Audit Failure"},
        {0x20000000000000ull, "Audit Success"},
        {0x40000000000000ull, "Correlation Hint"},
        {0x80000000000000ull, "Classic"},
    };
    bool any = false;
    for (const auto& [bit, name] : kKeywords) {
      if (!(*bits & bit)) continue;
      if (!any) j.Key("keywords").OpenArray();
      any = true;
      j.Item().Str(name);
    }
    if (any) j.CloseArray();
  }
  if (sv opcode = OpcodeName(e); !opcode.empty()) j.Key("opcode").Str(opcode);
  if (!r.activityId.empty()) j.Key("activity_id").Str(r.activityId);
  const std::optional<double> pid = SystemNumber(r.writerProcessId), tid = SystemNumber(r.writerThreadId);
  if ((pid && *pid) || (tid && *tid)) {
    j.Key("process").Open();
    if (pid && *pid) j.Key("pid").Num(*pid);
    if (tid && *tid) j.Key("thread").Open().Key("id").Num(*tid).Close();
    j.Close();
  }
  if (!r.userId.empty()) j.Key("user").Open().Key("identifier").Str(r.userId).Close();
  const sv *directionData = nullptr, *protocolData = nullptr;
  {
    static constexpr sv kMoved[] = {"DestAddress", "SourceAddress", "DestPort", "SourcePort", "Application"};
    bool any = false;
    auto begin = [&] {
      if (!any) j.Key("event_data").Open();
      any = true;
    };
    // The fields read again below, found on the way (each name is there once: JsData keeps the first).
    const sv *layerName = nullptr, *remoteUser = nullptr, *remoteMachine = nullptr;
    for (const DataEntry& d : data) {
      if (d.key == "LayerName") layerName = &d.value;
      if (d.key == "RemoteUserID") remoteUser = &d.value;
      if (d.key == "RemoteMachineID") remoteMachine = &d.value;
      if (d.key == "Direction") directionData = &d.value;
      if (d.key == "Protocol") protocolData = &d.value;
      if (IsEmptyValue(d.value)) continue;
      if (mapped && std::find(std::begin(kMoved), std::end(kMoved), d.key) != std::end(kMoved)) continue;
      begin();
      j.DataKey(d.key).Str(d.value);
    }
    if (std::optional<sv> layer = MessageFor(layerName)) begin(), j.Key("LayerNameDescription").Str(*layer);
    if (std::optional<sv> user = WellKnownSid(remoteUser)) begin(), j.Key("RemoteUserDescription").Str(*user);
    if (std::optional<sv> machine = WellKnownSid(remoteMachine))
      begin(), j.Key("RemoteMachineDescription").Str(*machine);
    if (any) j.Close();
  }
  j.Close();  // winlog

  if (sv level = LevelName(e); !level.empty()) j.Key("log").Open().Key("level").Str(level).Close();

  const std::optional<IpAddress> sourceBytes = EndpointIp(e.source), destinationBytes = EndpointIp(e.destination);
  const std::optional<sv> sourceIp = sourceBytes ? std::optional<sv>(e.source.address) : std::nullopt;
  const std::optional<sv> destinationIp = destinationBytes ? std::optional<sv>(e.destination.address) : std::nullopt;
  {
    bool any = false;
    auto begin = [&] {
      if (!any) j.Key("network").Open();
      any = true;
    };
    // Records from no event log (the firewall log, net events) have no Direction or Protocol data to
    // read them from as the integration does: their typed fields say the same.
    const bool fromLog = !r.channel.empty();
    std::optional<sv> direction = fromLog ? MessageFor(directionData)
                                  : e.direction != Direction::None
                                      ? std::optional<sv>(kDirectionNames[static_cast<size_t>(e.direction)])
                                      : std::nullopt;
    if (direction) {
      std::string lower(*direction);
      for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      begin(), j.Key("direction").Str(lower);
    }
    const std::string typedProtocol = !fromLog && e.protocol ? std::to_string(*e.protocol) : std::string();
    const sv typedProtocolView = typedProtocol;
    const sv* protocol = fromLog ? protocolData : typedProtocol.empty() ? nullptr : &typedProtocolView;
    if (protocol && !IsEmptyValue(*protocol)) {
      begin(), j.Key("iana_number").Str(*protocol);
      if (sv name = TransportName(protocol); !name.empty()) j.Key("transport").Str(name);
    }
    if (std::optional<sv> family = sourceIp ? sourceIp : destinationIp)
      begin(), j.Key("type").Str(family->find(':') != sv::npos && !UnmappedIpv4(*family) ? "ipv6" : "ipv4");
    if (sourceIp && destinationIp && e.protocol && *e.protocol != 1 && *e.protocol != 58) {
      char id[kCommunityIdSize];
      if (CommunityId(*e.protocol, *sourceBytes, *destinationBytes, e.source, e.destination, id))
        begin(), j.Key("community_id").Str(sv(id, sizeof id));
    }
    if (any) j.Close();
  }
  std::optional<sv> unmapped;
  if (e.source.present) {
    j.Key("source").Open().Key("address").Str(e.source.address);
    if (sourceIp) {
      unmapped = UnmappedIpv4(*sourceIp).value_or(*sourceIp);
      j.Key("ip").Str(*unmapped);
    }
    if (e.source.port) j.Key("port").Num(*e.source.port);
    j.Close();
  }
  if (e.destination.present) {
    j.Key("destination").Open().Key("address").Str(e.destination.address);
    if (destinationIp) j.Key("ip").Str(*destinationIp);
    if (e.destination.port) j.Key("port").Num(*e.destination.port);
    j.Close();
  }
  {
    sv related[3];
    size_t count = 0;
    for (const std::optional<sv>& ip : {destinationIp, sourceIp, unmapped})
      if (ip && *ip != "-" && std::find(related, related + count, *ip) == related + count) related[count++] = *ip;
    if (count) {
      j.Key("related").Open().Key("ip").OpenArray();
      for (size_t i = 0; i < count; ++i) j.Item().Str(related[i]);
      j.CloseArray().Close();
    }
  }
  if (e.pid || e.application) {
    j.Key("process").Open();
    if (e.pid) j.Key("pid").Num(Num(*e.pid));
    if (e.application) j.Key("executable").Str(*e.application).Key("name").Str(BaseName(*e.application));
    j.Close();
  }
  const Enrichment* x = e.enrichment;
  const bool hasFilter = x && (x->filterName || x->filterDescription || x->filterProvider);
  const bool hasOrigin = e.filterOrigin && !e.filterOrigin->empty();
  if (e.filterId || hasOrigin || hasFilter || e.decidedBy != DecidedBy::Unknown) {
    j.Key("rule").Open();
    if (e.filterId) {
      std::string id;
      AppendJsNumber(id, Num(*e.filterId));
      j.Key("id").Str(id);
    }
    const bool guid = hasOrigin && IsGuid(*e.filterOrigin);
    if (guid) j.Key("uuid").Str(*e.filterOrigin);
    // e.ruleName ?? e.filter?.name ?? (a FilterOrigin that is not a GUID), and only when not empty.
    std::optional<sv> name;
    if (x && x->ruleName)
      name = *x->ruleName;
    else if (hasFilter && x->filterName)
      name = *x->filterName;
    else if (hasOrigin && !guid)
      name = *e.filterOrigin;
    if (name && !name->empty()) j.Key("name").Str(*name);
    if (hasFilter && x->filterDescription && !x->filterDescription->empty())
      j.Key("description").Str(*x->filterDescription);
    if (e.decidedBy != DecidedBy::Unknown) j.Key("category").Str(kDecidedByNames[static_cast<size_t>(e.decidedBy)]);
    // e.filter?.provider ?? (a firewall filter: 'Windows Defender Firewall'); lib/ecs.ts.
    const bool firewall = e.decidedBy != DecidedBy::Unknown && e.decidedBy != DecidedBy::OtherProvider;
    if (hasFilter && x->filterProvider) {
      if (!x->filterProvider->empty()) j.Key("ruleset").Str(*x->filterProvider);
    } else if (firewall) {
      j.Key("ruleset").Str("Windows Defender Firewall");
    }
    j.Close();
  }
  j.Close().End();
}

std::optional<sv> WellKnownSid(const sv* sid) {
  static constexpr std::pair<sv, sv> kSids[] = {
      {"S-1-0", "Null Authority"},
      {"S-1-0-0", "Nobody"},
      {"S-1-1", "World Authority"},
      {"S-1-1-0", "Everyone"},
      {"S-1-16-0", "Untrusted Mandatory Level"},
      {"S-1-16-12288", "High Mandatory Level"},
      {"S-1-16-16384", "System Mandatory Level"},
      {"S-1-16-20480", "Protected Process Mandatory Level"},
      {"S-1-16-28672", "Secure Process Mandatory Level"},
      {"S-1-16-4096", "Low Mandatory Level"},
      {"S-1-16-8192", "Medium Mandatory Level"},
      {"S-1-16-8448", "Medium Plus Mandatory Level"},
      {"S-1-2", "Local Authority"},
      {"S-1-2-0", "Local"},
      {"S-1-2-1", "Console Logon"},
      {"S-1-3", "Creator Authority"},
      {"S-1-3-0", "Creator Owner"},
      {"S-1-3-1", "Creator Group"},
      {"S-1-3-2", "Creator Owner Server"},
      {"S-1-3-3", "Creator Group Server"},
      {"S-1-3-4", "Owner Rights"},
      {"S-1-4", "Non-unique Authority"},
      {"S-1-5", "NT Authority"},
      {"S-1-5-1", "Dialup"},
      {"S-1-5-10", "Principal Self"},
      {"S-1-5-11", "Authenticated Users"},
      {"S-1-5-12", "Restricted Code"},
      {"S-1-5-13", "Terminal Server Users"},
      {"S-1-5-14", "Remote Interactive Logon"},
      {"S-1-5-15", "This Organization"},
      {"S-1-5-17", "This Organization"},
      {"S-1-5-18", "Local System"},
      {"S-1-5-19", "NT Authority"},
      {"S-1-5-2", "Network"},
      {"S-1-5-20", "NT Authority"},
      {"S-1-5-3", "Batch"},
      {"S-1-5-32-544", "Administrators"},
      {"S-1-5-32-545", "Users"},
      {"S-1-5-32-546", "Guests"},
      {"S-1-5-32-547", "Power Users"},
      {"S-1-5-32-548", "Account Operators"},
      {"S-1-5-32-549", "Server Operators"},
      {"S-1-5-32-550", "Print Operators"},
      {"S-1-5-32-551", "Backup Operators"},
      {"S-1-5-32-552", "Replicators"},
      {"S-1-5-32-554", "Builtin\\Pre-Windows 2000 Compatible Access"},
      {"S-1-5-32-555", "Builtin\\Remote Desktop Users"},
      {"S-1-5-32-556", "Builtin\\Network Configuration Operators"},
      {"S-1-5-32-557", "Builtin\\Incoming Forest Trust Builders"},
      {"S-1-5-32-558", "Builtin\\Performance Monitor Users"},
      {"S-1-5-32-559", "Builtin\\Performance Log Users"},
      {"S-1-5-32-560", "Builtin\\Windows Authorization Access Group"},
      {"S-1-5-32-561", "Builtin\\Terminal Server License Servers"},
      {"S-1-5-32-562", "Builtin\\Distributed COM Users"},
      {"S-1-5-32-569", "Builtin\\Cryptographic Operators"},
      {"S-1-5-32-573", "Builtin\\Event Log Readers"},
      {"S-1-5-32-574", "Builtin\\Certificate Service DCOM Access"},
      {"S-1-5-32-575", "Builtin\\RDS Remote Access Servers"},
      {"S-1-5-32-576", "Builtin\\RDS Endpoint Servers"},
      {"S-1-5-32-577", "Builtin\\RDS Management Servers"},
      {"S-1-5-32-578", "Builtin\\Hyper-V Administrators"},
      {"S-1-5-32-579", "Builtin\\Access Control Assistance Operators"},
      {"S-1-5-32-580", "Builtin\\Remote Management Users"},
      {"S-1-5-32-582", "Storage Replica Administrators"},
      {"S-1-5-4", "Interactive"},
      {"S-1-5-5-X-Y", "Logon Session"},
      {"S-1-5-6", "Service"},
      {"S-1-5-64-10", "NTLM Authentication"},
      {"S-1-5-64-14", "SChannel Authentication"},
      {"S-1-5-64-21", "Digest Authentication"},
      {"S-1-5-7", "Anonymous"},
      {"S-1-5-8", "Proxy"},
      {"S-1-5-80", "NT Service"},
      {"S-1-5-80-0", "All Services"},
      {"S-1-5-83-0", "NT Virtual Machine\\Virtual Machines"},
      {"S-1-5-9", "Enterprise Domain Controllers"},
      {"S-1-5-90-0", "Windows Manager\\Windows Manager Group"},
  };
  if (!sid) return std::nullopt;
  for (const auto& [key, name] : kSids)
    if (key == *sid) return name;
  return std::nullopt;
}

// ---- otel --------------------------------------------------------------------------------------

void AppendOtel(const BlockEvent& e, const JsData& data, const FormatContext& context, TextBuffer& out) {
  const EventRecord& r = *e.record;
  const bool block = e.action == Action::Block;
  Json j(out);
  j.Open().Key("resourceLogs").OpenArray().Item().Open();
  j.Key("resource").Open().Key("attributes").OpenArray();
  j.Item().Literal(R"({"key":"service.name","value":{"stringValue":)").Str(context.serviceName).Literal("}}");
  j.Item().Literal(R"({"key":"host.name","value":{"stringValue":)").Str(r.computer).Literal("}}");
  j.CloseArray().Close();
  j.Key("scopeLogs").OpenArray().Item().Open();
  j.Key("scope").Open().Key("name").Str("wfp-blocks").Key("version").Str(context.packageVersion).Close();
  j.Key("logRecords").OpenArray().Item().Open();
  // BigInt(ms) * 1000000n: exact for the integer milliseconds of a time.
  auto nanos = [&](double ms) {
    j.Literal("\"");
    if (ms == 0) {
      j.Literal("0\"");
    } else {
      j.Number(ms).Literal("000000\"");
    }
  };
  j.Key("timeUnixNano");
  nanos(e.timeMs);
  j.Key("observedTimeUnixNano");
  nanos(std::floor(context.nowMs));
  j.Key("severityNumber").Num(block ? 13 : 9).Key("severityText").Str(block ? "WARN" : "INFO");
  j.Key("eventName")
      .Str(block ? "wfp.block" : "wfp.allow")
      .Key("body")
      .Open()
      .Key("stringValue")
      .Str(Title(r.eventId))
      .Close();

  // The attributes in the order lib/otel.ts sets them (host.name is the resource's), each written as
  // it is met: {"key":K,"value":{"stringValue":S}} or {"intValue":"N"} or {"doubleValue":N}.
  j.Key("attributes").OpenArray();
  auto str = [&](const auto& key, std::optional<sv> v) {
    if (!v) return;
    j.Item().Literal(R"({"key":")").Literal(key).Literal(R"(","value":{"stringValue":)").Str(*v).Literal("}}");
  };
  auto num = [&](const auto& key, std::optional<double> v) {
    if (!v) return;
    j.Item().Literal(R"({"key":")").Literal(key);
    if (*v == std::floor(*v) && std::isfinite(*v))
      j.Literal(R"(","value":{"intValue":)").NumText(*v);
    else
      j.Literal(R"(","value":{"doubleValue":)").Num(*v);
    j.Literal("}}");
  };
  auto optNum = [](auto v) { return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt; };
  const Endpoint* local = SideOf(e, e.local);
  const Endpoint* remote = SideOf(e, e.remote);
  auto address = [](const Endpoint* ep) { return ep && ep->present ? std::optional<sv>(ep->address) : std::nullopt; };
  auto port = [&](const Endpoint* ep) { return ep && ep->present ? optNum(ep->port) : std::nullopt; };
  if (e.protocolName == "tcp" || e.protocolName == "udp") str("network.transport", e.protocolName);
  {
    const std::optional<sv> first = address(&e.source) ? address(&e.source) : address(&e.destination);
    const int family = first ? JsIsIp(*first) : 0;
    if (family) str("network.type", family == 6 ? "ipv6" : "ipv4");
  }
  str("network.local.address", address(local));
  str("network.peer.address", address(remote));
  str("source.address", address(&e.source));
  str("destination.address", address(&e.destination));
  if (e.protocol != 1u && e.protocol != 58u) {
    num("network.local.port", port(local));
    num("network.peer.port", port(remote));
    num("source.port", port(&e.source));
    num("destination.port", port(&e.destination));
  }
  num("process.pid", optNum(e.pid));
  if (e.application) {
    str("process.executable.path", *e.application);
    str("process.executable.name", BaseName(*e.application));
  }
  num("wfp.event_id", r.eventId);
  if (RecordIdNeedsText(r.recordId))
    str("wfp.record_id", std::to_string(r.recordId));
  else
    num("wfp.record_id", Num(r.recordId));
  str("wfp.action", kActionNames[static_cast<size_t>(e.action)]);
  str("wfp.kind", kKindNames[static_cast<size_t>(e.kind)]);
  if (e.direction != Direction::None) str("wfp.direction", kDirectionNames[static_cast<size_t>(e.direction)]);
  num("wfp.protocol", optNum(e.protocol));
  if (!e.protocolName.empty()) str("wfp.protocol.name", e.protocolName);
  num("wfp.filter.id", optNum(e.filterId));
  str("wfp.filter.origin", e.filterOrigin);
  num("wfp.layer.id", optNum(e.layerId));
  str("wfp.layer.name", e.layerName);
  num("wfp.interface.index", optNum(e.interfaceIndex));
  str("wfp.decided_by", kDecidedByNames[static_cast<size_t>(e.decidedBy)]);
  str("wfp.rule.id", e.ruleId);
  if (const ChangeNote* c = e.lastChange) {
    auto opt = [](const std::optional<std::string>& v) { return v ? std::optional<sv>(*v) : std::nullopt; };
    str("wfp.last_change.kind", kChangeNames[static_cast<size_t>(c->kind)]);
    std::string changeTime;
    AppendIsoTime(changeTime, c->timeMs);
    str("wfp.last_change.time", changeTime);
    num("wfp.last_change.event_id", c->eventId);
    num("wfp.last_change.record_id", Num(c->recordId));
    str("wfp.last_change.name", opt(c->name));
    str("wfp.last_change.user.id", opt(c->userSid));
    str("wfp.last_change.user.name", opt(c->userName));
    str("wfp.last_change.application", opt(c->application));
  }
  str("windows.event.task", TaskName(e));
  str("windows.event.outcome", Outcome(e, KeywordBits(r.keywords)));
  for (const DataEntry& d : data)
    j.Item()
        .Literal(R"({"key":"windows.event_data.)")
        .Chars(d.key)
        .Literal(R"(","value":{"stringValue":)")
        .Str(d.value)
        .Literal("}}");
  j.CloseArray().Close().CloseArray().Close().CloseArray().Close().CloseArray().Close().End();
}

}  // namespace

bool ParseEventFormat(std::string_view name, EventFormat& out) {
  if (name == "json")
    out = EventFormat::Json;
  else if (name == "ecs")
    out = EventFormat::Ecs;
  else if (name == "otel")
    out = EventFormat::Otel;
  else
    return false;
  return true;
}

void AppendFormatted(EventFormat format, const BlockEvent& e, const Fold& fold, const FormatContext& context,
                     TextBuffer& out) {
  const JsData data(*e.record);
  switch (format) {
    case EventFormat::Json:
      AppendJson(e, fold, data, out);
      break;
    case EventFormat::Ecs:
      AppendEcs(e, data, out);
      break;
    case EventFormat::Otel:
      AppendOtel(e, data, context, out);
      break;
    case EventFormat::Objects:
      break;
  }
}

}  // namespace wfp
