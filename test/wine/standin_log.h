// What the two stand-in DLLs (wevtapi_standin.cc, fwpuclnt_standin.cc) share: their environment
// settings, and the call log the Wine tests read (WFP_STANDIN_LOG, one line per call, any thread).
#pragma once

#include <windows.h>

#include <cstdio>
#include <mutex>
#include <string>

inline std::string Env(const char* name) {
  char value[4096];
  DWORD n = GetEnvironmentVariableA(name, value, sizeof value);
  return n && n < sizeof value ? std::string(value, n) : std::string();
}

inline void Log(const std::string& line) {
  static std::mutex logMutex;
  std::string path = Env("WFP_STANDIN_LOG");
  if (path.empty()) return;
  std::lock_guard<std::mutex> lock(logMutex);
  if (FILE* f = std::fopen(path.c_str(), "ab")) {
    std::fprintf(f, "%s\n", line.c_str());
    std::fclose(f);
  }
}
