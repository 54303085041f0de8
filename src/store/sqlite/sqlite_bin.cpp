// The recycle bin of the SQLite store (statements shared with PostgreSQL: store/lifecycle_sql.hpp).
// Users and groups go in and out of the bin alike: each operation below is one statement for either.

#include "store/lifecycle_sql.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace usersctl::store {

using namespace sqlite;

template <>
void SqliteStore::bin_user(std::int64_t user_id, std::string_view deleted_at, std::string_view deleted_by) {
  db_.prepare(lifecycle_sql::kBinUser).bind(1, deleted_at).bind(2, deleted_by).bind(3, user_id).run();
}
template <>
void SqliteStore::bin_group(std::int64_t group_id, std::string_view deleted_at, std::string_view deleted_by) {
  db_.prepare(lifecycle_sql::kBinGroup).bind(1, deleted_at).bind(2, deleted_by).bind(3, group_id).run();
}

template <>
void SqliteStore::unbin_user(std::int64_t user_id, std::string_view username) {
  db_.prepare(lifecycle_sql::kUnbinUser).bind(1, username).bind(2, user_id).run();
}
template <>
void SqliteStore::unbin_group(std::int64_t group_id, std::string_view name) {
  db_.prepare(lifecycle_sql::kUnbinGroup).bind(1, name).bind(2, group_id).run();
}

template <>
std::optional<model::User> SqliteStore::find_binned_user(std::string_view username) {
  return first_row(db_.prepare(user_select_sql() + lifecycle_sql::kFindBinnedUser).bind(1, username),
                   read_user_row);
}
template <>
std::optional<model::Group> SqliteStore::find_binned_group(std::string_view name) {
  return first_row(db_.prepare(group_select_sql() + lifecycle_sql::kFindBinnedGroup).bind(1, name),
                   read_group_row);
}

template <>
void SqliteStore::list_binned_users(const std::function<void(const model::User&)>& sink) {
  auto stmt = db_.prepare(user_select_sql() + lifecycle_sql::kBinnedUsers);
  while (stmt.step()) sink(read_user_row(stmt));
}
template <>
std::optional<std::string> SqliteStore::oldest_binned_at() {
  const auto stmt = db_.lease(lifecycle_sql::kOldestBinned);
  stmt->step();
  return stmt->optional_text(0);
}
template <>
void SqliteStore::list_binned_groups(const std::function<void(const model::Group&)>& sink) {
  auto stmt = db_.prepare(group_select_sql() + lifecycle_sql::kBinnedGroups);
  while (stmt.step()) sink(read_group_row(stmt));
}

}  // namespace usersctl::store
