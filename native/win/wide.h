// UTF-8 <-> UTF-16 for the Windows APIs.
#pragma once

#include <string>
#include <string_view>

namespace wfp {
std::wstring Widen(std::string_view utf8);
void Narrow(const wchar_t* utf16, size_t length, std::string& out);
std::string SystemMessage(unsigned long code);  // FormatMessage text of a Win32 error, trimmed
}  // namespace wfp
