#pragma once
// Reading user and group rows, with their groups and members gathered by correlated subqueries
// so one statement returns complete records; and the column values a user row is written with.

#include <optional>
#include <string>

#include "model/group.hpp"
#include "model/user.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/record_columns.hpp"
#include "store/store.hpp"

namespace usersctl::store::postgres {

// The attrs column's jsonb text as attributes.
model::Attributes parse_attrs_json(std::string_view text);

// "SELECT … FROM users u" — append WHERE/ORDER BY.
const std::string& user_select_sql();
model::User read_user_row(const Result& result, int row);
// The same columns with each key's parts (parse_ssh_key_parts) in 16 and the password hash in 23,
// and the reader of its rows.
const std::string& credential_select_sql();
UserWithCredentials read_credential_row(const Result& result, int row);

// "SELECT … FROM usergroups g" — append WHERE/ORDER BY.
const std::string& group_select_sql();
model::Group read_group_row(const Result& result, int row);

// The attributes as the jsonb text the attrs column takes.
std::string attrs_json(const model::Attributes& attrs);
// The case-folded copies search matches against: the name and the attribute values (the email
// key is store::email_key, as both backends keep it).
std::string name_key(const model::User& user);
std::string attrs_key(const model::User& user);

// The first row of `result` as `read(result, 0)` reads it, if there is a row.
template <class Read>
auto first_row(const Result& result, Read read) -> std::optional<decltype(read(result, 0))> {
  if (result.rows() == 0) return std::nullopt;
  return read(result, 0);
}

// Column 0 of a row, for first_row().
inline std::string text_column(const Result& result, int row) { return result.text(row, 0); }
inline std::int64_t int64_column(const Result& result, int row) { return result.int64(row, 0); }

}  // namespace usersctl::store::postgres
