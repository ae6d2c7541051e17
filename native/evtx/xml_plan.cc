#include "evtx/xml_plan.h"

#include <cstring>
#include <string_view>

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#endif

#include "evtx/event_xml_writer.h"

namespace wfp::evtx {
namespace {

// Follows a template's nodes as the walk and EventXmlWriter would, keeping what the template alone
// decides as literal text and leaving steps for the rest. `state_` is what is known, while compiling,
// of the start tag last opened: open, closed, or up to the values (the renderer's flag then tells).
class PlanCompiler {
 public:
  PlanCompiler(const Program& program, XmlPlan& plan) : program_(program), plan_(plan) {}

  bool Run();

 private:
  enum class State : uint8_t { Open, Closed, Unknown };
  struct Element {
    std::string_view name;
    bool droppable;
    uint32_t step;  // its Element step, when droppable
    State before;
  };

  // Ends the literal being gathered as a step of its own.
  void Flush();
  void Step(XmlPlan::Op op, uint16_t index, std::string_view text = {});
  // Content follows: an open start tag gets its '>'.
  void Content();
  bool EndElement(bool empty);

  const Program& program_;
  XmlPlan& plan_;
  State state_ = State::Unknown;  // a BinXML value's plan may start inside its parent's start tag
  std::string literal_;
  bool literalCloses_ = false;  // the literal starts with content while the state is unknown
  std::vector<Element> open_;
  int dropDepth_ = 0;  // how many of the open elements may be left out
};

void PlanCompiler::Flush() {
  if (literal_.empty()) return;
  XmlPlan::Step step;
  step.op = XmlPlan::Op::Literal;
  step.close = literalCloses_;
  step.open = state_ == State::Open;  // known here: literal text is only written in a known state
  step.offset = static_cast<uint32_t>(plan_.text.size());
  step.length = static_cast<uint32_t>(literal_.size());
  plan_.text += literal_;
  plan_.steps.push_back(step);
  literal_.clear();
  literalCloses_ = false;
}

void PlanCompiler::Step(XmlPlan::Op op, uint16_t index, std::string_view text) {
  Flush();
  XmlPlan::Step step;
  step.op = op;
  step.index = index;
  step.offset = static_cast<uint32_t>(plan_.text.size());
  step.length = static_cast<uint32_t>(text.size());
  plan_.text += text;
  plan_.steps.push_back(step);
}

void PlanCompiler::Content() {
  if (state_ == State::Open)
    literal_ += '>';
  else if (state_ == State::Unknown)
    literalCloses_ = true;  // literal_ is empty: a value step came last
  state_ = State::Closed;
}

bool PlanCompiler::EndElement(bool empty) {
  if (open_.empty()) return false;
  const Element element = open_.back();
  open_.pop_back();
  if (empty || state_ == State::Open) {
    literal_ += "/>";
  } else if (state_ == State::Closed) {
    literal_ += "</";
    AppendName(element.name, literal_);
    literal_ += '>';
  } else {
    std::string end = "</";
    AppendName(element.name, end);
    end += '>';
    Step(XmlPlan::Op::End, 0, end);
  }
  state_ = State::Closed;
  if (element.droppable) {
    Flush();
    plan_.steps[element.step].next = static_cast<uint32_t>(plan_.steps.size());
    --dropDepth_;
    // Left out, the element leaves the state as it was.
    state_ = element.before == State::Closed ? State::Closed : State::Unknown;
  }
  return true;
}

bool PlanCompiler::Run() {
  const std::vector<Node>& nodes = program_.nodes;
  bool inStartTag = false;
  for (size_t i = 0; i < nodes.size();) {
    const Node& node = nodes[i];
    switch (node.op) {
      case Op::Open: {
        if (inStartTag) return false;
        Element e{program_.TextOf(node), node.optionalCount > 0, 0, state_};
        if (e.droppable) {
          Step(XmlPlan::Op::Element, 0);
          XmlPlan::Step& step = plan_.steps.back();
          e.step = static_cast<uint32_t>(plan_.steps.size() - 1);
          step.firstSub = static_cast<uint32_t>(plan_.subs.size());
          step.subCount = node.optionalCount;
          for (uint32_t k = node.firstSub; k < node.firstSub + node.optionalCount; ++k)
            plan_.subs.push_back(program_.ownSubs[k]);
          ++dropDepth_;
        } else if (dropDepth_ == 0) {
          plan_.element = true;  // an element every instance writes
        }
        Content();
        literal_ += '<';
        AppendName(e.name, literal_);
        state_ = State::Open;
        open_.push_back(e);
        if (open_.size() > plan_.depth) plan_.depth = static_cast<uint32_t>(open_.size());
        inStartTag = true;
        ++i;
        break;
      }
      case Op::Attribute: {
        if (!inStartTag) return false;
        size_t j = i + 1;
        for (; j < nodes.size() && (nodes[j].op == Op::Text || nodes[j].op == Op::Substitution); ++j) {
        }
        if (j < nodes.size() &&
            (nodes[j].op == Op::CharRef || nodes[j].op == Op::EntityRef || nodes[j].op == Op::Value))
          return false;
        const Node& first = nodes[i + 1 < j ? i + 1 : i];
        if (j == i + 2 && first.op == Op::Substitution && first.optional) {
          std::string head = " ";
          AppendName(program_.TextOf(node), head);
          head += "='";
          Step(XmlPlan::Op::OptionalAttribute, first.index, head);
        } else {
          literal_ += ' ';
          AppendName(program_.TextOf(node), literal_);
          literal_ += "='";
          for (size_t k = i + 1; k < j; ++k) {
            if (nodes[k].op == Op::Text)
              AppendEscaped(program_.TextOf(nodes[k]), true, literal_);
            else
              Step(XmlPlan::Op::AttributeValue, nodes[k].index);
          }
          literal_ += '\'';
        }
        i = j;
        break;
      }
      case Op::CloseStart:
        if (!inStartTag) return false;
        inStartTag = false;
        ++i;
        break;
      case Op::CloseEmpty:
        if (!inStartTag) return false;
        inStartTag = false;
        if (!EndElement(true)) return false;
        ++i;
        break;
      case Op::End:
        if (inStartTag || !EndElement(false)) return false;
        ++i;
        break;
      case Op::Text:
        if (inStartTag) return false;
        if (node.length) {
          Content();
          AppendEscaped(program_.TextOf(node), false, literal_);
        }
        ++i;
        break;
      case Op::Substitution:
        if (inStartTag) return false;
        Step(XmlPlan::Op::Text, node.index);
        plan_.steps.back().depth = static_cast<uint32_t>(open_.size());
        if (state_ != State::Closed) state_ = State::Unknown;
        ++i;
        break;
      default:  // character and entity references, inline values, processing instructions
        return false;
    }
  }
  if (inStartTag || !open_.empty()) return false;
  Flush();
  plan_.nodes = static_cast<uint32_t>(nodes.size());
  plan_.text.append(XmlPlan::kSlack, '\0');
  return true;
}

// How many of `count` UTF-16 units are ASCII that XML writes as it is (in text and in attribute values
// alike: none of & < > ' and the control characters, no NUL), copied to `out` as bytes, 8 at a time.
size_t PlainAscii(const uint8_t* units, size_t count, char* out) {
  size_t done = 0;
#if defined(__SSE2__) || defined(_M_X64)
  for (; count - done >= 8; done += 8) {
    // As bytes: a unit over 0xFF becomes 0xFF, one over 0x7FFF (negative) 0; either stops the run.
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(units + 2 * done));
    const __m128i b = _mm_packus_epi16(v, v);
    __m128i stop = _mm_cmplt_epi8(b, _mm_set1_epi8(' '));  // controls and NUL; bytes over 0x7F are negative
    stop = _mm_or_si128(stop, _mm_cmpeq_epi8(b, _mm_set1_epi8('&')));
    stop = _mm_or_si128(stop, _mm_cmpeq_epi8(b, _mm_set1_epi8('<')));
    stop = _mm_or_si128(stop, _mm_cmpeq_epi8(b, _mm_set1_epi8('>')));
    stop = _mm_or_si128(stop, _mm_cmpeq_epi8(b, _mm_set1_epi8('\'')));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + done), b);
    const int mask = _mm_movemask_epi8(stop) & 0xFF;
    if (mask) {
      int first = 0;
      while (!(mask & (1 << first))) ++first;
      return done + static_cast<size_t>(first);
    }
  }
