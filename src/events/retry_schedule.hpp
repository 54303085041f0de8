#pragma once
// When to try a failed delivery again: a schedule in the spirit of Standard Webhooks, from
// seconds to a day apart, about three days in all, with jitter so that receivers coming
// back are not hit by every sender at once.

#include <chrono>
#include <cstdint>
#include <optional>

namespace usersctl::events {

// The wait before attempt `attempts + 1`, given `attempts` failed ones; nullopt once the
// schedule is spent (the delivery is then failed).
std::optional<std::chrono::milliseconds> retry_delay(int attempts);
// retry_delay with ±20% jitter.
std::optional<std::chrono::milliseconds> jittered_retry_delay(int attempts);

}  // namespace usersctl::events
