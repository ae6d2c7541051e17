#include "model/bookmark.h"

namespace wfp {

std::string BookmarkXml(const ChannelRecordIds& recordIds) {
  std::string bookmarks;
  for (size_t i = 0; i < kChannelCount; ++i) {
    if (!recordIds[i]) continue;
    bookmarks += "<Bookmark Channel='" + std::string(kChannelNames[i]) + "' RecordId='" +
                 std::to_string(*recordIds[i]) + (bookmarks.empty() ? "' IsCurrent='true'/>" : "'/>");
  }
  return bookmarks.empty() ? std::string() : "<BookmarkList>" + bookmarks + "</BookmarkList>";
}

}  // namespace wfp
