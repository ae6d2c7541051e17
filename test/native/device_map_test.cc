// NT device paths to DOS paths (the Windows enricher fills the map with QueryDosDevice).
#include "test_main.h"

#include "enrich/device_map.h"

namespace {
using namespace wfp;
using namespace wfp::test;
}  // namespace

TEST_CASE("device map: whole components, case-insensitive, Mup to UNC, the NT object prefix and DOS paths") {
  DeviceMap map;
  map.Assign({{"\\Device\\HarddiskVolume1", "D:"},
              {"\\Device\\HarddiskVolume10\\", "E:"},
              {"\\Device\\HarddiskVolume3", "C:"}});
  auto dos = [&](std::string_view p) { return map.ToDosPath(p).value_or("<none>"); };
  Equal(dos("\\device\\harddiskvolume3\\windows\\system32\\svchost.exe"),
        std::string("C:\\windows\\system32\\svchost.exe"), "device path to drive, case-insensitively");
  Equal(dos("\\Device\\HarddiskVolume10\\x.exe"), std::string("E:\\x.exe"), "HarddiskVolume10 is not HarddiskVolume1");
  Equal(dos("\\Device\\HarddiskVolume1\\x.exe"), std::string("D:\\x.exe"), "HarddiskVolume1");
  Equal(dos("\\Device\\HarddiskVolume100\\x.exe"), std::string("<none>"), "no prefix match across a component");
  Equal(dos("\\Device\\Mup\\server\\share\\tool.exe"), std::string("\\\\server\\share\\tool.exe"), "Mup to UNC");
  Equal(dos("\\??\\C:\\tools\\nc.exe"), std::string("C:\\tools\\nc.exe"), "\\??\\ prefix");
  Equal(dos("C:\\program files\\app.exe"), std::string("C:\\program files\\app.exe"),
        "DOS paths stay (5031 logs them)");
  Equal(dos("\\device\\harddiskvolume7\\a.exe"), std::string("<none>"),
        "unknown volume: nothing, so the caller refreshes");
}
