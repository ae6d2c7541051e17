#include "node/batch_value.h"

#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wfp {
namespace {

// A plain object built property by property; the first failing call makes it fail as a whole.
class JsObject {
 public:
  explicit JsObject(napi_env env) : env_(env) { ok_ = napi_create_object(env, &object_) == napi_ok; }

  JsObject& Set(const char* key, napi_value value) {
    ok_ = ok_ && value && napi_set_named_property(env_, object_, key, value) == napi_ok;
    return *this;
  }
  JsObject& String(const char* key, std::string_view s) {
    napi_value v = nullptr;
    ok_ = ok_ && napi_create_string_utf8(env_, s.data(), s.size(), &v) == napi_ok;
    return Set(key, v);
  }
  // Null for an empty string.
  JsObject& StringOrNull(const char* key, std::string_view s) { return s.empty() ? Null(key) : String(key, s); }
  JsObject& Number(const char* key, double d) {
    napi_value v = nullptr;
    ok_ = ok_ && napi_create_double(env_, d, &v) == napi_ok;
    return Set(key, v);
  }
  // Null for a negative number.
  JsObject& NumberOrNull(const char* key, int64_t n) { return n < 0 ? Null(key) : Number(key, static_cast<double>(n)); }
  // 64-bit values as decimal text: a double cannot hold every one of them.
  JsObject& Decimal(const char* key, uint64_t n) { return String(key, std::to_string(n)); }
  JsObject& Boolean(const char* key, bool b) {
    napi_value v = nullptr;
    ok_ = ok_ && napi_get_boolean(env_, b, &v) == napi_ok;
    return Set(key, v);
  }
  JsObject& Null(const char* key) {
    napi_value v = nullptr;
    ok_ = ok_ && napi_get_null(env_, &v) == napi_ok;
    return Set(key, v);
  }

  bool ok() const { return ok_; }
  napi_value value() const { return ok_ ? object_ : nullptr; }

 private:
  napi_env env_;
  napi_value object_ = nullptr;
  bool ok_;
};

// An array of `items`, each made by `make(JsObject&, item)`.
template <typename T, typename F>
napi_value MakeArray(napi_env env, const std::vector<T>& items, F make) {
  napi_value array;
  if (napi_create_array_with_length(env, items.size(), &array) != napi_ok) return nullptr;
  for (size_t i = 0; i < items.size(); ++i) {
    JsObject o(env);
    make(o, items[i]);
    if (!o.ok() || napi_set_element(env, array, static_cast<uint32_t>(i), o.value()) != napi_ok) return nullptr;
  }
  return array;
}

// { name: value } from pairs; the first of a repeated name wins, as the normaliser reads fields.
napi_value MakeRecord(napi_env env, const std::vector<std::pair<std::string, std::string>>& pairs) {
  napi_value object;
  if (napi_create_object(env, &object) != napi_ok) return nullptr;
  for (const auto& [name, value] : pairs) {
    bool has = false;
    napi_value key, v;
    if (napi_create_string_utf8(env, name.data(), name.size(), &key) != napi_ok ||
        napi_has_own_property(env, object, key, &has) != napi_ok)
      return nullptr;
    if (has) continue;
    if (napi_create_string_utf8(env, value.data(), value.size(), &v) != napi_ok ||
        napi_set_property(env, object, key, v) != napi_ok)
      return nullptr;
  }
  return object;
}

void Progress(JsObject& o, const BatchProgress& p) {
  o.Number("index", p.index).Decimal("end", p.end).Boolean("done", p.done);
}

char HexDigit(unsigned v) { return static_cast<char>(v < 10 ? '0' + v : 'a' + v - 10); }

std::string Hex64(uint64_t v) {
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<size_t>(i)] = HexDigit(v & 15);
  return out;
}

}  // namespace

