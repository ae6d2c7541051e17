#include "sources/legacy_record.h"

#include <cstdio>
#include <cstring>
#include <map>
#include <utility>

#include "xml/utf16_decoder.h"

namespace wfp {
namespace {

uint32_t U32(const uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16 | static_cast<uint32_t>(p[3]) << 24; }
uint16_t U16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }

// Reads a NUL-terminated UTF-16LE string at `at`; returns the offset after its terminator, or 0.
size_t ReadWide(const uint8_t* data, size_t end, size_t at, std::string& out) {
  size_t stop = at;
  while (stop + 1 < end && (data[stop] | data[stop + 1])) stop += 2;
  if (stop + 1 >= end) return 0;
  out.clear();
  Utf16Decoder(false).Decode(reinterpret_cast<const char*>(data + at), stop - at, out);
  return stop + 2;
}

std::string FormatUnixTime(uint32_t seconds) {
  // civil_from_days (H. Hinnant), for "YYYY-MM-DDTHH:MM:SS.000Z"
  int64_t days = seconds / 86400, rest = seconds % 86400;
  days += 719468;
  const int64_t era = days / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2);
  char text[64];
  std::snprintf(text, sizeof text, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.000Z", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(rest / 3600),
                static_cast<long long>(rest / 60 % 60), static_cast<long long>(rest % 60));
  return text;
}

using Layouts = std::map<std::pair<uint32_t, size_t>, InsertionLayout>;

// From Microsoft's event documentation (the pages for events 5031 to 5159 and 4719) and, for the
// Windows 11 layout of 5156/5157, the layout Windows 11 records carry (test/fixtures holds real ones).
const Layouts& AllLayouts() {
  static const Layouts* layouts = [] {
    using Names = std::vector<std::string>;
    const Names bindListen = {"ProcessId", "Application", "SourceAddress", "SourcePort",
                              "Protocol",  "FilterRTID",  "LayerName",     "LayerRTID"};
    const Names packet = {"ProcessId", "Application", "Direction",  "SourceAddress", "SourcePort", "DestAddress",
                          "DestPort",  "Protocol",    "FilterRTID", "LayerName",     "LayerRTID"};
    Names connection0 = packet;
    connection0[0] = "ProcessID";
    Names connection1 = connection0;
    connection1.insert(connection1.end(), {"RemoteUserID", "RemoteMachineID"});
    const Names connection3 = {"ProcessID",
                               "Application",
                               "Direction",
                               "SourceAddress",
                               "SourcePort",
                               "DestAddress",
                               "DestPort",
                               "Protocol",
                               "InterfaceIndex",
                               "FilterOrigin",
                               "FilterRTID",
                               "LayerName",
                               "LayerRTID",
                               "RemoteUserID",
                               "RemoteMachineID",
                               "OriginalProfile",
                               "CurrentProfile",
                               "IsLoopback",
                               "HasRemoteDynamicKeywordAddress"};
    const Names mac = {"Direction",     "SourceAddress", "DestAddress", "EtherType", "MediaType",
                       "InterfaceType", "VlanTag",       "FilterRTID",  "LayerName", "LayerRTID"};
    const Names policyChange = {"SubjectUserSid", "SubjectUserName", "SubjectDomainName", "SubjectLogonId",
                                "CategoryId",     "SubcategoryId",   "SubcategoryGuid",   "AuditPolicyChanges"};
    // Leaked on purpose: no destructor runs at exit while a watcher thread might still read it.
    auto* all = new Layouts;
    auto add = [&](uint32_t id, uint32_t version, const Names& names) {
      (*all)[{id, names.size()}] = InsertionLayout{version, names};
    };
    add(4719, 0, policyChange);
    add(5031, 0, {"Profiles", "Application"});
    for (uint32_t id : {5150u, 5151u}) add(id, 0, mac);
    for (uint32_t id : {5152u, 5153u}) add(id, 0, packet);
    for (uint32_t id : {5154u, 5155u, 5158u, 5159u}) add(id, 0, bindListen);
    for (uint32_t id : {5156u, 5157u}) {
      add(id, 0, connection0);
      add(id, 1, connection1);
      add(id, 3, connection3);
    }
    return all;
  }();
  return *layouts;
}

// The value of attribute `name` in the tag text `tag` ("<data name=\"X\" .../>"); empty when absent.
std::string_view Attribute(std::string_view tag, std::string_view name) {
  for (size_t at = tag.find(name); at != std::string_view::npos; at = tag.find(name, at + 1)) {
    const size_t before = at - 1, eq = at + name.size();
    if (at == 0 || (tag[before] != ' ' && tag[before] != '\t' && tag[before] != '\n' && tag[before] != '\r')) continue;
    size_t q = eq;
    while (q < tag.size() && tag[q] == ' ') ++q;
    if (q >= tag.size() || tag[q] != '=') continue;
    ++q;
    while (q < tag.size() && tag[q] == ' ') ++q;
    if (q >= tag.size() || (tag[q] != '"' && tag[q] != '\'')) return {};
    const size_t close = tag.find(tag[q], q + 1);
    if (close == std::string_view::npos) return {};
    return tag.substr(q + 1, close - q - 1);
  }
  return {};
}

}  // namespace

