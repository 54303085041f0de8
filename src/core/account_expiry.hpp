#pragma once
// The one place the export formats ask when an account expires: shadow(5)'s expire field and
// LDIF's shadowExpire both come from here, in days since 1970-01-01.

#include <cstdint>
#include <optional>

#include "model/user.hpp"

namespace usersctl::core {

// Nothing yet: the record has no expiry date. When it gets one, return its day here and both
// formats write it.
inline std::optional<std::int64_t> account_expiry_day(const model::User& /*user*/) { return std::nullopt; }

}  // namespace usersctl::core
