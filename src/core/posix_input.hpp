#pragma once
// The POSIX fields of an imported or applied user (gid, home, shell): their checks and defaults,
// kept apart from the loader so that it only calls them.

#include <optional>
#include <string>
#include <vector>

#include "core/settings.hpp"
#include "core/user_input.hpp"
#include "model/user.hpp"
#include "store/store.hpp"

namespace usersctl::core {

// Throws Invalid for a malformed gid, home or shell (before any transaction).
void validate_posix_input(const UserInput& in);

// The problem with the line's gid, if any: it must be the user's own uid (the private group) or a
// group's gid (one of the database or of --group-file, created before the users).
std::optional<std::string> primary_gid_problem(store::Store& store, const UserInput& in, std::int64_t uid);

// A new user's gid, home and shell: the line's, else the defaults (private group, HOME_BASE/USER,
// default_shell).
void apply_posix_fields(model::User& user, const UserInput& in, const AccountSettings& settings);

// The line's gid, home and shell over `current`, naming what changed. A private group follows a
// changed uid when the line gives no gid.
void update_posix_fields(model::User& current, std::int64_t old_uid, const UserInput& in,
                         std::vector<std::string>& changed);

}  // namespace usersctl::core
