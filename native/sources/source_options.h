// How a source reads its options and what the watcher hands every source: the options are seen as
// plain values (the node layer reads them from JavaScript; tests can give them directly), so the
// sources and their parsers have no Node-API. Plain C++ with no OS code.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/event_catalog.h"
#include "model/event_source.h"
#include "util/decimal.h"

namespace wfp {

class WfpEngine;  // win/wfp_engine.h (Windows only)

// The options of one watcher. A getter returns nothing when the option is absent; an option of the
// wrong type (or JavaScript refusing to answer, in an environment that is shutting down) returns
// nothing and records the first such problem in error().
class OptionReader {
 public:
  virtual std::optional<std::string> String(const char* name) = 0;
  virtual std::optional<bool> Bool(const char* name) = 0;
  virtual std::optional<double> Number(const char* name) = 0;
  virtual std::optional<std::vector<std::string>> Strings(const char* name) = 0;
  // A 64-bit unsigned option, given as decimal text (a JavaScript number cannot hold every one).
  std::optional<uint64_t> Decimal(const char* name) {
    std::optional<std::string> text = String(name);
    uint64_t v = 0;
    if (!text) return std::nullopt;
    if (!ParseDecimal(*text, v)) {
      Fail(std::string(name) + " must be a decimal number below 2^64");
      return std::nullopt;
    }
    return v;
  }

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  void Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }

 protected:
  ~OptionReader() = default;

 private:
  std::string error_;
};

// What every source is given besides its own options.
struct SourceContext {
  EventSelection selection;              // the traffic event IDs the watcher reports
  bool policyChanges = false;            // also read audit policy changes (4719)
  std::function<void()> streamDrained;   // a stream source: the writer may write again
  std::shared_ptr<WfpEngine> wfpEngine;  // Windows: the engine session the enricher shares; null elsewhere
};

// Where a live source starts: new records only, the oldest record, or after a bookmark.
enum class StartAt { Now, Oldest, Bookmark };

struct LiveStart {
  StartAt at = StartAt::Now;
  std::string bookmark;  // with StartAt::Bookmark
  // With StartAt::Bookmark, the bookmarked records (the TypeScript layer reads them): the Security log's
  // (0: the bookmark does not name that log), and the firewall's own log's (none: the bookmark does not
  // name it, as one from a version that read the Security log alone).
  uint64_t recordId = 0;
  std::optional<uint64_t> firewallRecordId;
};

// Reads `from` ('now', 'oldest', 'bookmark'), `bookmark`, `afterRecordId` and `afterFirewallRecordId`;
// fails the reader on anything else.
LiveStart ReadLiveStart(OptionReader& options);

// One kind of source: its name (the same at every level: the binding's `source` option, the
// TypeScript layer), whether it is live, and the parser of its own options.
struct SourceType {
  std::string_view name;
  // Reads this machine's logs as they are written: enriched, and its record IDs only grow.
  bool live;
  // Its records name the host's side themselves (the WFP engine's local and remote): no address rule
  // decides local and remote again.
  bool sidesKnown;
  // Builds the source from its options; null (with `options` failed) when they do not fit.
  std::unique_ptr<EventSource> (*create)(OptionReader& options, const SourceContext& context);
};

// The source types this build has (the live ones only on Windows).
std::vector<const SourceType*> AllSourceTypes();
// Null for a name this build does not have.
const SourceType* FindSourceType(std::string_view name);

}  // namespace wfp
