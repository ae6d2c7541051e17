#include "normalizer.h"

#include <cstdint>

#include "decimal.h"
#include "same_bytes.h"

namespace wfp {
namespace {

using sv = std::string_view;

constexpr sv kSecurityAuditing = "Microsoft-Windows-Security-Auditing";

bool EqualsIgnoreCase(sv a, sv b) {
  if (a.size() != b.size()) return false;
  if (SameBytes(a.data(), b.data(), a.size())) return true;  // as Windows writes it: checked on every record
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Decimal, or hexadecimal with 0x (the docs call ProcessId a pointer; Windows renders it in decimal).
std::optional<uint64_t> ParseNumber(sv text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  uint64_t v = 0;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    if (text.size() > 16) return std::nullopt;
    for (char c : text) {
      uint64_t d;
      if (c >= '0' && c <= '9') d = static_cast<uint64_t>(c - '0');
      else if (c >= 'a' && c <= 'f') d = static_cast<uint64_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') d = static_cast<uint64_t>(c - 'A' + 10);
      else return std::nullopt;
      v = v * 16 + d;
    }
    return v;
  }
  if (!ParseDecimal(text, v)) return std::nullopt;
  return v;
}

std::optional<uint32_t> ParseU32(sv text, uint64_t max = UINT32_MAX) {
  std::optional<uint64_t> v = ParseNumber(text);
  if (!v || *v > max) return std::nullopt;
  return static_cast<uint32_t>(*v);
}

// "%%14592" -> 14592
std::optional<uint32_t> TokenNumber(sv text) {
  if (text.size() < 3 || text[0] != '%' || text[1] != '%') return std::nullopt;
  return ParseU32(text.substr(2));
}

Direction ParseDirection(sv text) {
  if (std::optional<uint32_t> token = TokenNumber(text)) {
    switch (*token) {
      case 14592: return Direction::Inbound;
      case 14593: return Direction::Outbound;
      case 14594: return Direction::Forward;
      case 14595: return Direction::Bidirectional;
      default: return Direction::None;
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

int DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

bool Digits(sv s, size_t at, size_t n, int& out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

bool ParseSystemTime(sv t, double& ms) {
  int year, month, day, hour, minute, second;
  if (!Digits(t, 0, 4, year) || t.size() < 19 || t[4] != '-' || !Digits(t, 5, 2, month) || t[7] != '-' ||
      !Digits(t, 8, 2, day) || (t[10] != 'T' && t[10] != ' ') || !Digits(t, 11, 2, hour) || t[13] != ':' ||
      !Digits(t, 14, 2, minute) || t[16] != ':' || !Digits(t, 17, 2, second))
    return false;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return false;
  size_t i = 19;
  int millis = 0;  // Date keeps whole milliseconds: the first three fraction digits, truncated
  if (i < t.size() && t[i] == '.') {
    ++i;
    const size_t start = i;
    for (int scale = 100; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i, scale /= 10) millis += (t[i] - '0') * scale;
    if (i == start) return false;
  }
  int offsetMinutes = 0;
  if (i < t.size() && t[i] == 'Z') {
    ++i;
  } else if (i < t.size() && (t[i] == '+' || t[i] == '-')) {
    int oh, om;
    if (!Digits(t, i + 1, 2, oh) || i + 3 >= t.size() || t[i + 3] != ':' || !Digits(t, i + 4, 2, om)) return false;
    offsetMinutes = (t[i] == '+' ? 1 : -1) * (oh * 60 + om);
    i += 6;
  }
  if (i != t.size()) return false;
  double days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  double seconds = ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60 + second;
  ms = seconds * 1000 + millis;
  return true;
}

sv ProtocolName(uint32_t protocol) {
  // IANA "Assigned Internet Protocol Numbers" keywords, lower-cased.
  switch (protocol) {
    case 0: return "hopopt";
    case 1: return "icmp";
    case 2: return "igmp";
    case 4: return "ipv4";
    case 6: return "tcp";
    case 17: return "udp";
    case 41: return "ipv6";
    case 47: return "gre";
    case 50: return "esp";
    case 51: return "ah";
    case 58: return "ipv6-icmp";
    case 132: return "sctp";
    case 136: return "udplite";
    default: return sv();
  }
}

std::optional<sv> LayerNameForToken(sv token) {
  std::optional<uint32_t> n = TokenNumber(token);
  if (!n) return std::nullopt;
  switch (*n) {  // msobjs.dll message table, as decoded by Microsoft's own parsers
    case 14596: return sv("IP Packet");
    case 14597: return sv("Transport");
    case 14598: return sv("Forward");
    case 14599: return sv("Stream");
    case 14600: return sv("Datagram Data");
    case 14601: return sv("ICMP Error");
    case 14602: return sv("MAC 802.3");
    case 14603: return sv("MAC Native");
    case 14604: return sv("vSwitch");
    case 14608: return sv("Resource Assignment");
    case 14609: return sv("Listen");
    case 14610: return sv("Receive/Accept");
    case 14611: return sv("Connect");
    case 14612: return sv("Flow Established");
    case 14614: return sv("Resource Release");
    case 14615: return sv("Endpoint Closure");
    case 14616: return sv("Connect Redirect");
    case 14617: return sv("Bind Redirect");
    case 14624: return sv("Stream Packet");
    default: return std::nullopt;
  }
}

bool RecognizePolicyChange(const EventRecord& r, PolicyChange& out) {
  if (!r.hasEventId || r.eventId != kAuditPolicyChangedEventId || !EqualsIgnoreCase(r.provider, kSecurityAuditing) ||
      !r.hasSystemTime || !ParseSystemTime(r.systemTime, out.timeMs))
    return false;
  const DataField* guid = nullptr;
  const DataField* changes = nullptr;
  for (const DataField& f : r.data) {
    if (f.name == "SubcategoryGuid") guid = &f;
    else if (f.name == "AuditPolicyChanges") changes = &f;
  }
  if (!guid || !changes) return false;
  out.subcategoryGuid = guid->value;
  out.changes = 0;
  sv rest = changes->value;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    sv token = rest.substr(0, comma);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    switch (TokenNumber(token).value_or(0)) {
      case 8448: out.changes |= kSuccessRemoved; break;
      case 8449: out.changes |= kSuccessAdded; break;
      case 8450: out.changes |= kFailureRemoved; break;
      case 8451: out.changes |= kFailureAdded; break;
      default: break;
    }
    rest = comma == sv::npos ? sv() : rest.substr(comma + 1);
  }
  return true;
}

Normalized Normalize(const EventRecord& r, const EventSelection& selection, BlockEvent& out, NormalizeIssue& issue) {
  auto fail = [&](const char* code, std::string message) {
    issue.code = code;
    issue.message = std::move(message);
    return Normalized::Issue;
  };
  if (!r.hasEventId) {
    if (r.invalidField == "EventID") return fail(kErrBadField, "EventID is not a number");
    return fail(kErrMissingField, "record has no EventID");
  }
  std::optional<EventClass> cls = ClassifyEventId(r.eventId);
  if (!cls || !selection.Contains(r.eventId)) return Normalized::Skipped;

  const auto id = [&] { return std::to_string(r.eventId); };  // only for messages
  if (!r.hasProvider) return fail(kErrMissingField, "event " + id() + " has no Provider");
  if (!EqualsIgnoreCase(r.provider, kSecurityAuditing))
    return fail(kErrForeignProvider,
                "event " + id() + " comes from provider '" + std::string(r.provider) + "', not " + std::string(kSecurityAuditing));
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
        if (n == "Protocol") take(protocol, f);
        else if (n == "DestPort") take(destPort, f);
        break;
      case 9:
        if (n == "Direction") take(direction, f);
        else if (n == "ProcessID" || n == "ProcessId") take(pid, f);
        else if (n == "LayerRTID") take(layerId, f);
        else if (n == "LayerName") take(layerName, f);
        break;
      case 10:
        if (n == "SourcePort") take(sourcePort, f);
        else if (n == "FilterRTID") take(filterId, f);
        break;
      case 11:
        if (n == "Application") take(application, f);
        else if (n == "DestAddress") take(destAddress, f);
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

  out.filterId = filterId ? ParseNumber(filterId->value) : std::nullopt;
  out.filterOrigin = filterOrigin ? std::optional<sv>(filterOrigin->value) : std::nullopt;
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
