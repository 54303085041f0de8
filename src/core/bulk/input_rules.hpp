#pragma once
// What a bulk load does with one input record before it touches the store: validation, the
// normal form of its values, and the fields in which it differs from the stored user.

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/user_reader.hpp"
#include "model/user.hpp"

namespace usersctl::core::bulk {

// Throws Invalid for the first bad value of `in`.
void validate_input(const UserInput& in);
// Puts the validity window and password_changed_at of `in` in the stored form (RFC 3339 UTC,
// "" for no bound); Invalid for a value that is no date or time.
void normalise_window(UserInput& in);
// The window fields `in` gives, on a new user or as an update (naming those that changed).
void apply_window_fields(model::User& user, const UserInput& in, std::vector<std::string>& changed);
// Sorted, each value once (group names, the ids a file gives).
template <class T>
std::vector<T> sorted_unique(std::vector<T> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}
// Applies the identity fields `in` gives (name, email, uid) to `user`, returning the names of
// those that really changed; apply_state_fields() adds attrs and disabled, in the order events
// list them. The POSIX fields (posix_input.hpp), groups and the password are the loader's.
std::vector<std::string> apply_record_fields(model::User& user, const UserInput& in);
void apply_state_fields(model::User& user, const UserInput& in, std::vector<std::string>& changed);

}  // namespace usersctl::core::bulk
