// What each WFP audit event ID means, and the names used for kinds, actions and directions. The one
// place these tables live: the TypeScript layer receives the names from here.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "block_event.h"

namespace wfp {

struct EventClass {
  Kind kind;
  Action action;
};

// 5031 and 5150-5159; nothing for any other ID.
std::optional<EventClass> ClassifyEventId(uint32_t eventId);

inline constexpr std::string_view kKindNames[] = {"connection", "packet", "listen", "bind", "accept", "mac"};
inline constexpr std::string_view kActionNames[] = {"block", "allow"};
inline constexpr std::string_view kDirectionNames[] = {"", "inbound", "outbound", "forward", "bidirectional"};

std::optional<Kind> ParseKind(std::string_view name);

// The set of event IDs a watcher reports, chosen by kinds and whether allowed events are wanted.
class EventSelection {
 public:
  static EventSelection Of(const bool (&kinds)[6], bool includeAllowed);
  bool Contains(uint32_t eventId) const;
  // Ascending, for queries that filter at the source.
  template <typename F>
  void ForEach(F f) const {
    for (uint32_t id : kIds)
      if (Contains(id)) f(id);
  }

 private:
  static constexpr uint32_t kIds[] = {5031, 5150, 5151, 5152, 5153, 5154, 5155, 5156, 5157, 5158, 5159};
  uint32_t bits_ = 0;  // bit i: kIds[i]
};

}  // namespace wfp
