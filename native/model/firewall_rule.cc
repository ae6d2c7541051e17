#include "model/firewall_rule.h"

#include "model/record_values.h"

namespace wfp {
namespace {

using sv = std::string_view;

bool IsDigits(sv s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::optional<bool> Boolean(sv v) {
  if (EqualsIgnoreCase(v, "TRUE")) return true;
  if (EqualsIgnoreCase(v, "FALSE")) return false;
  return std::nullopt;
}

}  // namespace

bool ParseFirewallRule(sv id, sv text, RuleStore store, FirewallRule& out, std::string& error) {
  out = FirewallRule{};
  out.id = std::string(id);
  out.store = store;
  auto fail = [&](std::string why) {
    error = std::move(why);
    return false;
  };
  const size_t bar = text.find('|');
  const sv version = text.substr(0, bar);
  const size_t dot = version.find('.');
  if (bar == sv::npos || version.size() < 4 || version[0] != 'v' || dot == sv::npos ||
      !IsDigits(version.substr(1, dot - 1)) || !IsDigits(version.substr(dot + 1)))
    return fail("a rule string starts with its version, v<major>.<minor>|");
  out.version = std::string(version);

  sv rest = text.substr(bar + 1);
  while (!rest.empty()) {
    const size_t end = rest.find('|');
    const sv field = rest.substr(0, end);
    rest = end == sv::npos ? sv() : rest.substr(end + 1);
    if (field.empty()) continue;  // the closing '|'
    const size_t eq = field.find('=');
    if (eq == sv::npos) return fail("field '" + std::string(field) + "' has no '='");
    const sv key = field.substr(0, eq);
    const std::string value(field.substr(eq + 1));
    if (key == "Action")
      out.action = value;
    else if (key == "Dir")
      out.direction = value;
    else if (key == "Active" || key == "Edge") {
      std::optional<bool> b = Boolean(value);
      if (!b) return fail(std::string(key) + "=" + value + " is neither TRUE nor FALSE");
      (key == "Active" ? out.active : out.edgeTraversal) = b;
    } else if (key == "Protocol") {
      std::optional<uint32_t> n = ParseU32(value, 255);
      if (!n || !IsDigits(value)) return fail("Protocol=" + value + " is not a protocol number");
      out.protocol = n;
    } else if (key == "Profile")
      out.profiles.push_back(value);
    else if (key == "LPort" || key == "LPort2_10")
      out.localPorts.push_back(value);
    else if (key == "RPort" || key == "RPort2_10")
      out.remotePorts.push_back(value);
    else if (key == "LA4" || key == "LA6")
      out.localAddresses.push_back(value);
    else if (key == "RA4" || key == "RA6" || key == "RA42" || key == "RA62")
      out.remoteAddresses.push_back(value);
    else if (key == "App")
      out.application = value;
    else if (key == "Svc")
      out.service = value;
    else if (key == "AppPkgId")
      out.packageSid = value;
    else if (key == "Name")
      out.name = value;
    else if (key == "Desc")
      out.description = value;
    else if (key == "EmbedCtxt")
      out.group = value;
    else
      out.other.emplace_back(std::string(key), value);
  }
  return true;
}

}  // namespace wfp
