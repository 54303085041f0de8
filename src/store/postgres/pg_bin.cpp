// The recycle bin of the PostgreSQL store (statements shared with SQLite: store/lifecycle_sql.hpp).
// Users and groups go in and out of the bin alike: each operation below is one statement for either.

#include "store/lifecycle_sql.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/pg_store.hpp"

namespace usersctl::store {

using namespace postgres;

namespace {

template <class Record, class Read>
std::optional<Record> find_binned(Connection& db, const std::string& select, const char* where,
                                  std::string_view name, Read read) {
  return first_row(db.exec(select + where, Params().add(name)), read);
}

// The bin is usually empty or small, and every command that changed something looks at it
// (recycle_days): a few rows come in one round trip, a large bin through a cursor (three or more).
template <class Record, class Read>
void list_binned(Connection& db, const std::string& select, const char* where,
                 const std::function<void(const Record&)>& sink, Read read) {
  constexpr int kSmall = 100;
  const std::string sql = select + where;
  const Result first = db.exec(sql + " LIMIT " + std::to_string(kSmall + 1));
  if (first.rows() > kSmall) {
    db.for_each_row(sql, {}, [&](const Result& r, int row) { sink(read(r, row)); });
    return;
  }
  for (int row = 0; row < first.rows(); ++row) sink(read(first, row));
}

// A record binned now is the oldest in the bin only when the bin was empty.
void note_binned(Connection& db, std::string_view deleted_at) {
  auto& oldest = db.memo().oldest_binned;
  if (oldest && !*oldest) *oldest = std::string(deleted_at);
}

}  // namespace

template <>
void PgStore::bin_user(std::int64_t user_id, std::string_view deleted_at, std::string_view deleted_by) {
  db_.exec(lifecycle_sql::kBinUser, Params().add(deleted_at).add(deleted_by).add(user_id));
  note_binned(db_, deleted_at);
}
template <>
void PgStore::bin_group(std::int64_t group_id, std::string_view deleted_at, std::string_view deleted_by) {
  db_.exec(lifecycle_sql::kBinGroup, Params().add(deleted_at).add(deleted_by).add(group_id));
  note_binned(db_, deleted_at);
}

template <>
void PgStore::unbin_user(std::int64_t user_id, std::string_view username) {
  db_.exec(lifecycle_sql::kUnbinUser, Params().add(username).add(user_id));
}
template <>
void PgStore::unbin_group(std::int64_t group_id, std::string_view name) {
  db_.exec(lifecycle_sql::kUnbinGroup, Params().add(name).add(group_id));
}

template <>
std::optional<model::User> PgStore::find_binned_user(std::string_view username) {
  return find_binned<model::User>(db_, user_select_sql(), lifecycle_sql::kFindBinnedUser, username,
                                  read_user_row);
}
template <>
std::optional<model::Group> PgStore::find_binned_group(std::string_view name) {
  return find_binned<model::Group>(db_, group_select_sql(), lifecycle_sql::kFindBinnedGroup, name,
                                   read_group_row);
}

template <>
void PgStore::list_binned_users(const std::function<void(const model::User&)>& sink) {
  list_binned(db_, user_select_sql(), lifecycle_sql::kBinnedUsers, sink, read_user_row);
}
template <>
std::optional<std::string> PgStore::oldest_binned_at() {
  // A write transaction's first statement has answered it already (pg_database.cpp).
  if (const auto& known = db_.memo().oldest_binned) return *known;
  return db_.exec(lifecycle_sql::kOldestBinned).optional_text(0, 0);
}
template <>
void PgStore::list_binned_groups(const std::function<void(const model::Group&)>& sink) {
  list_binned(db_, group_select_sql(), lifecycle_sql::kBinnedGroups, sink, read_group_row);
}

}  // namespace usersctl::store
