#pragma once
// Users and groups as JSON records: the field names and order every output format and
// every event shows (README.md, "Output"). The password hash is not part of User, so no record
// can ever carry it.

#include <nlohmann/json.hpp>

#include "model/group.hpp"
#include "model/user.hpp"

namespace usersctl::model {

using Record = nlohmann::ordered_json;

// username, uid, name, email (null when absent), groups, attrs, disabled,
// created_at, updated_at, created_by, updated_by, version.
Record user_record(const model::User& user);
// name, gid, description, members, created_at, updated_at, created_by, updated_by, version.
Record group_record(const model::Group& group);

}  // namespace usersctl::model
