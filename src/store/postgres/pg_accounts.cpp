// The POSIX account parts of the PostgreSQL store: lookups by id, the shared id space, SSH keys
// and settings (their statements are shared with SQLite: store/shared_sql.hpp).

#include "store/postgres/pg_rows.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/shared_sql.hpp"

namespace usersctl::store::postgres {

std::optional<model::User> PgStore::find_user_by_uid(std::int64_t uid) {
  return first_user(db_.exec(user_select_sql() + " WHERE u.uid = $1", Params().add(uid)));
}

std::optional<model::Group> PgStore::find_group_by_gid(std::int64_t gid) {
  const Result r = db_.exec(group_select_sql() + " WHERE g.gid = $1", Params().add(gid));
  if (r.rows() == 0) return std::nullopt;
  return read_group_row(r, 0);
}

std::optional<std::int64_t> PgStore::highest_id(std::int64_t low, std::int64_t high) {
  return db_.exec(shared_sql::kHighestId, Params().add(low).add(high)).optional_int64(0, 0);
}

std::optional<std::int64_t> PgStore::lowest_free_id(std::int64_t low, std::int64_t high) {
  const Result r = db_.exec(shared_sql::kLowestFreeId, Params().add(low).add(high));
  if (r.rows() == 0) return std::nullopt;
  return r.int64(0, 0);
}

std::vector<model::SshKey> PgStore::ssh_keys(std::int64_t user_id) {
  const Result r = db_.exec(shared_sql::kSshKeysOfUser, Params().add(user_id));
  std::vector<model::SshKey> keys;
  for (int i = 0; i < r.rows(); ++i)
    keys.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4)});
  return keys;
}

void PgStore::insert_ssh_key(std::int64_t user_id, const model::SshKey& key) {
  db_.exec(shared_sql::kInsertSshKey, Params()
                                          .add(user_id)
                                          .add(key.type)
                                          .add(key.key_base64)
                                          .add(key.comment)
                                          .add(key.fingerprint)
                                          .add(key.added_at));
}

bool PgStore::delete_ssh_key(std::int64_t user_id, std::string_view fingerprint) {
  return db_.exec(std::string(shared_sql::kDeleteSshKey) + " RETURNING 1",
                  Params().add(user_id).add(fingerprint))
             .rows() > 0;
}

std::vector<std::string> PgStore::authorized_keys(std::string_view username) {
  const Result r = db_.exec(shared_sql::kAuthorizedKeys, Params().add(username));
  std::vector<std::string> lines;
  for (int i = 0; i < r.rows(); ++i) lines.push_back(r.text(i, 0));
  return lines;
}

std::optional<std::string> PgStore::setting(std::string_view key) {
  const Result r = db_.exec(shared_sql::kSetting, Params().add(key));
  if (r.rows() == 0) return std::nullopt;
  return r.text(0, 0);
}

void PgStore::set_setting(std::string_view key, std::string_view value) {
  db_.exec(shared_sql::kSetSetting, Params().add(key).add(value));
}

}  // namespace usersctl::store::postgres
