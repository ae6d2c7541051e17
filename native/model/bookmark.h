// Bookmarks: where a live watcher stopped, as the XML Windows itself renders (EvtRender(EvtRenderBookmark)):
// a <BookmarkList> with one <Bookmark Channel='…' RecordId='…'/> per log of the subscription's query
// ("if the query is against multiple channels, the bookmark handle will contain bookmarks for each
// channel", EvtCreateBookmark's documentation), IsCurrent='true' on one of them. Windows puts a line break
// and two spaces before each <Bookmark>; this form leaves them out, which is the same XML. The same string
// resumes the live log and a replay. Plain C++ with no Node-API and no OS code.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "model/event_catalog.h"

namespace wfp {

// A live watcher's position in each log it reads, by Channel: the last record ID handled there; none
// for a log it has no position in (a bookmark then does not name that log).
using ChannelRecordIds = std::array<std::optional<uint64_t>, kChannelCount>;

// The bookmark naming every log that has a position, the Security log first; IsCurrent on the first
// one named. Empty when none has one.
std::string BookmarkXml(const ChannelRecordIds& recordIds);

}  // namespace wfp
