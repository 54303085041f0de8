#pragma once
// Reading user and group rows, with their attributes, groups and members gathered by
// correlated subqueries so one statement streams complete records.

#include <string>

#include "model/group.hpp"
#include "model/user.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace usersctl::store::sqlite {

// "SELECT … FROM users u" — append WHERE/ORDER BY.
const std::string& user_select_sql();
model::User read_user_row(const Statement& stmt);

// "SELECT … FROM usergroups g" — append WHERE/ORDER BY.
const std::string& group_select_sql();
model::Group read_group_row(const Statement& stmt);

}  // namespace usersctl::store::sqlite
