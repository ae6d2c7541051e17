// The watcher's options as the sources see them (OptionReader), read from a JavaScript object with
// raw napi_* calls whose every result is checked: in an environment that is shutting down (a worker
// being terminated) a call can fail or leave an exception pending, and that must become a reported
// failure, never an empty value that aborts the process.
#pragma once

#include <napi.h>

#include "sources/source_options.h"

namespace wfp {

class NapiOptionReader final : public OptionReader {
 public:
  NapiOptionReader(napi_env env, napi_value object) : env_(env), object_(object) {}

  std::optional<std::string> String(const char* name) override;
  std::optional<bool> Bool(const char* name) override;
  std::optional<double> Number(const char* name) override;
  std::optional<std::vector<std::string>> Strings(const char* name) override;

 private:
  // The property, or nothing when it is undefined or cannot be read (then the reader has failed).
  std::optional<napi_value> Get(const char* name);
  std::optional<std::string> ToString(napi_value value, const char* what);

  napi_env env_;
  napi_value object_;
};

}  // namespace wfp
