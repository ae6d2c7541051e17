// The 'netevents' source's platform-neutral part: every real fixture record's block turned into the
// net event WFP would report for it maps to the same BlockEvent the normaliser makes of the record
// (kind, event ID, layer, direction, endpoints, ...), and the pieces around it: SIDs, addresses,
// UTF-16, bookmarks and where a resume starts, the overlap of a listing and a subscription, and the
// bounded hand-off under several threads.
#include <atomic>
#include <thread>

#include "net_event_from_record.h"
#include "test_main.h"

#include "model/normalizer.h"
#include "sources/net_event.h"

namespace {
using namespace wfp;
using namespace wfp::test;

std::string Text(const std::optional<std::string_view>& v) { return v ? std::string(*v) : std::string("(none)"); }

std::string EndpointText(const Endpoint& e) {
  if (!e.present) return "(none)";
  return std::string(e.address) + ":" + (e.port ? std::to_string(*e.port) : std::string("-"));
}

std::vector<uint8_t> Sid(std::initializer_list<uint8_t> bytes) { return std::vector<uint8_t>(bytes); }

}  // namespace

TEST_CASE("net events made from every fixture record's block map to the normaliser's BlockEvent") {
  XmlEventReader reader;
  const EventSelection selection = EventSelection::Everything();
  NetEventMapper mapper("host.example");
  size_t compared = 0;
  for (const Fixture& fixture : Fixtures()) {
    for (const std::string& xml : fixture.xml) {
      EventRecord r;
      BlockEvent expected;
      NormalizeIssue issue;
      if (!Read(xml, reader, r) || Normalize(r, selection, expected, issue) != Normalized::Event) continue;
      if (r.eventId == 5153 || r.eventId == 5151) continue;  // the same facts as 5152 / 5150: not told apart
      std::optional<NetEventFacts> facts = NetEventFromRecord(r);
      if (!facts) continue;
      BlockEvent got;
      const std::string where = fixture.file + " record " + std::to_string(r.recordId) + ": ";
      if (!mapper.Map(*facts, got)) {
        Check(false, where + "not mapped");
        continue;
      }
      ++compared;
      // Windows also logs the packet of a connection it blocks at an ALE layer as a 5152; WFP reports
      // one classify drop at that layer, which is the connection's block.
      const bool packetAtAle = r.eventId == 5152 && got.layerId && *got.layerId >= 36 && *got.layerId <= 55;
      Equal(got.record->eventId, packetAtAle ? 5157u : r.eventId, where + "event ID");
      Equal(static_cast<int>(got.kind), static_cast<int>(packetAtAle ? Kind::Connection : expected.kind),
            where + "kind");
      Equal(static_cast<int>(got.action), static_cast<int>(expected.action), where + "action");
      Equal(static_cast<int>(got.direction), static_cast<int>(expected.direction), where + "direction");
      Equal(got.timeMs, expected.timeMs, where + "time");
      Equal(got.protocol, expected.protocol, where + "protocol");
      Equal(got.protocolName, expected.protocolName, where + "protocol name");
      Equal(Text(got.application), Text(expected.application), where + "application");
      Equal(EndpointText(got.source), EndpointText(expected.source), where + "source");
      Equal(EndpointText(got.destination), EndpointText(expected.destination), where + "destination");
      Equal(static_cast<int>(got.local), static_cast<int>(expected.local), where + "local side");
      Equal(static_cast<int>(got.remote), static_cast<int>(expected.remote), where + "remote side");
      Equal(got.filterId, expected.filterId, where + "filter");
      Equal(got.layerId, expected.layerId, where + "layer ID");
      Equal(Text(got.layerName), Text(expected.layerName),
            where + "layer name (the run-time ID table against the logged token)");
      Check(got.record->computer == "host.example" && got.pid == std::nullopt, where + "computer and no PID");
      for (std::string_view name : {"SourceAddress", "SourcePort", "DestAddress", "DestPort", "Protocol", "FilterRTID",
                                    "LayerName", "LayerRTID", "Direction"}) {
        const DataField* a = FieldNamed(*got.record, name);
        const DataField* b = FieldNamed(r, name);
        if (b)
          Equal(a ? std::string(a->value) : std::string("(none)"), std::string(b->value),
                where + "data " + std::string(name));
      }
    }
  }
  Check(compared > 9000, "every traffic record with a layer compared (" + std::to_string(compared) + ")");
}