#endif
  for (; done < count; ++done) {
    const uint8_t c = units[2 * done];
    if (units[2 * done + 1] || c < ' ' || c >= 0x80 || c == '&' || c == '<' || c == '>' || c == '\'') break;
    out[done] = static_cast<char>(c);
  }
  return done;
}

}  // namespace

const XmlPlan* PlanOf(const Program& program) {
  if (!program.xmlPlanned) {
    program.xmlPlanned = true;
    auto plan = std::make_shared<XmlPlan>();
    if (PlanCompiler(program, *plan).Run()) program.xmlPlan = std::move(plan);
  }
  return program.xmlPlan.get();
}

// Appends `before` (unless 0) and value `index`'s text, escaped, when the text is not empty; whether
// it was not. A BinXML value has no text (in an element's content it is rendered in place, by the caller).
bool XmlRenderer::Value(const Bytes* values, const uint8_t* types, size_t count, uint16_t index, bool attribute,
                        char before) {
  if (index >= count) return false;
  const Bytes value = values[index];
  const uint8_t type = types[index];
  if (type == kNull || type == kBinXml || value.size == 0) return false;
  TextBuffer& out = *out_;
  const size_t head = before ? 1 : 0;
  const uint8_t* escapes = EscapesOf(attribute);
  if (type == kString && value.size % 2 == 0) {
    const size_t units = value.size / 2;
    // 8 bytes of slack: PlainAscii stores 8 at a time.
    char* p = out.Room(head + 8 + units * (kMaxEscaped > kUtf16Utf8Max ? kMaxEscaped : kUtf16Utf8Max));
    char* at = p + head;
    char* end = WriteUtf16(
        value.data, units, at,
        [escapes](char c, char* q) {
          const uint8_t entity = escapes[static_cast<unsigned char>(c)];
          if (entity) return WriteEntity(entity, q);
          *q = c;
          return q + 1;
        },
        PlainAscii);
    if (end == at) return false;
    if (before) *p = before;
    out.Commit(end);
    return true;
  }
  {
    char* p = out.Room(head + kMaxShortValueText);
    if (char* end = WriteShortValue(type, value.data, value.size, p + head)) {  // never empty
      if (before) *p = before;
      out.Commit(end);
      return true;
    }
  }
  scratch_.clear();
  AppendValueOrHex(type, value.data, value.size, scratch_);
  if (scratch_.empty()) return false;
  char* p = out.Room(head + scratch_.size() * kMaxEscaped);
  if (before) *p = before;
  if (type == kAnsiString) {
    out.Commit(WriteEscaped(scratch_, attribute, p + head));
  } else {  // reals, SIDs, hex: nothing to escape
    std::memcpy(p + head, scratch_.data(), scratch_.size());
    out.Commit(p + head + scratch_.size());
  }
  return true;
}

