// libFuzzer target for the resume points a bookmark becomes on the native side (the text
// lib/bookmark.ts writes): arbitrary bytes, one entry per line, through ParseResumeInput and
// ParseResumeEpoch. Checks that whatever parses is within bounds and prints back as it was read.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "pipeline/resume_point.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    if (std::optional<wfp::ResumeInput> input = wfp::ParseResumeInput(line)) {
      if (input->identity.headLength > wfp::InputIdentity::kIdentityBytes) std::abort();
      char hash[17];
      std::snprintf(hash, sizeof hash, "%llx", static_cast<unsigned long long>(input->identity.headHash));
      const std::string back = std::to_string(input->identity.headLength) + " " + hash + " " +
                               std::to_string(input->offset) + " " + (input->done ? "1" : "0");
      // Only canonical text (no leading zeros) prints back identically; it must at least parse again.
      if (!wfp::ParseResumeInput(back)) std::abort();
    }
    wfp::ResumePoint resume;
    if (wfp::ParseResumeEpoch(line, resume) && !resume.inEpoch) std::abort();
  }
  return 0;
}