TEST_CASE("net event mapping: SIDs, package SIDs, loopback and profiles, and what has no Security-log equivalent") {
  NetEventMapper mapper("host");
  NetEventFacts f;
  f.type = NetEventType::ClassifyDrop;
  f.structVersion = 5;
  f.timeStamp = 133500000001234567ull;
  f.flags = net_event_flag::kIpVersion | net_event_flag::kLocalAddr | net_event_flag::kRemoteAddr |
            net_event_flag::kLocalPort | net_event_flag::kRemotePort | net_event_flag::kIpProtocol |
            net_event_flag::kUserId | net_event_flag::kPackageId | net_event_flag::kReauthReason |
            net_event_flag::kScopeId | net_event_flag::kAppId;
  f.ipVersion = 6;
  f.localAddress = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0, 0, 0, 0, 0, 1};
  f.remoteAddress = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1};
  f.localPort = 50000;
  f.remotePort = 443;
  f.ipProtocol = 6;
  f.scopeId = 12;
  f.userSid = Sid(
      {1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 0xd2, 0x02, 0x96, 0x49, 0x01, 0, 0, 0, 0x02, 0, 0, 0, 0xe9, 0x03, 0, 0});
  f.packageSid = Sid({1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});  // S-1-0-0, the "Nobody" SID
  f.layerId = 48;
  f.hasClassifyDetails = true;
  f.direction = 0x3901;
  f.reauthReason = 3;
  f.originalProfile = 1;
  f.currentProfile = 2;
  f.loopback = true;
  f.appId = u"\\device\\harddiskvolume3\\program files\\caf\u00e9\\app.exe";
  BlockEvent e;
  Check(mapper.Map(f, e), "mapped");
  Equal(e.record->eventId, 5157u, "ALE connect block is a 5157");
  Equal(Text(e.layerName), std::string("Connect"), "layer name");
  Equal(static_cast<int>(e.direction), static_cast<int>(Direction::Outbound), "direction");
  Equal(EndpointText(e.source), std::string("fe80::1234:0:0:1:50000"),
        "IPv6: the longest run of zero groups compressed, not the other");
  Equal(EndpointText(e.destination), std::string("::ffff:192.0.2.1:443"), "v4-mapped IPv6");
  Equal(Text(e.application), std::string("\\device\\harddiskvolume3\\program files\\caf\xc3\xa9\\app.exe"),
        "UTF-8 path");
  Check(e.netEvent && e.netEvent->userSid == std::optional<std::string>("S-1-5-21-1234567890-1-2-1001"), "user SID");
  Check(e.netEvent && !e.netEvent->packageSid, "the Nobody package SID is no package");
  Check(e.netEvent && e.netEvent->loopback == std::optional<bool>(true) &&
            e.netEvent->reauthReason == std::optional<uint32_t>(3) &&
            e.netEvent->originalProfile == std::optional<uint32_t>(1) &&
            e.netEvent->currentProfile == std::optional<uint32_t>(2),
        "loopback, reauthorisation reason and profiles");
  Equal(e.timeMs, 1705526400123.0, "FILETIME to whole milliseconds");
  Check(FieldNamed(*e.record, "ScopeId") && FieldNamed(*e.record, "ScopeId")->value == "12", "scope ID in data");

  Equal(SidToString(Sid({1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0})), std::string("S-1-5-18"), "LocalSystem");
  Equal(SidToString(Sid({1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0})), std::string("S-1-0x010000000000-1"),
        "a large authority in hex");
  Equal(SidToString(Sid({1, 2, 0, 0, 0, 0, 0, 5, 18, 0, 0})), std::string(), "a truncated SID is none");
  std::string utf8;
  Utf16ToUtf8(std::u16string{u'a', static_cast<char16_t>(0xD83D), static_cast<char16_t>(0xDE00),
                             static_cast<char16_t>(0xD800), u'b'},
              utf8);
  Equal(utf8,
        std::string("a\xF0\x9F\x98\x80\xEF\xBF\xBD"
                    "b"),
        "a surrogate pair, and a lone surrogate as U+FFFD");

  NetEventFacts allow = f;
  allow.type = NetEventType::ClassifyAllow;
  allow.layerId = 13;  // a transport layer: a permitted packet has no event ID
  Check(!mapper.Map(allow, e), "a permitted packet is not reported");
  allow.layerId = 44;
  allow.direction = 0x3900;
  Check(mapper.Map(allow, e) && e.record->eventId == 5156 && e.direction == Direction::Inbound &&
            EndpointText(e.source) == "::ffff:192.0.2.1:443",
        "a permitted inbound connection is a 5156 with the peer as Source");

  NetEventFacts capability;
  capability.type = NetEventType::CapabilityDrop;
  capability.flags = f.flags & ~net_event_flag::kReauthReason;
  capability.ipVersion = 4;
  capability.localAddress = {10, 0, 0, 5};
  capability.remoteAddress = {192, 0, 2, 7};
  capability.networkCapability = 0;
  capability.filterId = 77;
  Check(mapper.Map(capability, e) && e.record->eventId == 5157 && !e.layerId && !e.layerName &&
            e.direction == Direction::None && e.local == Side::Source && e.remote == Side::Destination &&
            e.netEvent->loopback == std::optional<bool>(false) && !e.netEvent->reauthReason,
        "an app-container capability drop is a blocked connection with no layer");

  NetEventFacts mac;
  mac.type = NetEventType::ClassifyDropMac;
  mac.localMac = {0x00, 0x15, 0x5d, 0x01, 0x02, 0x03};
  mac.remoteMac = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  mac.layerId = 56;
  mac.hasClassifyDetails = true;
  mac.direction = 0x3900;
  Check(mapper.Map(mac, e) && e.record->eventId == 5150 && e.kind == Kind::Mac &&
            EndpointText(e.source) == "FF-FF-FF-FF-FF-FF:-" && EndpointText(e.destination) == "00-15-5D-01-02-03:-" &&
            FieldNamed(*e.record, "DestinationAddress"),
        "a MAC frame drop is a 5150 with MAC addresses");
}