size_t ParseEventLogRecord(const uint8_t* data, size_t size, LegacyRecord& out) {
  constexpr size_t kHeader = 56;
  constexpr uint32_t kSignature = 0x654c664c;  // "LfLe"
  if (size < kHeader + 4) return 0;
  const uint32_t length = U32(data);
  if (length < kHeader + 4 || length > size || U32(data + 4) != kSignature || U32(data + length - 4) != length)
    return 0;
  out.recordNumber = U32(data + 8);
  out.timeGenerated = U32(data + 12);
  out.eventId = U32(data + 20) & 0xFFFF;
  const uint16_t numStrings = U16(data + 26);
  const uint32_t stringOffset = U32(data + 36);
  const size_t end = length - 4;
  size_t at = ReadWide(data, end, kHeader, out.sourceName);
  if (!at || !ReadWide(data, end, at, out.computerName)) return 0;
  out.strings.assign(numStrings, std::string());
  at = stringOffset;
  for (uint16_t i = 0; i < numStrings; ++i) {
    if (at < kHeader || at >= end) return 0;
    at = ReadWide(data, end, at, out.strings[i]);
    if (!at) return 0;
  }
  return length;
}

size_t SkipMalformedRecord(const uint8_t* data, size_t size) {
  constexpr size_t kSmallest = 56 + 4;
  constexpr uint32_t kSignature = 0x654c664c;
  auto whole = [&](size_t at) {
    if (at + kSmallest > size || U32(data + at + 4) != kSignature) return false;
    const uint32_t length = U32(data + at);
    return length >= kSmallest && length % 4 == 0 && at + length <= size && U32(data + at + length - 4) == length;
  };
  // The record's own Length, when it frames a record: only its contents were bad.
  if (size >= kSmallest) {
    const uint32_t length = U32(data);
    if (length >= kSmallest && length % 4 == 0 && length <= size && U32(data + length - 4) == length) return length;
  }
  for (size_t at = 4; at + kSmallest <= size; at += 4)
    if (whole(at)) return at;
  return 0;
}

const InsertionLayout* BuiltInLayout(uint32_t eventId, size_t stringCount) {
  const Layouts& layouts = AllLayouts();
  auto found = layouts.find({eventId, stringCount});
  return found == layouts.end() ? nullptr : &found->second;
}

bool InsertionLayouts::AddTemplate(uint32_t eventId, uint32_t version, std::string_view xml) {
  InsertionLayout layout{version, {}};
  for (size_t at = xml.find("<data"); at != std::string_view::npos; at = xml.find("<data", at + 5)) {
    const size_t end = xml.find('>', at);
    if (end == std::string_view::npos) return false;
    const char after = xml[at + 5];
    if (after != ' ' && after != '\t' && after != '\n' && after != '\r' && after != '/' && after != '>') continue;
    const std::string_view name = Attribute(xml.substr(at, end - at), "name");
    if (name.empty() || name.find('&') != std::string_view::npos) return false;
    for (const std::string& known : layout.names)
      if (known == name) return false;
    layout.names.emplace_back(name);
  }
  if (layout.names.empty()) return false;
  const auto key = std::make_pair(eventId, layout.names.size());
  auto found = fromMetadata_.find(key);
  if (found == fromMetadata_.end() || found->second.version < version) fromMetadata_[key] = std::move(layout);
  ++templates_;
  return true;
}

const InsertionLayout* InsertionLayouts::Find(uint32_t eventId, size_t stringCount) const {
  auto found = fromMetadata_.find({eventId, stringCount});
  return found != fromMetadata_.end() ? &found->second : BuiltInLayout(eventId, stringCount);
}

void ToEventRecord(const LegacyRecord& r, const InsertionLayouts& layouts, EventRecord& out,
                   std::vector<std::string>& scratch) {
  out.Clear();
  scratch.clear();
  scratch.reserve(r.strings.size() + 1);
  scratch.push_back(FormatUnixTime(r.timeGenerated));
  out.provider = r.sourceName;
  out.hasProvider = true;
  out.computer = r.computerName;
  out.systemTime = scratch[0];
  out.hasSystemTime = true;
  out.eventId = r.eventId;
  out.hasEventId = true;
  out.recordId = r.recordNumber;
  out.hasRecordId = true;
  const InsertionLayout* layout = layouts.Find(r.eventId, r.strings.size());
  out.version = layout ? layout->version : 0;
  for (size_t i = 0; i < r.strings.size(); ++i) {
    std::string_view name;
    if (layout) {
      name = layout->names[i];
    } else {
      name = scratch.emplace_back("Param" + std::to_string(i + 1));
    }
    out.data.push_back(DataField{name, r.strings[i]});
  }
}

}  // namespace wfp
