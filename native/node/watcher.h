// The Watcher class JavaScript creates: one per watcher, owning its thread, source and pipeline
// (watcher.cc says how they live and die).
#pragma once

#include <napi.h>

#include <memory>

namespace wfp {

class StreamInput;

class Watcher : public Napi::ObjectWrap<Watcher> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit Watcher(const Napi::CallbackInfo& info);
  ~Watcher() override;

 private:
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value Ref(const Napi::CallbackInfo& info);
  Napi::Value Unref(const Napi::CallbackInfo& info);
  Napi::Value Pause(const Napi::CallbackInfo& info);
  Napi::Value Resume(const Napi::CallbackInfo& info);
  Napi::Value Write(const Napi::CallbackInfo& info);
  Napi::Value End(const Napi::CallbackInfo& info);
  StreamInput* Stream() const;  // the source's stream input; null for other sources

  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace wfp