bool XmlRenderer::Render(BinXmlReader& reader, uint32_t begin, uint32_t end, TextBuffer& out) {
  reader_ = &reader;
  out_ = &out;
  start_ = out.size();
  visits_ = 0;
  element_ = false;
  bool open = false;
  if (Instance(begin, end, 0, 0, open) && element_) return true;
  out.Commit(out.data() + start_);
  return false;
}

// One template instance, `depth` elements deep, `nesting` BinXML values down; `open`: whether a start
// tag waits for its '>' or '/>', before and after.
bool XmlRenderer::Instance(uint32_t begin, uint32_t end, int nesting, uint32_t depth, bool& open) {
  const Program* program;
  const std::vector<Bytes>* valueList;
  const std::vector<uint8_t>* typeList;
  if (!reader_->ReadInstance(begin, end, nesting, program, valueList, typeList)) return false;
  const XmlPlan* found = PlanOf(*program);
  if (!found) return false;
  const XmlPlan& plan = *found;
  // Within the walk's bounds, with room to spare (its text is at most twice this): beyond, it tells.
  visits_ += plan.nodes;
  if (visits_ > kMaxRecordVisits || depth + plan.depth > static_cast<uint32_t>(kMaxElementDepth)) return false;
  const Bytes* values = valueList->data();
  const uint8_t* types = typeList->data();
  const size_t count = valueList->size();
  for (size_t i = 0; i < count; ++i)
    if (types[i] & kArrayFlag) return false;
  element_ = element_ || plan.element;
  TextBuffer& out = *out_;
  const char* text = plan.text.data();
  for (size_t s = 0; s < plan.steps.size();) {
    const XmlPlan::Step& step = plan.steps[s];
    const std::string_view stepText(text + step.offset, step.length);
    switch (step.op) {
      case XmlPlan::Op::Literal: {
        // 16 bytes at a time (plan.text has the slack), which beats a call for the short ones.
        char* p = out.Room(step.length + 1 + XmlPlan::kSlack);
        if (step.close && open) *p++ = '>';
        for (uint32_t k = 0; k < step.length; k += XmlPlan::kSlack)
          std::memcpy(p + k, stepText.data() + k, XmlPlan::kSlack);
        out.Commit(p + stepText.size());
        open = step.open;
        break;
      }
      case XmlPlan::Op::Text:
      case XmlPlan::Op::AttributeValue:
      case XmlPlan::Op::OptionalAttribute: {
        if (out.size() - start_ > kMaxRecordText / 2) return false;
        if (step.op == XmlPlan::Op::Text) {
          if (step.index < count && types[step.index] == kBinXml && values[step.index].size) {
            if (nesting >= kMaxNesting) return false;
            const uint32_t at = static_cast<uint32_t>(values[step.index].data - reader_->chunk());
            if (!Instance(at, at + static_cast<uint32_t>(values[step.index].size), nesting + 1, depth + step.depth,
                          open))
              return false;
          } else if (Value(values, types, count, step.index, false, open ? '>' : '\0')) {
            open = false;
          }
          break;
        }
        if (step.op == XmlPlan::Op::OptionalAttribute &&
            (step.index >= count || types[step.index] == kNull || values[step.index].size == 0))
          break;
        out.append(stepText);
        Value(values, types, count, step.index, true, '\0');
        if (step.op == XmlPlan::Op::OptionalAttribute) out.append(std::string_view("'", 1));
        break;
      }
      case XmlPlan::Op::End:
        out.append(open ? std::string_view("/>", 2) : stepText);
        open = false;
        break;
      case XmlPlan::Op::Element: {
        bool dropped = false;
        for (uint32_t k = step.firstSub; k < step.firstSub + step.subCount && !dropped; ++k) {
          const uint16_t index = plan.subs[k];
          dropped = index >= count || types[index] == kNull;
        }
        if (dropped) {
          s = step.next;
          continue;
        }
        element_ = true;
        break;
      }
    }
    ++s;
  }
  return true;
}

}  // namespace wfp::evtx
