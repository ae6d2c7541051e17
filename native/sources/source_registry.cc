// The sources this build has, by name. Adding a source: its file (with its options parser), a line
// here, and its branch in lib/sources.ts.
#include "model/event_catalog.h"
#include "sources/replay_source.h"
#include "sources/source_options.h"
#include "sources/stream_source.h"
#ifdef _WIN32
#include "sources/eventlog_source.h"
#include "sources/legacy_source.h"
#include "sources/netevents_source.h"
#endif

namespace wfp {
namespace {

constexpr SourceType kSourceTypes[] = {
    {"files", false, false, &ReplaySource::Create},      {"stream", false, false, &StreamSource::Create},
#ifdef _WIN32
    {"eventlog", true, false, &EventLogSource::Create},  {"legacy", true, false, &LegacySource::Create},
    {"netevents", true, true, &NetEventsSource::Create},
#endif
};

}  // namespace

std::vector<const SourceType*> AllSourceTypes() {
  std::vector<const SourceType*> all;
  for (const SourceType& type : kSourceTypes) all.push_back(&type);
  return all;
}

const SourceType* FindSourceType(std::string_view name) {
  for (const SourceType& type : kSourceTypes)
    if (type.name == name) return &type;
  return nullptr;
}

LiveStart ReadLiveStart(OptionReader& options) {
  LiveStart start;
  const std::string from = options.String("from").value_or("now");
  if (from == "oldest") {
    start.at = StartAt::Oldest;
  } else if (from == "bookmark") {
    std::optional<std::string> bookmark = options.String("bookmark");
    if (!bookmark) options.Fail("bookmark must be a string");
    start.at = StartAt::Bookmark;
    start.bookmark = bookmark.value_or("");
    start.recordId = options.Decimal("afterRecordId").value_or(0);
    start.firewallRecordId = options.Decimal("afterFirewallRecordId");
  } else if (from != "now") {
    options.Fail("from must be 'now', 'oldest' or 'bookmark'");
  }
  return start;
}

}  // namespace wfp
