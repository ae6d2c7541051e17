// This machine's interface addresses for the live sources (enrich/local_addresses.h). Read with
// GetAdaptersAddresses, and read again after NotifyUnicastIpAddressChange says an address came or went
// (it reports IPv6 changes that NotifyIpInterfaceChange was seen to miss). Its callback runs on system
// threads, not always one at a time (Mullvad found), and only marks the set stale: it takes no lock, so
// CancelMibChangeNotify2, which waits for running callbacks, cannot deadlock with it (libtelio's bug).
// Where the registration fails, the set is read again at most every kRereadMs. Only built for Windows; under Wine both
// calls are Wine's own, which report the Linux host's addresses.
#include <winsock2.h>
#include <ws2ipdef.h>
#include <windows.h>
#include <iphlpapi.h>
#include <netioapi.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <vector>

#include "enrich/local_addresses.h"
#include "model/sides.h"

namespace wfp {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kRereadMs = std::chrono::seconds(30);

class InterfaceAddresses final : public LocalAddresses {
 public:
  InterfaceAddresses() {
    if (NotifyUnicastIpAddressChange(AF_UNSPEC, &InterfaceAddresses::Changed, this, FALSE, &notification_) != NO_ERROR)
      notification_ = nullptr;
  }
  ~InterfaceAddresses() override {
    // Returns once no callback runs any more, so `this` outlives every call of Changed.
    if (notification_) CancelMibChangeNotify2(notification_);
  }

  void Decide(BlockEvent& e) override {
    const Clock::time_point now = Clock::now();
    if (stale_.exchange(false) || (!notification_ && now - readAt_ > kRereadMs)) Read(now);
    DecideSidesByAddress(e, own_, SidesBy::Interface);
  }

 private:
  static void WINAPI Changed(void* context, MIB_UNICASTIPADDRESS_ROW*, MIB_NOTIFICATION_TYPE) {
    static_cast<InterfaceAddresses*>(context)->stale_ = true;
  }

  void Read(Clock::time_point now) {
    readAt_ = now;
    ULONG size = static_cast<ULONG>(buffer_.size());
    ULONG status = ERROR_BUFFER_OVERFLOW;
    // The size can grow between two calls (an adapter coming up): try a few times.
    for (int attempt = 0; attempt < 3 && status == ERROR_BUFFER_OVERFLOW; ++attempt) {
      if (size > buffer_.size()) buffer_.resize(size);
      size = static_cast<ULONG>(buffer_.size());
      status =
          GetAdaptersAddresses(AF_UNSPEC, GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER,
                               nullptr, reinterpret_cast<IP_ADAPTER_ADDRESSES*>(buffer_.data()), &size);
    }
    if (status != NO_ERROR) return;  // keep what was known; the direction rule decides where nothing is
    own_.Clear();
    for (auto* a = reinterpret_cast<IP_ADAPTER_ADDRESSES*>(buffer_.data()); a; a = a->Next) {
      for (IP_ADAPTER_UNICAST_ADDRESS* u = a->FirstUnicastAddress; u; u = u->Next) {
        const SOCKADDR* sa = u->Address.lpSockaddr;
        if (!sa) continue;
        if (sa->sa_family == AF_INET) {
          const auto* v4 = reinterpret_cast<const sockaddr_in*>(sa);
          const auto* b = reinterpret_cast<const uint8_t*>(&v4->sin_addr);
          own_.Add(MappedIpv4(b[0], b[1], b[2], b[3]));
        } else if (sa->sa_family == AF_INET6) {
          IpAddress ip;
          const auto* v6 = reinterpret_cast<const sockaddr_in6*>(sa);
          std::memcpy(ip.data(), &v6->sin6_addr, 16);
          own_.Add(ip);
        }
      }
    }
  }

  AddressSet own_{1024};
  std::vector<unsigned char> buffer_ = std::vector<unsigned char>(16 * 1024);
  Clock::time_point readAt_{};
  std::atomic<bool> stale_{true};
  HANDLE notification_ = nullptr;
};

}  // namespace

std::unique_ptr<LocalAddresses> CreateInterfaceAddresses() { return std::make_unique<InterfaceAddresses>(); }

}  // namespace wfp
