#include "xml/xml_event_reader.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "model/record_field.h"
#include "util/utf8.h"

namespace wfp {
namespace {

using sv = std::string_view;

constexpr size_t kMaxDepth = 32;

// Character classes, looked up instead of compared: the reader's inner loops run over every byte.
enum : uint8_t { kSpace = 1, kNameStop = 2, kSpecial = 4, kColon = 8 };
struct CharTable {
  uint8_t c[256] = {};
  constexpr CharTable() {
    for (unsigned char ch : {' ', '\n', '\r', '\t'}) c[ch] = kSpace | kNameStop;
    for (unsigned char ch : {'>', '/', '<', '='}) c[ch] = kNameStop;
    c[static_cast<unsigned char>('&')] = kSpecial;  // text that needs decoding
    c[0] = kSpecial;                                // never allowed
    c[static_cast<unsigned char>(':')] = kColon;
  }
};
constexpr CharTable kChars;
inline uint8_t Class(char ch) { return kChars.c[static_cast<unsigned char>(ch)]; }

bool IsSpace(char c) { return Class(c) & kSpace; }

bool IsNameEnd(char c) { return IsSpace(c) || c == '>' || c == '/'; }

// Element names are compared without a namespace prefix (`e:Event` is `Event`).
sv LocalName(sv name) {
  size_t colon = name.rfind(':');
  return colon == sv::npos ? name : name.substr(colon + 1);
}

// Decodes the five predefined entities and character references. Returns false on anything else,
// including references to characters XML does not allow (NUL, surrogates, beyond U+10FFFF).
bool DecodeEntities(sv in, std::string& out, std::string& why) {
  out.reserve(out.size() + in.size());
  size_t i = 0;
  while (i < in.size()) {
    size_t amp = in.find('&', i);
    if (amp == sv::npos) {
      out.append(in.substr(i));
      break;
    }
    out.append(in.substr(i, amp - i));
    // Any length: a character reference may carry leading zeros (&#x0000000000041;).
    size_t semi = in.find(';', amp);
    if (semi == sv::npos) {
      why = "'&' that does not start an entity";
      return false;
    }
    sv ent = in.substr(amp + 1, semi - amp - 1);
    auto shown = [ent] { return std::string(ent.substr(0, 24)); };  // for messages
    if (ent == "lt")
      out += '<';
    else if (ent == "gt")
      out += '>';
    else if (ent == "amp")
      out += '&';
    else if (ent == "quot")
      out += '"';
    else if (ent == "apos")
      out += '\'';
    else if (ent.size() >= 2 && ent[0] == '#') {
      bool hex = ent[1] == 'x';
      sv digits = ent.substr(hex ? 2 : 1);
      if (digits.empty()) {
        why = "empty character reference";
        return false;
      }
      uint32_t cp = 0;
      for (char c : digits) {
        uint32_t d;
        if (c >= '0' && c <= '9')
          d = static_cast<uint32_t>(c - '0');
        else if (hex && c >= 'a' && c <= 'f')
          d = static_cast<uint32_t>(c - 'a' + 10);
        else if (hex && c >= 'A' && c <= 'F')
          d = static_cast<uint32_t>(c - 'A' + 10);
        else {
          why = "invalid character reference &" + shown() + ";";
          return false;
        }
        cp = cp * (hex ? 16 : 10) + d;
        if (cp > 0x10FFFF) break;
      }
      bool allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                     (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
      if (!allowed) {
        why = "character reference &" + shown() + "; to a character XML does not allow";
        return false;
      }
      AppendUtf8(out, cp);
    } else {
      why = "unknown entity &" + shown() + ";";
      return false;
    }
    i = semi + 1;
  }
  return true;
}

enum class Section { None, System, EventData, UserData, Other };

// Where markup that ends with `terminator` (a comment, CDATA section, processing instruction or tag)
// ends, looking at [from, limit). A record never holds the start tag of another, so an <Event start
// tag before the terminator means the markup was never closed: it is broken there. The first of the
// two in the input decides, so the answer does not depend on how the input was cut into chunks.
enum class MarkupEnd { Closed, Broken, Open };
MarkupEnd FindMarkupEnd(const char* from, const char* limit, sv terminator, const char*& at) {
  const sv rest(from, static_cast<size_t>(limit - from));
  const size_t close = rest.find(terminator);
  const size_t searchEnd = close == sv::npos ? rest.size() : close;
  for (size_t lt = rest.find("<Event"); lt != sv::npos && lt < searchEnd; lt = rest.find("<Event", lt + 1)) {
    if (lt + 6 >= rest.size()) return MarkupEnd::Open;  // the byte after it is still to come
    if (IsNameEnd(rest[lt + 6])) {
      at = from + lt;
      return MarkupEnd::Broken;
    }
  }
  if (close == sv::npos) return MarkupEnd::Open;
  at = from + close + terminator.size();
  return MarkupEnd::Closed;
}

}  // namespace

// Finds rare bytes ('&', NUL) with one memchr pass over the buffer instead of one scan per value:
// `next` remembers where the byte occurs next (or that it does not occur before the buffer's end).
bool XmlEventReader::Holds(size_t& next, char byte, const char* from, const char* to) {
  const size_t begin = static_cast<size_t>(from - buf_.data());
  if (next == kUnknown || next < begin) {
    const void* hit = std::memchr(from, byte, buf_.size() - begin);
    next = hit ? static_cast<size_t>(static_cast<const char*>(hit) - buf_.data()) : buf_.size();
  }
  return next < static_cast<size_t>(to - buf_.data());
}

void XmlEventReader::Append(const char* data, size_t size) {
  amp_ = nul_ = kUnknown;
  Compact();
  buf_.append(data, size);
}

void XmlEventReader::Reset(uint64_t offset) {
  amp_ = nul_ = kUnknown;
  buf_.clear();
  pos_ = 0;
  base_ = offset;
  resyncing_ = false;
  inGarbage_ = false;
}

void XmlEventReader::Compact() {
  if (pos_ == 0) return;
  if (pos_ >= buf_.size()) {
    base_ += buf_.size();
    buf_.clear();
    pos_ = 0;
  } else if (pos_ >= 64 * 1024 || pos_ * 2 >= buf_.size()) {
    buf_.erase(0, pos_);
    base_ += pos_;
    pos_ = 0;
  }
}

// Moves pos_ to the next "<Event" start tag. Returns false (keeping a possible partial tag) when the
// buffer holds none yet.
bool XmlEventReader::SkipToNextEventStart() {
  size_t at = pos_;
  while (true) {
    size_t lt = buf_.find("<Event", at);
    if (lt == std::string::npos || lt + 6 >= buf_.size()) {
      size_t keep = buf_.size() >= 6 ? buf_.size() - 6 : 0;
      if (lt != std::string::npos && lt < keep) keep = lt;
      pos_ = keep > pos_ ? keep : pos_;
      return false;
    }
    if (IsNameEnd(buf_[lt + 6])) {
      pos_ = lt;
      return true;
    }
    at = lt + 1;
  }
}

XmlEventReader::Step XmlEventReader::Next(bool eof, EventRecord& record, ReadIssue& issue, uint64_t& recordOffset) {
  auto report = [&](const ErrorCode& code, std::string message, uint64_t offset) {
    issue.code = &code;
    issue.message = std::move(message);
    issue.offset = offset;
    return Step::Issue;
  };

  while (true) {
    if (resyncing_) {
      if (!SkipToNextEventStart()) {
        if (eof) pos_ = buf_.size();
        return Step::NeedMore;
      }
      resyncing_ = false;
    }
    const size_t size = buf_.size();
    while (pos_ < size && IsSpace(buf_[pos_])) ++pos_;
    if (pos_ >= size) return Step::NeedMore;

    const char* p = buf_.data() + pos_;
    const size_t avail = size - pos_;
    const uint64_t here = base_ + pos_;

    auto garbage = [&](size_t skipFrom) {
      size_t next = buf_.find('<', skipFrom);
      bool first = !inGarbage_;
      inGarbage_ = true;
      pos_ = next == std::string::npos ? size : next;
      return first;
    };

    if (*p != '<') {
      if (garbage(pos_)) return report(kErrXmlGarbage, "unexpected text outside an <Event> element", here);
      continue;
    }
    // Classify the markup; wait for enough bytes to tell what it is.
    auto startsWith = [&](sv s) { return avail >= s.size() && std::memcmp(p, s.data(), s.size()) == 0; };
    auto tagIs = [&](sv s) {  // "<Name" followed by whitespace, '>' or '/'
      return avail > s.size() && std::memcmp(p, s.data(), s.size()) == 0 && IsNameEnd(p[s.size()]);
    };
    if (avail < 9 && !eof) {
      // "<![CDATA[" is the longest prefix told apart here; a short buffer may hold a partial one.
      bool mayGrow = true;
      for (size_t i = 1; i < avail; ++i)
        if (IsSpace(p[i]) || p[i] == '>') mayGrow = false;
      if (mayGrow) return Step::NeedMore;
    }
    // Declarations, comments and the <Events> root's tags are skipped. Like a record, one is read
    // within its first 1 MiB, and one that a new <Event> interrupts was never closed.
    const bool declaration = startsWith("<?"), comment = startsWith("<!--");
    if (declaration || comment || tagIs("<Events") || tagIs("</Events")) {
      const sv terminator = declaration ? sv("?>") : comment ? sv("-->") : sv(">");
      const char* body = p + (declaration ? 2 : comment ? 4 : 1);
      const char* limit = p + std::min(avail, kMaxRecordBytes);
      const char* what = declaration ? "a declaration" : comment ? "a comment" : "the <Events> tag";
      const char* at = nullptr;
      switch (FindMarkupEnd(body, limit, terminator, at)) {
        case MarkupEnd::Closed:
          pos_ = static_cast<size_t>(at - buf_.data());
          inGarbage_ = false;
          continue;
        case MarkupEnd::Broken:
          pos_ = static_cast<size_t>(at - buf_.data());
          return report(kErrXmlMalformed, std::string(what) + " not closed before the next <Event>", here);
        case MarkupEnd::Open:
          if (avail >= kMaxRecordBytes) {
            pos_ += 1;
            resyncing_ = true;
            return report(kErrXmlMalformed, std::string(what) + " not closed within 1 MiB", here);
          }
          if (!eof) return Step::NeedMore;
          pos_ = size;
          return report(kErrXmlTruncated, std::string("input ends inside ") + what, here);
      }
    }
    if (tagIs("<Event")) {
      inGarbage_ = false;
      size_t end = 0, resumeAt = 0;
      std::string why;
      switch (ParseEvent(pos_, record, end, why, resumeAt)) {
        case Parse::Ok:
          recordOffset = here;
          record.xml = sv(buf_.data() + pos_, end - pos_);
          pos_ = end;
          return Step::Record;
        case Parse::Malformed:
          pos_ = resumeAt;
          resyncing_ = true;
          return report(kErrXmlMalformed, why, here);
        case Parse::NeedMore:
          // The parser reads a record within its first 1 MiB (whatever the chunks): needing more
          // than that, it is too large however it ends.
          if (avail >= kMaxRecordBytes) {
            pos_ += 1;
            resyncing_ = true;
            return report(kErrRecordTooLarge, "an <Event> element longer than 1 MiB", here);
          }
          if (!eof) return Step::NeedMore;
          pos_ = size;
          return report(kErrXmlTruncated, "input ends inside an <Event> element", here);
      }
    }
    if (eof && avail <= 6 && std::memcmp(p, "<Event", avail) == 0) {  // cut inside the tag's name
      pos_ = size;
      return report(kErrXmlTruncated, "input ends inside an <Event> element", here);
    }
    if (garbage(pos_ + 1)) return report(kErrXmlGarbage, "unexpected markup outside an <Event> element", here);
  }
}

XmlEventReader::Parse XmlEventReader::ParseEvent(size_t start, EventRecord& record, size_t& end, std::string& why,
                                                 size_t& resumeAt) {
  record.Clear();
  decoded_.clear();
  const char* const base = buf_.data();
  const char* const e = base + std::min(buf_.size(), start + kMaxRecordBytes);
  const char* p = base + start;
  if (learnShapes_) {
    const char* matchedEnd = nullptr;
    if (shapes_.Match(p, e, record, matchedEnd)) {
      end = static_cast<size_t>(matchedEnd - base);
      ++shapedRecords_;
      return Parse::Ok;
    }
    record.Clear();
    recorder_.Start(p);
  }

  auto malformed = [&](std::string message, const char* at) {
    why = std::move(message);
    why += " at offset " + std::to_string(base_ + static_cast<uint64_t>(at - base));
    resumeAt = static_cast<size_t>(at - base);
    if (resumeAt <= start) resumeAt = start + 1;
    return Parse::Malformed;
  };

  const char* nextLt = nullptr;  // the next '<' when a start tag already looked it up
  sv stack[kMaxDepth];
  size_t depth = 0;
  Section section = Section::None;
  Field target = Field::None;
  sv dataName;
  const char* leafText = nullptr;  // where the text of the element just opened starts
  // Text of the current leaf: a view into the buffer, or (for several pieces) an owned string.
  sv text;
  std::string* textOwned = nullptr;
  bool textStarted = false;

  // `special`: the piece holds '&' (already known from the caller's scan).
  auto addText = [&](sv piece, bool special) -> bool {
    if (!special && !textStarted) {
      text = piece;
      textStarted = true;
      return true;
    }
    std::string decodedPiece;
    if (!special)
      decodedPiece.assign(piece);
    else if (!DecodeEntities(piece, decodedPiece, why))
      return false;
    if (!textOwned) {
      textOwned = &decoded_.emplace_back(textStarted ? std::string(text) : std::string());
    }
    textOwned->append(decodedPiece);
    text = *textOwned;
    textStarted = true;
    return true;
  };
  auto resetText = [&]() {
    text = sv();
    textOwned = nullptr;
    textStarted = false;
  };

  auto storeText = [&]() {
    AssignField(target, text, record, dataName);
    target = Field::None;
    resetText();
  };

  // <Data Name='X'>value</Data> with no entity, NUL or markup inside: the bulk of every record.
  auto FastData = [&](const char*& at, const char* end, EventRecord& out, const char*& next) -> bool {
    constexpr std::string_view kOpen = "<Data Name=";
    constexpr std::string_view kClose = "</Data>";
    if (static_cast<size_t>(end - at) < kOpen.size() + 2 || std::memcmp(at, kOpen.data(), kOpen.size()) != 0)
      return false;
    const char quote = at[kOpen.size()];
    if (quote != '\'' && quote != '"') return false;
    const char* nameStart = at + kOpen.size() + 1;
    const char* nameEnd = static_cast<const char*>(std::memchr(nameStart, quote, static_cast<size_t>(end - nameStart)));
    if (!nameEnd || nameEnd + 1 >= end || nameEnd[1] != '>') return false;
    for (const char* c = nameStart; c < nameEnd; ++c)
      if (*c == '<' || *c == '&' || *c == '\0') return false;
    const char* valueStart = nameEnd + 2;
    const char* close = static_cast<const char*>(std::memchr(valueStart, '<', static_cast<size_t>(end - valueStart)));
    if (!close || static_cast<size_t>(end - close) < kClose.size() ||
        std::memcmp(close, kClose.data(), kClose.size()) != 0)
      return false;
    if (Holds(amp_, '&', valueStart, close) || Holds(nul_, '\0', valueStart, close)) return false;
    if (learnShapes_) {
      recorder_.Value(nameStart, nameEnd, Field::DataName);
      recorder_.Value(valueStart, close, Field::DataValue);
    }
    AssignField(Field::DataName, sv(nameStart, static_cast<size_t>(nameEnd - nameStart)), out, dataName);
    AssignField(Field::DataValue, sv(valueStart, static_cast<size_t>(close - valueStart)), out, dataName);
    at = close + kClose.size();
    next = nullptr;
    return true;
  };

  while (true) {
    const char* lt = nextLt ? nextLt : static_cast<const char*>(std::memchr(p, '<', static_cast<size_t>(e - p)));
    nextLt = nullptr;
    if (!lt) return Parse::NeedMore;
    if (lt > p && depth > 0) {
      sv piece(p, static_cast<size_t>(lt - p));
      if (Holds(nul_, '\0', p, lt)) return malformed("NUL byte in text", p);
      const bool special = Holds(amp_, '&', p, lt);
      if (target != Field::None) {
        if (!addText(piece, special)) return malformed(why, p);
      } else if (special) {
        std::string ignored;
        if (!DecodeEntities(piece, ignored, why)) return malformed(why, p);
      }
    } else if (lt > p) {
      return malformed("text before the <Event> tag", p);
    }
    p = lt;
    if (e - p < 2) return Parse::NeedMore;

    if (p[1] == '/') {  // end tag
      const char* n = p + 2;
      const char* ne = n;
      // Usually it closes the open element: compare instead of scanning the name.
      const sv open = depth ? stack[depth - 1] : sv();
      if (depth && static_cast<size_t>(e - n) > open.size() && std::memcmp(n, open.data(), open.size()) == 0 &&
          (Class(n[open.size()]) & kNameStop))
        ne = n + open.size();
      else
        while (ne < e && !(Class(*ne) & kNameStop)) ++ne;
      const char* gt = ne;
      while (gt < e && IsSpace(*gt)) ++gt;
      if (gt >= e) return Parse::NeedMore;
      if (*gt != '>') return malformed("malformed end tag", p);
      sv name(n, static_cast<size_t>(ne - n));
      if (depth == 0 || (name != stack[depth - 1] && LocalName(name) != LocalName(stack[depth - 1]))) {
        std::string expected = depth ? "</" + std::string(stack[depth - 1]) + ">" : "no end tag";
        return malformed("missing closing tag: expected " + expected + " but found </" + std::string(name) + ">", p);
      }
      if (learnShapes_) {
        if (leafText)
          recorder_.Value(leafText, p, target);
        else if (target != Field::None)
          recorder_.Abort();  // text split by child elements
      }
      leafText = nullptr;
      if (target != Field::None)
        storeText();
      else
        resetText();
      --depth;
      if (depth == 1) section = Section::None;
      p = gt + 1;
      if (depth == 0) {
        end = static_cast<size_t>(p - base);
        if (learnShapes_) shapes_.Learn(base + start, p, recorder_);
        return Parse::Ok;
      }
      continue;
    }
    if (p[1] == '!' || p[1] == '?') {
      leafText = nullptr;  // markup inside text: no longer one value
      if (e - p < 9 && p[1] == '!') return Parse::NeedMore;
      const bool comment = p[1] == '!' && std::memcmp(p, "<!--", 4) == 0;
      const bool cdata = p[1] == '!' && !comment && std::memcmp(p, "<![CDATA[", 9) == 0;
      if (p[1] == '!' && !comment && !cdata) return malformed("unsupported markup", p);
      const char* what = comment ? "a comment" : cdata ? "a CDATA section" : "a processing instruction";
      const sv terminator = comment ? sv("-->") : cdata ? sv("]]>") : sv("?>");
      const char* body = p + (comment ? 4 : cdata ? 9 : 2);
      const char* after = nullptr;
      switch (FindMarkupEnd(body, e, terminator, after)) {
        case MarkupEnd::Open:
          return Parse::NeedMore;
        case MarkupEnd::Broken:
          return malformed(std::string(what) + " not closed before the next <Event>", after);
        case MarkupEnd::Closed:
          break;
      }
      const char* close = after - terminator.size();
      if (Holds(nul_, '\0', body, close)) return malformed(std::string("NUL byte in ") + what, p);
      if (cdata && target != Field::None && !addText(sv(body, static_cast<size_t>(close - body)), false))
        return malformed(why, p);
      p = after;
      continue;
    }

    // The common <Data Name='X'>value</Data> in one step; anything unusual takes the general path.
    if (section == Section::EventData && depth == 2 && FastData(p, e, record, nextLt)) {
      leafText = nullptr;
      continue;
    }

    // Start tag.
    const char* n = p + 1;
    const char* ne = n;
    uint8_t seen = 0;
    for (uint8_t c; ne < e && !((c = Class(*ne)) & kNameStop); ++ne) seen |= c;
    if (ne >= e) return Parse::NeedMore;
    if (ne == n || !IsNameEnd(*ne)) return malformed("malformed start tag", p);
    sv name(n, static_cast<size_t>(ne - n));
    sv local = seen & kColon ? LocalName(name) : name;
    // The next '<' bounds this tag's attribute values, and is where the next markup starts.
    nextLt = static_cast<const char*>(std::memchr(ne, '<', static_cast<size_t>(e - ne)));
    if (!nextLt) return Parse::NeedMore;
    if (depth > 0 && local == "Event") return malformed("missing closing tag: a new <Event> starts before </Event>", p);
    if (depth == 0 && local != "Event") return malformed("expected <Event>", p);
    if (depth >= kMaxDepth) return malformed("elements nested too deeply", p);

    // Where this element sits decides what it means.
    Field leafTarget = Field::None;
    bool isData = false, inSystem = false;
    // Other values by element name: the other children of EventData, the elements below UserData's
    // child (and their attributes, by attribute name). Rare, so read by this parser only.
    bool isNamedValue = false, inUserData = false;
    if (depth == 1) {
      section = local == "System"      ? Section::System
                : local == "EventData" ? Section::EventData
                : local == "UserData"  ? Section::UserData
                                       : Section::Other;
    } else if (depth == 2 && section == Section::System) {
      leafTarget = SystemTextField(local);
      inSystem = true;
    } else if (depth == 2 && section == Section::EventData) {
      isData = local == "Data";
      isNamedValue = !isData;
      leafTarget = Field::DataValue;
      dataName = sv();
    } else if (depth >= 3 && section == Section::UserData) {
      isNamedValue = inUserData = true;
      leafTarget = Field::DataValue;
    }
    if (isNamedValue && learnShapes_) recorder_.Abort();

    // Attributes.
    const char* a = ne;
    bool selfClosing = false;
    while (true) {
      while (a < e && IsSpace(*a)) ++a;
      if (a >= e) return Parse::NeedMore;
      if (*a == '>') {
        ++a;
        break;
      }
      if (*a == '/') {
        if (a + 1 >= e) return Parse::NeedMore;
        if (a[1] != '>') return malformed("malformed start tag", a);
        a += 2;
        selfClosing = true;
        break;
      }
      const char* an = a;
      while (a < e && !(Class(*a) & kNameStop)) ++a;
      if (a >= e) return Parse::NeedMore;
      sv attr(an, static_cast<size_t>(a - an));
      while (a < e && IsSpace(*a)) ++a;
      if (a >= e) return Parse::NeedMore;
      if (attr.empty() || *a != '=') return malformed("malformed attribute", a);
      ++a;
      while (a < e && IsSpace(*a)) ++a;
      if (a >= e) return Parse::NeedMore;
      char quote = *a;
      if (quote != '"' && quote != '\'') return malformed("attribute value without quotes", a);
      const char* vs = a + 1;
      // The value ends before the next '<', which is already known: no need to wait for its quote.
      const char* ve = static_cast<const char*>(std::memchr(vs, quote, static_cast<size_t>(nextLt - vs)));
      if (!ve) return malformed("'<' in an attribute value", vs);
      sv value(vs, static_cast<size_t>(ve - vs));
      if (Holds(nul_, '\0', vs, ve)) return malformed("NUL byte in an attribute value", vs);
      if (Holds(amp_, '&', vs, ve)) {
        std::string& owned = decoded_.emplace_back();
        if (!DecodeEntities(value, owned, why)) return malformed(why, vs);
        value = owned;
      }
      a = ve + 1;
      if (a < e && !IsSpace(*a) && *a != '>' && *a != '/')
        return malformed("attributes not separated by whitespace", a);
      const Field field = inSystem                   ? SystemAttributeField(local, attr)
                          : isData && attr == "Name" ? Field::DataName
                                                     : Field::None;
      if (learnShapes_) recorder_.Value(vs, ve, field);
      AssignField(field, value, record, dataName);
      if (inUserData && !IsNamespaceDeclaration(attr)) {
        sv attributeName = attr;
        AssignField(Field::DataValue, value, record, attributeName);
      }
    }
    if (isNamedValue) dataName = local;

    if (depth == 0) {
      if (selfClosing) return malformed("empty <Event/> element", p);
      stack[depth++] = name;
    } else if (selfClosing) {
      if (isData || isNamedValue) {
        AssignField(Field::DataValue, sv(), record, dataName);
        if (learnShapes_) recorder_.EmptyData(a - 2);
      }
      if (depth > 1) target = Field::None;  // an element with a child element keeps no text of its own
      if (depth == 1) section = Section::None;
    } else {
      stack[depth++] = name;
      target = leafTarget;
      resetText();
    }
    leafText = selfClosing ? nullptr : a;
    p = a;
  }
}

}  // namespace wfp
