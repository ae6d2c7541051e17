#include "model/decided_by.h"

#include "model/record_values.h"

namespace wfp {
namespace {

using sv = std::string_view;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

sv Trim(sv s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Equal ignoring ASCII case and treating every run of spaces as one.
bool SameWords(sv a, sv b) {
  size_t i = 0, j = 0;
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
  while (i < a.size() && j < b.size()) {
    if (IsSpace(a[i]) && IsSpace(b[j])) {
      while (i < a.size() && IsSpace(a[i])) ++i;
      while (j < b.size() && IsSpace(b[j])) ++j;
      continue;
    }
    if (lower(a[i]) != lower(b[j])) return false;
    ++i;
    ++j;
  }
  return i == a.size() && j == b.size();
}

struct Named {
  sv name;
  DecidedBy by;
};

// Microsoft's "Filter origin audit log" page names the seven default block filters; the strings are the
// names Windows writes (Stealth, Query User Default and WSH Default are in AppControl Manager's filter
// list; the page's own long names are accepted too).
constexpr Named kDefaults[] = {
    {"AppContainer Loopback", DecidedBy::AppContainerLoopback},
    {"Boot Time Default", DecidedBy::BootTimeDefault},
    {"Quarantine Default", DecidedBy::QuarantineDefault},
    {"Query User Default", DecidedBy::QueryUserDefault},
    {"Stealth", DecidedBy::Stealth},
    {"UWP Default", DecidedBy::UwpDefault},
    {"Universal Windows Platform Default", DecidedBy::UwpDefault},
    {"Universal Windows Platform (UWP) Default", DecidedBy::UwpDefault},
    {"WSH Default", DecidedBy::WshDefault},
    {"Windows Service Hardening Default", DecidedBy::WshDefault},
    {"Windows Service Hardening (WSH) Default", DecidedBy::WshDefault},
};

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// 8-4-4-4-12 hex digits, with or without braces.
bool IsGuid(sv s) {
  if (s.size() == 38 && s.front() == '{' && s.back() == '}') s = s.substr(1, 36);
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !IsHex(s[i])) return false;
  }
  return true;
}

// The IDs of the rules Windows creates when a user answers the "allow this app" prompt.
bool IsQueryUserRuleId(sv s) {
  for (sv prefix : {sv("TCP Query User{"), sv("UDP Query User{")})
    if (s.size() > prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix)) return true;
  return false;
}

bool IsSingleToken(sv s) {
  for (char c : s)
    if (IsSpace(c) || static_cast<unsigned char>(c) < 0x20) return false;
  return true;
}

}  // namespace

Decision DecideByOrigin(std::optional<sv> filterOrigin) {
  if (!filterOrigin) return {};
  const sv origin = Trim(*filterOrigin);
  if (origin.empty() || origin == "-" || EqualsIgnoreCase(origin, "Unknown")) return {};
  for (const Named& d : kDefaults)
    if (SameWords(origin, d.name)) return {d.by, std::nullopt};
  if (IsGuid(origin) || IsQueryUserRuleId(origin) || IsSingleToken(origin)) return {DecidedBy::Rule, origin};
  return {};
}

}  // namespace wfp