TEST_CASE("net event bookmarks: format, parse, and where a listing of the buffer resumes") {
  const NetEventBookmark b{133500000001234567ull, 2, 0xdeadbeef};
  Equal(b.Format(), std::string("wfp-netevents/1;t=133500000001234567;n=2;h=deadbeef"), "format");
  Check(NetEventBookmark::Parse(b.Format()) == std::optional<NetEventBookmark>(b), "round trip");
  for (const char* bad : {"", "wfp-netevents/1;t=1;n=0;h=00000000", "wfp-netevents/1;t=x;n=1;h=00000000",
                          "wfp-netevents/1;t=1;n=1;h=0000000", "wfp-netevents/2;t=1;n=1;h=00000000",
                          "<BookmarkList><Bookmark Channel='Security' RecordId='5' IsCurrent='true'/></BookmarkList>",
                          "wfp-netevents/1;t=99999999999999999999;n=1;h=00000000"})
    Check(!NetEventBookmark::Parse(bad), std::string("rejects ") + bad);

  NetEventCursor cursor;
  Check(cursor.Advance(100, 1) == NetEventBookmark{100, 1, 1}, "first event");
  Check(cursor.Advance(100, 2) == NetEventBookmark{100, 2, 2}, "same time: the next ordinal");
  Check(cursor.Advance(90, 3) == NetEventBookmark{100, 2, 2}, "an older event leaves the bookmark");
  Check(cursor.Advance(110, 4) == NetEventBookmark{110, 1, 4}, "a newer time starts at 1");

  const std::vector<std::pair<uint64_t, uint32_t>> listing = {{90, 9}, {100, 1}, {100, 2}, {100, 5}, {120, 6}};
  auto at = [&](NetEventBookmark bm) { return NetEventCursor::Locate(bm, listing); };
  Check(at({100, 2, 2}).found && at({100, 2, 2}).first == 3, "after the second event at 100");
  Check(at({120, 1, 6}).found && at({120, 1, 6}).first == 5, "after the newest: nothing to hand on");
  Check(!at({80, 1, 7}).found && at({80, 1, 7}).first == 0, "evicted: from the oldest event");
  Check(!at({100, 2, 3}).found && at({100, 2, 3}).first == 1, "not the same event at that place: from its time");
  Check(!at({130, 1, 1}).found && at({130, 1, 1}).first == 5, "a bookmark newer than the buffer hands on nothing");

  NetEventOverlap overlap;
  overlap.Remember(1000000000, {{1, 1}, {999999999, 2}, {1000000005, 3}});
  Check(!overlap.Seen(1, 1), "too old to come through the subscription");
  Check(overlap.Seen(1000000005, 3) && !overlap.Seen(1000000005, 3), "a listed event the subscription repeats, once");
  Check(!overlap.Seen(1000000006, 4), "a new event");
  Check(overlap.Seen(999999999, 2), "late, but listed");
}

TEST_CASE("net event hand-off: bounded, never waits, counts what it drops, loses nothing else") {
  NetEventHandoff handoff(1000);
  std::atomic<uint64_t> pushed{0}, refused{0};
  std::vector<std::thread> callbacks;
  for (int t = 0; t < 4; ++t)
    callbacks.emplace_back([&, t] {
      for (uint32_t i = 0; i < 5000; ++i) {
        NetEventFacts f;
        f.filterId = static_cast<uint64_t>(t) << 32 | i;
        if (handoff.Push(std::move(f)))
          ++pushed;
        else
          ++refused;
      }
    });
  uint64_t taken = 0, dropped = 0;
  std::vector<NetEventFacts> out;
  while (taken + dropped < 20000) {
    out.clear();
    dropped += handoff.TakeAll(out);
    taken += out.size();
    Check(out.size() <= 1000, "never more than the bound waits");
  }
  for (std::thread& t : callbacks) t.join();
  out.clear();
  dropped += handoff.TakeAll(out);
  taken += out.size();
  Equal(taken, pushed.load(), "everything accepted is taken");
  Equal(dropped, refused.load(), "everything refused is counted");
  Equal(taken + dropped, uint64_t{20000}, "no event unaccounted for");
}
