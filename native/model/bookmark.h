// Bookmarks: where a watcher stopped, as the XML Windows itself renders for a record of the Security
// log (EvtRender(EvtRenderBookmark)). The same string resumes the live log and a replay. Plain C++
// with no Node-API and no OS code.
#pragma once

#include <cstdint>
#include <string>

namespace wfp {
std::string BookmarkXml(uint64_t recordId);
}  // namespace wfp
