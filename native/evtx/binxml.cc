#include "evtx/binxml.h"

#include <cstring>

#include "evtx/evtx_layout.h"
#include "util/utf8.h"

namespace wfp::evtx {
namespace {

// Tokens (the 0x40 bit of 0x01, 0x05-0x09 says more of the same kind follows; it is not needed).
enum : uint8_t {
  kEndOfFragment = 0x00,
  kOpenStart = 0x01,
  kCloseStart = 0x02,
  kCloseEmpty = 0x03,
  kEndElement = 0x04,
  kValueToken = 0x05,
  kAttribute = 0x06,
  kCData = 0x07,
  kCharRef = 0x08,
  kEntityRef = 0x09,
  kPITarget = 0x0A,
  kPIData = 0x0B,
  kTemplateInstance = 0x0C,
  kNormalSubstitution = 0x0D,
  kOptionalSubstitution = 0x0E,
  kFragmentHeader = 0x0F,
  kMoreFlag = 0x40,
};

// `item` values besides an index: no array is being repeated, or the array repeated is empty.
constexpr int kNoItem = -1;
constexpr int kEmptyArray = -2;

bool IsPiece(Op op) {
  return op == Op::Text || op == Op::CharRef || op == Op::EntityRef || op == Op::Substitution || op == Op::Value;
}

std::string Hex8(uint32_t v) {
  char buf[12];
  std::snprintf(buf, sizeof buf, "0x%02x", v);
  return buf;
}

}  // namespace

void Program::Clear() {
  nodes.clear();
  text.clear();
  ownSubs.clear();
  eventIdSub.reset();
  eventIdConstant.reset();
  xmlPlan.reset();
  xmlPlanned = false;
}

std::string_view TextArena::Copy(std::string_view s) {
  if (s.empty()) return std::string_view();
  used_ += s.size();
  if (block_ < blocks_.size() && at_ + s.size() <= sizes_[block_]) {
    char* p = blocks_[block_].get() + at_;
    std::memcpy(p, s.data(), s.size());
    at_ += s.size();
    return std::string_view(p, s.size());
  }
  // The next block that is large enough (blocks are kept for reuse; a larger one is made if needed).
  size_t next = blocks_.empty() ? 0 : block_ + 1;
  while (next < blocks_.size() && sizes_[next] < s.size()) ++next;
  if (next >= blocks_.size()) {
    const size_t size = s.size() > (64u << 10) ? s.size() : (64u << 10);
    blocks_.emplace_back(new char[size]);
    sizes_.push_back(size);
    next = blocks_.size() - 1;
  }
  block_ = next;
  std::memcpy(blocks_[block_].get(), s.data(), s.size());
  at_ = s.size();
  return std::string_view(blocks_[block_].get(), s.size());
}

void TextArena::Reset() {
  block_ = 0;
  at_ = 0;
  used_ = 0;
}

struct BinXmlReader::Instance {
  std::vector<Bytes> values;
  std::vector<uint8_t> types;
};

struct BinXmlReader::CachedTemplate {
  // A name the template reads from elsewhere in its chunk (not inline): its offset and UTF-16 bytes
  // (count and characters). Another chunk may reuse the template only where it holds the same names.
  struct Borrowed {
    uint32_t offset;
    std::string raw;
  };
  Program program;
  std::string definition;  // the definition's bytes after its "next" offset: identifier, size, fragment
  std::vector<Borrowed> borrowed;
};

// Compiles the tokens of one fragment into a Program.
class BinXmlReader::Compiler {
 public:
  // `borrowed`: for a template definition, where to list the names it reads from the rest of the
  // chunk. Only template definitions give each element a dependency identifier.
  Compiler(const uint8_t* chunk, size_t chunkSize, Program& out, std::vector<CachedTemplate::Borrowed>* borrowed,
           bool dependencyIds)
      : chunk_(chunk), chunkSize_(chunkSize), out_(out), borrowed_(borrowed), dependencyIds_(dependencyIds) {}

  bool Run(uint32_t pos, uint32_t end, std::string& why);

 private:
  bool Fail(std::string& why, const std::string& what, uint32_t at) {
    why = what + " at chunk offset " + std::to_string(at);
    return false;
  }
  // A name: a 4-byte offset, the name itself following inline when the offset points right there.
  bool Name(uint32_t& pos, uint32_t end, Node& node, std::string& why);
  // A count of UTF-16 units and the units.
  bool Utf16(uint32_t& pos, uint32_t end, Node& node, std::string& why);
  void Finish();

