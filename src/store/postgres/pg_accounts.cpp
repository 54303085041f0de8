// The POSIX account parts of the PostgreSQL store: lookups by id, the shared id space, SSH keys
// and settings (their statements are shared with SQLite: store/shared_sql.hpp).

#include "store/postgres/pg_rows.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/shared_sql.hpp"

namespace usersctl::store {

using namespace postgres;

template <>
std::optional<model::User> PgStore::find_user_by_uid(std::int64_t uid) {
  return first_row(
      db_.exec(user_select_sql() + " WHERE u.uid = $1 AND u.deleted_at IS NULL", Params().add(uid)),
      read_user_row);
}

template <>
std::optional<model::Group> PgStore::find_group_by_gid(std::int64_t gid) {
  return first_row(
      db_.exec(group_select_sql() + " WHERE g.gid = $1 AND g.deleted_at IS NULL", Params().add(gid)),
      read_group_row);
}

template <>
std::optional<std::int64_t> PgStore::highest_id(std::int64_t low, std::int64_t high) {
  return db_.exec(shared_sql::kHighestId, Params().add(low).add(high)).optional_int64(0, 0);
}

template <>
std::optional<std::int64_t> PgStore::lowest_free_id(std::int64_t low, std::int64_t high) {
  return first_row(db_.exec(shared_sql::kLowestFreeId, Params().add(low).add(high)), int64_column);
}

template <>
std::vector<model::SshKey> PgStore::ssh_keys(std::int64_t user_id) {
  const Result r = db_.exec(shared_sql::kSshKeysOfUser, Params().add(user_id));
  std::vector<model::SshKey> keys;
  for (int i = 0; i < r.rows(); ++i)
    keys.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4)});
  return keys;
}

template <>
void PgStore::insert_ssh_key(std::int64_t user_id, const model::SshKey& key) {
  db_.exec(shared_sql::kInsertSshKey,
           Params().add_all(user_id, key.type, key.key_base64, key.comment, key.fingerprint, key.added_at));
}

template <>
bool PgStore::delete_ssh_key(std::int64_t user_id, std::string_view fingerprint) {
  return db_.exec(std::string(shared_sql::kDeleteSshKey) + " RETURNING 1",
                  Params().add(user_id).add(fingerprint))
             .rows() > 0;
}

template <>
std::vector<std::string> PgStore::authorized_keys(std::string_view username) {
  const Result r = db_.exec(shared_sql::kAuthorizedKeys, Params().add(username));
  std::vector<std::string> lines;
  for (int i = 0; i < r.rows(); ++i) lines.push_back(r.text(i, 0));
  return lines;
}

template <>
std::optional<std::string> PgStore::setting(std::string_view key) {
  auto& settings = db_.memo().settings;
  if (!settings) {
    const Result r = db_.exec("SELECT key, value FROM settings");
    settings.emplace();
    for (int i = 0; i < r.rows(); ++i) settings->emplace(r.text(i, 0), r.text(i, 1));
  }
  const auto found = settings->find(key);
  return found == settings->end() ? std::nullopt : std::optional<std::string>(found->second);
}

template <>
void PgStore::set_setting(std::string_view key, std::string_view value) {
  db_.exec(shared_sql::kSetSetting, Params().add(key).add(value));
  if (auto& settings = db_.memo().settings) (*settings)[std::string(key)] = std::string(value);
}

}  // namespace usersctl::store
