#include "enrich/device_map.h"

#include <algorithm>

namespace wfp {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

// `path` starts with `prefix` (already lower-case) followed by a separator or the end.
bool StartsWithComponent(std::string_view path, std::string_view prefix) {
  if (path.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (Lower(path[i]) != prefix[i]) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '\\';
}

}  // namespace

void DeviceMap::Assign(std::vector<std::pair<std::string, std::string>> devices) {
  for (auto& [device, drive] : devices) {
    while (!device.empty() && device.back() == '\\') device.pop_back();
    device = ToLower(device);
  }
  std::sort(devices.begin(), devices.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  devices_ = std::move(devices);
}

std::optional<std::string> DeviceMap::ToDosPath(std::string_view path) const {
  if (path.size() >= 2 && path[1] == ':') return std::string(path);                      // C:\...
  if (path.size() >= 2 && path[0] == '\\' && path[1] == '\\') return std::string(path);  // \\server\share
  if (StartsWithComponent(path, "\\??")) {                                               // \??\C:\...
    std::string_view rest = path.substr(3);
    if (rest.size() >= 3 && rest[0] == '\\' && rest[2] == ':') return std::string(rest.substr(1));
  }
  constexpr std::string_view kMup = "\\device\\mup";
  if (StartsWithComponent(path, kMup)) return "\\" + std::string(path.substr(kMup.size()));
  for (const auto& [device, drive] : devices_)
    if (StartsWithComponent(path, device)) return drive + std::string(path.substr(device.size()));
  return std::nullopt;
}

}  // namespace wfp