bool MakeBatchValue(napi_env env, Batch& batch, napi_value* out) {
  napi_value buffer, numbers;
  void* bytes = nullptr;
  const size_t size = batch.numbers.size() * sizeof(double);
  if (napi_create_arraybuffer(env, size, &bytes, &buffer) != napi_ok ||
      napi_create_typedarray(env, napi_float64_array, batch.numbers.size(), buffer, 0, &numbers) != napi_ok)
    return false;
  if (size) std::memcpy(bytes, batch.numbers.data(), size);

  JsObject o(env);
  o.String("strings", batch.strings).Set("numbers", numbers).Number("events", batch.events);
  o.Set("issues", MakeArray(env, batch.issues, [](JsObject& x, const BatchIssue& b) {
          const Issue& i = b.issue;
          x.Number("atEvent", b.atEvent)
              .String("code", i.code->name)
              .Boolean("fatal", i.code->fatal || i.fatal)
              .String("message", i.message)
              .StringOrNull("input", i.input)
              .NumberOrNull("offset", i.offset)
              .NumberOrNull("systemCode", i.systemCode)
              .StringOrNull("hint", i.hint)
              .NumberOrNull("line", i.line)
              .NumberOrNull("column", i.column)
              .Number("repeated", static_cast<double>(i.repeated));
        }));
  o.Set("gaps", MakeArray(env, batch.gaps, [](JsObject& x, const BatchGap& g) {
          x.Number("atEvent", g.atEvent).String("message", g.message);
        }));
  o.Set("policyChanges", MakeArray(env, batch.policyChanges, [env](JsObject& x, const BatchPolicyChange& c) {
          x.Number("atEvent", c.atEvent)
              .Decimal("recordId", c.recordId)
              .Number("timeMs", c.timeMs)
              .String("subcategoryGuid", c.subcategoryGuid)
              .Number("changes", c.changes)
              .Set("progress", MakeArray(env, c.progress, Progress));
        }));
  o.Set("ruleChanges", MakeArray(env, batch.ruleChanges, [env](JsObject& x, const BatchRuleChange& c) {
          x.Number("atEvent", c.atEvent)
              .Number("eventId", c.eventId)
              .Number("recordId", static_cast<double>(c.recordId))
              .Number("timeMs", c.timeMs)
              .String("change", kChangeNames[static_cast<size_t>(c.kind)])
              .String("channel", kChannelNames[static_cast<size_t>(c.channel)])
              .String("computer", c.computer)
              .Set("fields", MakeRecord(env, c.fields))
              .Set("values", MakeRecord(env, c.values))
              .Set("data", MakeRecord(env, c.data))
              .Number("filterId", c.filterId)
              .Number("pid", c.pid)
              .Set("progress", MakeArray(env, c.progress, Progress));
        }));
  o.Set("inputs", MakeArray(env, batch.inputs, [](JsObject& x, const BatchInput& i) {
          x.Number("atEvent", i.atEvent)
              .Number("index", i.index)
              .String("name", i.name)
              .Number("headLength", static_cast<double>(i.identity.headLength))
              .String("headHash", Hex64(i.identity.headHash))
              .Number("resumed", static_cast<double>(i.resumed));
        }));
  o.Set("epochs", MakeArray(env, batch.epochs, [env](JsObject& x, const BatchEpoch& e) {
          x.Decimal("seq", e.seq)
              .Decimal("start", e.start)
              .Number("folds", static_cast<double>(e.folds))
              .Number("first", static_cast<double>(e.first))
              .Number("endInput", e.endInput)
              .Decimal("end", e.end)
              .Set("progress", MakeArray(env, e.progress, Progress));
        }));
  o.Set("progress", MakeArray(env, batch.progress, [env](JsObject& x, const Batch::ProgressMark& m) {
          x.Number("atEvent", m.atEvent).Set("inputs", MakeArray(env, m.inputs, Progress));
        }));
  // A formatted watcher's lines go as bytes: JavaScript writes them out without decoding them. The
  // Buffer takes the batch's memory itself (a copy into fresh memory costs a page fault per 4 KiB);
  // where external buffers are not allowed (Electron's V8 sandbox) the bytes are copied.
  if (!batch.text.empty()) {
    napi_value text;
    const auto free = [](napi_env, void* data, void*) { delete[] static_cast<char*>(data); };
    if (napi_create_external_buffer(env, batch.text.size(), const_cast<char*>(batch.text.data()), free, nullptr,
                                    &text) == napi_ok)
      batch.text.Release();  // the Buffer's now
    else if (napi_create_buffer_copy(env, batch.text.size(), batch.text.data(), nullptr, &text) != napi_ok)
      return false;
    o.Set("text", text);
  }
  if (!o.ok()) return false;
  *out = o.value();
  return true;
}

bool MakeSignalValue(napi_env env, bool drained, bool ended, napi_value* out) {
  JsObject o(env);
  o.Boolean("drained", drained).Boolean("ended", ended);
  if (!o.ok()) return false;
  *out = o.value();
  return true;
}

}  // namespace wfp
