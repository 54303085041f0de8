#include "store/postgres/pg_timeouts.hpp"

#include <cstdlib>

namespace usersctl::store::postgres {

namespace {
constexpr int kDefaultBusyTimeoutMs = 10000;
}

int busy_timeout_ms() {
  // Tests shorten the wait; admins may lengthen it for long imports by others.
  if (const char* env = std::getenv("USERSCTL_BUSY_TIMEOUT_MS")) {
    char* end = nullptr;
    const long value = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && value >= 0 && value <= 3600000) return static_cast<int>(value);
  }
  return kDefaultBusyTimeoutMs;
}

int connect_timeout_seconds() {
  const int seconds = (busy_timeout_ms() + 999) / 1000;
  return seconds < 2 ? 2 : seconds;
}

}  // namespace usersctl::store::postgres
