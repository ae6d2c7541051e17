// NT device paths as WFP logs them (\device\harddiskvolume3\windows\system32\svchost.exe) to DOS
// paths (C:\windows\system32\svchost.exe), from a map of devices to drive letters. Devices match on
// whole path components (HarddiskVolume1 never matches HarddiskVolume10), case-insensitively;
// \Device\Mup\ becomes a UNC path. Plain C++: the Windows enricher fills the map with QueryDosDevice.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wfp {

class DeviceMap {
 public:
  // (device, drive) pairs, e.g. ("\Device\HarddiskVolume3", "C:").
  void Assign(std::vector<std::pair<std::string, std::string>> devices);
  bool empty() const { return devices_.empty(); }
  // The DOS form of `path`; a path already in DOS or UNC form is returned as it is. Nothing when no
  // device matches: the caller may refresh the map (a volume mounted since) and try once more.
  std::optional<std::string> ToDosPath(std::string_view path) const;

 private:
  std::vector<std::pair<std::string, std::string>> devices_;  // device lower-cased, longest first
};

}  // namespace wfp
