#include "pipeline/coalescer.h"

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

HeldEvent::HeldEvent(const BlockEvent& event, std::chrono::steady_clock::time_point due)
    : deadline(due), event_(event) {
  if (event.record) {
    record_ = *event.record;
    ForEachView(record_, [this](std::string_view& v) { v = Keep(v); });
    event_.record = &record_;
  }
  if (event.enrichment) {
    enrichment_ = *event.enrichment;
    event_.enrichment = &enrichment_;
  }
  if (event.netEvent) {
    netEvent_ = *event.netEvent;
    event_.netEvent = &netEvent_;
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

void Coalescer::PopFront(std::vector<std::unique_ptr<HeldEvent>>& ready) {
  std::unique_ptr<HeldEvent> front = std::move(held_.front());
  held_.pop_front();
  byKey_.erase(front->key);
  ready.push_back(std::move(front));
}

void Coalescer::Add(const BlockEvent& event, Clock::time_point now, std::vector<std::unique_ptr<HeldEvent>>& ready) {
  while (!held_.empty() && held_.front()->firstMs + windowMs_ <= event.timeMs) PopFront(ready);
  std::string key = Key(event);
  auto found = byKey_.find(key);
  if (found != byKey_.end()) {
    HeldEvent& h = *found->second;
    ++h.count;
    if (event.timeMs > h.lastMs) h.lastMs = event.timeMs;
    if (event.timeMs < h.firstMs) h.firstMs = event.timeMs;
    return;
  }
  const auto due = now + std::chrono::microseconds(static_cast<int64_t>(windowMs_ * 1000));
  auto held = std::make_unique<HeldEvent>(event, due);
  held->key = std::move(key);
  byKey_.emplace(held->key, held.get());
  held_.push_back(std::move(held));
}

void Coalescer::Expire(Clock::time_point now, std::vector<std::unique_ptr<HeldEvent>>& ready) {
  while (!held_.empty() && held_.front()->deadline <= now) PopFront(ready);
}

void Coalescer::FlushAll(std::vector<std::unique_ptr<HeldEvent>>& ready) {
  while (!held_.empty()) PopFront(ready);
}

std::optional<Coalescer::Clock::time_point> Coalescer::NextDeadline() const {
  if (held_.empty()) return std::nullopt;
  return held_.front()->deadline;
}

}  // namespace wfp
