#include "store/busy_timeout.hpp"

#include <cstdlib>

namespace usersctl::store {

namespace {
constexpr int kDefaultBusyTimeoutMs = 10000;
}  // namespace

int busy_timeout_ms() {
  if (const char* env = std::getenv("USERSCTL_BUSY_TIMEOUT_MS")) {
    char* end = nullptr;
    const long value = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && value >= 0 && value <= 3600000) return static_cast<int>(value);
  }
  return kDefaultBusyTimeoutMs;
}

}  // namespace usersctl::store
