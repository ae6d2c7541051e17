// What the two stand-in DLLs (wevtapi_standin.cc, fwpuclnt_standin.cc) share: their environment
// settings, the files the Wine tests write for them, and the call log the tests read (WFP_STANDIN_LOG,
// one line per call, any thread). Test code only: never shipped.
#pragma once

#include <windows.h>

#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

inline std::string Env(const char* name) {
  char value[4096];
  DWORD n = GetEnvironmentVariableA(name, value, sizeof value);
  return n && n < sizeof value ? std::string(value, n) : std::string();
}

// The whole file at `path` (nothing when there is none).
inline std::string ReadFile(const std::string& path) {
  std::string all;
  FILE* f = path.empty() ? nullptr : std::fopen(path.c_str(), "rb");
  if (!f) return all;
  char chunk[65536];
  for (size_t n; (n = std::fread(chunk, 1, sizeof chunk, f)) > 0;) all.append(chunk, n);
  std::fclose(f);
  return all;
}

// The file's lines. A file the tests append to while a DLL reads it (`growing`) may end in a line
// still being written: only lines with their '\n' count.
inline std::vector<std::string> FileLines(const std::string& path, bool growing) {
  std::vector<std::string> lines;
  const std::string all = ReadFile(path);
  for (size_t start = 0; start < all.size();) {
    size_t end = all.find('\n', start);
    if (end == std::string::npos) {
      if (growing) break;
      end = all.size();
    }
    lines.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  return lines;
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
