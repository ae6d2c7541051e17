// Where a watcher resumes: for each input of a replay's bookmark, by its identity (not its name), the
// position up to which everything was delivered; with coalescing, the epoch that was partly delivered.
// And the text form the TypeScript layer hands it in (lib/bookmark.ts writes it): a line
// "headLength headHash offset done" per input (hash in hex, done 0 or 1), and "input end delivered"
// for the epoch. Parsing is linear and bounded by the text's length. Plain C++ with no Node-API and
// no OS code.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "model/event_source.h"

namespace wfp {

struct ResumeInput {
  InputIdentity identity;
  uint64_t offset = 0;
  bool done = false;  // it had been read to its end
};

struct ResumePoint {
  std::vector<ResumeInput> inputs;
  bool inEpoch = false;
  uint32_t epochInput = 0;      // index in `inputs` of the input the epoch ended in (0 for a live log)
  uint64_t epochEnd = 0;        // the end of the epoch's last record there (a live log: its record ID)
  uint64_t epochDelivered = 0;  // how many of the epoch's folds were delivered
};

std::optional<ResumeInput> ParseResumeInput(std::string_view text);
// Sets the epoch of `resume`; false (changing nothing) when `text` is not one.
bool ParseResumeEpoch(std::string_view text, ResumePoint& resume);

}  // namespace wfp
