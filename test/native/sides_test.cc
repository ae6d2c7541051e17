// Which endpoint is the host's: address parsing, the address rule, and learning each computer's own
// addresses, on the real 5152/5157 pair whose Source and Dest disagree (evtx-omerbenamram-evtx.xml).
#include "test_main.h"

#include <deque>

#include "enrich/local_addresses.h"
#include "model/normalizer.h"
#include "model/sides.h"
#include "util/ip_address.h"

namespace {
using namespace wfp;
using namespace wfp::test;

std::string Text(const std::optional<IpAddress>& ip) {
  if (!ip) return "none";
  std::string out;
  for (uint8_t b : *ip) out += std::to_string(b) + ".";
  return out;
}

// The events of one fixture file, normalised (the direction rule), each with its own record.
// A record's views point into its reader's buffer: one reader per record keeps them all valid.
struct Normalised {
  std::deque<XmlEventReader> readers;
  std::deque<EventRecord> records;
  std::vector<BlockEvent> events;
};

void Events(const std::string& file, Normalised& n) {
  for (const Fixture& f : Fixtures()) {
    if (f.file != file) continue;
    for (const std::string& xml : f.xml) {
      EventRecord& r = n.records.emplace_back();
      BlockEvent e;
      NormalizeIssue issue;
      if (Read(xml, n.readers.emplace_back(false), r) &&
          Normalize(r, EventSelection::Everything(), e, issue) == Normalized::Event)
        n.events.push_back(e);
    }
  }
}

const Endpoint& LocalOf(const BlockEvent& e) { return e.local == Side::Source ? e.source : e.destination; }

}  // namespace

