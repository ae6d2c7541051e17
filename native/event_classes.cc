#include "event_classes.h"

namespace wfp {

std::optional<EventClass> ClassifyEventId(uint32_t eventId) {
  switch (eventId) {
    case 5031: return EventClass{Kind::Accept, Action::Block};
    case 5150: return EventClass{Kind::Mac, Action::Block};
    case 5151: return EventClass{Kind::Mac, Action::Block};
    case 5152: return EventClass{Kind::Packet, Action::Block};
    case 5153: return EventClass{Kind::Packet, Action::Block};
    case 5154: return EventClass{Kind::Listen, Action::Allow};
    case 5155: return EventClass{Kind::Listen, Action::Block};
    case 5156: return EventClass{Kind::Connection, Action::Allow};
    case 5157: return EventClass{Kind::Connection, Action::Block};
    case 5158: return EventClass{Kind::Bind, Action::Allow};
    case 5159: return EventClass{Kind::Bind, Action::Block};
    default: return std::nullopt;
  }
}

std::optional<Kind> ParseKind(std::string_view name) {
  for (size_t i = 0; i < std::size(kKindNames); ++i)
    if (kKindNames[i] == name) return static_cast<Kind>(i);
  return std::nullopt;
}

EventSelection EventSelection::Of(const bool (&kinds)[6], bool includeAllowed) {
  EventSelection s;
  for (size_t i = 0; i < std::size(kIds); ++i) {
    std::optional<EventClass> c = ClassifyEventId(kIds[i]);
    if (kinds[static_cast<size_t>(c->kind)] && (includeAllowed || c->action == Action::Block)) s.bits_ |= 1u << i;
  }
  return s;
}

bool EventSelection::Contains(uint32_t eventId) const {
  for (size_t i = 0; i < std::size(kIds); ++i)
    if (kIds[i] == eventId) return (bits_ >> i) & 1u;
  return false;
}

}  // namespace wfp
