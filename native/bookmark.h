// Bookmarks: where a watcher stopped, as the XML Windows itself renders for a record
// (EvtRender(EvtRenderBookmark)). The same string resumes the live log and a replay.
#pragma once

#include <cstdint>
#include <string>

namespace wfp {
std::string BookmarkXml(const std::string& channel, uint64_t recordId);
}  // namespace wfp