TEST_CASE("ip addresses: IPv4, IPv6 with zones, compression and IPv4 tails compare by value") {
  Equal(Text(ParseIpAddress("192.0.2.1")), Text(MappedIpv4(192, 0, 2, 1)), "IPv4");
  Equal(Text(ParseIpAddress("::ffff:192.0.2.1")), Text(MappedIpv4(192, 0, 2, 1)), "IPv4-mapped IPv6");
  Equal(Text(ParseIpAddress("fe80::1c5a:0:0:2b%12")), Text(ParseIpAddress("FE80:0:0:0:1C5A::2B")),
        "zone, case, compression");
  Equal(Text(ParseIpAddress("::1")), Text(IpAddress{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), "loopback");
  for (const char* bad : {"", "-", "1.2.3", "1.2.3.256", "1.2.3.4.5", "00:1A:2B:3C:4D:5E", "1::2::3", ":1:2",
                          "1:2:3:4:5:6:7:8:9", "12345::", "fe80::g", "1:2:3:4:5:6:7:", "host.example"})
    Check(!ParseIpAddress(bad), std::string("not an address: ") + bad);
  Check(IsGroupAddress(*ParseIpAddress("239.255.255.250")) && IsGroupAddress(*ParseIpAddress("ff02::fb")) &&
            IsGroupAddress(*ParseIpAddress("172.18.39.255")) && IsGroupAddress(*ParseIpAddress("255.255.255.255")),
        "multicast and broadcast are group addresses");
  Check(!IsGroupAddress(*ParseIpAddress("169.46.6.101")) && !IsGroupAddress(*ParseIpAddress("fe80::1")),
        "unicast is not");
  Check(IsUnspecified(*ParseIpAddress("0.0.0.0")) && IsUnspecified(*ParseIpAddress("::")), "unspecified");
}

TEST_CASE("sides: the real 5152/5157 pair of one ICMP packet, reversed in the log, gets one local address") {
  Normalised n;
  Events("evtx-omerbenamram-evtx.xml", n);
  Equal(n.events.size(), size_t{3}, "three events");
  if (n.events.size() != 3) return;
  const BlockEvent &drop = n.events[1], &blocked = n.events[2];
  Equal(drop.record->eventId, 5152u, "the 5152");
  Equal(blocked.record->eventId, 5157u, "the 5157");
  // The direction rule alone: the same packet, two different local addresses.
  Equal(std::string(LocalOf(drop).address), std::string("169.46.6.101"), "5152 by direction");
  Equal(std::string(LocalOf(blocked).address), std::string("169.46.118.42"), "5157 by direction: the pinger, wrongly");

  // Replays: the 5152s show the computer's address, which then decides the 5157.
  std::unique_ptr<LocalAddresses> learned = CreateLearnedAddresses();
  for (BlockEvent& e : n.events) learned->Decide(e);
  Equal(std::string(LocalOf(n.events[1]).address), std::string("169.46.6.101"), "5152 learned from");
  Check(n.events[1].sidesBy == SidesBy::Direction, "the 5152 keeps the rule that is certain for it");
  Equal(std::string(LocalOf(n.events[2]).address), std::string("169.46.6.101"), "5157 decided by what was learned");
  Equal(std::string(n.events[2].remote == Side::Source ? n.events[2].source.address : n.events[2].destination.address),
        std::string("169.46.118.42"), "5157 remote is the pinger");
  Check(n.events[2].sidesBy == SidesBy::Learned, "5157 says which rule decided");

  // Live: this host's interface addresses decide both.
  Normalised live;
  Events("evtx-omerbenamram-evtx.xml", live);
  AddressSet own;
  own.Add(*ParseIpAddress("169.46.6.101"));
  own.Add(*ParseIpAddress("127.0.0.1"));
  for (BlockEvent& e : live.events) Check(DecideSidesByAddress(e, own, SidesBy::Interface), "decided by the interface");
  for (const BlockEvent& e : live.events) Equal(std::string(LocalOf(e).address), std::string("169.46.6.101"), "local");
}

TEST_CASE("sides: learning is per computer, and group, loopback-only and unknown addresses leave the direction rule") {
  // The Microsoft sample pair of text-EricZimmerman.xml and every OTRF host: the learned rule agrees
  // with the direction rule except on the two reversed 5157s.
  size_t learnedDecided = 0, swapped = 0;
  for (const Fixture& f : Fixtures()) {
    Normalised n;
    Events(f.file, n);
    std::unique_ptr<LocalAddresses> learned = CreateLearnedAddresses();
    for (BlockEvent& e : n.events) {
      const Side before = e.local;
      learned->Decide(e);
      if (e.sidesBy == SidesBy::Learned) {
        ++learnedDecided;
        if (e.local != before) ++swapped;
        Check(e.kind == Kind::Connection && e.direction == Direction::Inbound,
              "only inbound connections are decided by what was learned");
      }
    }
  }
  Equal(swapped, size_t{2}, "the two reversed 5157s (temporal's ICMP, the Microsoft sample's listener)");
  Check(learnedDecided > 250, "learned addresses decide most inbound connections");

  Normalised n;
  Events("otrf-f2bb3e18.xml", n);
  AddressSet own;
  for (const BlockEvent& e : n.events)
    if (ShowsOwnAddress(e)) LearnOwnAddress(e, own);
  for (BlockEvent e : n.events) {
    const std::optional<IpAddress> d = e.destination.present ? ParseIpAddress(e.destination.address) : std::nullopt;
    if (e.kind == Kind::Connection && d && IsGroupAddress(*d))
      Check(!DecideSidesByAddress(e, own, SidesBy::Learned), "a multicast or broadcast destination decides nothing");
  }
  BlockEvent loop = n.events.front();
  loop.kind = Kind::Connection;
  loop.source = Endpoint{true, "127.0.0.1", 50000};
  loop.destination = Endpoint{true, "127.0.0.1", 80};
  AddressSet local;
  local.Add(*ParseIpAddress("127.0.0.1"));
  Check(!DecideSidesByAddress(loop, local, SidesBy::Interface), "both endpoints own: the direction rule decides");
  loop.destination = Endpoint{true, "198.51.100.7", 80};
  Check(!DecideSidesByAddress(loop, AddressSet(), SidesBy::Interface), "nothing known: the direction rule decides");
}
