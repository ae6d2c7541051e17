// Names the calling thread for debuggers and profilers ("wfp-blocks" in a thread list).
#pragma once

namespace wfp {
void SetCurrentThreadName(const char* name);
}
