#include "pipeline/change_correlator.h"

namespace wfp {
namespace {

bool IsListing(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::PolicyAtStart:
    case ChangeKind::RuleAtStart:
    case ChangeKind::FilterAtStart:
    case ChangeKind::CalloutAtStart:
    case ChangeKind::ProviderAtStart:
    case ChangeKind::ProviderContextAtStart:
    case ChangeKind::SublayerAtStart:
      return true;
    default:
      return false;
  }
}

// Rule IDs are GUIDs in any case, or names; FilterOrigin and RuleId may differ in case and spacing.
std::string RuleKey(std::string_view id) {
  while (!id.empty() && id.front() == ' ') id.remove_prefix(1);
  while (!id.empty() && id.back() == ' ') id.remove_suffix(1);
  std::string key = "r\x1f";
  for (char c : id) key.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  return key;
}

std::string FilterKey(uint64_t id) { return "f\x1f" + std::to_string(id); }

}  // namespace

void ChangeCorrelator::Note(const RuleChange& change) {
  if (IsListing(change.kind) || (!change.ruleId && !change.filterId)) return;
  const ChangeNote note = NoteOf(change);
  if (change.ruleId) Put(RuleKey(*change.ruleId), note);
  if (change.filterId) Put(FilterKey(*change.filterId), note);
}

void ChangeCorrelator::Put(std::string key, const ChangeNote& note) {
  auto found = byKey_.find(key);
  if (found != byKey_.end()) {
    order_.erase(found->second);
    byKey_.erase(found);
  } else if (order_.size() >= capacity_) {
    byKey_.erase(order_.front().key);
    order_.pop_front();
  }
  order_.push_back(Entry{key, note});
  byKey_.emplace(std::move(key), std::prev(order_.end()));
}

const ChangeNote* ChangeCorrelator::Get(const std::string& key, double atMs) const {
  auto found = byKey_.find(key);
  if (found == byKey_.end() || found->second->note.timeMs > atMs) return nullptr;
  return &found->second->note;
}

const ChangeNote* ChangeCorrelator::Find(const BlockEvent& e) const {
  if (byKey_.empty()) return nullptr;
  if (e.ruleId)
    if (const ChangeNote* n = Get(RuleKey(*e.ruleId), e.timeMs)) return n;
  if (e.filterId) return Get(FilterKey(*e.filterId), e.timeMs);
  return nullptr;
}

}  // namespace wfp
