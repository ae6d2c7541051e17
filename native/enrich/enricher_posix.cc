// Elsewhere than Windows there is no machine state to add to the records of a Windows log.
#include "enrich/enricher.h"

namespace wfp {
std::unique_ptr<Enricher> CreateSystemEnricher() { return nullptr; }
}  // namespace wfp