  const uint8_t* chunk_;
  size_t chunkSize_;
  Program& out_;
  std::vector<CachedTemplate::Borrowed>* borrowed_;
  bool dependencyIds_;
};

bool BinXmlReader::Compiler::Name(uint32_t& pos, uint32_t end, Node& node, std::string& why) {
  if (end - pos < 4) return Fail(why, "name cut short", pos);
  const uint32_t at = U32(chunk_ + pos);
  pos += 4;
  const uint32_t limit = at == pos ? end : static_cast<uint32_t>(chunkSize_);
  if (at >= limit || limit - at < 8)
    return Fail(why, "name offset " + std::to_string(at) + " outside the chunk", pos - 4);
  const uint32_t units = U16(chunk_ + at + 6);
  if ((limit - at - 8) / 2 < units) return Fail(why, "name longer than its chunk", at);
  node.offset = static_cast<uint32_t>(out_.text.size());
  AppendUtf16(chunk_ + at + 8, units, out_.text);
  node.length = static_cast<uint32_t>(out_.text.size() - node.offset);
  if (at == pos) {
    // Inline: next offset, hash, count, characters and their NUL.
    const uint64_t size = 8 + 2 * static_cast<uint64_t>(units) + 2;
    if (size > end - pos) return Fail(why, "name cut short", pos);
    pos += static_cast<uint32_t>(size);
  } else if (borrowed_) {
    borrowed_->push_back(CachedTemplate::Borrowed{
        at, std::string(reinterpret_cast<const char*>(chunk_ + at + 6), 2 + 2 * static_cast<size_t>(units))});
  }
  return true;
}

bool BinXmlReader::Compiler::Utf16(uint32_t& pos, uint32_t end, Node& node, std::string& why) {
  if (end - pos < 2) return Fail(why, "text cut short", pos);
  const uint32_t units = U16(chunk_ + pos);
  if ((end - pos - 2) / 2 < units) return Fail(why, "text longer than its fragment", pos);
  node.offset = static_cast<uint32_t>(out_.text.size());
  AppendUtf16(chunk_ + pos + 2, units, out_.text);
  node.length = static_cast<uint32_t>(out_.text.size() - node.offset);
  pos += 2 + 2 * units;
  return true;
}

bool BinXmlReader::Compiler::Run(uint32_t pos, uint32_t end, std::string& why) {
  out_.Clear();
  uint32_t stack[kMaxElementDepth];
  int depth = 0;
  bool inStartTag = false, inAttribute = false;
  auto need = [&](uint32_t n) { return end - pos >= n; };
  while (pos < end) {
    const uint32_t at = pos;
    const uint8_t token = chunk_[pos];
    const uint8_t kind =
        (token == (kOpenStart | kMoreFlag) || (token >= (kValueToken | kMoreFlag) && token <= (kEntityRef | kMoreFlag)))
            ? static_cast<uint8_t>(token & ~kMoreFlag)
            : token;
    Node node;
    switch (kind) {
      case kEndOfFragment:
        if (depth) return Fail(why, "fragment ends inside an element", at);
        Finish();
        return true;
      case kFragmentHeader:
        if (depth || !need(4)) return Fail(why, "misplaced fragment header", at);
        pos += 4;
        continue;
      case kOpenStart: {
        if (inStartTag) return Fail(why, "element inside a start tag", at);
        if (depth >= kMaxElementDepth) return Fail(why, "elements nested too deeply", at);
        // Token, dependency identifier (in templates), data size; the name; an attribute list size.
        const uint32_t head = dependencyIds_ ? 7 : 5;
        if (!need(head)) return Fail(why, "element start cut short", at);
        pos += head;
        node.op = Op::Open;
        if (!Name(pos, end, node, why)) return false;
        if (token & kMoreFlag) {
          if (!need(4)) return Fail(why, "attribute list cut short", at);
          pos += 4;
        }
        stack[depth++] = static_cast<uint32_t>(out_.nodes.size());
        out_.nodes.push_back(node);
        inStartTag = true;
        inAttribute = false;
        continue;
      }
      case kAttribute:
        if (!inStartTag) return Fail(why, "attribute outside a start tag", at);
        ++pos;
        node.op = Op::Attribute;
        if (!Name(pos, end, node, why)) return false;
        out_.nodes.push_back(node);
        inAttribute = true;
        continue;
      case kCloseStart:
      case kCloseEmpty:
        if (!inStartTag) return Fail(why, "element end outside a start tag", at);
        ++pos;
        inStartTag = inAttribute = false;
        node.op = kind == kCloseStart ? Op::CloseStart : Op::CloseEmpty;
        out_.nodes.push_back(node);
        if (kind == kCloseEmpty) out_.nodes[stack[--depth]].end = static_cast<uint32_t>(out_.nodes.size());
        continue;
      case kEndElement:
        if (inStartTag || depth == 0) return Fail(why, "unexpected end of element", at);
        ++pos;
        node.op = Op::End;
        out_.nodes.push_back(node);
        out_.nodes[stack[--depth]].end = static_cast<uint32_t>(out_.nodes.size());
        continue;
      case kPITarget:
        if (inStartTag) return Fail(why, "processing instruction inside a start tag", at);
        ++pos;
        node.op = Op::PITarget;
        if (!Name(pos, end, node, why)) return false;
        out_.nodes.push_back(node);
        continue;
      case kPIData:
        if (inStartTag) return Fail(why, "processing instruction inside a start tag", at);
        ++pos;
        node.op = Op::PIData;
        if (!Utf16(pos, end, node, why)) return false;
        out_.nodes.push_back(node);
        continue;
      case kTemplateInstance:
        return Fail(why, "template instance inside a template", at);
      default:
        break;
    }
    // A piece of text: in an attribute's value or in an element's content.
    if ((inStartTag && !inAttribute) || depth == 0) return Fail(why, "unexpected token " + Hex8(token), at);
    ++pos;
    switch (kind) {
      case kValueToken: {
        if (!need(1)) return Fail(why, "value cut short", at);
        const uint8_t type = chunk_[pos++];
        if (type == kString) {
          node.op = Op::Text;
          if (!Utf16(pos, end, node, why)) return false;
        } else {
          const size_t size = FixedSize(type);
          if (!size) return Fail(why, "inline value of type " + Hex8(type), at);
          if (!need(static_cast<uint32_t>(size))) return Fail(why, "value cut short", at);
          node.op = Op::Value;
          node.type = type;
          node.offset = static_cast<uint32_t>(out_.text.size());
          node.length = static_cast<uint32_t>(size);
          out_.text.append(reinterpret_cast<const char*>(chunk_ + pos), size);
          pos += static_cast<uint32_t>(size);
        }
        break;
      }
      case kCData:
        node.op = Op::Text;
        if (!Utf16(pos, end, node, why)) return false;
        break;
      case kCharRef:
        if (!need(2)) return Fail(why, "character reference cut short", at);
        node.op = Op::CharRef;
        node.index = U16(chunk_ + pos);
        pos += 2;
        break;
      case kEntityRef:
        node.op = Op::EntityRef;
        if (!Name(pos, end, node, why)) return false;
        break;
      case kNormalSubstitution:
      case kOptionalSubstitution:
        if (!need(3)) return Fail(why, "substitution cut short", at);
        node.op = Op::Substitution;
        node.index = U16(chunk_ + pos);
        node.type = chunk_[pos + 2];
        node.optional = kind == kOptionalSubstitution;
        pos += 3;
        break;
      default:
        return Fail(why, "unknown token " + Hex8(token), at);
    }
    out_.nodes.push_back(node);
  }
  if (depth || inStartTag) return Fail(why, "fragment ends inside an element", end);
  Finish();
  return true;
}

// The substitutions each element holds itself, and where System/EventID gets its value.
void BinXmlReader::Compiler::Finish() {
  std::vector<Node>& nodes = out_.nodes;
  for (uint32_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].op != Op::Open) continue;
    nodes[i].firstSub = static_cast<uint32_t>(out_.ownSubs.size());
    for (int pass = 0; pass < 2; ++pass) {  // the optional ones in its text first, then the others
      bool inText = false;
      for (uint32_t j = i + 1; j < nodes[i].end;) {
        if (nodes[j].op == Op::Open) {
          j = nodes[j].end;
          continue;
        }
        if (nodes[j].op == Op::CloseStart) inText = true;
        const bool optionalText = inText && nodes[j].optional;
        if (nodes[j].op == Op::Substitution && optionalText == (pass == 0)) out_.ownSubs.push_back(nodes[j].index);
        ++j;
      }
      if (pass == 0) nodes[i].optionalCount = static_cast<uint32_t>(out_.ownSubs.size()) - nodes[i].firstSub;
    }
    nodes[i].subCount = static_cast<uint32_t>(out_.ownSubs.size()) - nodes[i].firstSub;
  }
  // Event > System > EventID, by position: the root, its child System, that one's child EventID.
  auto child = [&](uint32_t parent, std::string_view name) -> uint32_t {
    for (uint32_t j = parent + 1; j < nodes[parent].end;) {
      if (nodes[j].op == Op::Open) {
        if (out_.TextOf(nodes[j]) == name) return j;
        j = nodes[j].end;
      } else {
        ++j;
      }
    }
    return 0;
  };
  uint32_t root = 0;
  while (root < nodes.size() && nodes[root].op != Op::Open) ++root;
  if (root >= nodes.size() || out_.TextOf(nodes[root]) != "Event") return;
  const uint32_t system = child(root, "System");
  const uint32_t eventId = system ? child(system, "EventID") : 0;
  if (!eventId) return;
  uint32_t j = eventId + 1;
  while (j < nodes[eventId].end && nodes[j].op != Op::CloseStart) ++j;
  const uint32_t first = j + 1, last = nodes[eventId].end - 1;  // the content, before End
  if (first + 1 == last && nodes[first].op == Op::Substitution) {
    out_.eventIdSub = nodes[first].index;
  } else if (first < last) {
    uint64_t v = 0;
    bool digits = true;
    for (uint32_t k = first; k < last && digits; ++k) {
      if (nodes[k].op != Op::Text) digits = false;
      for (char c : out_.TextOf(nodes[k])) {
        if (c < '0' || c > '9' || v > 0xFFFFFFFFu)
          digits = false;
        else
          v = v * 10 + static_cast<uint64_t>(c - '0');
      }
    }
    if (digits && v <= 0xFFFFFFFFu) out_.eventIdConstant = static_cast<uint32_t>(v);
  }
}

