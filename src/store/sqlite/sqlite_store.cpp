#include "store/sqlite/sqlite_store.hpp"

#include "store/lifecycle_sql.hpp"
#include "store/record_columns.hpp"
#include "store/sqlite/search_sql.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_user_list.hpp"
#include "store/user_list_sql.hpp"
#include "util/errors.hpp"
#include "util/text.hpp"

// The members of SqliteStore on users (the rest: sqlite_groups, sqlite_accounts, sqlite_user_bulk).
namespace usersctl::store {

using namespace sqlite;

namespace {

// The user select driven by user_attrs' (key, value, username) index (migration 10): rows come
// in username order, each joined to its users row by id.
const std::string& select_by_attribute() {
  static const std::string sql =
      user_columns_sql() + " FROM user_attrs ua CROSS JOIN users u ON u.id = ua.user_id";
  return sql;
}

const OrderedAttributeIndex kAttributeIndex{
    &select_by_attribute,
    [](const std::string& key, const std::string& value) {
      return "ua.key = " + key + " AND ua.value = " + value;
    },
    "ua.username",
};

// SQLite's side of the shared `list` SQL: numbered placeholders (types need no casts) and the
// attribute test against the (key, value, username) index of user_attrs.
const SqlDialect kDialect{
    [](std::size_t number, SqlType) { return "?" + std::to_string(number); },
    [](const std::string& key, const std::string& value) {
      return "u.id IN (SELECT a.user_id FROM user_attrs a WHERE a.key = " + key + " AND a.value = " + value +
             ")";
    },
    &user_select_sql,
    true,
    &kAttributeIndex,
};

// The dialect with the select of the directory exports: the same list SQL (by username, binned
// users left out) over credential_select_sql's columns. No attribute filter, so no index for one.
const SqlDialect kCredentialDialect{
    kDialect.placeholder, kDialect.attribute_match, &credential_select_sql, true, nullptr,
};

void stream_users(Connection& db, const UserListSql& sql,
                  const std::function<void(const model::User&)>& sink) {
  auto stmt = db.prepare(sql.text);
  for (std::size_t i = 0; i < sql.params.size(); ++i) {
    std::visit([&](const auto& value) { stmt.bind(static_cast<int>(i + 1), value); }, sql.params[i]);
  }
  while (stmt.step()) sink(read_user_row(stmt));
}

void set_window(Connection& db, std::int64_t id, const model::User& user) {
  auto stmt = db.prepare(lifecycle_sql::kSetUserWindow);
  stmt.bind(1, user.valid_from).bind(2, user.expires_at).bind(3, user.password_changed_at).bind(4, id).run();
}

// One search tier's ids (search_tiers' ReadIds), stepped only as far as the page needs.
ReadIds search_ids_of(Connection& db) {
  return [&db](const std::string& sql, const std::string& param, std::int64_t limit, const IdSink& take) {
    auto stmt = db.prepare(sql);
    stmt.bind(1, param).bind(2, limit);
    while (stmt.step() && take(stmt.int64(0))) {
    }
  };
}

}  // namespace

UserListSql sqlite::user_list_sql(const model::UserQuery& query) {
  return build_user_list_sql(query, kDialect);
}

std::int64_t sqlite::count_rows(Connection& db, const char* sql) {
  auto stmt = db.prepare(sql);
  stmt.step();
  return stmt.int64(0);
}

void sqlite::insert_attrs(Connection& db, std::int64_t user_id, const std::string& username,
                          const model::Attributes& attrs) {
  if (attrs.empty()) return;
  auto& stmt = db.cached("INSERT INTO user_attrs (user_id, key, value, username) VALUES (?1, ?2, ?3, ?4)");
  for (const auto& [key, value] : attrs) {
    stmt.reset();
    stmt.bind(1, user_id).bind(2, key).bind(3, value).bind(4, username);
    stmt.run();
  }
}

template <>
std::optional<std::string> SqliteStore::password_hash(std::int64_t user_id) {
  const auto stmt = db_.lease("SELECT password_hash FROM users WHERE id = ?1");
  stmt->bind(1, user_id);
  if (!stmt->step()) return std::nullopt;
  return stmt->optional_text(0);
}

template <>
std::optional<std::string> SqliteStore::user_with_email_key(std::string_view email_key) {
  return first_row(db_.prepare("SELECT username FROM users WHERE email_key = ?1").bind(1, email_key),
                   text_column);
}

template <>
std::int64_t SqliteStore::insert_user(const model::User& user, const std::optional<std::string>& hash) {
  Statement& stmt = single_user_insert(db_);
  bind_user_row(stmt, 0, user, hash);
  stmt.run();
  const std::int64_t id = db_.last_insert_id();
  insert_attrs(db_, id, user.username, user.attrs);
  if (user.valid_from || user.expires_at || user.password_changed_at) set_window(db_, id, user);
  return id;
}

template <>
void SqliteStore::update_user(const model::User& user) {
  db_.prepare(
         "UPDATE users SET username = ?1, uid = ?2, name = ?3, email = ?4, email_key = ?5, disabled = ?6, "
         "updated_at = ?7, updated_by = ?8, version = ?9, gid = ?10, home = ?11, shell = ?12 WHERE id = ?13")
      .bind_all(user.username, user.uid, user.name, user.email, email_key(user), std::int64_t{user.disabled},
                user.updated_at, user.updated_by, user.version, user.gid, user.home, user.shell, user.id)
      .run();
  set_window(db_, user.id, user);
  auto clear = db_.prepare("DELETE FROM user_attrs WHERE user_id = ?1");
  clear.bind(1, user.id).run();
  insert_attrs(db_, user.id, user.username, user.attrs);
  // The row's copy of the attributes is kept by triggers, but a bulk load defers the insert one
  // (deferred_search_index.hpp) and gives its new users a window through here: without this, the
  // delete trigger above would leave such a user's copy empty (list, show and export read it).
  if (!user.attrs.empty()) {
    db_.prepare("UPDATE users SET attrs_text = ?1 WHERE id = ?2")
        .bind(1, attrs_text(user.attrs))
        .bind(2, user.id)
        .run();
  }
}

template <>
void SqliteStore::set_password_hash(std::int64_t user_id, std::string_view hash) {
  auto stmt = db_.prepare("UPDATE users SET password_hash = ?1 WHERE id = ?2");
  stmt.bind(1, hash).bind(2, user_id).run();
}

template <>
void SqliteStore::delete_user(std::int64_t user_id) {
  // Attributes and memberships go with it (ON DELETE CASCADE).
  delete_record(db_, "DELETE FROM users WHERE id = ?1", lifecycle_sql::kOrphanUserEvents, user_id);
}

template <>
void SqliteStore::list_users(const model::UserQuery& query,
                             const std::function<void(const model::User&)>& sink) {
  stream_users(db_, user_list_sql(query), sink);
}

template <>
void SqliteStore::list_users_with_credentials(const std::function<void(const UserWithCredentials&)>& sink) {
  const UserListSql sql = build_user_list_sql(model::UserQuery{}, kCredentialDialect);
  auto stmt = db_.prepare(sql.text);  // the default query binds no parameters
  while (stmt.step()) sink(read_credential_row(stmt));
}

template <>
void SqliteStore::search_users(const model::SearchQuery& query,
                               const std::function<void(const model::User&)>& sink) {
  const auto ids = search_user_ids(query, build_search_sql(query), search_ids_of(db_));
  auto fetch = db_.prepare(user_select_sql() + " WHERE u.id = ?1 AND u.deleted_at IS NULL");
  for (const auto id : ids) {
    fetch.bind(1, id);
    if (fetch.step()) sink(read_user_row(fetch));
    fetch.reset();
  }
}

template <>
std::int64_t SqliteStore::count_users() {
  return count_rows(db_, "SELECT count(*) FROM users WHERE deleted_at IS NULL");
}

template <>
void SqliteStore::list_names(model::NameKind kind, std::string_view prefix, std::int64_t limit,
                             const std::function<void(const std::string&)>& sink) {
  // Names are ASCII, so [prefix, prefix || U+10FFFF) is exactly "starts with prefix" in byte order,
  // and SQLite answers it with a range scan of the UNIQUE index.
  auto stmt = db_.prepare(kind == model::NameKind::Users
                              ? "SELECT username FROM users WHERE username >= ?1 AND username < ?1 || "
                                "char(0x10FFFF) AND deleted_at IS NULL ORDER BY username LIMIT ?2"
                              : "SELECT name FROM usergroups WHERE name >= ?1 AND name < ?1 || "
                                "char(0x10FFFF) AND deleted_at IS NULL ORDER BY name LIMIT ?2");
  stmt.bind(1, prefix).bind(2, limit);
  while (stmt.step()) sink(stmt.text(0));
}

template <>
std::vector<std::string> SqliteStore::attribute_keys() {
  // A skip scan of the (key, value) index: one seek per distinct key, not one row per
  // attribute, so a million users with a handful of keys answer at once.
  auto stmt = db_.prepare(
      "WITH RECURSIVE k(key) AS (SELECT min(key) FROM user_attrs UNION ALL "
      "SELECT (SELECT min(a.key) FROM user_attrs a WHERE a.key > k.key) FROM k WHERE k.key IS NOT NULL) "
      "SELECT key FROM k WHERE key IS NOT NULL");
  std::vector<std::string> keys;
  while (stmt.step()) keys.push_back(stmt.text(0));
  return keys;
}

}  // namespace usersctl::store
