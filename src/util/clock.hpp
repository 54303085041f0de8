#pragma once

#include <cstdint>
#include <string>

namespace usersctl::util {

// The current time as RFC 3339 UTC with milliseconds: 2026-11-22T10:00:00.123Z.
std::string now_rfc3339();
// The same form for a time in Unix milliseconds (times before 1970 show as the epoch).
std::string rfc3339_from_unix_ms(std::int64_t ms);
// Milliseconds since the Unix epoch (delivery schedules).
std::int64_t now_unix_ms();

}  // namespace usersctl::util
