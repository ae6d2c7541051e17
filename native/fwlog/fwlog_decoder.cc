#include "fwlog/fwlog_decoder.h"

#include <ctime>

#include "model/event_catalog.h"
#include "model/normalizer.h"
#include "model/record_values.h"

namespace wfp {
namespace {

using sv = std::string_view;

// The columns of Windows 7 to 10; current Windows adds `pid`.
constexpr sv kDefaultFields[] = {"date",     "time",     "action",   "protocol", "src-ip", "dst-ip",
                                 "src-port", "dst-port", "size",     "tcpflags", "tcpsyn", "tcpack",
                                 "tcpwin",   "icmptype", "icmpcode", "info",     "path",   "pid"};

constexpr sv kBom = "\xEF\xBB\xBF";
constexpr sv kNone = "-";

sv Trim(sv s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

void Split(sv line, std::vector<sv>& out) {
  out.clear();
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
}

bool Digits(sv s, size_t n, int& out) {
  if (s.size() != n) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::optional<uint32_t> ProtocolNumber(sv text, bool ipv6) {
  if (std::optional<uint32_t> n = ParseU32(text, 255)) return n;
  if (EqualsIgnoreCase(text, "ICMP")) return ipv6 ? 58 : 1;  // the log writes ICMP for ICMPv6 too
  if (EqualsIgnoreCase(text, "ICMPv6")) return 58;
  for (uint32_t n = 0; n < 256; ++n) {
    const sv name = ProtocolName(n);
    if (!name.empty() && EqualsIgnoreCase(text, name)) return n;
  }
  return std::nullopt;
}

}  // namespace

FirewallLogDecoder::FirewallLogDecoder(std::string input, uint32_t index, const InputOptions& options)
    : input_(std::move(input)), index_(index), utcOffsetMinutes_(options.utcOffsetMinutes) {
  Directive(std::string("#Fields:") + [] {
    std::string all;
    for (sv f : kDefaultFields) (all += ' ') += f;
    return all;
  }());
}

bool FirewallLogDecoder::Recognizes(sv head) {
  if (head.substr(0, kBom.size()) == kBom) head.remove_prefix(kBom.size());
  if (!head.empty() && head.front() == '#')
    return head.find("#Software: Microsoft Windows Firewall") != sv::npos ||
           head.find("#Fields: date time action") != sv::npos;
  // A log followed from its middle: "2021-06-22 12:19:41 DROP ...".
  int n = 0;
  if (head.size() < 20 || !Digits(head.substr(0, 4), 4, n) || head[4] != '-' || head[10] != ' ' || head[13] != ':' ||
      head[19] != ' ')
    return false;
  const sv action = head.substr(20, head.find(' ', 20) - 20);
  return action == "DROP" || action == "ALLOW" || action == "OPEN" || action == "OPEN-INBOUND" || action == "CLOSE" ||
         action == "INFO-EVENTS-LOST";
}

void FirewallLogDecoder::Feed(const char* data, size_t size, RecordSink& sink) {
  pending_.append(data, size);
  size_t start = 0;
  if (first_ && pending_.size() >= kBom.size()) {
    first_ = false;
    if (sv(pending_).substr(0, kBom.size()) == kBom) start = kBom.size();
  }
  for (size_t nl; (nl = pending_.find('\n', start)) != std::string::npos; start = nl + 1) {
    Line(sv(pending_).substr(start, nl - start), consumed_ + start, consumed_ + nl + 1, sink);
    if (sink.Stopping()) break;
  }
  consumed_ += start;
  pending_.erase(0, start);
}

void FirewallLogDecoder::Finish(RecordSink& sink) {
  if (!pending_.empty()) Line(pending_, consumed_, consumed_ + pending_.size(), sink);
  consumed_ += pending_.size();
  pending_.clear();
}

void FirewallLogDecoder::Problem(RecordSink& sink, const ErrorCode& code, std::string message, uint64_t offset) {
  sink.OnIssue(Issue{&code, std::move(message), input_, static_cast<int64_t>(offset)});
}

void FirewallLogDecoder::Line(sv line, uint64_t offset, uint64_t end, RecordSink& sink) {
  line = Trim(line);
  if (line.empty()) return;
  if (line.front() == '#') return Directive(std::string(line));
  Split(line, columns_);
  Event(columns_, offset, end, sink);
}

void FirewallLogDecoder::Directive(const std::string& line) {
  const sv text = line;
  if (text.substr(0, 13) == "#Time Format:") {
    utc_ = EqualsIgnoreCase(Trim(text.substr(13)), "UTC");
    return;
  }
  if (text.substr(0, 8) != "#Fields:") return;
  std::vector<sv> parts;
  Split(text.substr(8), parts);
  names_.assign(parts.begin(), parts.end());
  at_ = Columns{};
  for (size_t i = 0; i < names_.size(); ++i) {
    const std::string& n = names_[i];
    const int at = static_cast<int>(i);
    if (n == "date")
      at_.date = at;
    else if (n == "time")
      at_.time = at;
    else if (n == "action")
      at_.action = at;
    else if (n == "protocol")
      at_.protocol = at;
    else if (n == "src-ip")
      at_.srcIp = at;
    else if (n == "dst-ip")
      at_.dstIp = at;
    else if (n == "src-port")
      at_.srcPort = at;
    else if (n == "dst-port")
      at_.dstPort = at;
    else if (n == "icmptype")
      at_.icmpType = at;
    else if (n == "icmpcode")
      at_.icmpCode = at;
    else if (n == "info")
      at_.info = at;
    else if (n == "path")
      at_.path = at;
    else if (n == "pid")
      at_.pid = at;
  }
}

bool FirewallLogDecoder::ToUtcMs(sv date, sv time, double& ms) {
  int y, mo, d, h, mi, s;
  if (date.size() != 10 || date[4] != '-' || date[7] != '-' || !Digits(date.substr(0, 4), 4, y) ||
      !Digits(date.substr(5, 2), 2, mo) || !Digits(date.substr(8, 2), 2, d) || mo < 1 || mo > 12 || d < 1 || d > 31)
    return false;
  if (time.size() != 8 || time[2] != ':' || time[5] != ':' || !Digits(time.substr(0, 2), 2, h) ||
      !Digits(time.substr(3, 2), 2, mi) || !Digits(time.substr(6, 2), 2, s) || h > 23 || mi > 59 || s > 60)
    return false;
  const int64_t localSeconds = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
  int64_t offset = 0;
  if (utc_) {
    offset = 0;
  } else if (utcOffsetMinutes_) {
    offset = static_cast<int64_t>(*utcOffsetMinutes_) * 60;
  } else {
    // This machine's zone: the offset of each hour once (mktime reads the zone's rules).
    std::string hour = std::string(date) + ' ' + std::string(time.substr(0, 2));
    if (hour != cachedHour_) {
      std::tm tm{};
      tm.tm_year = y - 1900;
      tm.tm_mon = mo - 1;
      tm.tm_mday = d;
      tm.tm_hour = h;
      tm.tm_isdst = -1;
      const std::time_t t = std::mktime(&tm);
      if (t == static_cast<std::time_t>(-1)) return false;
      cachedOffsetSeconds_ = DaysFromCivil(y, mo, d) * 86400 + h * 3600 - static_cast<int64_t>(t);
      cachedHour_ = std::move(hour);
    }
    offset = cachedOffsetSeconds_;
  }
  ms = static_cast<double>((localSeconds - offset) * 1000);
  return true;
}

void FirewallLogDecoder::Event(const std::vector<sv>& columns, uint64_t offset, uint64_t end, RecordSink& sink) {
  auto col = [&](int i) { return i >= 0 && static_cast<size_t>(i) < columns.size() ? columns[i] : kNone; };
  const sv action = col(at_.action);
  Kind kind;
  Action verdict;
  if (action == "DROP") {
    kind = Kind::Packet;
    verdict = Action::Block;
  } else if (action == "ALLOW" || action == "OPEN" || action == "OPEN-INBOUND") {
    kind = Kind::Connection;
    verdict = Action::Allow;
  } else if (action == "CLOSE") {
    return;  // a connection ended: neither a block nor a permit
  } else if (action == "INFO-EVENTS-LOST") {
    return Problem(sink, kErrEventsLost,
                   "the firewall log says " + std::string(col(at_.info)) + " events were lost before they were written",
                   offset);
  } else {
    return Problem(sink, kErrBadField, "'" + std::string(action) + "' is not a firewall log action", offset);
  }
  const EventInfo* info = TrafficEventFor(kind, verdict);
  if (!info || !sink.Wants(info->id)) return;
  double ms = 0;
  if (!ToUtcMs(col(at_.date), col(at_.time), ms))
    return Problem(sink, kErrBadField,
                   "'" + std::string(col(at_.date)) + " " + std::string(col(at_.time)) + "' is not a date and time",
                   offset);

  record_.Clear();
  record_.eventId = info->id;
  record_.hasEventId = true;
  for (size_t i = 0; i < columns.size(); ++i)
    record_.data.push_back(DataField{i < names_.size() ? sv(names_[i]) : sv(), columns[i]});

  BlockEvent e;
  e.record = &record_;
  e.timeMs = ms;
  e.kind = kind;
  e.action = verdict;
  const sv path = col(at_.path);
  e.direction = path == "SEND"                                  ? Direction::Outbound
                : path == "RECEIVE" || action == "OPEN-INBOUND" ? Direction::Inbound
                : path == "FORWARD"                             ? Direction::Forward
                                                                : Direction::None;
  const sv src = col(at_.srcIp), dst = col(at_.dstIp);
  e.protocol = ProtocolNumber(col(at_.protocol), src.find(':') != sv::npos);
  if (e.protocol) e.protocolName = ProtocolName(*e.protocol);
  if (src != kNone) {
    e.source.present = true;
    e.source.address = src;
  }
  if (dst != kNone) {
    e.destination.present = true;
    e.destination.address = dst;
  }
  const bool inbound = e.direction == Direction::Inbound, outbound = e.direction == Direction::Outbound;
  if (e.protocol == 1u || e.protocol == 58u) {
    // As WFP and the Security log give ICMP: the type in the local port, the code in the remote one.
    Endpoint* local = inbound ? &e.destination : outbound ? &e.source : nullptr;
    Endpoint* remote = inbound ? &e.source : outbound ? &e.destination : nullptr;
    if (local && local->present) local->port = ParseU32(col(at_.icmpType), 255);
    if (remote && remote->present) remote->port = ParseU32(col(at_.icmpCode), 255);
  } else {
    if (e.source.present) e.source.port = ParseU32(col(at_.srcPort), 65535);
    if (e.destination.present) e.destination.port = ParseU32(col(at_.dstPort), 65535);
  }
  if (inbound) {
    e.remote = e.source.present ? Side::Source : Side::None;
    e.local = e.destination.present ? Side::Destination : Side::None;
  } else if (outbound) {
    e.local = e.source.present ? Side::Source : Side::None;
    e.remote = e.destination.present ? Side::Destination : Side::None;
  }
  e.pid = ParseNumber(col(at_.pid));
  if (e.local != Side::None || e.remote != Side::None) e.sidesBy = SidesBy::Direction;
  sink.OnEvent(e, Position{input_, index_, offset, end});
}

}  // namespace wfp
