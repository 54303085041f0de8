#pragma once
// The validity window of an account (--valid-from, --expires-at): outside it the account is
// expired, and no password or SSH key lets it in, whatever else it has.

#include <optional>
#include <string>
#include <string_view>

#include "model/user.hpp"

namespace usersctl::core {

// Whether `user` may log in at `now` (RFC 3339 UTC, the stored form): valid_from <= now < expires_at.
bool within_window(const model::User& user, std::string_view now);
// An --expires-at or --valid-from value in the stored form; "never" (or empty) is no bound.
std::optional<std::string> parse_window_bound(std::string_view text, std::string_view option);

}  // namespace usersctl::core
