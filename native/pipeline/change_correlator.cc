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
  std::string key;
  key.reserve(id.size());
  for (char c : id) key.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  return key;
}

}  // namespace

void ChangeCorrelator::Note(const RuleChange& change) {
  if (IsListing(change.kind) || (!change.ruleId && !change.filterId)) return;
  const ChangeNote note = NoteOf(change);
  if (change.ruleId) Put(Entry{true, RuleKey(*change.ruleId), 0, note});
  if (change.filterId) Put(Entry{false, std::string(), *change.filterId, note});
}

void ChangeCorrelator::Drop(Position at) {
  if (at->isRule)
    byRule_.erase(at->rule);
  else
    byFilter_.erase(at->filter);
  order_.erase(at);
}

void ChangeCorrelator::Put(Entry entry) {
  if (entry.isRule) {
    auto found = byRule_.find(entry.rule);
    if (found != byRule_.end()) Drop(found->second);
  } else {
    auto found = byFilter_.find(entry.filter);
    if (found != byFilter_.end()) Drop(found->second);
  }
  if (order_.size() >= capacity_) Drop(order_.begin());
  order_.push_back(std::move(entry));
  const Position at = std::prev(order_.end());
  if (at->isRule)
    byRule_.emplace(at->rule, at);
  else
    byFilter_.emplace(at->filter, at);
}

const ChangeNote* ChangeCorrelator::Found(const Entry* entry, double atMs) const {
  return entry && entry->note.timeMs <= atMs ? &entry->note : nullptr;
}

const ChangeNote* ChangeCorrelator::Find(const BlockEvent& e) const {
  if (order_.empty()) return nullptr;
  if (e.ruleId && !byRule_.empty()) {
    auto found = byRule_.find(RuleKey(*e.ruleId));
    if (const ChangeNote* n = Found(found == byRule_.end() ? nullptr : &*found->second, e.timeMs)) return n;
  }
  if (e.filterId && !byFilter_.empty()) {
    auto found = byFilter_.find(*e.filterId);
    return Found(found == byFilter_.end() ? nullptr : &*found->second, e.timeMs);
  }
  return nullptr;
}

}  // namespace wfp
