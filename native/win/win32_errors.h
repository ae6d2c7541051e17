// The Win32, wevtapi and WFP error codes the Windows sources act on, by name. On Windows each is checked
// against the SDK's own definition at compile time (a wrong constant once made a log shipper look
// healthy while it delivered nothing).
#pragma once

#include <cstdint>

namespace wfp::win32 {

inline constexpr uint32_t kAccessDenied = 5;                       // ERROR_ACCESS_DENIED
inline constexpr uint32_t kInvalidHandle = 6;                      // ERROR_INVALID_HANDLE
inline constexpr uint32_t kHandleEof = 38;                         // ERROR_HANDLE_EOF
inline constexpr uint32_t kInvalidParameter = 87;                  // ERROR_INVALID_PARAMETER
inline constexpr uint32_t kInsufficientBuffer = 122;               // ERROR_INSUFFICIENT_BUFFER
inline constexpr uint32_t kMoreData = 234;                         // ERROR_MORE_DATA
inline constexpr uint32_t kNoMoreItems = 259;                      // ERROR_NO_MORE_ITEMS
inline constexpr uint32_t kEventlogFileCorrupt = 1500;             // ERROR_EVENTLOG_FILE_CORRUPT
inline constexpr uint32_t kEventlogFileChanged = 1503;             // ERROR_EVENTLOG_FILE_CHANGED
inline constexpr uint32_t kNotFound = 1168;                        // ERROR_NOT_FOUND
inline constexpr uint32_t kCancelled = 1223;                       // ERROR_CANCELLED
inline constexpr uint32_t kTimeout = 1460;                         // ERROR_TIMEOUT
inline constexpr uint32_t kServiceNotActive = 1062;                // ERROR_SERVICE_NOT_ACTIVE
inline constexpr uint32_t kRpcServerUnavailable = 1722;            // RPC_S_SERVER_UNAVAILABLE
inline constexpr uint32_t kRpcCallFailed = 1726;                   // RPC_S_CALL_FAILED
inline constexpr uint32_t kRpcCallFailedDne = 1727;                // RPC_S_CALL_FAILED_DNE
inline constexpr uint32_t kRpcInvalidBound = 1734;                 // RPC_S_INVALID_BOUND
inline constexpr uint32_t kEptNotRegistered = 1753;                // EPT_S_NOT_REGISTERED (BFE not running)
inline constexpr uint32_t kRpcCallCancelled = 1818;                // RPC_S_CALL_CANCELLED
inline constexpr uint32_t kInvalidOperation = 4317;                // ERROR_INVALID_OPERATION
inline constexpr uint32_t kEvtInvalidQuery = 15001;                // ERROR_EVT_INVALID_QUERY
inline constexpr uint32_t kEvtPublisherMetadataNotFound = 15002;   // ERROR_EVT_PUBLISHER_METADATA_NOT_FOUND
inline constexpr uint32_t kEvtChannelNotFound = 15007;             // ERROR_EVT_CHANNEL_NOT_FOUND
inline constexpr uint32_t kEvtQueryResultStale = 15011;            // ERROR_EVT_QUERY_RESULT_STALE
inline constexpr uint32_t kEvtQueryResultInvalidPosition = 15012;  // ERROR_EVT_QUERY_RESULT_INVALID_POSITION
inline constexpr uint32_t kEvtPublisherDisabled = 15037;           // ERROR_EVT_PUBLISHER_DISABLED
inline constexpr uint32_t kFwpSessionAborted = 0x80320010;         // FWP_E_SESSION_ABORTED
inline constexpr uint32_t kFwpNetEventsDisabled = 0x80320013;      // FWP_E_NET_EVENTS_DISABLED

}  // namespace wfp::win32

#ifdef _WIN32
#include <windows.h>
#include <winerror.h>
static_assert(wfp::win32::kAccessDenied == ERROR_ACCESS_DENIED);
static_assert(wfp::win32::kInvalidHandle == ERROR_INVALID_HANDLE);
static_assert(wfp::win32::kHandleEof == ERROR_HANDLE_EOF);
static_assert(wfp::win32::kInvalidParameter == ERROR_INVALID_PARAMETER);
static_assert(wfp::win32::kInsufficientBuffer == ERROR_INSUFFICIENT_BUFFER);
static_assert(wfp::win32::kMoreData == ERROR_MORE_DATA);
static_assert(wfp::win32::kNoMoreItems == ERROR_NO_MORE_ITEMS);
static_assert(wfp::win32::kEventlogFileCorrupt == ERROR_EVENTLOG_FILE_CORRUPT);
static_assert(wfp::win32::kEventlogFileChanged == ERROR_EVENTLOG_FILE_CHANGED);
static_assert(wfp::win32::kNotFound == ERROR_NOT_FOUND);
static_assert(wfp::win32::kCancelled == ERROR_CANCELLED);
static_assert(wfp::win32::kTimeout == ERROR_TIMEOUT);
static_assert(wfp::win32::kServiceNotActive == ERROR_SERVICE_NOT_ACTIVE);
static_assert(wfp::win32::kRpcServerUnavailable == RPC_S_SERVER_UNAVAILABLE);
static_assert(wfp::win32::kRpcCallFailed == RPC_S_CALL_FAILED);
static_assert(wfp::win32::kRpcCallFailedDne == RPC_S_CALL_FAILED_DNE);
static_assert(wfp::win32::kRpcInvalidBound == RPC_S_INVALID_BOUND);
static_assert(wfp::win32::kEptNotRegistered == EPT_S_NOT_REGISTERED);
static_assert(wfp::win32::kRpcCallCancelled == RPC_S_CALL_CANCELLED);
static_assert(wfp::win32::kInvalidOperation == ERROR_INVALID_OPERATION);
static_assert(wfp::win32::kEvtInvalidQuery == ERROR_EVT_INVALID_QUERY);
static_assert(wfp::win32::kEvtPublisherMetadataNotFound == ERROR_EVT_PUBLISHER_METADATA_NOT_FOUND);
static_assert(wfp::win32::kEvtChannelNotFound == ERROR_EVT_CHANNEL_NOT_FOUND);
static_assert(wfp::win32::kEvtQueryResultStale == ERROR_EVT_QUERY_RESULT_STALE);
static_assert(wfp::win32::kEvtQueryResultInvalidPosition == ERROR_EVT_QUERY_RESULT_INVALID_POSITION);
static_assert(wfp::win32::kEvtPublisherDisabled == ERROR_EVT_PUBLISHER_DISABLED);
static_assert(wfp::win32::kFwpSessionAborted == static_cast<uint32_t>(FWP_E_SESSION_ABORTED));
static_assert(wfp::win32::kFwpNetEventsDisabled == static_cast<uint32_t>(FWP_E_NET_EVENTS_DISABLED));
#endif
