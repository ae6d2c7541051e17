// BinXML, the binary XML of .evtx records: the reader that turns a record's event into element,
// attribute and text calls on a visitor, with template instances resolved and substitution values
// formatted as Windows renders them. A template definition is compiled once into a Program (its
// tokens as a flat list, names and literal text already UTF-8) and kept: for the rest of the chunk by
// its offset, and across chunks by its identifier and bytes (with the names it borrows from elsewhere
// in the chunk checked again), so a record costs a walk over its template's nodes and its values (or,
// for the XML export, a run of the plan compiled from the Program: evtx/xml_plan.h).
//
// Token semantics, from MS-EVEN6 and libyal's format notes, checked against the shared real files:
// an optional substitution whose value is null leaves out its attribute, or, in an element's text,
// the whole element; an element whose own
// substitution holds an array is repeated once per item (once, empty, for an empty array); a value of
// type BinXml (0x21) is a nested fragment read in place; character and entity references are decoded.
// Hostile bytes are bounded: every read is checked against its fragment, nesting and element depth are
// capped, and a record may not expand beyond kMaxRecordText bytes of text or kMaxRecordVisits nodes.
// Plain C++ with no Node-API and no OS code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "evtx/binxml_value.h"

namespace wfp::evtx {

inline constexpr int kMaxElementDepth = 64;
inline constexpr int kMaxNesting = 8;  // BinXML inside a substitution value inside ...
inline constexpr size_t kMaxRecordVisits = 1 << 20;
inline constexpr size_t kMaxRecordText = 16 << 20;

// What a record's event reads as. Views last until the visitor call returns, except where the
// record builder keeps them: text stays valid until the next record.
class BinXmlVisitor {
 public:
  virtual void StartElement(std::string_view name) = 0;
  virtual void Attribute(std::string_view name, std::string_view value) = 0;
  virtual void Text(std::string_view text) = 0;  // one piece of an element's text
  virtual void EndElement() = 0;
  virtual void ProcessingInstruction(std::string_view target, std::string_view data) = 0;

 protected:
  ~BinXmlVisitor() = default;
};

enum class Op : uint8_t {
  Open,          // an element starts: its name
  Attribute,     // its name; the pieces that follow are its value
  CloseStart,    // '>': content follows
  CloseEmpty,    // '/>': the element ends
  End,           // '</name>'
  Text,          // literal text
  CharRef,       // index: the character
  EntityRef,     // its name
  Substitution,  // index: which value; type: the type the template declares; optional
  Value,         // an inline value of `type` (template-less BinXML): its bytes
  PITarget,      // a processing instruction's target ...
  PIData,        // ... and its data
};

struct Node {
  Op op = Op::Text;
  uint8_t type = 0;
  bool optional = false;
  uint16_t index = 0;
  uint32_t offset = 0;  // name, text or bytes in Program::text
  uint32_t length = 0;
  uint32_t end = 0;            // Open: the index just past the element
  uint32_t firstSub = 0;       // Open: the substitutions of the element itself (its attributes and text,
  uint32_t subCount = 0;       //   not its children's), in Program::ownSubs ...
  uint32_t optionalCount = 0;  // ... the first of which are the optional ones of its text
};

struct XmlPlan;  // evtx/xml_plan.h

struct Program {
  std::vector<Node> nodes;
  std::string text;
  std::vector<uint16_t> ownSubs;
  // Where the template puts System/EventID: a substitution index, or a constant; neither when unknown.
  std::optional<uint16_t> eventIdSub;
  std::optional<uint32_t> eventIdConstant;
  // The template rendered ahead as event XML, made the first time an export asks (evtx/xml_plan.h);
  // null when only the walk can render it.
  mutable std::shared_ptr<const XmlPlan> xmlPlan;
  mutable bool xmlPlanned = false;

  std::string_view TextOf(const Node& n) const { return std::string_view(text.data() + n.offset, n.length); }
  void Clear();
};

// Text that stays where it was put until Reset(): blocks that are never moved, kept for reuse.
class TextArena {
 public:
  std::string_view Copy(std::string_view s);
  void Reset();
  size_t used() const { return used_; }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<size_t> sizes_;
  size_t block_ = 0, at_ = 0, used_ = 0;
};

class BinXmlReader {
 public:
  BinXmlReader();
  ~BinXmlReader();

  // The chunk every offset refers to. Templates learned from other chunks stay, checked on reuse.
  void StartChunk(const uint8_t* chunk, size_t size);

  // Reads the event of the record whose BinXML is [begin, end) of the chunk. False, with `why`, when
  // it cannot be read; the visitor may then have seen part of it.
  bool ReadEvent(uint32_t begin, uint32_t end, BinXmlVisitor& visitor, std::string& why);

  // The record's EventID, read from its substitution values alone when its template says where it
  // is (nearly every record); nothing when only a full read can tell.
  std::optional<uint32_t> PeekEventId(uint32_t begin, uint32_t end);

  // The template instance the BinXML [begin, end) of the chunk is, when it is one (nearly every
  // record's event, and the BinXML values inside them): its template and its values (bytes and types,
  // as many of each), kept in `slot` (below kMaxNesting + 1) until the next call for that slot. False
  // when it is something else or cannot be read so; ReadEvent then tells why.
  bool ReadInstance(uint32_t begin, uint32_t end, int slot, const Program*& program, const std::vector<Bytes>*& values,
                    const std::vector<uint8_t>*& types);
  const uint8_t* chunk() const { return chunk_; }

  // Where the text given to the visitor lives; reset at each ReadEvent.
  TextArena& arena() { return arena_; }

 private:
  struct Instance;
  class Compiler;
  struct CachedTemplate;

  bool ReadFragment(uint32_t begin, uint32_t end, int nesting, BinXmlVisitor& visitor, std::string& why);
  bool ParseInstance(uint32_t& pos, uint32_t end, const Program*& program, Instance& instance, std::string& why);
  const Program* Template(uint32_t offset, uint32_t size, std::string& why);
  bool Walk(const Program& program, size_t begin, size_t end, const Instance& instance, int item, int nesting,
            BinXmlVisitor& visitor, std::string& why);
  bool Piece(const Program& program, const Node& node, const Instance& instance, int item, std::string_view& out,
             bool& binXml, std::string& why);
  Program& Scratch();

  const uint8_t* chunk_ = nullptr;
  size_t chunkSize_ = 0;
  uint64_t chunkEpoch_ = 0;
  std::unordered_map<uint32_t, const Program*> chunkTemplates_;                   // by definition offset, this chunk
  std::unordered_multimap<uint64_t, std::unique_ptr<CachedTemplate>> templates_;  // by identifier
  size_t cachedTemplates_ = 0;
  std::vector<std::unique_ptr<Program>> scratch_;  // template-less fragments of the current record
  size_t scratchUsed_ = 0;
  std::vector<std::unique_ptr<Instance>> instances_;  // nested template instances of the current record
  size_t instancesUsed_ = 0;
  std::unique_ptr<Instance> readInstances_[kMaxNesting + 1];  // what ReadInstance read, by slot
  TextArena arena_;
  std::string format_;
  std::vector<Bytes> items_;
  size_t visits_ = 0;
  size_t elements_ = 0;
  int elementDepth_ = 0;
};

}  // namespace wfp::evtx
