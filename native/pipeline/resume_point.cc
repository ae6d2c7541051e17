#include "pipeline/resume_point.h"

#include "util/decimal.h"

namespace wfp {
namespace {

// Splits at single spaces; nothing when there are more than `most` words.
bool Words(std::string_view text, std::string_view* out, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    const size_t space = text.find(' ');
    out[i] = text.substr(0, space);
    if (out[i].empty()) return false;
    if (space == std::string_view::npos) return i + 1 == count;
    text.remove_prefix(space + 1);
  }
  return false;  // words left over
}

bool Hex64(std::string_view text, uint64_t& v) {
  if (text.empty() || text.size() > 16) return false;
  v = 0;
  for (char c : text) {
    const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return false;
    v = v * 16 + static_cast<uint64_t>(d);
  }
  return true;
}

}  // namespace

std::optional<ResumeInput> ParseResumeInput(std::string_view text) {
  std::string_view w[4];
  ResumeInput input;
  if (!Words(text, w, 4) || !ParseDecimal(w[0], input.identity.headLength) ||
      input.identity.headLength > InputIdentity::kIdentityBytes || !Hex64(w[1], input.identity.headHash) ||
      !ParseDecimal(w[2], input.offset) || (w[3] != "0" && w[3] != "1"))
    return std::nullopt;
  input.done = w[3] == "1";
  return input;
}

bool ParseResumeEpoch(std::string_view text, ResumePoint& resume) {
  std::string_view w[3];
  uint64_t index = 0, end = 0, delivered = 0;
  if (!Words(text, w, 3) || !ParseDecimal(w[0], index) || index > UINT32_MAX || !ParseDecimal(w[1], end) ||
      !ParseDecimal(w[2], delivered))
    return false;
  resume.inEpoch = true;
  resume.epochInput = static_cast<uint32_t>(index);
  resume.epochEnd = end;
  resume.epochDelivered = delivered;
  return true;
}

}  // namespace wfp
