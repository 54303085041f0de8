#pragma once
// Domain objects as output records: the field names and order every format shows
// (DESIGN.md §3). The password hash is not part of User, so no output can ever carry it.

#include <string>
#include <vector>

#include "core/group.hpp"
#include "core/user.hpp"
#include "output/record_writer.hpp"

namespace usersctl::output {

// username, uid, name, email (null when absent), groups, attrs, disabled,
// created_at, updated_at, created_by, updated_by, version.
Record user_record(const core::User& user);
// name, gid, description, members, created_at, updated_at, created_by, updated_by, version.
Record group_record(const core::Group& group);

// The columns a table shows when --fields is not given: what fits a terminal line.
const std::vector<std::string>& user_table_columns();
const std::vector<std::string>& group_table_columns();

}  // namespace usersctl::output
