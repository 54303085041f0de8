#pragma once
// The one place the export formats ask when an account expires: shadow(5)'s expire field and
// LDIF's shadowExpire both come from here, in days since 1970-01-01.

#include <cstdint>
#include <optional>
#include <string>

#include "model/user.hpp"

namespace usersctl::core {

// The day of expires_at (the first day it is expired, as pam_unix reads shadow's expire: expired
// when today >= expire); none for an account without an end.
std::optional<std::int64_t> account_expiry_day(const model::User& user);

// The other way, for the readers of those fields (import --shadow, LDIF's shadowExpire): the
// stored time of the start of day `day` (UTC), which account_expiry_day() turns back into `day`.
// Throws Invalid for a day before 1970 or after 9999.
std::string day_start(std::int64_t day);

}  // namespace usersctl::core
