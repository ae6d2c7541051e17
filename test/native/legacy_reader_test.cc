// The legacy source's loop (sources/legacy_reader.h) against a fake event log that answers as the
// documentation and other shippers' trackers say the real one does: a service restart (reads fail with
// ERROR_INVALID_HANDLE, opens with RPC_S_SERVER_UNAVAILABLE while it is down: Wazuh issue 3792), a seek
// that is refused (KB 177199), a corrupt file, a malformed record, a cleared log.
#include "test_main.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <map>

#include "sources/legacy_reader.h"
#include "win/win32_errors.h"

namespace {
using namespace wfp;
using namespace wfp::test;

std::vector<uint8_t> Wide(std::string_view s) {
  std::vector<uint8_t> out;
  for (unsigned char c : s) out.insert(out.end(), {c, 0});
  out.insert(out.end(), {0, 0});
  return out;
}

// An EVENTLOGRECORD with these insertion strings.
std::vector<uint8_t> Record(uint32_t number, uint32_t eventId, const std::vector<std::string>& strings) {
  std::vector<uint8_t> body;
  for (auto part : {Wide("Microsoft-Windows-Security-Auditing"), Wide("host.example")})
    body.insert(body.end(), part.begin(), part.end());
  while ((56 + body.size()) % 4) body.push_back(0);
  const uint32_t stringOffset = static_cast<uint32_t>(56 + body.size());
  for (const std::string& s : strings) {
    auto w = Wide(s);
    body.insert(body.end(), w.begin(), w.end());
  }
  while ((56 + body.size()) % 4) body.push_back(0);
  const uint32_t length = static_cast<uint32_t>(56 + body.size() + 4);
  std::vector<uint8_t> r(56);
  auto put32 = [&](size_t at, uint32_t v) { std::memcpy(r.data() + at, &v, 4); };
  put32(0, length);
  put32(4, 0x654c664c);
  put32(8, number);
  put32(12, 1467213897 + number);
  put32(16, 1467213897 + number);
  put32(20, eventId);
  const uint16_t count = static_cast<uint16_t>(strings.size());
  std::memcpy(r.data() + 26, &count, 2);
  put32(36, stringOffset);
  r.insert(r.end(), body.begin(), body.end());
  r.insert(r.end(), reinterpret_cast<const uint8_t*>(&length), reinterpret_cast<const uint8_t*>(&length) + 4);
  return r;
}

const std::vector<std::string> kBind = {
    "1234", "\\device\\harddiskvolume2\\app.exe", "0.0.0.0", "8080", "6", "70000", "%%14608", "36"};

// The Security log as ReadEventLogW serves it: record numbers from `first`, a read position, and
// failures scripted per call.
class FakeLog final : public LegacyLog {
 public:
  std::map<uint32_t, std::vector<uint8_t>> records;  // by record number
  std::deque<uint32_t> openFailures;                 // the next Open() calls fail with these
  std::map<size_t, uint32_t> failOnOpen;             // open call number (from 1) -> error
  size_t openCalls = 0;
  std::deque<uint32_t> readFailures;      // the next Read() calls fail with these
  std::map<size_t, uint32_t> failOnRead;  // read call number (from 1) -> error
  size_t readCalls = 0;
  bool seekRefused = false;  // EVENTLOG_SEEK_READ gives ERROR_INVALID_PARAMETER
  size_t maxRecordsPerRead = 1000;
  int waitsLeft = 3;  // Wait() says "stop" after this many caught-up waits
  std::vector<std::string> calls;
  std::vector<uint32_t> waited;  // each Wait's milliseconds
  uint32_t next = 0;             // the record the next sequential read returns
  bool open = false;

  void Add(uint32_t number, uint32_t eventId, const std::vector<std::string>& strings) {
    records[number] = Record(number, eventId, strings);
  }

