// Elsewhere than Windows there is no live source, so no interface addresses to decide by.
#include "enrich/local_addresses.h"

namespace wfp {
std::unique_ptr<LocalAddresses> CreateInterfaceAddresses() { return nullptr; }
}  // namespace wfp
