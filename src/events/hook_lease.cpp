#include "events/hook_lease.hpp"

#include <charconv>
#include <cstdlib>
#include <string_view>

#include "util/clock.hpp"
#include "util/uuid.hpp"

namespace usersctl::events {

using std::chrono::milliseconds;

milliseconds hook_lease_length() {
  constexpr milliseconds kDefault{120000};
  const char* text = std::getenv("USERSCTL_HOOK_LEASE_SECONDS");
  if (text == nullptr) return kDefault;
  const std::string_view value(text);
  std::int64_t seconds = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (value.empty() || error != std::errc() || end != value.data() + value.size() || seconds < 1 ||
      seconds > 86400) {
    return kDefault;
  }
  return std::chrono::seconds(seconds);
}

HookLease::HookLease(store::Transactions& transactions, store::Outbox& outbox, std::int64_t hook_id,
                     milliseconds length)
    : transactions_(transactions),
      outbox_(outbox),
      hook_id_(hook_id),
      length_(length),
      owner_(util::random_uuid()) {}

bool HookLease::claim() {
  const std::int64_t now = util::now_unix_ms();
  const std::int64_t until = now + length_.count();
  bool claimed = false;
  transactions_.write([&] { claimed = outbox_.claim_hook(hook_id_, owner_, now, until); });
  if (claimed) until_ms_ = until;
  return claimed;
}

bool HookLease::renew(std::int64_t until_ms) {
  if (!outbox_.renew_hook(hook_id_, owner_, until_ms)) return false;
  until_ms_ = until_ms;
  return true;
}

bool HookLease::cover(milliseconds work) {
  covered_ = work;
  const std::int64_t now = util::now_unix_ms();
  if (until_ms_ - now >= (work + length_ / 2).count()) return true;
  bool kept = false;
  transactions_.write([&] { kept = renew(now + (work + length_).count()); });
  return kept;
}

bool HookLease::keep() { return renew(util::now_unix_ms() + (covered_ + length_).count()); }

void HookLease::release() {
  transactions_.write([&] { outbox_.release_hook(hook_id_, owner_); });
}

}  // namespace usersctl::events
