#include "model/event_catalog.h"

namespace wfp {

const EventInfo* FindEvent(uint32_t eventId) {
  for (const EventInfo& e : kEvents)
    if (e.id == eventId) return &e;
  return nullptr;
}

const EventInfo* FindTrafficEvent(uint32_t eventId) {
  // The traffic IDs are 5031 and 5150-5159: most records of a Security log are none of them.
  if (eventId != 5031 && (eventId < 5150 || eventId > 5159)) return nullptr;
  const EventInfo* e = FindEvent(eventId);
  return e && e->role == Role::Traffic ? e : nullptr;
}

const EventInfo* FindChangeEvent(uint32_t eventId) {
  // The change IDs are 2002-2099 (the firewall's log), 4944-4958 and 5440-5450.
  if (!((eventId >= 2002 && eventId <= 2099) || (eventId >= 4944 && eventId <= 4958) ||
        (eventId >= 5440 && eventId <= 5450)))
    return nullptr;
  const EventInfo* e = FindEvent(eventId);
  return e && e->role == Role::RuleChange ? e : nullptr;
}

const EventInfo* TrafficEventFor(Kind kind, Action action) {
  for (const EventInfo& e : kEvents)
    if (e.role == Role::Traffic && e.kind == kind && e.action == action) return &e;
  return nullptr;
}

std::optional<Kind> ParseKind(std::string_view name) {
  for (size_t i = 0; i < std::size(kKindNames); ++i)
    if (kKindNames[i] == name) return static_cast<Kind>(i);
  return std::nullopt;
}

EventSelection EventSelection::Of(const bool (&kinds)[kKindCount], bool includeAllowed) {
  EventSelection s;
  for (size_t i = 0; i < std::size(kEvents); ++i) {
    const EventInfo& e = kEvents[i];
    if (e.role == Role::Traffic && kinds[static_cast<size_t>(e.kind)] && (includeAllowed || e.action == Action::Block))
      s.bits_ |= uint64_t{1} << i;
  }
  return s;
}

EventSelection EventSelection::Everything() {
  bool kinds[kKindCount];
  for (bool& k : kinds) k = true;
  return Of(kinds, true);
}

bool EventSelection::Contains(uint32_t eventId) const {
  for (size_t i = 0; i < std::size(kEvents); ++i)
    if (kEvents[i].id == eventId) return (bits_ >> i) & 1u;
  return false;
}

}  // namespace wfp
