#include "evtx/record_builder.h"

namespace wfp::evtx {
namespace {

std::string_view LocalName(std::string_view name) {
  const size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

}  // namespace

void RecordBuilder::Start(EventRecord& record, TextArena& arena) {
  record.Clear();
  record_ = &record;
  arena_ = &arena;
  stack_.clear();
  section_ = Section::None;
  dataName_ = std::string_view();
}

void RecordBuilder::StartElement(std::string_view name) {
  Open open;
  open.local = LocalName(name);
  const size_t depth = stack_.size();  // of the new element: 0 for <Event>
  if (depth) stack_.back().hasChild = true;
  if (depth == 1) {
    section_ = open.local == "System"      ? Section::System
               : open.local == "EventData" ? Section::EventData
               : open.local == "UserData"  ? Section::UserData
                                           : Section::Other;
  } else if (depth == 2 && section_ == Section::System) {
    open.field = SystemTextField(open.local);
  } else if ((depth == 2 && section_ == Section::EventData) || (depth >= 3 && section_ == Section::UserData)) {
    // <Data Name='X'> by its Name; any other element by its own name.
    open.field = Field::DataValue;
    open.keepsEmpty = true;
    dataName_ = open.local == "Data" && section_ == Section::EventData ? std::string_view() : open.local;
  }
  stack_.push_back(open);
}

void RecordBuilder::Attribute(std::string_view name, std::string_view value) {
  const size_t depth = stack_.size() - 1;
  if (depth == 2 && section_ == Section::System) {
    AssignField(SystemAttributeField(stack_.back().local, name), value, *record_, dataName_);
  } else if (depth == 2 && section_ == Section::EventData && stack_.back().local == "Data" && name == "Name") {
    AssignField(Field::DataName, value, *record_, dataName_);
  } else if (depth >= 3 && section_ == Section::UserData && !IsNamespaceDeclaration(name)) {
    std::string_view attributeName = name;
    AssignField(Field::DataValue, value, *record_, attributeName);
  }
}

void RecordBuilder::Text(std::string_view text) {
  Open& open = stack_.back();
  if (open.field == Field::None) return;
  if (open.pieces == 0) {
    open.text = text;
  } else {
    if (open.pieces == 1) joined_.assign(open.text);
    joined_.append(text);
    open.text = joined_;
  }
  ++open.pieces;
}

void RecordBuilder::EndElement() {
  Open& open = stack_.back();
  if (open.field != Field::None && !open.hasChild && (open.pieces || open.keepsEmpty)) {
    if (open.pieces > 1) open.text = arena_->Copy(joined_);
    AssignField(open.field, open.text, *record_, dataName_);
  }
  stack_.pop_back();
  if (stack_.size() == 1) section_ = Section::None;
}

}  // namespace wfp::evtx
