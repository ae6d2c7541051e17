// The WFP net-event API as this library calls it. The FWPM_NET_EVENT structures of Windows 8 and
// later, which the MinGW-w64 headers lack, declared here from Microsoft's fwpmtypes.h (the type-specific
// parts the 'netevents' source reads, and the headers); checked at compile time against the sizes and
// offsets that definition gives on x64, and against the SDK's own declarations where the headers in use
// have them. And the subscribe and enumerate functions of every version, resolved at run time from the
// fwpuclnt.dll the process loaded, so that the addon loads on every Windows version Node supports and
// uses the newest structures the running one offers. Shared with the stand-in fwpuclnt.dll of the Wine
// tests. Windows only.
#pragma once

#include <windows.h>

#include <fwpmu.h>

#include <cstddef>
#include <cstdio>

namespace wfp::fwp {

// FWPM_NET_EVENT_HEADER2 (Windows 8): HEADER0's fields, then the address family and the package SID.
struct NetEventHeader2 {
  FILETIME timeStamp;
  UINT32 flags;
  FWP_IP_VERSION ipVersion;
  UINT8 ipProtocol;
  union {
    UINT32 localAddrV4;  // host byte order
    FWP_BYTE_ARRAY16 localAddrV6;
  };
  union {
    UINT32 remoteAddrV4;
    FWP_BYTE_ARRAY16 remoteAddrV6;
  };
  UINT16 localPort;
  UINT16 remotePort;
  UINT32 scopeId;
  FWP_BYTE_BLOB appId;
  SID* userId;
  FWP_AF addressFamily;
  SID* packageSid;
};

// FWPM_NET_EVENT_HEADER3 (Windows 10 1507), the header of FWPM_NET_EVENT3, 4 and 5: HEADER2's fields,
// then three more.
struct NetEventHeader3 {
  NetEventHeader2 common;
  wchar_t* enterpriseId;
  UINT64 policyFlags;
  FWP_BYTE_BLOB effectiveName;
};

// FWPM_NET_EVENT_CLASSIFY_DROP2 (FWPM_NET_EVENT2 to 5).
struct ClassifyDrop2 {
  UINT64 filterId;
  UINT16 layerId;
  UINT32 reauthReason;
  UINT32 originalProfile;
  UINT32 currentProfile;
  UINT32 msFwpDirection;
  BOOL isLoopback;
  FWP_BYTE_BLOB vSwitchId;
  UINT32 vSwitchSourcePort;
  UINT32 vSwitchDestinationPort;
};

// FWPM_NET_EVENT_CLASSIFY_ALLOW0.
struct ClassifyAllow0 {
  UINT64 filterId;
  UINT16 layerId;
  UINT32 reauthReason;
  UINT32 originalProfile;
  UINT32 currentProfile;
  UINT32 msFwpDirection;
  BOOL isLoopback;
};

// FWPM_NET_EVENT_CAPABILITY_DROP0 and FWPM_NET_EVENT_CAPABILITY_ALLOW0 (the same members).
struct Capability0 {
  UINT32 networkCapabilityId;  // FWPM_APPC_NETWORK_CAPABILITY_TYPE
  UINT64 filterId;
  BOOL isLoopback;
};

// FWPM_NET_EVENT_CLASSIFY_DROP_MAC0.
struct ClassifyDropMac0 {
  FWP_BYTE_ARRAY6 localMacAddr;
  FWP_BYTE_ARRAY6 remoteMacAddr;
  UINT32 mediaType;
  UINT32 ifType;
  UINT16 etherType;
  UINT32 ndisPortNumber;
  UINT32 reserved;
  UINT16 vlanTag;
  UINT64 ifLuid;
  UINT64 filterId;
  UINT16 layerId;
  UINT32 reauthReason;
  UINT32 originalProfile;
  UINT32 currentProfile;
  UINT32 msFwpDirection;
  BOOL isLoopback;
  FWP_BYTE_BLOB vSwitchId;
  UINT32 vSwitchSourcePort;
  UINT32 vSwitchDestinationPort;
};

// FWPM_NET_EVENT2 to 5: a header, the type, and a pointer to the type-specific part (a union of
// pointers in the SDK).
template <typename Header>
struct NetEvent {
  Header header;
  FWPM_NET_EVENT_TYPE type;
  const void* detail;
};
using NetEvent2 = NetEvent<NetEventHeader2>;
using NetEvent3 = NetEvent<NetEventHeader3>;  // also the layout of FWPM_NET_EVENT4 and 5

#if defined(_M_X64) || defined(__x86_64__)
// The x64 layout fwpmtypes.h gives (natural alignment).
static_assert(offsetof(NetEventHeader2, ipProtocol) == 16 && offsetof(NetEventHeader2, localAddrV4) == 20 &&
              offsetof(NetEventHeader2, remoteAddrV4) == 36 && offsetof(NetEventHeader2, localPort) == 52 &&
              offsetof(NetEventHeader2, scopeId) == 56 && offsetof(NetEventHeader2, appId) == 64 &&
              offsetof(NetEventHeader2, userId) == 80 && offsetof(NetEventHeader2, addressFamily) == 88 &&
              offsetof(NetEventHeader2, packageSid) == 96 && sizeof(NetEventHeader2) == 104);
static_assert(offsetof(NetEventHeader3, enterpriseId) == 104 && offsetof(NetEventHeader3, effectiveName) == 120 &&
              sizeof(NetEventHeader3) == 136);
static_assert(offsetof(NetEvent2, type) == 104 && offsetof(NetEvent2, detail) == 112 && sizeof(NetEvent2) == 120);
static_assert(offsetof(NetEvent3, type) == 136 && offsetof(NetEvent3, detail) == 144 && sizeof(NetEvent3) == 152);
static_assert(offsetof(ClassifyDrop2, reauthReason) == 12 && offsetof(ClassifyDrop2, isLoopback) == 28 &&
              offsetof(ClassifyDrop2, vSwitchId) == 32 && sizeof(ClassifyDrop2) == 56);
static_assert(offsetof(ClassifyAllow0, isLoopback) == 28 && sizeof(ClassifyAllow0) == 32);
static_assert(offsetof(Capability0, filterId) == 8 && sizeof(Capability0) == 24);
static_assert(offsetof(ClassifyDropMac0, mediaType) == 12 && offsetof(ClassifyDropMac0, ifLuid) == 40 &&
              offsetof(ClassifyDropMac0, filterId) == 48 && offsetof(ClassifyDropMac0, layerId) == 56 &&
              offsetof(ClassifyDropMac0, isLoopback) == 76 && sizeof(ClassifyDropMac0) == 104);
#endif
// The prefix every header shares is FWPM_NET_EVENT_HEADER0's, which every header set declares.
static_assert(offsetof(NetEventHeader2, userId) == offsetof(FWPM_NET_EVENT_HEADER0, userId) &&
              sizeof(FWPM_NET_EVENT_HEADER0) == offsetof(NetEventHeader2, addressFamily));
static_assert(offsetof(ClassifyDrop2, isLoopback) == offsetof(FWPM_NET_EVENT_CLASSIFY_DROP1, isLoopback));
// The SDK's own declarations (MSVC; MinGW-w64 has none of these): FWPM_NET_EVENT3 has the layout of 4 and 5.
#if defined(_MSC_VER) && defined(NTDDI_WINTHRESHOLD) && NTDDI_VERSION >= NTDDI_WINTHRESHOLD
static_assert(sizeof(NetEvent3) == sizeof(FWPM_NET_EVENT3) &&
              offsetof(NetEvent3, type) == offsetof(FWPM_NET_EVENT3, type) &&
              offsetof(NetEvent3, detail) == offsetof(FWPM_NET_EVENT3, classifyDrop));
static_assert(sizeof(NetEvent2) == sizeof(FWPM_NET_EVENT2) &&
              offsetof(NetEvent2, detail) == offsetof(FWPM_NET_EVENT2, classifyDrop));
static_assert(sizeof(NetEventHeader3) == sizeof(FWPM_NET_EVENT_HEADER3) &&
              offsetof(NetEventHeader3, common) + offsetof(NetEventHeader2, packageSid) ==
                  offsetof(FWPM_NET_EVENT_HEADER3, packageSid) &&
              offsetof(NetEventHeader3, effectiveName) == offsetof(FWPM_NET_EVENT_HEADER3, effectiveName));
static_assert(sizeof(NetEventHeader2) == sizeof(FWPM_NET_EVENT_HEADER2) &&
              offsetof(NetEventHeader2, packageSid) == offsetof(FWPM_NET_EVENT_HEADER2, packageSid));
static_assert(sizeof(ClassifyDrop2) == sizeof(FWPM_NET_EVENT_CLASSIFY_DROP2) &&
              sizeof(ClassifyDropMac0) == sizeof(FWPM_NET_EVENT_CLASSIFY_DROP_MAC0) &&
              offsetof(ClassifyDropMac0, filterId) == offsetof(FWPM_NET_EVENT_CLASSIFY_DROP_MAC0, filterId) &&
              sizeof(ClassifyAllow0) == sizeof(FWPM_NET_EVENT_CLASSIFY_ALLOW0) &&
              sizeof(Capability0) == sizeof(FWPM_NET_EVENT_CAPABILITY_DROP0));
#endif

// FWPM_CONDITION_NET_EVENT_TYPE {206e9996-490e-40cf-b831-b38641eb6fcb}: an enumeration template's
// condition on the event type.
inline constexpr GUID kConditionNetEventType = {
    0x206e9996, 0x490e, 0x40cf, {0xb8, 0x31, 0xb3, 0x86, 0x41, 0xeb, 0x6f, 0xcb}};

// FWPM_ENGINE_OPTION values.
inline constexpr int kEngineCollectNetEvents = 0;
inline constexpr int kEngineNetEventMatchAnyKeywords = 1;

// FWPM_NET_EVENT_CALLBACK<n> and the functions of one structure version `Event`.
template <typename Event>
using Callback = void(CALLBACK*)(void* context, const Event* event);
template <typename Event>
using SubscribeFunction = DWORD(WINAPI*)(HANDLE engine, const FWPM_NET_EVENT_SUBSCRIPTION0* subscription,
                                         Callback<Event> callback, void* context, HANDLE* eventsHandle);
template <typename Event>
using EnumFunction = DWORD(WINAPI*)(HANDLE engine, HANDLE enumHandle, UINT32 requested, Event*** entries,
                                    UINT32* returned);

// The newest FWPM_NET_EVENT version for which fwpuclnt.dll exports both the subscribe function
// (FwpmNetEventSubscribe<version - 1>, which delivers FWPM_NET_EVENT<version>) and the enumerate one
// (FwpmNetEventEnum<version>): 5 on Windows 10 1809 and later, 2 on Windows 8.1.
struct NetEventApi {
  int version = 0;  // 0: none found
  FARPROC subscribe = nullptr;
  FARPROC enumerate = nullptr;
};

inline NetEventApi ResolveNetEventApi() {
  NetEventApi api;
  // The module the addon's own imports loaded (the stand-in, under the Wine tests).
  HMODULE module = GetModuleHandleW(L"fwpuclnt.dll");
  if (!module) return api;
  for (int version = 5; version >= 1; --version) {
    char subscribe[32], enumerate[32];
    std::snprintf(subscribe, sizeof subscribe, "FwpmNetEventSubscribe%d", version - 1);
    std::snprintf(enumerate, sizeof enumerate, "FwpmNetEventEnum%d", version);
    FARPROC s = GetProcAddress(module, subscribe), e = GetProcAddress(module, enumerate);
    if (s && e) return NetEventApi{version, s, e};
  }
  return api;
}

}  // namespace wfp::fwp