BinXmlReader::BinXmlReader() = default;
BinXmlReader::~BinXmlReader() = default;

void BinXmlReader::StartChunk(const uint8_t* chunk, size_t size) {
  chunk_ = chunk;
  chunkSize_ = size;
  ++chunkEpoch_;
  chunkTemplates_.clear();
  // Bounded: a file of ever-new templates starts over instead of growing.
  if (cachedTemplates_ > 4096) {
    templates_.clear();
    cachedTemplates_ = 0;
  }
}

const Program* BinXmlReader::Template(uint32_t offset, uint32_t size, std::string& why) {
  auto known = chunkTemplates_.find(offset);
  if (known != chunkTemplates_.end()) return known->second;
  // The definition: next offset (4), identifier (16), data size (4), then its fragment.
  const uint8_t* def = chunk_ + offset;
  const size_t length = 20 + static_cast<size_t>(size);
  const uint64_t key = U64(def + 4) ^ (U64(def + 12) * 31) ^ size;
  auto range = templates_.equal_range(key);
  for (auto it = range.first; it != range.second; ++it) {
    const CachedTemplate& t = *it->second;
    if (t.definition.size() != length || std::memcmp(t.definition.data(), def + 4, length) != 0) continue;
    bool same = true;
    for (const CachedTemplate::Borrowed& b : t.borrowed)
      same = same && b.offset + 6 + b.raw.size() <= chunkSize_ &&
             std::memcmp(chunk_ + b.offset + 6, b.raw.data(), b.raw.size()) == 0;
    if (!same) continue;
    chunkTemplates_.emplace(offset, &t.program);
    return &t.program;
  }
  auto t = std::make_unique<CachedTemplate>();
  Compiler compiler(chunk_, chunkSize_, t->program, &t->borrowed, true);
  if (!compiler.Run(offset + 24, offset + 24 + size, why)) {
    why = "template at chunk offset " + std::to_string(offset) + ": " + why;
    return nullptr;
  }
  t->definition.assign(reinterpret_cast<const char*>(def + 4), length);
  const Program* program = &t->program;
  templates_.emplace(key, std::move(t));
  ++cachedTemplates_;
  chunkTemplates_.emplace(offset, program);
  return program;
}

