#include "win/publisher_metadata.h"

#include <windows.h>
#include <winevt.h>

#include <string>
#include <vector>

#include "win/wide.h"
#include "win/win32_errors.h"

namespace wfp {
namespace {

// One handle, closed when it goes (fluent-bit and Winlogbeat both leaked metadata handles once:
// beats #33328).
struct Handle {
  EVT_HANDLE h;
  ~Handle() {
    if (h) EvtClose(h);
  }
};

// A property of one event's metadata: asked with no buffer first, for the size (the documented
// ERROR_INSUFFICIENT_BUFFER protocol), then into a buffer of that size; its type is checked.
bool Property(EVT_HANDLE metadata, EVT_EVENT_METADATA_PROPERTY_ID id, DWORD type, std::vector<EVT_VARIANT>& buffer,
              uint32_t& code) {
  DWORD used = 0;
  if (!EvtGetEventMetadataProperty(metadata, id, 0, 0, nullptr, &used)) {
    code = GetLastError();
    if (code != win32::kInsufficientBuffer) return false;
  }
  buffer.resize(used / sizeof(EVT_VARIANT) + 1);
  if (!EvtGetEventMetadataProperty(metadata, id, 0, static_cast<DWORD>(buffer.size() * sizeof(EVT_VARIANT)),
                                   buffer.data(), &used)) {
    code = GetLastError();
    return false;
  }
  code = 0;
  return (buffer[0].Type & EVT_VARIANT_TYPE_MASK) == type;
}

}  // namespace

uint32_t ReadEventTemplates(std::string_view publisher,
                            const std::function<void(uint32_t, uint32_t, std::string_view)>& add) {
  const std::wstring name = Widen(publisher);
  Handle metadata{EvtOpenPublisherMetadata(nullptr, name.c_str(), nullptr, 0, 0)};
  if (!metadata.h) return GetLastError();
  Handle events{EvtOpenEventMetadataEnum(metadata.h, 0)};
  if (!events.h) return GetLastError();
  std::vector<EVT_VARIANT> buffer;
  std::string xml;
  while (true) {
    Handle event{EvtNextEventMetadata(events.h, 0)};
    if (!event.h) {
      const DWORD code = GetLastError();
      return code == win32::kNoMoreItems ? 0 : code;
    }
    uint32_t code = 0;
    if (!Property(event.h, EventMetadataEventID, EvtVarTypeUInt32, buffer, code)) {
      if (code) return code;
      continue;  // a property of another type: not an event this can read
    }
    const uint32_t id = buffer[0].UInt32Val & 0xFFFF;  // the low 16 bits, as EVENTLOGRECORD gives them
    if (!Property(event.h, EventMetadataEventVersion, EvtVarTypeUInt32, buffer, code)) {
      if (code) return code;
      continue;
    }
    const uint32_t version = buffer[0].UInt32Val;
    if (!Property(event.h, EventMetadataEventTemplate, EvtVarTypeString, buffer, code)) {
      if (code) return code;
      continue;
    }
    if (!buffer[0].StringVal) continue;  // an event without a template
    Narrow(buffer[0].StringVal, wcslen(buffer[0].StringVal), xml);
    add(id, version, xml);
  }
}

}  // namespace wfp
