#pragma once
// What one delivery attempt to a hook came to; the dispatcher turns it into the delivery's next state.

#include <cstdint>
#include <optional>
#include <string>

namespace usersctl::events {

enum class DeliveryOutcome {
  Delivered,  // the receiver took it (HTTP 2xx, exit status 0)
  Retry,      // try again later (errors, timeouts, other statuses, non-zero exits)
  Gone,       // HTTP 410: the receiver asks us to stop; the hook should be disabled
};

struct DeliveryResult {
  DeliveryOutcome outcome = DeliveryOutcome::Retry;
  // Set when the receiver said when to come back (Retry-After on 429/503); never negative.
  std::optional<std::int64_t> retry_after_seconds;
  // One short line for warnings and `events status`: "HTTP 500", "timed out after 10 s", "exit status 3".
  std::string detail;
};

}  // namespace usersctl::events