  uint32_t Open(uint32_t& notifyError) override {
    calls.push_back("open");
    notifyError = 0;
    if (auto fail = failOnOpen.find(++openCalls); fail != failOnOpen.end()) return fail->second;
    if (!openFailures.empty()) {
      const uint32_t code = openFailures.front();
      openFailures.pop_front();
      return code;
    }
    open = true;
    next = records.empty() ? 1 : records.begin()->first;
    return 0;
  }
  void Close() override {
    calls.push_back("close");
    open = false;
  }
  uint32_t Newest(uint32_t& record) override {
    record = records.empty() ? 0 : records.rbegin()->first;
    return 0;
  }
  uint32_t Read(uint32_t seekTo, std::vector<uint8_t>& buffer, uint32_t& read) override {
    calls.push_back(seekTo ? "seek " + std::to_string(seekTo) : "read");
    read = 0;
    if (!open) return win32::kInvalidHandle;
    if (auto fail = failOnRead.find(++readCalls); fail != failOnRead.end()) return fail->second;
    if (!readFailures.empty()) {
      const uint32_t code = readFailures.front();
      readFailures.pop_front();
      return code;
    }
    if (seekTo) {
      if (seekRefused) return win32::kInvalidParameter;
      next = seekTo;
    }
    auto it = records.lower_bound(next);
    if (it == records.end()) return win32::kHandleEof;
    size_t n = 0;
    for (; it != records.end() && n < maxRecordsPerRead; ++it, ++n) {
      if (read + it->second.size() > buffer.size()) {
        if (n == 0) {
          read = static_cast<uint32_t>(it->second.size());
          return win32::kInsufficientBuffer;
        }
        break;
      }
      std::memcpy(buffer.data() + read, it->second.data(), it->second.size());
      read += static_cast<uint32_t>(it->second.size());
      next = it->first + 1;
    }
    return 0;
  }
  bool Wait(uint32_t milliseconds) override {
    waited.push_back(milliseconds);
    calls.push_back("wait");
    return open ? --waitsLeft > 0 : true;  // while closed it is a backoff; once open, the scenario ends
  }
  std::string AccessHint() override { return "run as administrator"; }
};

// What the source handed on, in order.
class TestSink final : public RecordSink {
 public:
  std::vector<uint64_t> records;
  std::vector<std::string> names;  // of the first record's fields
  std::vector<std::pair<std::string, int64_t>> issues;
  uint64_t startAfter = 0;
  void OnRecord(const EventRecord& r, const Position&) override {
    records.push_back(r.recordId);
    if (names.empty())
      for (const DataField& d : r.data) names.emplace_back(d.name);
  }
  void OnEvent(const BlockEvent&, const Position&) override {}
  void OnIssue(Issue issue) override { issues.emplace_back(std::string(issue.code->name), issue.systemCode); }
  void OnGap(std::string) override {}
  void OnStartAfter(uint32_t, uint64_t id) override { startAfter = id; }
  void OnIdle() override {}
  std::optional<std::chrono::milliseconds> IdleTimeout() const override { return std::nullopt; }
  bool Stopping() const override { return false; }
  bool Wants(uint32_t id) const override { return id >= 5150 && id <= 5159; }
};

void Fill(FakeLog& log, uint32_t from, uint32_t to) {
  for (uint32_t n = from; n <= to; ++n)
    log.Add(n, n % 3 ? 5158 : 4624, n % 3 ? kBind : std::vector<std::string>{"S-1-5-18"});
}

}  // namespace

TEST_CASE(
    "legacy reader: an EventLog service restart is waited out with backoff, and reading goes on after the last "
    "record") {
  FakeLog log;
  Fill(log, 100, 120);
  // Stopped service: the handle is dead, and opening fails until it is back.
  log.maxRecordsPerRead = 5;
  log.failOnRead[2] = win32::kInvalidHandle;
  log.failOnOpen = {{2, win32::kRpcServerUnavailable},
                    {3, win32::kRpcServerUnavailable},
                    {4, win32::kRpcServerUnavailable},
                    {5, win32::kAccessDenied}};  // access denied on a reopen is not the end either
  InsertionLayouts layouts;
  LegacyReader reader(log, layouts, StartAt::Oldest, 0);
  TestSink sink;
  reader.Run(sink);
  std::vector<uint64_t> expected;
  for (uint64_t n = 100; n <= 120; ++n) {
    if (n % 3) expected.push_back(n);
    if (n == 104) expected.push_back(n);  // the last record before the restart, read again after the seek
  }
  Equal(sink.records, expected, "none lost; the one read again is what the pipeline skips");
  Check(std::find(log.calls.begin(), log.calls.end(), "seek 104") != log.calls.end(),
        "reopened at the last record read");
  size_t transient = 0;
  for (const auto& [code, system] : sink.issues) transient += code == "ERR_EVENTLOG_TRANSIENT";
  Equal(transient, sink.issues.size(), "every problem is recoverable");
  Equal(transient, size_t{5}, "the read failure and the four failed opens, each reported");
  // The waits between attempts grow: 250 ms, then about twice as long each time.
  Check(log.waited.size() >= 5 && log.waited[0] >= 250 && log.waited[1] >= 500 && log.waited[2] >= 1000 &&
            log.waited[3] >= 2000 && log.waited[4] >= 4000 && log.waited[4] < 5000,
        "exponential backoff");
}

