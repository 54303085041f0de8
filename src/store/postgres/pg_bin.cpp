// The recycle bin of the PostgreSQL store (statements shared with SQLite: store/lifecycle_sql.hpp).

#include "store/lifecycle_sql.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/pg_store.hpp"

namespace usersctl::store {

using namespace postgres;

namespace {

// The bin is usually empty or small, and every command that changed something looks at it
// (recycle_days): a few rows come in one round trip, a large bin through a cursor (three or more).
void for_each_small_first(Connection& db, const std::string& sql,
                          const std::function<void(const Result&, int)>& row) {
  constexpr int kSmall = 100;
  const Result first = db.exec(sql + " LIMIT " + std::to_string(kSmall + 1));
  if (first.rows() > kSmall) {
    db.for_each_row(sql, {}, row);
    return;
  }
  for (int i = 0; i < first.rows(); ++i) row(first, i);
}

}  // namespace

template <>
void PgStore::bin_user(std::int64_t user_id, std::string_view deleted_at, std::string_view deleted_by) {
  db_.exec(lifecycle_sql::kBinUser, Params().add(deleted_at).add(deleted_by).add(user_id));
}

template <>
void PgStore::unbin_user(std::int64_t user_id, std::string_view username) {
  db_.exec(lifecycle_sql::kUnbinUser, Params().add(username).add(user_id));
}

template <>
std::optional<model::User> PgStore::find_binned_user(std::string_view username) {
  return first_row(db_.exec(user_select_sql() + lifecycle_sql::kFindBinnedUser, Params().add(username)),
                   read_user_row);
}

template <>
void PgStore::list_binned_users(const std::function<void(const model::User&)>& sink) {
  for_each_small_first(db_, user_select_sql() + lifecycle_sql::kBinnedUsers,
                       [&](const Result& r, int row) { sink(read_user_row(r, row)); });
}

template <>
void PgStore::bin_group(std::int64_t group_id, std::string_view deleted_at, std::string_view deleted_by) {
  db_.exec(lifecycle_sql::kBinGroup, Params().add(deleted_at).add(deleted_by).add(group_id));
}

template <>
void PgStore::unbin_group(std::int64_t group_id, std::string_view name) {
  db_.exec(lifecycle_sql::kUnbinGroup, Params().add(name).add(group_id));
}

template <>
std::optional<model::Group> PgStore::find_binned_group(std::string_view name) {
  return first_row(db_.exec(group_select_sql() + lifecycle_sql::kFindBinnedGroup, Params().add(name)),
                   read_group_row);
}

template <>
void PgStore::list_binned_groups(const std::function<void(const model::Group&)>& sink) {
  for_each_small_first(db_, group_select_sql() + lifecycle_sql::kBinnedGroups,
                       [&](const Result& r, int row) { sink(read_group_row(r, row)); });
}

}  // namespace usersctl::store
