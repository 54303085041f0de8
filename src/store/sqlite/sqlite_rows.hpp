#pragma once
// Reading user and group rows, with their attributes, groups and members gathered by
// correlated subqueries so one statement streams complete records.

#include <optional>
#include <string>
#include <string_view>

#include "model/group.hpp"
#include "model/user.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"

namespace usersctl::store::sqlite {

// The columns read_user_row() reads ("SELECT u.id, …", no FROM), for selects of another shape.
const std::string& user_columns_sql();
// "SELECT … FROM users u" — append WHERE/ORDER BY.
const std::string& user_select_sql();
model::User read_user_row(const Statement& stmt);
// The same columns with each key's parts (parse_ssh_key_parts) in 16 and the password hash in 23,
// and the reader of its rows.
const std::string& credential_select_sql();
UserWithCredentials read_credential_row(const Statement& stmt);

// "SELECT … FROM usergroups g" — append WHERE/ORDER BY.
const std::string& group_select_sql();
model::Group read_group_row(const Statement& stmt);
// The same columns with NULL for the members (9), for a listing that gathers every group's
// members in one pass (list_groups), and the reader given them as column 9 would hold them.
const std::string& group_select_without_members_sql();
model::Group read_group_row_with(const Statement& stmt, std::string_view members);

// The first row of `stmt` as `read` reads it, if there is a row.
template <class Read>
auto first_row(Statement& stmt, Read read) -> std::optional<decltype(read(stmt))> {
  if (!stmt.step()) return std::nullopt;
  return read(stmt);
}

// Deletes a user or group row by id and keeps its events' history key (lifecycle_sql's orphan
// statement: the events then name the record by -id).
inline void delete_record(Connection& db, const char* delete_sql, const char* orphan_sql, std::int64_t id) {
  db.prepare(delete_sql).bind(1, id).run();
  db.prepare(orphan_sql).bind(1, id).run();
}

// Column 0 of a row, for first_row().
inline std::string text_column(const Statement& stmt) { return stmt.text(0); }
inline std::int64_t int64_column(const Statement& stmt) { return stmt.int64(0); }

}  // namespace usersctl::store::sqlite
