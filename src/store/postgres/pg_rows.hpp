#pragma once
// Reading user and group rows, with their groups and members gathered by correlated subqueries
// so one statement returns complete records; and the column values a user row is written with.

#include <string>

#include "model/group.hpp"
#include "model/user.hpp"
#include "store/postgres/pg_connection.hpp"

namespace usersctl::store::postgres {

// The attrs column's jsonb text as attributes.
model::Attributes parse_attrs_json(std::string_view text);

// "SELECT … FROM users u" — append WHERE/ORDER BY.
const std::string& user_select_sql();
model::User read_user_row(const Result& result, int row);

// "SELECT … FROM usergroups g" — append WHERE/ORDER BY.
const std::string& group_select_sql();
model::Group read_group_row(const Result& result, int row);

// The attributes as the jsonb text the attrs column takes.
std::string attrs_json(const model::Attributes& attrs);
// The case-folded copies search matches against: the email key, the name, the attribute values.
std::optional<std::string> email_key(const model::User& user);
std::string name_key(const model::User& user);
std::string attrs_key(const model::User& user);

}  // namespace usersctl::store::postgres
