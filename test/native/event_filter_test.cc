// The filter option's matching: addresses and CIDR blocks (IPv4, IPv6, IPv4-mapped), globs and
// substrings of application paths, ports and ranges, and every criterion on the real fixture records,
// checked against a plain re-implementation over the same events.
#include "test_main.h"

#include <algorithm>

#include "model/normalizer.h"
#include "pipeline/event_filter.h"

namespace {
using namespace wfp;
using namespace wfp::test;

bool Matches(EventFilter& f, const BlockEvent& e) { return f.Matches(e); }

std::string Lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

}  // namespace

TEST_CASE("event filter: addresses and CIDR blocks, IPv4, IPv6 and IPv4-mapped") {
  auto in = [](std::string_view block, std::string_view address) {
    EventFilter f;
    Check(f.AddAddress(block), std::string("block parses: ") + std::string(block));
    BlockEvent e;
    e.source.present = true;
    e.source.address = address;
    return f.Matches(e);
  };
  Check(in("10.0.0.0/8", "10.47.0.122"), "10/8 holds 10.47.0.122");
  Check(!in("10.0.0.0/8", "11.0.0.1"), "10/8 does not hold 11.0.0.1");
  Check(in("10.0.0.0/8", "::ffff:10.47.0.122"), "an IPv4 block holds the IPv4-mapped form");
  Check(in("192.168.1.7", "192.168.1.7"), "a single address");
  Check(!in("192.168.1.7", "192.168.1.70"), "a single address is not a prefix of the text");
  Check(in("0.0.0.0/0", "8.8.8.8"), "0/0 holds every IPv4 address");
  Check(!in("0.0.0.0/0", "fe80::1"), "an IPv4 block holds no IPv6 address");
  Check(in("fe80::/10", "fe80::d1b1:4fb1:5bfd:3e6d"), "fe80::/10");
  Check(in("fe80::/10", "FE80::1%12"), "upper case and a zone");
  Check(!in("fe80::/10", "fec0::1"), "fe80::/10 does not hold fec0::1");
  Check(in("::/0", "10.0.0.1"), "::/0 holds every address");
  Check(in("2001:db8::/32", "2001:db8:0:0:0:0:0:1"), "the uncompressed form");
  Check(in("::1", "0:0:0:0:0:0:0:1"), "::1 equals its long form");
  Check(in("::ffff:10.0.0.0/104", "10.1.2.3"), "an IPv4-mapped block holds IPv4");
  Check(!in("10.0.0.0/8", "-"), "not an address never matches");
  EventFilter bad;
  for (std::string_view text : {"10.0.0.0/33", "300.1.1.1", "1.2.3", "01.2.3.4", "fe80::/129", "1:2:3:4:5:6:7:8:9",
                                "1::2::3", "gggg::1", "10.0.0.0/", "1:2:3:4:5:6:7:", ""})
    Check(!bad.AddAddress(text), std::string("rejected: '") + std::string(text) + "'");
}

TEST_CASE("event filter: application substrings and globs, case-insensitive") {
  auto app = [](std::string_view pattern, std::string_view path) {
    EventFilter f;
    f.AddApplication(pattern);
    BlockEvent e;
    e.application = path;
    return f.Matches(e);
  };
  const std::string_view svchost = "\\device\\harddiskvolume2\\windows\\system32\\svchost.exe";
  Check(app("svchost", svchost), "substring");
  Check(app("SVCHOST.EXE", svchost), "substring, any case");
  Check(!app("chrome", svchost), "no substring");
  Check(app("*.exe", svchost), "a glob without a backslash matches the file name");
  Check(app("svc*", svchost), "svc* matches the file name");
  Check(!app("svc", "\\device\\x\\nc.exe"), "svc is not in nc.exe");
  Check(app("*\\system32\\*", svchost), "a glob with backslashes matches the whole path");
  Check(!app("\\system32\\*", svchost), "a whole-path glob must match from the start");
  Check(app("sv?host.exe", svchost), "? matches one byte");
  Check(!app("sv?host.exe", "\\x\\svhost.exe"), "? matches exactly one byte");
  EventFilter f;
  f.AddApplication("nc.exe");
  BlockEvent none;
  Check(!f.Matches(none), "an event without an application never matches an application filter");
  Check(GlobMatch("a*b*c", "aXXbYYc") && !GlobMatch("a*b*c", "aXXbYY") && GlobMatch("*", "") && GlobMatch("**x", "x"),
        "glob backtracking");
}

