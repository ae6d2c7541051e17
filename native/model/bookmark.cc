#include "model/bookmark.h"

#include "model/event_catalog.h"

namespace wfp {

std::string BookmarkXml(uint64_t recordId) {
  return "<BookmarkList><Bookmark Channel='" + std::string(kSecurityChannel) + "' RecordId='" +
         std::to_string(recordId) + "' IsCurrent='true'/></BookmarkList>";
}

}  // namespace wfp
