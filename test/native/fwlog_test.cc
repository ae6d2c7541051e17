// The firewall's own log (pfirewall.log), on the real published samples of test/fixtures/fwlog: the
// same events whatever the chunks they arrive in, each line's position, time conversion with an offset
// and with "#Time Format: UTC", the lines that are not blocks or permits, and recognising the format
// from an input's first bytes.
#include <fstream>
#include <sstream>

#include "test_main.h"

#include "fwlog/fwlog_decoder.h"

namespace {
using namespace wfp;
using namespace wfp::test;

std::string FwlogFixture(const std::string& name) {
  const char* folder = std::getenv("WFP_FIXTURES");
  std::ifstream in(std::string(folder ? folder : ".") + "/../fwlog/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Keeps what the decoder hands over, in order, as text.
class Collect final : public RecordSink {
 public:
  void OnRecord(const EventRecord&, const Position&) override { lines.push_back("record?"); }
  void OnEvent(const BlockEvent& e, const Position& at) override {
    std::string line = std::to_string(e.record->eventId) + " " + std::to_string(static_cast<int64_t>(e.timeMs)) + " " +
                       std::to_string(static_cast<int>(e.direction)) + " " + std::to_string(e.protocol.value_or(999)) +
                       " ";
    for (const Endpoint* p : {&e.source, &e.destination})
      line += (p->present ? std::string(p->address) : "-") + ":" + (p->port ? std::to_string(*p->port) : "-") + " ";
    line += std::to_string(static_cast<int>(e.local)) + std::to_string(static_cast<int>(e.remote)) +
            " pid=" + (e.pid ? std::to_string(*e.pid) : "-") + " @" + std::to_string(at.offset) + "-" +
            std::to_string(at.end);
    lines.push_back(line);
    fields += e.record->data.size();
  }
  void OnIssue(Issue issue) override {
    lines.push_back(std::string(issue.code->name) + " @" + std::to_string(issue.offset));
  }
  void OnGap(std::string) override {}
  void OnStartAfter(uint32_t, uint64_t) override {}
  void OnIdle() override {}
  std::optional<std::chrono::milliseconds> IdleTimeout() const override { return std::nullopt; }
  bool Stopping() const override { return false; }
  bool Wants(uint32_t) const override { return true; }

  std::vector<std::string> lines;
  size_t fields = 0;
};

std::vector<std::string> Decode(const std::string& text, size_t chunk, std::optional<int32_t> offset = 0) {
  FirewallLogDecoder decoder("test", 0, InputOptions{offset});
  Collect sink;
  for (size_t at = 0; at < text.size(); at += chunk)
    decoder.Feed(text.data() + at, std::min(chunk, text.size() - at), sink);
  decoder.Finish(sink);
  return sink.lines;
}

}  // namespace

TEST_CASE("firewall log: the published samples decode the same in any chunks, every line in place") {
  for (const char* name : {"BetaHydri-pfirewall.log", "plaso-windows_firewall.log", "crowdsec-windows-firewall.log"}) {
    const std::string text = FwlogFixture(name);
    Check(!text.empty(), std::string(name) + " is there");
    Check(FirewallLogDecoder::Recognizes(std::string_view(text).substr(0, FirewallLogDecoder::kHeadBytes)),
          std::string(name) + " is recognised");
    const std::vector<std::string> whole = Decode(text, text.size() + 1);
    for (size_t chunk : {size_t{1}, size_t{7}, size_t{4096}})
      Check(Decode(text, chunk) == whole, std::string(name) + " in chunks of " + std::to_string(chunk));
    std::string crlf;
    for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    std::vector<std::string> viaCrlf = Decode("\xEF\xBB\xBF" + crlf, 13);
    Equal(viaCrlf.size(), whole.size(), std::string(name) + " with CRLF and a byte-order mark");
  }
  const std::vector<std::string> beta = Decode(FwlogFixture("BetaHydri-pfirewall.log"), 4096);
  size_t issues = 0;
  for (const std::string& l : beta) issues += l.rfind("ERR_EVENTS_LOST", 0) == 0;
  Equal(beta.size(), size_t{234}, "234 lines: every data line but the two INFO-EVENTS-LOST is an event");
  Equal(issues, size_t{2}, "INFO-EVENTS-LOST is reported where it stands");
  Equal(beta[0], std::string("5152 1624364381000 1 17 192.168.178.25:5353 224.0.0.251:5353 21 pid=- @203-294"),
        "a dropped inbound multicast packet: RECEIVE, the peer as Source, local the destination");
  const std::vector<std::string> crowdsec = Decode(FwlogFixture("crowdsec-windows-firewall.log"), 64);
  Equal(crowdsec,
        std::vector<std::string>{"5152 1643631891000 1 6 192.168.9.163:63619 192.168.9.212:445 21 pid=4 @134-241"},
        "the pid column of current Windows");
}

TEST_CASE("firewall log: ICMP, SEND, the old actions, time zones and bad lines") {
  const std::string header =
      "#Version: 1.5\n#Software: Microsoft Windows Firewall\n#Time Format: Local\n"
      "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype "
      "icmpcode info path pid\n";
  // Lines of the published samples (ICMPv6 and numeric protocols from BetaHydri's, OPEN/CLOSE from plaso's).
  const std::string lines =
      "2021-06-22 12:25:27 ALLOW ICMP fe80::edbc:ecc7:41ef:dcca ff02::16 - - 0 - - - - 143 0 - SEND\n"
      "2021-06-22 12:25:27 ALLOW ICMP fe80::464e:6dff:fea9:dfca ff02::1 - - 0 - - - - 134 0 - RECEIVE\n"
      "2005-04-11 08:05:58 OPEN UDP 123.45.78.90 123.156.78.90 500 500 - - - - - - - - -\n"
      "2005-04-11 08:06:02 CLOSE UDP 123.45.78.90 123.156.78.90 1027 53 - - - - - - - - -\n"
      "2005-04-11 08:06:02 TELEPORT UDP 1.2.3.4 5.6.7.8 1 2 - - - - - - - - -\n"
      "2005-13-11 08:06:02 DROP UDP 1.2.3.4 5.6.7.8 1 2 - - - - - - - - -\n";
  const std::vector<std::string> got = Decode(header + lines, 5, 120);
  Equal(got.size(), size_t{5}, "CLOSE is neither a block nor a permit");
  Equal(got[0].substr(0, got[0].find(" @")),
        std::string("5156 1624357527000 2 58 fe80::edbc:ecc7:41ef:dcca:143 ff02::16:0 12 pid=-"),
        "ICMP over IPv6 is ICMPv6; outbound, the type in the local port; UTC+2 subtracted");
  Check(got[1].find(" 1 58 fe80::464e:6dff:fea9:dfca:0 ff02::1:134 21") != std::string::npos,
        "inbound ICMP: the type at the local side");
  Check(got[2].rfind("5156 1113199558000 0 17 123.45.78.90:500 123.156.78.90:500 00", 0) == 0,
        "OPEN is a permit with no direction");
  Check(got[3].rfind("ERR_BAD_FIELD", 0) == 0 && got[4].rfind("ERR_BAD_FIELD", 0) == 0,
        "an unknown action and a bad date are reported");

  const std::string utc =
      "#Time Format: UTC\n2021-06-22 12:25:27 DROP TCP 10.0.0.1 10.0.0.2 1 2 0 - 0 0 0 - - - SEND 77\n";
  Equal(Decode(utc, 3, -300)[0].substr(0, 18), std::string("5152 1624364727000"), "UTC time is taken as it is");
  const std::string headless = "2021-06-22 12:25:27 DROP TCP 10.0.0.1 10.0.0.2 1 2 0 - 0 0 0 - - - SEND 77\n";
  Check(FirewallLogDecoder::Recognizes(headless), "a log followed from its middle is recognised");
  Check(Decode(headless, 9)[0].find("pid=77") != std::string::npos, "without #Fields, the current columns");
  for (const char* other :
       {"<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>",
        "#Software: Microsoft Internet Information Services 10.0\n", "2021-06-22 12:25:27 GET /index.html", ""})
    Check(!FirewallLogDecoder::Recognizes(other), std::string("not a firewall log: ") + other);
}
