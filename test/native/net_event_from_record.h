// The net event WFP reports for the block (or permit) a Security-log record describes: the record's
// own values (addresses, ports, protocol, application, filter and layer, direction token, time to the
// 100 ns) put where FWPM_NET_EVENT puts them, local and remote taken from Source and Dest the way the
// log writes them (inbound: Source is the peer). For the unit tests and the native benchmark; the Wine
// suite builds its stand-in's events the same way, independently, in test/wine/helpers.cjs.
#pragma once

#include <arpa/inet.h>

#include <cstring>
#include <optional>
#include <string_view>

#include "model/event_catalog.h"
#include "model/event_record.h"
#include "model/record_values.h"
#include "sources/net_event.h"

namespace wfp::test {

inline const DataField* FieldNamed(const EventRecord& r, std::string_view name) {
  for (const DataField& f : r.data)
    if (f.name == name) return &f;
  return nullptr;
}

inline bool ParseAddress(std::string_view text, uint8_t& version, std::array<uint8_t, 16>& out) {
  const std::string s(text);
  out = {};
  if (inet_pton(AF_INET, s.c_str(), out.data()) == 1)
    version = 4;
  else if (inet_pton(AF_INET6, s.c_str(), out.data()) == 1)
    version = 6;
  else
    return false;
  return true;
}

// FILETIME of SystemTime, keeping the digits below the millisecond.
inline uint64_t FileTimeOf(std::string_view systemTime) {
  double ms = 0;
  if (!ParseSystemTime(systemTime, ms)) return 0;
  uint64_t ticks = 0;
  const size_t dot = systemTime.find('.');
  if (dot != std::string_view::npos) {
    for (size_t i = dot + 4, n = 0; n < 4; ++n, ++i)
      ticks = ticks * 10 +
              (i < systemTime.size() && systemTime[i] >= '0' && systemTime[i] <= '9' ? systemTime[i] - '0' : 0);
  }
  return (static_cast<uint64_t>(ms) + 11644473600000ull) * 10000 + ticks;
}

// Nothing for a record that is not a WFP traffic event with a layer.
inline std::optional<NetEventFacts> NetEventFromRecord(const EventRecord& r) {
  namespace flag = net_event_flag;
  const EventInfo* info = FindTrafficEvent(r.eventId);
  const DataField* layer = FieldNamed(r, "LayerRTID");
  if (!info || !layer || !r.hasSystemTime) return std::nullopt;
  NetEventFacts f;
  f.structVersion = 5;
  f.type = info->action == Action::Allow ? NetEventType::ClassifyAllow : NetEventType::ClassifyDrop;
  f.timeStamp = FileTimeOf(r.systemTime);
  f.layerId = static_cast<uint16_t>(ParseU32(layer->value, 65535).value_or(0));
  if (const DataField* filter = FieldNamed(r, "FilterRTID")) f.filterId = ParseNumber(filter->value).value_or(0);
  f.hasClassifyDetails = true;
  const DataField* direction = FieldNamed(r, "Direction");
  const std::optional<uint32_t> token = direction ? TokenNumber(direction->value) : std::nullopt;
  f.direction = token ? *token : 0;  // listen and bind records have none
  const bool inbound = token == 14592u;
  const DataField* sourceAddress = FieldNamed(r, "SourceAddress");
  const DataField* sourcePort = FieldNamed(r, "SourcePort");
  const DataField* destAddress = FieldNamed(r, "DestAddress");
  const DataField* destPort = FieldNamed(r, "DestPort");
  const DataField *localAddress = inbound ? destAddress : sourceAddress, *localPort = inbound ? destPort : sourcePort;
  const DataField *remoteAddress = inbound ? sourceAddress : destAddress, *remotePort = inbound ? sourcePort : destPort;
  uint8_t version = 0;
  if (localAddress && ParseAddress(localAddress->value, version, f.localAddress)) {
    f.ipVersion = version;
    f.flags |= flag::kIpVersion | flag::kLocalAddr;
  }
  if (remoteAddress && ParseAddress(remoteAddress->value, version, f.remoteAddress)) {
    f.ipVersion = version;
    f.flags |= flag::kIpVersion | flag::kRemoteAddr;
  }
  if (localPort && (f.flags & flag::kLocalAddr)) {
    if (std::optional<uint32_t> p = ParseU32(localPort->value, 65535)) {
      f.localPort = static_cast<uint16_t>(*p);
      f.flags |= flag::kLocalPort;
    }
  }
  if (remotePort && (f.flags & flag::kRemoteAddr)) {
    if (std::optional<uint32_t> p = ParseU32(remotePort->value, 65535)) {
      f.remotePort = static_cast<uint16_t>(*p);
      f.flags |= flag::kRemotePort;
    }
  }
  if (const DataField* protocol = FieldNamed(r, "Protocol")) {
    if (std::optional<uint32_t> p = ParseU32(protocol->value, 255)) {
      f.ipProtocol = static_cast<uint8_t>(*p);
      f.flags |= flag::kIpProtocol;
    }
  }
  if (const DataField* application = FieldNamed(r, "Application");
      application && application->value != "-" && !application->value.empty()) {
    for (unsigned char c : application->value) f.appId.push_back(c);  // the fixtures' paths are ASCII
    f.flags |= flag::kAppId;
  }
  return f;
}

}  // namespace wfp::test
