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

// From Microsoft's event documentation (the pages for events 5031 to 5159) and, for the Windows 11
// layout of 5156/5157, the layout Windows 11 records carry (test/fixtures holds real ones).
const Layouts& AllLayouts() {
  static const Layouts* layouts = [] {
    const std::vector<std::string_view> bindListen = {"ProcessId", "Application", "SourceAddress", "SourcePort",
                                                      "Protocol",  "FilterRTID",  "LayerName",     "LayerRTID"};
    const std::vector<std::string_view> packet = {"ProcessId",   "Application", "Direction",  "SourceAddress",
                                                  "SourcePort",  "DestAddress", "DestPort",   "Protocol",
                                                  "FilterRTID",  "LayerName",   "LayerRTID"};
    std::vector<std::string_view> connection0 = packet;
    connection0[0] = "ProcessID";
    std::vector<std::string_view> connection1 = connection0;
    connection1.insert(connection1.end(), {"RemoteUserID", "RemoteMachineID"});
    const std::vector<std::string_view> connection3 = {
        "ProcessID", "Application", "Direction", "SourceAddress", "SourcePort", "DestAddress", "DestPort",
        "Protocol", "InterfaceIndex", "FilterOrigin", "FilterRTID", "LayerName", "LayerRTID", "RemoteUserID",
        "RemoteMachineID", "OriginalProfile", "CurrentProfile", "IsLoopback", "HasRemoteDynamicKeywordAddress"};
    const std::vector<std::string_view> mac = {"Direction", "SourceAddress", "DestAddress", "EtherType", "MediaType",
                                               "InterfaceType", "VlanTag", "FilterRTID", "LayerName", "LayerRTID"};
    // Leaked on purpose: no destructor runs at exit while a watcher thread might still read it.
    auto* all = new Layouts;
    auto add = [&](uint32_t id, uint32_t version, const std::vector<std::string_view>& names) {
      (*all)[{id, names.size()}] = InsertionLayout{version, names};
    };
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

}  // namespace

size_t ParseEventLogRecord(const uint8_t* data, size_t size, LegacyRecord& out) {
  constexpr size_t kHeader = 56;
  constexpr uint32_t kSignature = 0x654c664c;  // "LfLe"
  if (size < kHeader + 4) return 0;
  const uint32_t length = U32(data);
  if (length < kHeader + 4 || length > size || U32(data + 4) != kSignature || U32(data + length - 4) != length) return 0;
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

const InsertionLayout* LayoutFor(uint32_t eventId, size_t stringCount) {
  const Layouts& layouts = AllLayouts();
  auto found = layouts.find({eventId, stringCount});
  return found == layouts.end() ? nullptr : &found->second;
}

void ToEventRecord(const LegacyRecord& r, EventRecord& out, std::vector<std::string>& scratch) {
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
  const InsertionLayout* layout = LayoutFor(r.eventId, r.strings.size());
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
