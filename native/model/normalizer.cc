#include "model/normalizer.h"

#include <cstdint>

#include "model/decided_by.h"
#include "model/record_values.h"

namespace wfp {
namespace {

using sv = std::string_view;

Direction ParseDirection(sv text) {
  if (std::optional<uint32_t> token = TokenNumber(text)) {
    switch (*token) {
      case 14592:
        return Direction::Inbound;
      case 14593:
        return Direction::Outbound;
      case 14594:
        return Direction::Forward;
      case 14595:
        return Direction::Bidirectional;
      default:
        return Direction::None;
    }
  }
  // Exports rendered with message text (RenderedXml) carry the English words instead.
  for (size_t i = 1; i < std::size(kDirectionNames); ++i)
    if (EqualsIgnoreCase(text, kDirectionNames[i])) return static_cast<Direction>(i);
  return Direction::None;
}

Endpoint ReadEndpoint(const DataField* address, const DataField* port) {
  Endpoint e;
  if (address) {
    e.present = true;
    e.address = address->value;
    if (port) e.port = ParseU32(port->value, 65535);
  }
  return e;
}

}  // namespace

sv ProtocolName(uint32_t protocol) {
  // IANA "Assigned Internet Protocol Numbers" keywords, lower-cased.
  switch (protocol) {
    case 0:
      return "hopopt";
    case 1:
      return "icmp";
    case 2:
      return "igmp";
    case 4:
      return "ipv4";
    case 6:
      return "tcp";
    case 17:
      return "udp";
    case 41:
      return "ipv6";
    case 47:
      return "gre";
    case 50:
      return "esp";
    case 51:
      return "ah";
    case 58:
      return "ipv6-icmp";
    case 132:
      return "sctp";
    case 136:
      return "udplite";
    default:
      return sv();
  }
}

std::optional<sv> LayerNameForToken(sv token) {
  // The layers' part of the message table: IP Packet (14596) to Stream Packet (14624).
  std::optional<uint32_t> n = TokenNumber(token);
  if (!n || *n < 14596 || *n > 14624) return std::nullopt;
  return MessageText(*n);
}

Normalized Normalize(const EventRecord& r, const EventSelection& selection, BlockEvent& out, NormalizeIssue& issue) {
  auto fail = [&](const ErrorCode& code, std::string message) {
    issue.code = &code;
    issue.message = std::move(message);
    return Normalized::Issue;
  };
  if (!r.hasEventId) {
    if (r.invalidField == "EventID") return fail(kErrBadField, "EventID is not a number");
    return fail(kErrMissingField, "record has no EventID");
  }
  const EventInfo* cls = FindTrafficEvent(r.eventId);
  if (!cls || !selection.Contains(r.eventId)) return Normalized::Skipped;

  const auto id = [&] { return std::to_string(r.eventId); };  // only for messages
  if (!r.hasProvider) return fail(kErrMissingField, "event " + id() + " has no Provider");
  if (!EqualsIgnoreCase(r.provider, kSecurityAuditingProvider))
    return fail(kErrForeignProvider, "event " + id() + " comes from provider '" + std::string(r.provider) + "', not " +
                                         std::string(kSecurityAuditingProvider));
  if (!r.invalidField.empty()) return fail(kErrBadField, std::string(r.invalidField) + " is not a number");
  if (!r.hasRecordId) return fail(kErrMissingField, "event " + id() + " has no EventRecordID");
  if (!r.hasSystemTime) return fail(kErrMissingField, "event " + id() + " has no TimeCreated/@SystemTime");
  if (!ParseSystemTime(r.systemTime, out.timeMs))
    return fail(kErrBadField, "TimeCreated/@SystemTime '" + std::string(r.systemTime) + "' is not a date");

  out.record = &r;
  out.kind = cls->kind;
  out.action = cls->action;

  // One pass over the fields, by name (the first of a repeated name wins).
  const DataField *direction = nullptr, *protocol = nullptr, *pid = nullptr, *application = nullptr,
                  *sourceAddress = nullptr, *sourcePort = nullptr, *destAddress = nullptr, *destPort = nullptr,
                  *filterId = nullptr, *filterOrigin = nullptr, *layerId = nullptr, *layerName = nullptr,
                  *interfaceIndex = nullptr;
  auto take = [](const DataField*& slot, const DataField& f) {
    if (!slot) slot = &f;
  };
  for (const DataField& f : r.data) {
    const sv n = f.name;
    switch (n.size()) {
      case 8:
        if (n == "Protocol")
          take(protocol, f);
        else if (n == "DestPort")
          take(destPort, f);
        break;
      case 9:
        if (n == "Direction")
          take(direction, f);
        else if (n == "ProcessID" || n == "ProcessId")
          take(pid, f);
        else if (n == "LayerRTID")
          take(layerId, f);
        else if (n == "LayerName")
          take(layerName, f);
        break;
      case 10:
        if (n == "SourcePort")
          take(sourcePort, f);
        else if (n == "FilterRTID")
          take(filterId, f);
        break;
      case 11:
        if (n == "Application")
          take(application, f);
        else if (n == "DestAddress")
          take(destAddress, f);
        break;
      case 12:
        if (n == "FilterOrigin") take(filterOrigin, f);
        break;
      case 13:
        if (n == "SourceAddress") take(sourceAddress, f);
        break;
      case 14:
        if (n == "InterfaceIndex") take(interfaceIndex, f);
        break;
      case 18:
        if (n == "DestinationAddress") take(destAddress, f);  // the name 5150/5151 may use
        break;
    }
  }

  out.direction = direction ? ParseDirection(direction->value) : Direction::None;
  out.protocol = protocol ? ParseU32(protocol->value) : std::nullopt;
  out.protocolName = out.protocol ? ProtocolName(*out.protocol) : sv();
  out.pid = pid ? ParseNumber(pid->value) : std::nullopt;
  out.application = std::nullopt;
  if (application && !application->value.empty() && application->value != "-") out.application = application->value;

  out.source = ReadEndpoint(sourceAddress, sourcePort);
  out.destination = ReadEndpoint(destAddress, destPort);

  // Source and Dest follow the first packet: inbound, Source is the remote peer; outbound, the local
  // side (checked on thousands of real records). Listen and bind events carry only the local pair.
  // Where the host's own addresses are known, the pipeline may decide otherwise (model/sides.h).
  out.local = out.remote = Side::None;
  if (out.kind == Kind::Listen || out.kind == Kind::Bind) {
    if (out.source.present) out.local = Side::Source;
  } else if (out.direction == Direction::Inbound) {
    out.remote = out.source.present ? Side::Source : Side::None;
    out.local = out.destination.present ? Side::Destination : Side::None;
  } else if (out.direction == Direction::Outbound) {
    out.local = out.source.present ? Side::Source : Side::None;
    out.remote = out.destination.present ? Side::Destination : Side::None;
  }
  out.sidesBy = out.local == Side::None && out.remote == Side::None  ? SidesBy::None
                : out.kind == Kind::Listen || out.kind == Kind::Bind ? SidesBy::Kind
                                                                     : SidesBy::Direction;

  out.filterId = filterId ? ParseNumber(filterId->value) : std::nullopt;
  out.filterOrigin = filterOrigin ? std::optional<sv>(filterOrigin->value) : std::nullopt;
  const Decision decision = DecideByOrigin(out.filterOrigin);
  out.decidedBy = decision.by;
  out.ruleId = decision.ruleId;
  out.lastChange = nullptr;
  out.layerId = layerId ? ParseNumber(layerId->value) : std::nullopt;
  out.layerName = std::nullopt;
  if (layerName) {
    std::optional<sv> decoded = LayerNameForToken(layerName->value);
    out.layerName = decoded ? decoded : std::optional<sv>(layerName->value);
  }
  out.interfaceIndex = interfaceIndex ? ParseU32(interfaceIndex->value) : std::nullopt;
  return Normalized::Event;
}

}  // namespace wfp
