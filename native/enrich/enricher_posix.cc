// Elsewhere than Windows there is no machine state to add to the records of a Windows log.
#include "enrich/enricher.h"

namespace wfp {
std::shared_ptr<WfpEngine> CreateSharedWfpEngine() { return nullptr; }
std::unique_ptr<Enricher> CreateSystemEnricher(std::shared_ptr<WfpEngine>) { return nullptr; }
}  // namespace wfp
