#pragma once
// The one place the export formats ask when an account expires: shadow(5)'s expire field and
// LDIF's shadowExpire both come from here, in days since 1970-01-01.

#include <cstdint>
#include <optional>

#include "model/user.hpp"

namespace usersctl::core {

// The day of expires_at (the first day it is expired, as pam_unix reads shadow's expire: expired
// when today >= expire); none for an account without an end.
std::optional<std::int64_t> account_expiry_day(const model::User& user);

}  // namespace usersctl::core
