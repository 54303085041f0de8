#include "util/clock.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace usersctl::util {

std::string now_rfc3339() { return rfc3339_from_unix_ms(now_unix_ms()); }

std::string rfc3339_from_unix_ms(std::int64_t ms) {
  if (ms < 0) ms = 0;
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms % 1000));
  return buffer;
}

std::int64_t now_unix_ms() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
}

}  // namespace usersctl::util