TEST_CASE("event filter: ports and ranges on either endpoint; time, IDs, directions, actions") {
  EventFilter f;
  Check(f.AddPorts("443") && f.AddPorts("1000-2000"), "ports parse");
  Check(!f.AddPorts("70000") && !f.AddPorts("20-10") && !f.AddPorts("x") && !f.AddPorts("-5"),
        "bad ports are rejected");
  BlockEvent e;
  e.source.present = e.destination.present = true;
  e.source.port = 50000;
  e.destination.port = 443;
  Check(f.Matches(e), "the destination port matches");
  e.destination.port = 1500;
  Check(f.Matches(e), "a port in a range matches");
  e.destination.port = 2001;
  Check(!f.Matches(e), "outside every range");
  e.source.port = 1000;
  Check(f.Matches(e), "the source port matches too");

  EventFilter t;
  t.SetSince(1000);
  t.SetUntil(2000);
  BlockEvent timed;
  timed.timeMs = 1000;
  Check(t.Matches(timed), "since is inclusive");
  timed.timeMs = 2000;
  Check(t.Matches(timed), "until is inclusive");
  timed.timeMs = 2001;
  Check(!t.Matches(timed), "after until");
  Check(!EventFilter().active() && EventFilter().Matches(timed), "no criterion: everything passes");
  EventFilter ids;
  Check(!ids.AddEventId("4624") && !ids.AddEventId("x") && ids.AddEventId("5157"), "only traffic event IDs");
  Check(!ids.Matches(timed), "an event without a record has no ID to match");
  EventFilter d;
  Check(d.AddDirection("inbound") && !d.AddDirection("sideways") && !d.AddDirection(""), "direction names");
  timed.direction = Direction::Inbound;
  Check(d.Matches(timed), "inbound matches");
  timed.direction = Direction::None;
  Check(!d.Matches(timed), "no direction never matches a direction filter");
  EventFilter a;
  Check(a.AddAction("allow") && !a.AddAction("deny"), "action names");
  Check(!a.Matches(timed), "a block is not an allow");
}

TEST_CASE("event filter: every criterion on the real fixture records agrees with a plain re-implementation") {
  struct Case {
    const char* what;
    void (*configure)(EventFilter&);
    bool (*expected)(const BlockEvent&);
  };
  const Case cases[] = {
      {"event 5157", [](EventFilter& f) { f.AddEventId("5157"); },
       [](const BlockEvent& e) { return e.record->eventId == 5157; }},
      {"inbound or outbound",
       [](EventFilter& f) {
         f.AddDirection("inbound");
         f.AddDirection("outbound");
       },
       [](const BlockEvent& e) { return e.direction == Direction::Inbound || e.direction == Direction::Outbound; }},
      {"allow", [](EventFilter& f) { f.AddAction("allow"); },
       [](const BlockEvent& e) { return e.action == Action::Allow; }},
      {"svchost", [](EventFilter& f) { f.AddApplication("svchost.exe"); },
       [](const BlockEvent& e) {
         return e.application && Lowered(*e.application).find("svchost.exe") != std::string::npos;
       }},
      {"port 53 or 137-139",
       [](EventFilter& f) {
         f.AddPorts("53");
         f.AddPorts("137-139");
       },
       [](const BlockEvent& e) {
         auto in = [](const Endpoint& p) {
           return p.present && p.port && (*p.port == 53 || (*p.port >= 137 && *p.port <= 139));
         };
         return in(e.source) || in(e.destination);
       }},
      {"10.0.0.0/8", [](EventFilter& f) { f.AddAddress("10.0.0.0/8"); },
       [](const BlockEvent& e) {
         auto in = [](const Endpoint& p) {
           return p.present && (p.address.substr(0, 3) == "10." || p.address.substr(0, 10) == "::ffff:10.");
         };
         return in(e.source) || in(e.destination);
       }},
      {"since 2020", [](EventFilter& f) { f.SetSince(1577836800000.0); },
       [](const BlockEvent& e) { return e.timeMs >= 1577836800000.0; }},
      {"UDP to 10/8 from svchost",
       [](EventFilter& f) {
         f.AddAddress("10.0.0.0/8");
         f.AddApplication("svchost");
         f.AddPorts("0-65535");
       },
       [](const BlockEvent& e) {
         auto in = [](const Endpoint& p) {
           return p.present && (p.address.substr(0, 3) == "10." || p.address.substr(0, 10) == "::ffff:10.");
         };
         auto hasPort = [](const Endpoint& p) { return p.present && p.port.has_value(); };
         return (in(e.source) || in(e.destination)) && e.application &&
                Lowered(*e.application).find("svchost") != std::string::npos &&
                (hasPort(e.source) || hasPort(e.destination));
       }},
  };
  constexpr size_t kCases = std::size(cases);
  EventFilter filters[kCases];
  for (size_t i = 0; i < kCases; ++i) cases[i].configure(filters[i]);
  size_t matched[kCases] = {}, disagree[kCases] = {}, total = 0;
  XmlEventReader reader;
  const EventSelection selection = EventSelection::Everything();
  for (const Fixture& f : Fixtures()) {
    for (const std::string& xml : f.xml) {
      EventRecord r;
      BlockEvent e;
      NormalizeIssue issue;
      if (!Read(xml, reader, r) || Normalize(r, selection, e, issue) != Normalized::Event) continue;
      ++total;
      for (size_t i = 0; i < kCases; ++i) {
        const bool got = Matches(filters[i], e);
        matched[i] += got;
        disagree[i] += got != cases[i].expected(e);
      }
    }
  }
  Check(total > 9000, "the fixtures hold over 9,000 traffic events (" + std::to_string(total) + ")");
  for (size_t i = 0; i < kCases; ++i) {
    Equal(disagree[i], size_t{0},
          std::string(cases[i].what) + ": the filter and the re-implementation agree on every event");
    Check(matched[i] > 0 && matched[i] < total,
          std::string(cases[i].what) + ": keeps some and drops some (" + std::to_string(matched[i]) + ")");
  }
}
