#include "sources/engine_options.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace wfp {
namespace {

// Just enough JSON for the record this file writes: objects, arrays, non-negative integers (written
// as strings when they may exceed 2^53) and plain strings.
class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {}

  bool Expect(char c) {
    Space();
    if (at_ < s_.size() && s_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }
  bool Peek(char c) {
    Space();
    return at_ < s_.size() && s_[at_] == c;
  }
  bool String(std::string& out) {
    out.clear();
    if (!Expect('"')) return false;
    while (at_ < s_.size() && s_[at_] != '"') {
      if (s_[at_] == '\\') return false;  // this file never writes escapes
      out.push_back(s_[at_++]);
    }
    return Expect('"');
  }
  bool Number(uint64_t& out) {
    Space();
    if (at_ < s_.size() && s_[at_] == '"') {
      std::string text;
      return String(text) && Digits(text, out);
    }
    size_t start = at_;
    while (at_ < s_.size() && s_[at_] >= '0' && s_[at_] <= '9') ++at_;
    return Digits(s_.substr(start, at_ - start), out);
  }
  bool End() {
    Space();
    return at_ == s_.size();
  }

 private:
  static bool Digits(std::string_view text, uint64_t& out) {
    if (text.empty() || text.size() > 20) return false;
    out = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return false;
      const uint64_t d = static_cast<uint64_t>(c - '0');
      if (out > (UINT64_MAX - d) / 10) return false;
      out = out * 10 + d;
    }
    return true;
  }
  void Space() {
    while (at_ < s_.size() && (s_[at_] == ' ' || s_[at_] == '\n' || s_[at_] == '\r' || s_[at_] == '\t')) ++at_;
  }
  std::string_view s_;
  size_t at_ = 0;
};

// Calls `field(key)` for each member of an object; `field` reads the value and returns false on error.
template <typename F>
bool Members(Reader& r, F field) {
  if (!r.Expect('{')) return false;
  if (r.Expect('}')) return true;
  do {
    std::string key;
    if (!r.String(key) || !r.Expect(':') || !field(key)) return false;
  } while (r.Expect(','));
  return r.Expect('}');
}

bool U32(Reader& r, uint32_t& out) {
  uint64_t v = 0;
  if (!r.Number(v) || v > UINT32_MAX) return false;
  out = static_cast<uint32_t>(v);
  return true;
}

}  // namespace

std::string EngineOptionRecord::Serialize() const {
  char buffer[160];
  std::snprintf(buffer, sizeof buffer,
                "{\"version\":1,\"before\":{\"collect\":%" PRIu32 ",\"keywords\":%" PRIu32
                "},\"turnedOnCollect\":%d,\"addedKeywords\":%" PRIu32 ",\"owners\":[",
                before.collect, before.keywords, turnedOnCollect ? 1 : 0, addedKeywords);
  std::string out = buffer;
  for (size_t i = 0; i < owners.size(); ++i) {
    std::snprintf(buffer, sizeof buffer,
                  "%s{\"pid\":%" PRIu32 ",\"processStart\":\"%" PRIu64 "\",\"watcher\":\"%" PRIu64 "\"}", i ? "," : "",
                  owners[i].pid, owners[i].processStart, owners[i].watcher);
    out += buffer;
  }
  return out + "]}\n";
}

std::optional<EngineOptionRecord> EngineOptionRecord::Parse(std::string_view json) {
  EngineOptionRecord record;
  uint32_t version = 0, turnedOn = 0;
  Reader r(json);
  const bool ok = Members(r, [&](const std::string& key) {
    if (key == "version") return U32(r, version);
    if (key == "turnedOnCollect") return U32(r, turnedOn) && turnedOn <= 1;
    if (key == "addedKeywords") return U32(r, record.addedKeywords);
    if (key == "before")
      return Members(r, [&](const std::string& k) {
        if (k == "collect") return U32(r, record.before.collect);
        if (k == "keywords") return U32(r, record.before.keywords);
        return false;
      });
    if (key == "owners") {
      if (!r.Expect('[')) return false;
      if (r.Expect(']')) return true;
      do {
        EngineOptionOwner owner;
        if (!Members(r, [&](const std::string& k) {
              if (k == "pid") return U32(r, owner.pid);
              if (k == "processStart") return r.Number(owner.processStart);
              if (k == "watcher") return r.Number(owner.watcher);
              return false;
            }))
          return false;
        record.owners.push_back(owner);
      } while (r.Expect(','));
      return r.Expect(']');
    }
    return false;
  });
  if (!ok || !r.End() || version != 1) return std::nullopt;
  record.turnedOnCollect = turnedOn == 1;
  return record;
}

EngineOptionChange NeededChange(EngineOptionValues current, uint32_t neededKeywords) {
  EngineOptionChange change;
  change.turnOnCollect = current.collect == 0;
  change.addKeywords = neededKeywords & ~current.keywords;
  return change;
}

void RecordChange(EngineOptionRecord& record, EngineOptionValues current, EngineOptionChange change,
                  const EngineOptionOwner& owner) {
  if (!record.changed()) record.before = current;
  record.turnedOnCollect = record.turnedOnCollect || change.turnOnCollect;
  record.addedKeywords |= change.addKeywords;
  if (std::find(record.owners.begin(), record.owners.end(), owner) == record.owners.end())
    record.owners.push_back(owner);
}

EngineOptionValues RestoredValues(const EngineOptionRecord& record, EngineOptionValues current) {
  EngineOptionValues out = current;
  if (record.turnedOnCollect && current.collect != 0) out.collect = record.before.collect;
  out.keywords = current.keywords & ~record.addedKeywords;
  return out;
}

}  // namespace wfp
