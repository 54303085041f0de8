// The POSIX account parts of the SQLite store: lookups by id, the shared id space, SSH keys and
// settings (their statements are shared with PostgreSQL: store/shared_sql.hpp).

#include "store/shared_sql.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace usersctl::store {

using namespace sqlite;

// The four lookups the userdb service runs for every getpwnam(), getpwuid(), getgrnam() and
// getgrgid() are prepared once per connection (Connection::lease): preparing the record select
// costs more than running it. The SQL is built once; its address is the lease's key.
namespace {

template <class Value, class Read>
auto leased_lookup(Connection& db, const std::string& sql, Value value, Read read) {
  return first_row(db.lease(sql.c_str())->bind(1, value), read);
}

const std::string kUserByName = user_select_sql() + " WHERE u.username = ?1";
const std::string kUserByUid = user_select_sql() + " WHERE u.uid = ?1 AND u.deleted_at IS NULL";
const std::string kGroupByName = group_select_sql() + " WHERE g.name = ?1";
const std::string kGroupByGid = group_select_sql() + " WHERE g.gid = ?1 AND g.deleted_at IS NULL";

}  // namespace

template <>
std::optional<model::User> SqliteStore::find_user(std::string_view username) {
  return leased_lookup(db_, kUserByName, username, read_user_row);
}
template <>
bool SqliteStore::user_exists(std::string_view username) {
  return db_.prepare("SELECT 1 FROM users WHERE username = ?1").bind(1, username).step();
}
template <>
std::optional<model::User> SqliteStore::find_user_by_uid(std::int64_t uid) {
  return leased_lookup(db_, kUserByUid, uid, read_user_row);
}
template <>
std::optional<model::Group> SqliteStore::find_group(std::string_view name) {
  return leased_lookup(db_, kGroupByName, name, read_group_row);
}
template <>
std::optional<model::Group> SqliteStore::find_group_by_gid(std::int64_t gid) {
  return leased_lookup(db_, kGroupByGid, gid, read_group_row);
}

template <>
std::optional<std::int64_t> SqliteStore::highest_id(std::int64_t low, std::int64_t high) {
  auto stmt = db_.prepare(shared_sql::kHighestId);
  stmt.bind(1, low).bind(2, high);
  if (!stmt.step() || stmt.is_null(0)) return std::nullopt;
  return stmt.int64(0);
}

template <>
std::optional<std::int64_t> SqliteStore::lowest_free_id(std::int64_t low, std::int64_t high) {
  return first_row(db_.prepare(shared_sql::kLowestFreeId).bind(1, low).bind(2, high), int64_column);
}

template <>
std::vector<model::SshKey> SqliteStore::ssh_keys(std::int64_t user_id) {
  const auto stmt = db_.lease(shared_sql::kSshKeysOfUser);
  stmt->bind(1, user_id);
  std::vector<model::SshKey> keys;
  while (stmt->step())
    keys.push_back({stmt->text(0), stmt->text(1), stmt->text(2), stmt->text(3), stmt->text(4)});
  return keys;
}

template <>
void SqliteStore::insert_ssh_key(std::int64_t user_id, const model::SshKey& key) {
  auto stmt = db_.prepare(shared_sql::kInsertSshKey);
  stmt.bind(1, user_id).bind(2, key.type).bind(3, key.key_base64).bind(4, key.comment);
  stmt.bind(5, key.fingerprint).bind(6, key.added_at);
  stmt.run();
}

template <>
bool SqliteStore::delete_ssh_key(std::int64_t user_id, std::string_view fingerprint) {
  auto stmt = db_.prepare(shared_sql::kDeleteSshKey);
  stmt.bind(1, user_id).bind(2, fingerprint).run();
  return db_.changes() > 0;
}

template <>
std::vector<std::string> SqliteStore::authorized_keys(std::string_view username) {
  const auto stmt = db_.lease(shared_sql::kAuthorizedKeys);
  stmt->bind(1, username);
  std::vector<std::string> lines;
  while (stmt->step()) lines.push_back(stmt->text(0));
  return lines;
}

template <>
std::optional<std::string> SqliteStore::setting(std::string_view key) {
  // Prepared once per connection: an `add` reads several settings (uid range, home, shell, …).
  const auto stmt = db_.lease(shared_sql::kSetting);
  stmt->bind(1, key);
  if (!stmt->step()) return std::nullopt;
  return stmt->text(0);
}

template <>
void SqliteStore::set_setting(std::string_view key, std::string_view value) {
  auto stmt = db_.prepare(shared_sql::kSetSetting);
  stmt.bind(1, key).bind(2, value).run();
}

}  // namespace usersctl::store