bool BinXmlReader::ParseInstance(uint32_t& pos, uint32_t end, const Program*& program, Instance& instance,
                                 std::string& why) {
  // Token, an unknown byte, the template identifier, the definition's offset.
  if (end - pos < 10) {
    why = "template instance cut short at chunk offset " + std::to_string(pos);
    return false;
  }
  const uint32_t defAt = U32(chunk_ + pos + 6);
  pos += 10;
  uint32_t defSize = 0;
  if (defAt == pos) {  // defined here, the first time the chunk uses it
    if (end - pos < 24 || (defSize = U32(chunk_ + pos + 20)) > end - pos - 24) {
      why = "template definition cut short at chunk offset " + std::to_string(pos);
      return false;
    }
    pos += 24 + defSize;
  } else if (defAt >= chunkSize_ || chunkSize_ - defAt < 24 ||
             (defSize = U32(chunk_ + defAt + 20)) > chunkSize_ - defAt - 24) {
    why = "template definition offset " + std::to_string(defAt) + " outside the chunk";
    return false;
  }
  program = Template(defAt, defSize, why);
  if (!program) return false;

  // The values: their count, a (size, type, 0) descriptor each, then their bytes one after another.
  if (end - pos < 4) {
    why = "template values cut short at chunk offset " + std::to_string(pos);
    return false;
  }
  const uint32_t count = U32(chunk_ + pos);
  pos += 4;
  if (count > (end - pos) / 4) {
    why = "template value count " + std::to_string(count) + " beyond the record";
    return false;
  }
  instance.values.resize(count);
  instance.types.resize(count);
  uint32_t data = pos + 4 * count;
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t size = U16(chunk_ + pos + 4 * i);
    if (size > end - data) {
      why = "template value " + std::to_string(i) + " beyond the record";
      return false;
    }
    instance.values[i] = Bytes{chunk_ + data, size};
    instance.types[i] = chunk_[pos + 4 * i + 2];
    data += size;
  }
  pos = data;
  return true;
}

