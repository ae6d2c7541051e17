#include "bookmark.h"

namespace wfp {

std::string BookmarkXml(const std::string& channel, uint64_t recordId) {
  return "<BookmarkList><Bookmark Channel='" + channel + "' RecordId='" + std::to_string(recordId) +
         "' IsCurrent='true'/></BookmarkList>";
}

}  // namespace wfp
