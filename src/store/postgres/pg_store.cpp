#include "store/postgres/pg_store.hpp"

#include <set>

#include "store/postgres/pg_arrays.hpp"
#include "store/postgres/pg_bulk_insert.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/pg_search_sql.hpp"
#include "store/user_list_sql.hpp"
#include "util/errors.hpp"

namespace usersctl::store::postgres {

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

Params params_of(const std::vector<model::FieldValue>& values) {
  Params params;
  for (const auto& value : values) std::visit([&](const auto& v) { params.add(v); }, value);
  return params;
}

}  // namespace

std::optional<model::User> PgStore::find_user(std::string_view username) {
  return first_user(db_.exec(user_select_sql() + " WHERE u.username = $1", Params().add(username)));
}

std::optional<std::string> PgStore::password_hash(std::int64_t user_id) {
  const Result r = db_.exec("SELECT password_hash FROM users WHERE id = $1", Params().add(user_id));
  if (r.rows() == 0) return std::nullopt;
  return r.optional_text(0, 0);
}

std::optional<std::string> PgStore::user_with_email_key(std::string_view key) {
  const Result r = db_.exec("SELECT username FROM users WHERE email_key = $1", Params().add(key));
  if (r.rows() == 0) return std::nullopt;
  return r.text(0, 0);
}

std::int64_t PgStore::insert_user(const model::User& user, const std::optional<std::string>& hash) {
  // Highest id plus one, as SQLite assigns rowids: "oldest first" means the same on both.
  return db_
      .exec(
          "INSERT INTO users (id, username, uid, name, email, email_key, password_hash, disabled, "
          "created_at, updated_at, created_by, updated_by, version, attrs, name_key, attrs_key, gid, home, "
          "shell) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM users), $1, $2, $3, $4, $5, $6, $7, $8, $9, "
          "$10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
          Params()
              .add(user.username)
              .add(user.uid)
              .add(user.name)
              .add(user.email)
              .add(email_key(user))
              .add(hash)
              .add(std::int64_t{user.disabled})
              .add(user.created_at)
              .add(user.updated_at)
              .add(user.created_by)
              .add(user.updated_by)
              .add(user.version)
              .add(attrs_json(user.attrs))
              .add(name_key(user))
              .add(attrs_key(user))
              .add(user.gid)
              .add(user.home)
              .add(user.shell))
      .int64(0, 0);
}

void PgStore::update_user(const model::User& user) {
  db_.exec(
      "UPDATE users SET username = $1, uid = $2, name = $3, email = $4, email_key = $5, disabled = $6, "
      "updated_at = $7, updated_by = $8, version = $9, attrs = $10, name_key = $11, attrs_key = $12, "
      "gid = $14, home = $15, shell = $16 WHERE id = $13",
      Params()
          .add(user.username)
          .add(user.uid)
          .add(user.name)
          .add(user.email)
          .add(email_key(user))
          .add(std::int64_t{user.disabled})
          .add(user.updated_at)
          .add(user.updated_by)
          .add(user.version)
          .add(attrs_json(user.attrs))
          .add(name_key(user))
          .add(attrs_key(user))
          .add(user.id)
          .add(user.gid)
          .add(user.home)
          .add(user.shell));
}

void PgStore::set_password_hash(std::int64_t user_id, std::string_view hash) {
  db_.exec("UPDATE users SET password_hash = $1 WHERE id = $2", Params().add(hash).add(user_id));
}

void PgStore::delete_user(std::int64_t user_id) {
  // Memberships go with it (ON DELETE CASCADE).
  db_.exec("DELETE FROM users WHERE id = $1", Params().add(user_id));
}

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

std::int64_t PgStore::count_users() { return db_.exec("SELECT count(*) FROM users").int64(0, 0); }

void PgStore::list_names(model::NameKind kind, std::string_view prefix, std::int64_t limit,
                         const std::function<void(const std::string&)>& sink) {
  // Names are ASCII, so [prefix, prefix || U+10FFFF) is exactly "starts with prefix" in byte
  // order (COLLATE "C"), answered by a range scan of the UNIQUE index.
  const Result r = db_.exec(kind == model::NameKind::Users
                                ? "SELECT username FROM users WHERE username >= $1::text AND username < "
                                  "$1::text || chr(1114111) ORDER BY username LIMIT $2"
                                : "SELECT name FROM usergroups WHERE name >= $1::text AND name < "
                                  "$1::text || chr(1114111) ORDER BY name LIMIT $2",
                            Params().add(prefix).add_limit(limit));
  for (int i = 0; i < r.rows(); ++i) sink(r.text(i, 0));
}

void PgStore::search_users(const model::SearchQuery& query,
                           const std::function<void(const model::User&)>& sink) {
  const SearchSql sql = build_search_sql(query);
  std::vector<std::int64_t> ids;
  std::set<std::int64_t> seen;
  const auto limit = static_cast<std::size_t>(query.limit);
  if (!sql.username_prefix.empty() && limit > 0) {
    const Result r = db_.exec(sql.username_prefix, Params().add(query.text).add(query.limit));
    for (int i = 0; i < r.rows(); ++i) {
      ids.push_back(r.int64(i, 0));
      seen.insert(ids.back());
    }
  }
  if (ids.size() < limit) {
    // Enough rows to fill the page after dropping those the first tier already has.
    const auto want = static_cast<std::int64_t>(limit + ids.size());
    const Result r = db_.exec(sql.others, Params().add(sql.others_param).add(want));
    for (int i = 0; i < r.rows() && ids.size() < limit; ++i) {
      if (seen.insert(r.int64(i, 0)).second) ids.push_back(r.int64(i, 0));
    }
  }
  if (ids.empty()) return;
  ArrayLiteral wanted;
  for (const auto id : ids) wanted.add(id);
  const Result rows =
      db_.exec(user_select_sql() + " WHERE u.id = ANY($1::bigint[])", Params().add(wanted.str()));
  std::map<std::int64_t, int> row_of;
  for (int i = 0; i < rows.rows(); ++i) row_of[rows.int64(i, 0)] = i;
  for (const auto id : ids) {
    if (const auto it = row_of.find(id); it != row_of.end()) sink(read_user_row(rows, it->second));
  }
}

std::vector<std::string> PgStore::attribute_keys() {
  const Result r = db_.exec(
      "SELECT k FROM (SELECT DISTINCT jsonb_object_keys(attrs) AS k FROM users) keys ORDER BY k COLLATE "
      "\"C\"");
  std::vector<std::string> keys;
  for (int i = 0; i < r.rows(); ++i) keys.push_back(r.text(i, 0));
  return keys;
}

void PgStore::insert_users(std::vector<NewUserRow>& rows) { insert_user_rows(db_, rows); }

std::optional<model::User> PgStore::first_user(const Result& r) {
  if (r.rows() == 0) return std::nullopt;
  return read_user_row(r, 0);
}

}  // namespace usersctl::store::postgres