std::optional<uint32_t> BinXmlReader::PeekEventId(uint32_t pos, uint32_t end) {
  while (end - pos >= 4 && chunk_[pos] == kFragmentHeader) pos += 4;
  if (pos >= end || chunk_[pos] != kTemplateInstance || end - pos < 10) return std::nullopt;
  const uint32_t defAt = U32(chunk_ + pos + 6);
  pos += 10;
  const Program* program = nullptr;
  auto known = chunkTemplates_.find(defAt);
  if (known != chunkTemplates_.end()) program = known->second;
  uint32_t defSize = 0;
  if (defAt == pos) {
    if (end - pos < 24 || (defSize = U32(chunk_ + pos + 20)) > end - pos - 24) return std::nullopt;
    pos += 24 + defSize;
  }
  if (!program) {
    if (defAt >= chunkSize_ || chunkSize_ - defAt < 24 ||
        (defSize = U32(chunk_ + defAt + 20)) > chunkSize_ - defAt - 24)
      return std::nullopt;
    std::string why;
    program = Template(defAt, defSize, why);
    if (!program) return std::nullopt;
  }
  if (program->eventIdConstant) return program->eventIdConstant;
  if (!program->eventIdSub || end - pos < 4) return std::nullopt;
  const uint32_t index = *program->eventIdSub;
  const uint32_t count = U32(chunk_ + pos);
  pos += 4;
  if (index >= count || count > (end - pos) / 4) return std::nullopt;
  uint64_t data = pos + 4 * static_cast<uint64_t>(count);
  for (uint32_t i = 0; i < index; ++i) data += U16(chunk_ + pos + 4 * i);
  const uint32_t size = U16(chunk_ + pos + 4 * index);
  const uint8_t type = chunk_[pos + 4 * index + 2];
  if (data + size > end) return std::nullopt;
  if (type == kUInt16 && size == 2) return U16(chunk_ + data);
  if (type == kUInt32 && size == 4) return U32(chunk_ + data);
  return std::nullopt;
}

