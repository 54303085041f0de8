#pragma once
// Reading user and group rows, with their attributes, groups and members gathered by
// correlated subqueries so one statement streams complete records.

#include <optional>
#include <string>

#include "model/group.hpp"
#include "model/user.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace usersctl::store::sqlite {

// The columns read_user_row() reads ("SELECT u.id, …", no FROM), for selects of another shape.
const std::string& user_columns_sql();
// "SELECT … FROM users u" — append WHERE/ORDER BY.
const std::string& user_select_sql();
model::User read_user_row(const Statement& stmt);

// "SELECT … FROM usergroups g" — append WHERE/ORDER BY.
const std::string& group_select_sql();
model::Group read_group_row(const Statement& stmt);

// The first row of `stmt` as `read` reads it, if there is a row.
template <class Read>
auto first_row(Statement& stmt, Read read) -> std::optional<decltype(read(stmt))> {
  if (!stmt.step()) return std::nullopt;
  return read(stmt);
}

// Column 0 of a row, for first_row().
inline std::string text_column(const Statement& stmt) { return stmt.text(0); }
inline std::int64_t int64_column(const Statement& stmt) { return stmt.int64(0); }

}  // namespace usersctl::store::sqlite
