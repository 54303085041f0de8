#include "store/postgres/pg_store.hpp"

#include <map>

#include "store/lifecycle_sql.hpp"
#include "store/postgres/pg_arrays.hpp"
#include "store/postgres/pg_bulk_insert.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/pg_search_sql.hpp"
#include "store/user_list_sql.hpp"
#include "util/errors.hpp"

// The members of PgStore on users (the rest: pg_groups, pg_accounts).
namespace usersctl::store {

using namespace postgres;

namespace {

// Results this small come in one round trip; larger ones through a cursor.
constexpr std::int64_t kDirectLimit = 1000;

std::string cast_placeholder(std::size_t number, SqlType type) {
  const char* cast = type == SqlType::Bigint ? "::bigint" : type == SqlType::Integer ? "::integer" : "::text";
  return "$" + std::to_string(number) + cast;
}

// PostgreSQL's side of the shared `list` SQL: typed placeholders, and the attribute test as
// containment of {"KEY": "VALUE"}, answered by the GIN index on attrs.
const SqlDialect kDialect{
    &cast_placeholder,
    [](const std::string& key, const std::string& value) {
      return "u.attrs @> jsonb_build_object(" + key + ", " + value + ")";
    },
    &user_select_sql,
    false,
};

// The dialect with the select of the directory exports: the same list SQL (by username, binned
// users left out) over credential_select_sql's columns.
const SqlDialect kCredentialDialect{
    kDialect.placeholder, kDialect.attribute_match, &credential_select_sql, false, nullptr,
};

Params params_of(const std::vector<model::FieldValue>& values) {
  Params params;
  for (const auto& value : values) std::visit([&](const auto& v) { params.add(v); }, value);
  return params;
}

// One search tier's ids (search_tiers' ReadIds), read in one round trip: the tier has a LIMIT.
ReadIds search_ids_of(Connection& db) {
  return [&db](const std::string& sql, const std::string& param, std::int64_t limit, const IdSink& take) {
    const Result r = db.exec(sql, Params().add(param).add(limit));
    for (int i = 0; i < r.rows() && take(r.int64(i, 0)); ++i) {
    }
  };
}

}  // namespace

template <>
std::optional<model::User> PgStore::find_user(std::string_view username) {
  return first_row(db_.exec(user_select_sql() + " WHERE u.username = $1", Params().add(username)),
                   read_user_row);
}

template <>
bool PgStore::user_exists(std::string_view username) {
  return db_.exec("SELECT 1 FROM users WHERE username = $1", Params().add(username)).rows() > 0;
}

template <>
std::optional<std::string> PgStore::password_hash(std::int64_t user_id) {
  const Result r = db_.exec("SELECT password_hash FROM users WHERE id = $1", Params().add(user_id));
  if (r.rows() == 0) return std::nullopt;
  return r.optional_text(0, 0);
}

template <>
std::optional<std::string> PgStore::user_with_email_key(std::string_view key) {
  return first_row(db_.exec("SELECT username FROM users WHERE email_key = $1", Params().add(key)),
                   text_column);
}

template <>
std::int64_t PgStore::insert_user(const model::User& user, const std::optional<std::string>& hash) {
  // Highest id plus one, as SQLite assigns rowids: "oldest first" means the same on both.
  const std::string columns =
      "INSERT INTO users (id, username, uid, name, email, email_key, password_hash, disabled, created_at, "
      "updated_at, created_by, updated_by, version, attrs, name_key, attrs_key, gid, home, shell, "
      "valid_from, expires_at, password_changed_at) VALUES (";
  const std::string values =
      "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)";
  Params params;
  params.add_all(user.username, user.uid, user.name, user.email, email_key(user), hash,
                 std::int64_t{user.disabled}, user.created_at, user.updated_at, user.created_by,
                 user.updated_by, user.version, attrs_json(user.attrs), name_key(user), attrs_key(user),
                 user.gid, user.home, user.shell, user.valid_from, user.expires_at, user.password_changed_at);
  auto& next = db_.memo().next_user_id;
  if (!next) {
    return db_
        .exec(columns + "(SELECT coalesce(max(id), 0) + 1 FROM users), " + values + " RETURNING id", params)
        .int64(0, 0);
  }
  // The id is known: the row goes with the next statement (a uniqueness failure is thrown there).
  const std::int64_t id = (*next)++;
  db_.exec_later(columns + "$22, " + values, params.add(id));
  return id;
}

template <>
void PgStore::update_user(const model::User& user) {
  db_.exec(
      "UPDATE users SET username = $1, uid = $2, name = $3, email = $4, email_key = $5, disabled = $6, "
      "updated_at = $7, updated_by = $8, version = $9, attrs = $10, name_key = $11, attrs_key = $12, "
      "gid = $14, home = $15, shell = $16, valid_from = $17, expires_at = $18, password_changed_at = $19 "
      "WHERE id = $13",
      Params().add_all(user.username, user.uid, user.name, user.email, email_key(user),
                       std::int64_t{user.disabled}, user.updated_at, user.updated_by, user.version,
                       attrs_json(user.attrs), name_key(user), attrs_key(user), user.id, user.gid, user.home,
                       user.shell, user.valid_from, user.expires_at, user.password_changed_at));
}

template <>
void PgStore::set_password_hash(std::int64_t user_id, std::string_view hash) {
  db_.exec("UPDATE users SET password_hash = $1 WHERE id = $2", Params().add(hash).add(user_id));
}

template <>
void PgStore::delete_user(std::int64_t user_id) {
  // Memberships go with it (ON DELETE CASCADE).
  db_.exec("DELETE FROM users WHERE id = $1", Params().add(user_id));
  db_.memo().next_user_id.reset();  // the highest may be gone
  db_.exec(lifecycle_sql::kOrphanUserEvents, Params().add(user_id));
}

template <>
void PgStore::list_users(const model::UserQuery& query, const std::function<void(const model::User&)>& sink) {
  const UserListSql sql = build_user_list_sql(query, kDialect);
  const Params params = params_of(sql.params);
  if (sql.limited && *query.limit <= kDirectLimit) {
    const Result r = db_.exec(sql.text, params);
    for (int i = 0; i < r.rows(); ++i) sink(read_user_row(r, i));
    return;
  }
  db_.for_each_row(sql.text, params, [&](const Result& r, int row) { sink(read_user_row(r, row)); });
}

template <>
void PgStore::list_users_with_credentials(const std::function<void(const UserWithCredentials&)>& sink) {
  const UserListSql sql = build_user_list_sql(model::UserQuery{}, kCredentialDialect);
  db_.for_each_row(sql.text, params_of(sql.params),
                   [&](const Result& r, int row) { sink(read_credential_row(r, row)); });
}

template <>
std::int64_t PgStore::count_users() {
  return db_.exec("SELECT count(*) FROM users WHERE deleted_at IS NULL").int64(0, 0);
}

template <>
void PgStore::list_names(model::NameKind kind, std::string_view prefix, std::int64_t limit,
                         const std::function<void(const std::string&)>& sink) {
  // Names are ASCII, so [prefix, prefix || U+10FFFF) is exactly "starts with prefix" in byte
  // order (COLLATE "C"), answered by a range scan of the UNIQUE index.
  const Result r = db_.exec(kind == model::NameKind::Users
                                ? "SELECT username FROM users WHERE username >= $1::text AND username < "
                                  "$1::text || chr(1114111) AND deleted_at IS NULL ORDER BY username LIMIT $2"
                                : "SELECT name FROM usergroups WHERE name >= $1::text AND name < "
                                  "$1::text || chr(1114111) AND deleted_at IS NULL ORDER BY name LIMIT $2",
                            Params().add(prefix).add_limit(limit));
  for (int i = 0; i < r.rows(); ++i) sink(r.text(i, 0));
}

template <>
void PgStore::search_users(const model::SearchQuery& query,
                           const std::function<void(const model::User&)>& sink) {
  const auto ids = search_user_ids(query, build_search_sql(query), search_ids_of(db_));
  if (ids.empty()) return;
  ArrayLiteral wanted;
  for (const auto id : ids) wanted.add(id);
  const Result rows = db_.exec(user_select_sql() + " WHERE u.id = ANY($1::bigint[]) AND u.deleted_at IS NULL",
                               Params().add(wanted.str()));
  std::map<std::int64_t, int> row_of;
  for (int i = 0; i < rows.rows(); ++i) row_of[rows.int64(i, 0)] = i;
  for (const auto id : ids) {
    if (const auto it = row_of.find(id); it != row_of.end()) sink(read_user_row(rows, it->second));
  }
}

template <>
std::vector<std::string> PgStore::attribute_keys() {
  const Result r = db_.exec(
      "SELECT k FROM (SELECT DISTINCT jsonb_object_keys(attrs) AS k FROM users) keys ORDER BY k COLLATE "
      "\"C\"");
  std::vector<std::string> keys;
  for (int i = 0; i < r.rows(); ++i) keys.push_back(r.text(i, 0));
  return keys;
}

template <>
void PgStore::insert_users(std::vector<NewUserRow>& rows) {
  insert_user_rows(db_, rows);
  db_.memo().next_user_id.reset();
}

}  // namespace usersctl::store