bool BinXmlReader::ReadInstance(uint32_t pos, uint32_t end, int slot, const Program*& program,
                                const std::vector<Bytes>*& values, const std::vector<uint8_t>*& types) {
  // As ReadFragment starts.
  while (end - pos >= 4 && chunk_[pos] == kFragmentHeader) pos += 4;
  if (pos >= end || chunk_[pos] != kTemplateInstance || slot < 0 || slot > kMaxNesting) return false;
  std::unique_ptr<Instance>& instance = readInstances_[slot];
  if (!instance) instance = std::make_unique<Instance>();
  std::string why;
  if (!ParseInstance(pos, end, program, *instance, why)) return false;
  values = &instance->values;
  types = &instance->types;
  return true;
}

Program& BinXmlReader::Scratch() {
  if (scratchUsed_ == scratch_.size()) scratch_.push_back(std::make_unique<Program>());
  return *scratch_[scratchUsed_++];
}

bool BinXmlReader::ReadEvent(uint32_t begin, uint32_t end, BinXmlVisitor& visitor, std::string& why) {
  arena_.Reset();
  scratchUsed_ = 0;
  instancesUsed_ = 0;
  visits_ = 0;
  elementDepth_ = 0;
  elements_ = 0;
  if (!ReadFragment(begin, end, 0, visitor, why)) return false;
  if (elements_) return true;
  why = "the event holds no element";
  return false;
}

bool BinXmlReader::ReadFragment(uint32_t pos, uint32_t end, int nesting, BinXmlVisitor& visitor, std::string& why) {
  if (nesting > kMaxNesting) {
    why = "BinXML nested too deeply in substitution values";
    return false;
  }
  while (end - pos >= 4 && chunk_[pos] == kFragmentHeader) pos += 4;
  if (pos < end && chunk_[pos] == kTemplateInstance) {
    if (instancesUsed_ == instances_.size()) instances_.push_back(std::make_unique<Instance>());
    Instance& instance = *instances_[instancesUsed_++];
    const Program* program = nullptr;
    if (!ParseInstance(pos, end, program, instance, why)) return false;
    return Walk(*program, 0, program->nodes.size(), instance, kNoItem, nesting, visitor, why);
  }
  // Template-less: the elements and their values are written out in the record itself.
  if (scratchUsed_ > 4096) {
    why = "too many nested fragments";
    return false;
  }
  Program& program = Scratch();
  Compiler compiler(chunk_, chunkSize_, program, nullptr, false);
  if (!compiler.Run(pos, end, why)) return false;
  static const Instance kNoValues;
  return Walk(program, 0, program.nodes.size(), kNoValues, kNoItem, nesting, visitor, why);
}

bool BinXmlReader::Piece(const Program& program, const Node& node, const Instance& instance, int item,
                         std::string_view& out, bool& binXml, std::string& why) {
  binXml = false;
  out = std::string_view();
  format_.clear();
  switch (node.op) {
    case Op::Text:
      out = program.TextOf(node);
      return true;
    case Op::CharRef:
      AppendUtf8(format_, node.index ? node.index : 0xFFFD);
      break;
    case Op::EntityRef: {
      const std::string_view name = program.TextOf(node);
      if (name == "lt")
        format_ = "<";
      else if (name == "gt")
        format_ = ">";
      else if (name == "amp")
        format_ = "&";
      else if (name == "quot")
        format_ = "\"";
      else if (name == "apos")
        format_ = "'";
      else
        format_.append("&").append(name).append(";");
      break;
    }
    case Op::Value: {
      const std::string_view bytes = program.TextOf(node);
      AppendValue(node.type, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), format_);
      break;
    }
    case Op::Substitution: {
      if (node.index >= instance.values.size()) return true;  // no such value: nothing, as for null
      const Bytes value = instance.values[node.index];
      const uint8_t type = instance.types[node.index];
      if (type == kNull || value.size == 0) return true;
      if (type == kBinXml) {
        binXml = true;
        return true;
      }
      if (type & kArrayFlag) {
        if (item == kEmptyArray || !SplitArray(type, value.data, value.size, items_)) return true;
        const uint8_t base = type & ~kArrayFlag;
        if (item >= 0) {
          if (static_cast<size_t>(item) < items_.size())
            AppendValueOrHex(base, items_[item].data, items_[item].size, format_);
        } else {
          for (size_t i = 0; i < items_.size(); ++i) {
            if (i) format_ += ", ";
            AppendValue(base, items_[i].data, items_[i].size, format_);
          }
        }
        break;
      }
      AppendValueOrHex(type, value.data, value.size, format_);
      break;
    }
    default:
      return true;
  }
  if (arena_.used() + format_.size() > kMaxRecordText) {
    why = "record expands beyond " + std::to_string(kMaxRecordText >> 20) + " MiB of text";
    return false;
  }
  out = arena_.Copy(format_);
  return true;
}

