// Each computer's own addresses, learned from its records in input order (enrich/local_addresses.h).
// Bounded: at most kMaxComputers computers of at most kMaxAddresses addresses each; later ones are
// decided by the direction rule. Plain C++ with no OS code.
#include <string>
#include <unordered_map>

#include "enrich/local_addresses.h"
#include "model/event_record.h"
#include "model/sides.h"

namespace wfp {
namespace {

constexpr size_t kMaxComputers = 4096;
constexpr size_t kMaxAddresses = 64;

class LearnedAddresses final : public LocalAddresses {
 public:
  void Decide(BlockEvent& e) override {
    if (!e.record) return;
    const std::string_view computer = e.record->computer;
    auto found = computers_.find(std::string(computer));  // one short string per record
    if (ShowsOwnAddress(e)) {
      if (found == computers_.end()) {
        if (computers_.size() >= kMaxComputers) return;
        found = computers_.emplace(std::string(computer), AddressSet(kMaxAddresses)).first;
      }
      LearnOwnAddress(e, found->second);
      return;  // the rule that taught the address stays the rule that decided
    }
    if (found != computers_.end()) DecideSidesByAddress(e, found->second, SidesBy::Learned);
  }

 private:
  std::unordered_map<std::string, AddressSet> computers_;
};

}  // namespace

std::unique_ptr<LocalAddresses> CreateLearnedAddresses() { return std::make_unique<LearnedAddresses>(); }

}  // namespace wfp
