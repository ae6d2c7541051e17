// What the process's token allows, for error hints.
#pragma once

#include <string>

namespace wfp {
// What to do about a refused Security log, from what the token holds.
std::string SecurityLogAccessHint();
}  // namespace wfp
