#include "pipeline/coalescer.h"

#include <algorithm>

namespace wfp {
namespace {

void AppendField(std::string& key, std::string_view value) {
  key.append(value);
  key.push_back('\x1f');  // unit separator: values cannot contain it (NUL and controls come from XML as text)
}

template <typename T>
void AppendNumber(std::string& key, const std::optional<T>& value) {
  AppendField(key, value ? std::to_string(*value) : std::string("-"));
}

const Endpoint* SideOf(const BlockEvent& e, Side side) {
  return side == Side::Source ? &e.source : side == Side::Destination ? &e.destination : nullptr;
}

}  // namespace

HeldEvent::HeldEvent(const BlockEvent& event) : event_(event) {
  if (event.record) {
    record_ = *event.record;
    ForEachView(record_, [this](std::string_view& v) { v = Keep(v); });
    event_.record = &record_;
  }
  if (event.enrichment) {
    enrichment_ = *event.enrichment;
    event_.enrichment = &enrichment_;
  }
  if (event.lastChange) {
    lastChange_ = *event.lastChange;
    event_.lastChange = &lastChange_;
  }
  ForEachView(event_, [this](std::string_view& v) { v = Keep(v); });
  firstMs = lastMs = event.timeMs;
}

std::string_view HeldEvent::Keep(std::string_view s) { return strings_.emplace_back(s); }

std::string Coalescer::Key(const BlockEvent& e) {
  std::string key;
  AppendField(key, std::to_string(static_cast<int>(e.kind)));
  AppendField(key, std::to_string(static_cast<int>(e.direction)));
  AppendField(key, e.application.value_or(std::string_view("-")));
  AppendNumber(key, e.protocol);
  const Endpoint* remote = SideOf(e, e.remote);
  const Endpoint* local = SideOf(e, e.local);
  AppendField(key, remote ? remote->address : std::string_view("-"));
  AppendNumber(key, remote ? remote->port : std::nullopt);
  AppendNumber(key, local ? local->port : std::nullopt);
  AppendNumber(key, e.filterId);
  return key;
}

bool Coalescer::Add(const BlockEvent& event, Clock::time_point now) {
  const double t = event.timeMs;
  if (held_.empty()) {
    epochFirstMs_ = t;
    epochStarted_ = now;
  } else if (t - epochFirstMs_ > windowMs_ || epochFirstMs_ - t > windowMs_) {
    return false;
  }
  std::string key = Key(event);
  auto found = byKey_.find(key);
  if (found == byKey_.end()) {
    if (held_.size() >= maxHeld_) return false;
    held_.push_back(std::make_unique<HeldEvent>(event));
    byKey_.emplace(std::move(key), held_.back().get());
    return true;
  }
  HeldEvent& h = *found->second;
  if (std::max(h.lastMs, t) - std::min(h.firstMs, t) > windowMs_) return false;
  ++h.count;
  h.lastMs = std::max(h.lastMs, t);
  h.firstMs = std::min(h.firstMs, t);
  return true;
}

std::vector<std::unique_ptr<HeldEvent>> Coalescer::TakeAll() {
  byKey_.clear();
  return std::move(held_);
}

std::optional<Coalescer::Clock::time_point> Coalescer::Deadline() const {
  if (held_.empty()) return std::nullopt;
  return epochStarted_ + std::chrono::microseconds(static_cast<int64_t>(windowMs_ * 1000));
}

}  // namespace wfp
