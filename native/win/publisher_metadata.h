// The event templates of an installed event publisher (EvtOpenPublisherMetadata,
// EvtOpenEventMetadataEnum, EvtNextEventMetadata, EvtGetEventMetadataProperty): for each event its ID,
// version and template (the XML of its fields, in order), read once. Only built for Windows; under Wine
// it runs against the stand-in wevtapi.dll (test/wine/), whose manifest is Windows 10's.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace wfp {

// Calls `add` for each event of `publisher`; returns 0, or the Win32 error of the call that failed
// (events already given stay given).
uint32_t ReadEventTemplates(
    std::string_view publisher,
    const std::function<void(uint32_t eventId, uint32_t version, std::string_view templateXml)>& add);

}  // namespace wfp
