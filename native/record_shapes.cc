#include "record_shapes.h"

#include <cstring>
#include <string_view>

#if defined(__SSE2__) || defined(_M_X64) || defined(_M_AMD64)
#include <emmintrin.h>
#define WFP_SSE2 1
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#endif
#endif

namespace wfp {
namespace {

uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

uint32_t Load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Markup literals are short (a tag or two): word compares inline beat a call to memcmp.
bool SameBytes(const char* a, const char* b, size_t n) {
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8)
      if (Load64(a + i) != Load64(b + i)) return false;
    return Load64(a + n - 8) == Load64(b + n - 8);
  }
  if (n >= 4) return Load32(a) == Load32(b) && Load32(a + n - 4) == Load32(b + n - 4);
  for (size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

#ifdef WFP_SSE2
unsigned LowestSetBit(unsigned mask) {
#if defined(_MSC_VER) && !defined(__clang__)
  unsigned long index;
  _BitScanForward(&index, mask);
  return static_cast<unsigned>(index);
#else
  return static_cast<unsigned>(__builtin_ctz(mask));
#endif
}
#endif

// The end of a value: the first `stop` ('<' after text, the quote after an attribute value). Null
// when the input ends first or a byte that needs the general parser comes first: '&' (an entity to
// decode), NUL (an error), '<' inside an attribute value (an error).
const char* ScanValue(const char* p, const char* e, char stop) {
#ifdef WFP_SSE2
  const __m128i stops = _mm_set1_epi8(stop);
  const __m128i lts = _mm_set1_epi8('<');
  const __m128i amps = _mm_set1_epi8('&');
  const __m128i nuls = _mm_setzero_si128();
  for (; e - p >= 16; p += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, stops), _mm_cmpeq_epi8(chunk, lts)),
                                      _mm_or_si128(_mm_cmpeq_epi8(chunk, amps), _mm_cmpeq_epi8(chunk, nuls)));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
    if (mask) {
      const char* at = p + LowestSetBit(mask);
      return *at == stop ? at : nullptr;
    }
  }
#endif
  for (; p < e; ++p) {
    const char c = *p;
    if (c == stop) return p;
    if (c == '<' || c == '&' || c == '\0') return nullptr;
  }
  return nullptr;
}

}  // namespace

void ShapeRecorder::Start(const char* record) {
  record_ = record;
  values_.clear();
  emptyData_.clear();
  usable_ = true;
}

void ShapeRecorder::Value(const char* begin, const char* end, Field field) {
  values_.push_back(Span{begin, end, field});
}

void ShapeRecorder::EmptyData(const char* at) {
  // A step adds at most one empty value: two <Data/> with no value between them cannot be replayed.
  if (!emptyData_.empty() && (values_.empty() || values_.back().begin < emptyData_.back())) Abort();
  emptyData_.push_back(at);
}

bool RecordShapes::Match(const char* p, const char* e, EventRecord& record, const char*& end) const {
  const char* const literals = literals_.data();
  std::string_view dataName;
  uint32_t at = 0;
  while (true) {
    uint32_t next = nodes_[at].firstChild;
    for (; next != kNone; next = nodes_[next].nextSibling) {
      const Node& candidate = nodes_[next];
      if (static_cast<size_t>(e - p) >= candidate.length && SameBytes(p, literals + candidate.literal, candidate.length))
        break;
    }
    if (next == kNone) return false;
    const Node& step = nodes_[next];
    p += step.length;
    if (step.emptyData) AssignField(Field::DataValue, std::string_view(), record, dataName);
    if (step.hole == Hole::End) {
      end = p;
      return true;
    }
    const char stop = step.hole == Hole::Text ? '<' : literals[step.literal + step.length - 1];
    const char* valueEnd = ScanValue(p, e, stop);
    if (!valueEnd) return false;
    AssignField(step.field, std::string_view(p, static_cast<size_t>(valueEnd - p)), record, dataName);
    p = valueEnd;
    at = next;
  }
}

void RecordShapes::Learn(const char* start, const char* end, const ShapeRecorder& recorder) {
  if (!recorder.usable_ || recorder.record_ != start) return;
  const size_t bytes = static_cast<size_t>(end - start);
  if (bytes > kMaxLiteralBytes / 4) return;  // far larger than any real record: not worth keeping
  if (nodes_.size() + recorder.values_.size() + 1 > kMaxNodes || literals_.size() + bytes > kMaxLiteralBytes) {
    nodes_.assign(1, Node{});
    literals_.clear();
  }
  uint32_t at = 0;
  const char* from = start;
  size_t emptyData = 0;
  for (size_t i = 0; i <= recorder.values_.size(); ++i) {
    const bool last = i == recorder.values_.size();
    const char* to = last ? end : recorder.values_[i].begin;
    bool closesData = false;
    for (; emptyData < recorder.emptyData_.size() && recorder.emptyData_[emptyData] < to; ++emptyData) closesData = true;
    Hole hole = last ? Hole::End : to[-1] == '>' ? Hole::Text : Hole::Attribute;
    at = Child(at, from, static_cast<size_t>(to - from), hole, last ? Field::None : recorder.values_[i].field,
               closesData);
    if (!last) from = recorder.values_[i].end;
  }
}

uint32_t RecordShapes::Child(uint32_t parent, const char* literal, size_t length, Hole hole, Field field,
                             bool emptyData) {
  uint32_t* link = &nodes_[parent].firstChild;
  for (; *link != kNone; link = &nodes_[*link].nextSibling) {
    const Node& n = nodes_[*link];
    if (n.length == length && n.hole == hole && n.field == field && n.emptyData == emptyData &&
        std::memcmp(literals_.data() + n.literal, literal, length) == 0)
      return *link;
  }
  Node node;
  node.literal = static_cast<uint32_t>(literals_.size());
  node.length = static_cast<uint32_t>(length);
  node.hole = hole;
  node.field = field;
  node.emptyData = emptyData;
  literals_.append(literal, length);
  const uint32_t index = static_cast<uint32_t>(nodes_.size());
  *link = index;  // before push_back: `link` points into nodes_
  nodes_.push_back(node);
  return index;
}

}  // namespace wfp
