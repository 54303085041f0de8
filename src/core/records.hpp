#pragma once
// Users and groups as JSON records: the field names and order every output format and
// every event shows (DESIGN.md §3). The password hash is not part of User, so no record
// can ever carry it.

#include <nlohmann/json.hpp>

#include "core/group.hpp"
#include "core/user.hpp"

namespace usersctl::core {

using Record = nlohmann::ordered_json;

// username, uid, name, email (null when absent), groups, attrs, disabled,
// created_at, updated_at, created_by, updated_by, version.
Record user_record(const User& user);
// name, gid, description, members, created_at, updated_at, created_by, updated_by, version.
Record group_record(const Group& group);

}  // namespace usersctl::core
