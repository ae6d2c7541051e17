#include "model/policy_change.h"

#include "model/event_catalog.h"
#include "model/record_values.h"

namespace wfp {

using sv = std::string_view;

bool RecognizePolicyChange(const EventRecord& r, PolicyChange& out) {
  if (!r.hasEventId || r.eventId != kAuditPolicyChangedEventId ||
      !EqualsIgnoreCase(r.provider, kSecurityAuditingProvider) || !r.hasSystemTime ||
      !ParseSystemTime(r.systemTime, out.timeMs))
    return false;
  const DataField* guid = nullptr;
  const DataField* changes = nullptr;
  for (const DataField& f : r.data) {
    if (f.name == "SubcategoryGuid")
      guid = &f;
    else if (f.name == "AuditPolicyChanges")
      changes = &f;
  }
  if (!guid || !changes) return false;
  out.subcategoryGuid = guid->value;
  out.changes = 0;
  sv rest = changes->value;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    sv token = rest.substr(0, comma);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    switch (TokenNumber(token).value_or(0)) {
      case 8448:
        out.changes |= kSuccessRemoved;
        break;
      case 8449:
        out.changes |= kSuccessAdded;
        break;
      case 8450:
        out.changes |= kFailureRemoved;
        break;
      case 8451:
        out.changes |= kFailureAdded;
        break;
      default:
        break;
    }
    rest = comma == sv::npos ? sv() : rest.substr(comma + 1);
  }
  return true;
}

}  // namespace wfp
