#include "xml/record_shapes.h"

#include <cstring>
#include <string_view>

#include "util/same_bytes.h"

#if defined(WFP_SSE2) && defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#endif

namespace wfp {
namespace {

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
template <bool kText>
const char* ScanValue(const char* p, const char* e, char stop) {
#ifdef WFP_SSE2
  const __m128i stops = _mm_set1_epi8(stop);
  const __m128i lts = _mm_set1_epi8('<');
  const __m128i amps = _mm_set1_epi8('&');
  const __m128i nuls = _mm_setzero_si128();
  for (; e - p >= 16; p += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i hits = _mm_or_si128(_mm_cmpeq_epi8(chunk, lts),
                                _mm_or_si128(_mm_cmpeq_epi8(chunk, amps), _mm_cmpeq_epi8(chunk, nuls)));
    if constexpr (!kText) hits = _mm_or_si128(hits, _mm_cmpeq_epi8(chunk, stops));  // for text, stop is '<'
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

void ShapeRecorder::EmptyData(const char* at) { emptyData_.push_back(at); }

bool RecordShapes::Match(const char* p, const char* e, EventRecord& record, const char*& end) const {
  const char* const literals = literals_.data();
  std::string_view dataName;
  uint32_t at = 0;
  while (true) {
    uint32_t next = nodes_[at].firstChild;
    for (; next != kNone; next = nodes_[next].nextSibling) {
      const Node& candidate = nodes_[next];
      if (static_cast<size_t>(e - p) >= candidate.length &&
          SameBytes(p, literals + candidate.literal, candidate.length))
        break;
    }
    if (next == kNone) return false;
    const Node& step = nodes_[next];
    if (step.dataName != kNone) dataName = std::string_view(p + step.dataName, step.dataNameLength);
    p += step.length;
    if (step.emptyData) AssignField(Field::DataValue, std::string_view(), record, dataName);
    if (step.hole == Hole::End) {
      end = p;
      return true;
    }
    const char* valueEnd = step.hole == Hole::Text ? ScanValue<true>(p, e, '<')
                                                   : ScanValue<false>(p, e, literals[step.literal + step.length - 1]);
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

  // The steps first, so that a record that cannot be learned leaves the shapes as they were.
  steps_.clear();
  const char* from = start;
  Node step;
  auto marks = [&](const char* to) {  // what the step's markup adds: Data names and empty values
    int count = step.dataName != kNone;
    for (const char* at : recorder.emptyData_) count += at >= from && at < to;
    step.emptyData = count > (step.dataName != kNone);
    return count;
  };
  for (const ShapeRecorder::Span& value : recorder.values_) {
    if (value.field == Field::DataName) {
      // Markup from here on; a name with an entity would read differently as raw bytes.
      if (step.dataName != kNone || std::memchr(value.begin, '&', static_cast<size_t>(value.end - value.begin))) return;
      step.dataName = static_cast<uint32_t>(value.begin - from);
      step.dataNameLength = static_cast<uint32_t>(value.end - value.begin);
      continue;
    }
    if (marks(value.begin) > 1) return;
    step.length = static_cast<uint32_t>(value.begin - from);
    step.hole = value.begin[-1] == '>' ? Hole::Text : Hole::Attribute;
    step.field = value.field;
    step.literal = static_cast<uint32_t>(from - start);  // in the record, until Add copies it
    steps_.push_back(step);
    from = value.end;
    step = Node{};
  }
  if (marks(end) > 1) return;
  step.length = static_cast<uint32_t>(end - from);
  step.literal = static_cast<uint32_t>(from - start);
  steps_.push_back(step);

  if (nodes_.size() + steps_.size() > kMaxNodes || literals_.size() + bytes > kMaxLiteralBytes) {
    nodes_.assign(1, Node{});
    literals_.clear();
  }
  nodes_.reserve(nodes_.size() + steps_.size());  // no reallocation below: `link` points into nodes_
  uint32_t at = 0;
  for (const Node& s : steps_) {
    // Only the first new step can meet a crowded parent: the steps after it hang under new nodes.
    uint32_t* link = &nodes_[at].firstChild;
    size_t siblings = 0;
    for (; *link != kNone; link = &nodes_[*link].nextSibling, ++siblings)
      if (SameStep(nodes_[*link], s, start + s.literal)) break;
    if (*link == kNone) {
      if (siblings >= kMaxChildren) return;
      *link = Add(s, start + s.literal);
    }
    at = *link;
  }
}

bool RecordShapes::SameStep(const Node& n, const Node& step, const char* literal) const {
  return n.length == step.length && n.hole == step.hole && n.field == step.field && n.emptyData == step.emptyData &&
         n.dataName == step.dataName && n.dataNameLength == step.dataNameLength &&
         std::memcmp(literals_.data() + n.literal, literal, step.length) == 0;
}

uint32_t RecordShapes::Add(const Node& step, const char* literal) {
  Node node = step;
  node.literal = static_cast<uint32_t>(literals_.size());
  literals_.append(literal, step.length);
  nodes_.push_back(node);
  return static_cast<uint32_t>(nodes_.size() - 1);
}

}  // namespace wfp