TEST_CASE("legacy reader: access denied at the first open ends the source with its hint") {
  FakeLog log;
  log.openFailures = {win32::kAccessDenied};
  InsertionLayouts layouts;
  LegacyReader reader(log, layouts, StartAt::Now, 0);
  TestSink sink;
  reader.Run(sink);
  Check(sink.issues.size() == 1 && sink.issues[0].first == "ERR_ACCESS_DENIED" && sink.issues[0].second == 5,
        "one fatal error");
  Equal(log.calls, std::vector<std::string>{"open"}, "no retry");
}

TEST_CASE(
    "legacy reader: 'now' seeks to the newest record instead of reading the whole log; a refused seek reads from the "
    "start") {
  {
    FakeLog log;
    Fill(log, 1, 5000);
    InsertionLayouts layouts;
    LegacyReader reader(log, layouts, StartAt::Now, 0);
    TestSink sink;
    reader.Run(sink);
    Equal(sink.startAfter, uint64_t{5000}, "the floor");
    Check(log.calls.size() >= 2 && log.calls[1] == "seek 5000", "the first read seeks to the newest record");
    const auto firstWait = std::find(log.calls.begin(), log.calls.end(), "wait");
    Equal(std::vector<std::string>(log.calls.begin(), firstWait), std::vector<std::string>{"open", "seek 5000", "read"},
          "caught up after two reads, not the whole log");
  }
  {
    FakeLog log;
    Fill(log, 1, 50);
    log.seekRefused = true;
    InsertionLayouts layouts;
    LegacyReader reader(log, layouts, StartAt::Bookmark, 40);
    TestSink sink;
    reader.Run(sink);
    Check(std::find(log.calls.begin(), log.calls.end(), "seek 40") != log.calls.end(), "the seek was tried");
    Check(sink.records.size() == 34 && sink.records.front() == 1,
          "then everything from the start (the pipeline skips up to 40)");
    Check(sink.issues.empty(), "a refused seek is not an error");
  }
}

TEST_CASE(
    "legacy reader: a malformed record is reported and skipped, not the rest of its buffer; a corrupt file is "
    "reported, not looped on silently") {
  FakeLog log;
  Fill(log, 1, 9);
  log.records[4][36] = 0xF0;  // record 4's string offset points outside it
  log.readFailures = {win32::kEventlogFileCorrupt, win32::kEventlogFileCorrupt};
  InsertionLayouts layouts;
  LegacyReader reader(log, layouts, StartAt::Oldest, 0);
  TestSink sink;
  reader.Run(sink);
  Equal(sink.records, std::vector<uint64_t>{1, 2, 5, 7, 8}, "record 4 (a 5158) skipped; the rest of its buffer read");
  size_t records = 0, corrupt = 0;
  for (const auto& [code, system] : sink.issues) {
    records += code == "ERR_EVENTLOG_RECORD";
    corrupt += code == "ERR_EVENTLOG_TRANSIENT" && system == win32::kEventlogFileCorrupt;
  }
  Equal(records, size_t{1}, "the malformed record reported");
  Equal(corrupt, size_t{1}, "a run of corrupt-file answers reported once");
  Check(log.waited.size() >= 2 && log.waited[0] >= 250, "and retried with backoff, not in a hot loop");
}

TEST_CASE("legacy reader: a cleared log reopens and goes on from the last record read; big records grow the buffer") {
  FakeLog log;
  Fill(log, 1, 6);
  std::vector<std::string> big = kBind;
  big[1] = std::string(70000, 'a');  // longer than the 64 KiB first buffer
  log.Add(7, 5158, big);
  InsertionLayouts layouts;
  LegacyReader reader(log, layouts, StartAt::Oldest, 0);
  TestSink sink;
  reader.Run(sink);
  Check(sink.records.size() == 5 && sink.records.back() == 7, "the big record arrived");
  Check(sink.names.size() == kBind.size() && sink.names[1] == "Application", "named from the table");

  FakeLog cleared;
  Fill(cleared, 1, 4);
  cleared.maxRecordsPerRead = 1;
  cleared.failOnRead[2] = win32::kEventlogFileChanged;
  LegacyReader again(cleared, layouts, StartAt::Oldest, 0);
  TestSink after;
  again.Run(after);
  Check(std::find(cleared.calls.begin(), cleared.calls.end(), "seek 1") != cleared.calls.end(),
        "reopened at the last record read");
  Equal(after.records, std::vector<uint64_t>{1, 1, 2, 4}, "record 1 read again (the pipeline skips it), then the rest");
  Check(after.issues.empty(), "a cleared log is not an error");
}
