#pragma once
// Points in time given on the command line (--since, --as-of, --expires-at, --before): a date
// (2026-12-01, midnight UTC) or an RFC 3339 time (2026-12-01T10:00:00Z, +02:00 offsets), in the
// form stored times have (RFC 3339 UTC with milliseconds), so they compare as text.

#include <cstdint>
#include <string>
#include <string_view>

namespace usersctl::core {

// The stored form of `text`; UsageError naming `option` when it is no date or time.
std::string parse_time_arg(std::string_view text, std::string_view option);
// Milliseconds since the epoch of a time in the stored form (or any form parse_time_arg takes).
std::int64_t unix_ms_of(std::string_view time);
// Whether `text` is a sequence number (digits only) rather than a time.
bool is_sequence_arg(std::string_view text);

}  // namespace usersctl::core
