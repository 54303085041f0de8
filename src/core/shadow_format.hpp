#pragma once
// Users as /etc/shadow lines (shadow(5)) for `export --format shadow`. Pure: no store, no I/O.

#include <optional>
#include <string>

#include "model/user.hpp"

namespace usersctl::core {

// "name:hash:lastchg:min:max:warn:inactive:expire:". The hash field is the hash, "*" without one,
// and "!" before either for a disabled user (what `import --shadow` reads back as disabled).
// lastchg is the day the password was last set (password_changed_at; records from before that
// date was kept: the day of their last change), min, max, warn and inactive are empty (no aging),
// expire comes from account_expiry_day().
std::string shadow_line(const model::User& user, const std::optional<std::string>& hash);

// Days since 1970-01-01 of an RFC 3339 UTC timestamp ("2024-05-01T10:00:00Z" → 19844); nullopt
// when it does not start with a date.
std::optional<std::int64_t> epoch_day(const std::string& timestamp);

}  // namespace usersctl::core