bool BinXmlReader::Walk(const Program& program, size_t i, size_t end, const Instance& instance, int item, int nesting,
                        BinXmlVisitor& visitor, std::string& why) {
  const std::vector<Node>& nodes = program.nodes;
  while (i < end) {
    if (++visits_ > kMaxRecordVisits) {
      why = "record expands beyond " + std::to_string(kMaxRecordVisits) + " nodes";
      return false;
    }
    const Node& node = nodes[i];
    switch (node.op) {
      case Op::Open: {
        // An element whose text holds an optional substitution with a null value is left out.
        bool dropped = false;
        for (uint32_t k = node.firstSub; k < node.firstSub + node.optionalCount && !dropped; ++k) {
          const uint16_t index = program.ownSubs[k];
          dropped = index >= instance.types.size() || instance.types[index] == kNull;
        }
        if (dropped) {
          i = node.end;
          break;
        }
        // An element whose own substitution holds an array is written once per item.
        bool repeated = false;
        for (uint32_t k = node.firstSub; item == kNoItem && k < node.firstSub + node.subCount && !repeated; ++k) {
          const uint16_t index = program.ownSubs[k];
          if (index >= instance.types.size() || !(instance.types[index] & kArrayFlag)) continue;
          repeated = true;
          const Bytes value = instance.values[index];
          size_t count = 0;
          if (value.size && SplitArray(instance.types[index], value.data, value.size, items_)) count = items_.size();
          if (count == 0 && !Walk(program, i, node.end, instance, kEmptyArray, nesting, visitor, why)) return false;
          for (size_t r = 0; r < count; ++r)
            if (!Walk(program, i, node.end, instance, static_cast<int>(r), nesting, visitor, why)) return false;
        }
        if (repeated) {
          i = node.end;
          break;
        }
        if (++elementDepth_ > kMaxElementDepth) {
          why = "elements nested too deeply";
          return false;
        }
        visitor.StartElement(program.TextOf(node));
        ++elements_;
        ++i;
        break;
      }
      case Op::Attribute: {
        size_t j = i + 1;
        while (j < end && IsPiece(nodes[j].op)) ++j;
        const Node& first = nodes[i + 1 < j ? i + 1 : i];
        const bool dropped = j == i + 2 && first.op == Op::Substitution && first.optional &&
                             (first.index >= instance.types.size() || instance.types[first.index] == kNull ||
                              instance.values[first.index].size == 0);
        if (!dropped) {
          std::string_view value;
          std::string joined;
          for (size_t k = i + 1; k < j; ++k) {
            std::string_view piece;
            bool binXml = false;  // BinXML has no place in an attribute: it is left out
            if (!Piece(program, nodes[k], instance, item, piece, binXml, why)) return false;
            if (k == i + 1) {
              value = piece;
            } else {
              if (k == i + 2) joined.assign(value);
              joined.append(piece);
            }
          }
          if (j > i + 2) value = arena_.Copy(joined);
          visitor.Attribute(program.TextOf(node), value);
        }
        i = j;
        break;
      }
      case Op::CloseStart:
        ++i;
        break;
      case Op::CloseEmpty:
      case Op::End:
        --elementDepth_;
        visitor.EndElement();
        ++i;
        break;
      case Op::PITarget: {
        const bool hasData = i + 1 < end && nodes[i + 1].op == Op::PIData;
        visitor.ProcessingInstruction(program.TextOf(node),
                                      hasData ? program.TextOf(nodes[i + 1]) : std::string_view());
        i += hasData ? 2 : 1;
        break;
      }
      case Op::PIData:
        ++i;
        break;
      default: {
        std::string_view text;
        bool binXml = false;
        if (!Piece(program, node, instance, item, text, binXml, why)) return false;
        if (binXml) {
          const Bytes value = instance.values[node.index];
          const uint32_t at = static_cast<uint32_t>(value.data - chunk_);
          if (!ReadFragment(at, at + static_cast<uint32_t>(value.size), nesting + 1, visitor, why)) return false;
        } else if (!text.empty()) {
          visitor.Text(text);
        }
        ++i;
        break;
      }
    }
  }
  return true;
}

}  // namespace wfp::evtx
