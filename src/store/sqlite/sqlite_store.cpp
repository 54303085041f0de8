#include "store/sqlite/sqlite_store.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/errors.hpp"
#include "store/sqlite/search_sql.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/store.hpp"
#include "store/user_list_sql.hpp"
#include "util/text.hpp"

namespace usersctl::store::sqlite {

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(Connection& db) : db_(db) {}

  std::optional<model::User> find_user(std::string_view username) override;
  std::optional<std::string> password_hash(std::int64_t user_id) override;
  std::optional<std::string> user_with_email_key(std::string_view email_key) override;
  std::int64_t insert_user(const model::User& user, const std::optional<std::string>& hash) override;
  // A bulk load inserts users many rows to a statement: the FTS5 index behind the users table
  // does its statement-end work once per statement, which dominates row-at-a-time inserts.
  void insert_users(std::vector<NewUserRow>& rows) override;
  void update_user(const model::User& user) override;
  void set_password_hash(std::int64_t user_id, std::string_view hash) override;
  void delete_user(std::int64_t user_id) override;
  void list_users(const model::UserQuery& query,
                  const std::function<void(const model::User&)>& sink) override;
  void search_users(const model::SearchQuery& query,
                    const std::function<void(const model::User&)>& sink) override;
  std::int64_t count_users() override;
  void list_names(model::NameKind kind, std::string_view prefix, std::int64_t limit,
                  const std::function<void(const std::string&)>& sink) override;
  std::vector<std::string> attribute_keys() override;
  bool id_in_use(model::IdSpace space, std::int64_t id) override;
  std::optional<std::int64_t> highest_id(model::IdSpace space, std::int64_t low, std::int64_t high) override;
  std::optional<std::int64_t> lowest_free_id(model::IdSpace space, std::int64_t low,
                                             std::int64_t high) override;
  std::optional<model::Group> find_group(std::string_view name) override;
  std::optional<std::int64_t> group_gid(std::string_view name) override;
  std::int64_t insert_group(const model::Group& group) override;
  void update_group(const model::Group& group) override;
  void delete_group(std::int64_t group_id) override;
  bool add_member(std::int64_t group_id, std::int64_t user_id) override;
  bool remove_member(std::int64_t group_id, std::int64_t user_id) override;
  void list_groups(const std::optional<std::string>& member,
                   const std::function<void(const model::Group&)>& sink) override;
  std::int64_t count_groups() override;

 private:
  void stream_users(const UserListSql& sql, const std::function<void(const model::User&)>& sink);
  static std::optional<std::string> email_key(const model::User& user);
  std::int64_t count(const char* sql);
  // One INSERT of `count` rows with ids given explicitly (the next after the highest), so each
  // row learns its id. False when a uniqueness rule failed: the statement undid itself.
  bool insert_user_chunk(std::vector<NewUserRow>& rows, std::size_t start, std::size_t count);
  // Finds the row that broke a uniqueness rule, inserting the ones before it.
  void insert_users_one_by_one(std::vector<NewUserRow>& rows, std::size_t start, std::size_t count);
  std::unique_ptr<Statement> chunk_insert(std::size_t count);
  Statement& full_chunk_insert();
  void insert_attrs(std::int64_t user_id, const model::Attributes& attrs);
  Connection& db_;
  std::unique_ptr<Statement> full_chunk_insert_;  // finalized before the connection closes
};

namespace {

// SQLite's side of the shared `list` SQL: numbered placeholders (types need no casts) and the
// attribute test against the (key, value) index of user_attrs.
const SqlDialect kDialect{
    [](std::size_t number, SqlType) { return "?" + std::to_string(number); },
    [](const std::string& key, const std::string& value) {
      return "u.id IN (SELECT a.user_id FROM user_attrs a WHERE a.key = " + key + " AND a.value = " + value +
             ")";
    },
    &user_select_sql,
    true,
};

}  // namespace

std::optional<model::User> SqliteStore::find_user(std::string_view username) {
  auto stmt = db_.prepare(user_select_sql() + " WHERE u.username = ?1");
  stmt.bind(1, username);
  if (!stmt.step()) return std::nullopt;
  return read_user_row(stmt);
}

std::optional<std::string> SqliteStore::password_hash(std::int64_t user_id) {
  auto stmt = db_.prepare("SELECT password_hash FROM users WHERE id = ?1");
  stmt.bind(1, user_id);
  if (!stmt.step()) return std::nullopt;
  return stmt.optional_text(0);
}

std::optional<std::string> SqliteStore::user_with_email_key(std::string_view email_key) {
  auto stmt = db_.prepare("SELECT username FROM users WHERE email_key = ?1");
  stmt.bind(1, email_key);
  if (!stmt.step()) return std::nullopt;
  return stmt.text(0);
}

std::int64_t SqliteStore::insert_user(const model::User& user, const std::optional<std::string>& hash) {
  auto& stmt = db_.cached(
      "INSERT INTO users (username, uid, name, email, email_key, password_hash, disabled, created_at, "
      "updated_at, created_by, updated_by, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
      "?12)");
  stmt.bind(1, user.username).bind(2, user.uid).bind(3, user.name).bind(4, user.email);
  stmt.bind(5, email_key(user)).bind(6, hash).bind(7, std::int64_t{user.disabled});
  stmt.bind(8, user.created_at).bind(9, user.updated_at).bind(10, user.created_by);
  stmt.bind(11, user.updated_by).bind(12, user.version);
  stmt.run();
  const std::int64_t id = db_.last_insert_id();
  insert_attrs(id, user.attrs);
  return id;
}

void SqliteStore::update_user(const model::User& user) {
  auto stmt = db_.prepare(
      "UPDATE users SET username = ?1, uid = ?2, name = ?3, email = ?4, email_key = ?5, disabled = ?6, "
      "updated_at = ?7, updated_by = ?8, version = ?9 WHERE id = ?10");
  stmt.bind(1, user.username).bind(2, user.uid).bind(3, user.name).bind(4, user.email);
  stmt.bind(5, email_key(user)).bind(6, std::int64_t{user.disabled}).bind(7, user.updated_at);
  stmt.bind(8, user.updated_by).bind(9, user.version).bind(10, user.id);
  stmt.run();
  auto clear = db_.prepare("DELETE FROM user_attrs WHERE user_id = ?1");
  clear.bind(1, user.id).run();
  insert_attrs(user.id, user.attrs);
}

void SqliteStore::set_password_hash(std::int64_t user_id, std::string_view hash) {
  auto stmt = db_.prepare("UPDATE users SET password_hash = ?1 WHERE id = ?2");
  stmt.bind(1, hash).bind(2, user_id).run();
}

void SqliteStore::delete_user(std::int64_t user_id) {
  // Attributes and memberships go with it (ON DELETE CASCADE).
  auto stmt = db_.prepare("DELETE FROM users WHERE id = ?1");
  stmt.bind(1, user_id).run();
}

void SqliteStore::list_users(const model::UserQuery& query,
                             const std::function<void(const model::User&)>& sink) {
  stream_users(build_user_list_sql(query, kDialect), sink);
}

void SqliteStore::search_users(const model::SearchQuery& query,
                               const std::function<void(const model::User&)>& sink) {
  const SearchSql sql = build_search_sql(query);
  std::vector<std::int64_t> ids;
  std::set<std::int64_t> seen;
  const auto limit = static_cast<std::size_t>(query.limit);
  if (!sql.username_prefix.empty() && limit > 0) {
    auto stmt = db_.prepare(sql.username_prefix);
    stmt.bind(1, query.text).bind(2, query.limit);
    while (stmt.step()) {
      ids.push_back(stmt.int64(0));
      seen.insert(ids.back());
    }
  }
  if (ids.size() < limit) {
    auto stmt = db_.prepare(sql.others);
    stmt.bind(1, sql.others_param);
    while (ids.size() < limit && stmt.step()) {
      if (seen.insert(stmt.int64(0)).second) ids.push_back(stmt.int64(0));
    }
  }
  auto fetch = db_.prepare(user_select_sql() + " WHERE u.id = ?1");
  for (const auto id : ids) {
    fetch.bind(1, id);
    if (fetch.step()) sink(read_user_row(fetch));
    fetch.reset();
  }
}

std::int64_t SqliteStore::count_users() { return count("SELECT count(*) FROM users"); }

void SqliteStore::list_names(model::NameKind kind, std::string_view prefix, std::int64_t limit,
                             const std::function<void(const std::string&)>& sink) {
  // Names are ASCII, so [prefix, prefix || U+10FFFF) is exactly "starts with prefix" in byte order,
  // and SQLite answers it with a range scan of the UNIQUE index.
  auto stmt = db_.prepare(kind == model::NameKind::Users
                              ? "SELECT username FROM users WHERE username >= ?1 AND username < ?1 || "
                                "char(0x10FFFF) ORDER BY username LIMIT ?2"
                              : "SELECT name FROM usergroups WHERE name >= ?1 AND name < ?1 || "
                                "char(0x10FFFF) ORDER BY name LIMIT ?2");
  stmt.bind(1, prefix).bind(2, limit);
  while (stmt.step()) sink(stmt.text(0));
}

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

void SqliteStore::stream_users(const UserListSql& sql, const std::function<void(const model::User&)>& sink) {
  auto stmt = db_.prepare(sql.text);
  for (std::size_t i = 0; i < sql.params.size(); ++i) {
    std::visit([&](const auto& value) { stmt.bind(static_cast<int>(i + 1), value); }, sql.params[i]);
  }
  while (stmt.step()) sink(read_user_row(stmt));
}

std::optional<std::string> SqliteStore::email_key(const model::User& user) {
  if (!user.email) return std::nullopt;
  return util::fold_case(*user.email);
}

std::int64_t SqliteStore::count(const char* sql) {
  auto stmt = db_.prepare(sql);
  stmt.step();
  return stmt.int64(0);
}

void SqliteStore::insert_attrs(std::int64_t user_id, const model::Attributes& attrs) {
  if (attrs.empty()) return;
  auto& stmt = db_.cached("INSERT INTO user_attrs (user_id, key, value) VALUES (?1, ?2, ?3)");
  for (const auto& [key, value] : attrs) {
    stmt.reset();
    stmt.bind(1, user_id).bind(2, key).bind(3, value);
    stmt.run();
  }
}

bool SqliteStore::id_in_use(model::IdSpace space, std::int64_t id) {
  auto stmt = db_.prepare(space == model::IdSpace::Uid ? "SELECT 1 FROM users WHERE uid = ?1"
                                                       : "SELECT 1 FROM usergroups WHERE gid = ?1");
  stmt.bind(1, id);
  return stmt.step();
}

std::optional<std::int64_t> SqliteStore::highest_id(model::IdSpace space, std::int64_t low,
                                                    std::int64_t high) {
  auto stmt = db_.prepare(space == model::IdSpace::Uid
                              ? "SELECT max(uid) FROM users WHERE uid >= ?1 AND uid < ?2"
                              : "SELECT max(gid) FROM usergroups WHERE gid >= ?1 AND gid < ?2");
  stmt.bind(1, low).bind(2, high);
  if (!stmt.step() || stmt.is_null(0)) return std::nullopt;
  return stmt.int64(0);
}

std::optional<std::int64_t> SqliteStore::lowest_free_id(model::IdSpace space, std::int64_t low,
                                                        std::int64_t high) {
  const std::string table = space == model::IdSpace::Uid ? "users" : "usergroups";
  const std::string column = space == model::IdSpace::Uid ? "uid" : "gid";
  // The first id in range whose predecessor is taken or which is the range start.
  auto stmt = db_.prepare("SELECT ?1 WHERE NOT EXISTS (SELECT 1 FROM " + table + " WHERE " + column +
                          " = ?1) UNION ALL SELECT t." + column + " + 1 FROM " + table + " t WHERE t." +
                          column + " >= ?1 AND t." + column + " + 1 < ?2 AND NOT EXISTS (SELECT 1 FROM " +
                          table + " n WHERE n." + column + " = t." + column + " + 1) ORDER BY 1 LIMIT 1");
  stmt.bind(1, low).bind(2, high);
  if (!stmt.step()) return std::nullopt;
  return stmt.int64(0);
}

std::optional<model::Group> SqliteStore::find_group(std::string_view name) {
  auto stmt = db_.prepare(group_select_sql() + " WHERE g.name = ?1");
  stmt.bind(1, name);
  if (!stmt.step()) return std::nullopt;
  return read_group_row(stmt);
}

std::optional<std::int64_t> SqliteStore::group_gid(std::string_view name) {
  auto stmt = db_.prepare("SELECT gid FROM usergroups WHERE name = ?1");
  stmt.bind(1, name);
  if (!stmt.step()) return std::nullopt;
  return stmt.int64(0);
}

std::int64_t SqliteStore::insert_group(const model::Group& group) {
  auto stmt = db_.prepare(
      "INSERT INTO usergroups (name, gid, description, created_at, updated_at, created_by, updated_by, "
      "version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  stmt.bind(1, group.name).bind(2, group.gid).bind(3, group.description).bind(4, group.created_at);
  stmt.bind(5, group.updated_at).bind(6, group.created_by).bind(7, group.updated_by).bind(8, group.version);
  stmt.run();
  return db_.last_insert_id();
}

void SqliteStore::update_group(const model::Group& group) {
  auto stmt = db_.prepare(
      "UPDATE usergroups SET name = ?1, gid = ?2, description = ?3, updated_at = ?4, updated_by = ?5, "
      "version = ?6 WHERE id = ?7");
  stmt.bind(1, group.name).bind(2, group.gid).bind(3, group.description).bind(4, group.updated_at);
  stmt.bind(5, group.updated_by).bind(6, group.version).bind(7, group.id);
  stmt.run();
}

void SqliteStore::delete_group(std::int64_t group_id) {
  auto stmt = db_.prepare("DELETE FROM usergroups WHERE id = ?1");
  stmt.bind(1, group_id).run();
}

bool SqliteStore::add_member(std::int64_t group_id, std::int64_t user_id) {
  auto& stmt = db_.cached("INSERT OR IGNORE INTO memberships (group_id, user_id) VALUES (?1, ?2)");
  stmt.bind(1, group_id).bind(2, user_id).run();
  return db_.changes() > 0;
}

bool SqliteStore::remove_member(std::int64_t group_id, std::int64_t user_id) {
  auto stmt = db_.prepare("DELETE FROM memberships WHERE group_id = ?1 AND user_id = ?2");
  stmt.bind(1, group_id).bind(2, user_id).run();
  return db_.changes() > 0;
}

void SqliteStore::list_groups(const std::optional<std::string>& member,
                              const std::function<void(const model::Group&)>& sink) {
  std::string sql = group_select_sql();
  if (member) {
    sql +=
        " WHERE g.id IN (SELECT m.group_id FROM memberships m JOIN users u ON u.id = m.user_id "
        "WHERE u.username = ?1)";
  }
  auto stmt = db_.prepare(sql + " ORDER BY g.name");
  if (member) stmt.bind(1, *member);
  while (stmt.step()) sink(read_group_row(stmt));
}

std::int64_t SqliteStore::count_groups() { return count("SELECT count(*) FROM usergroups"); }

namespace {
// Rows per multi-row INSERT of a bulk load.
constexpr std::size_t kRowsPerInsert = 64;
}  // namespace

// A bulk load inserts users many rows to a statement: the FTS5 index behind the users table
// does its statement-end work once per statement, which dominates row-at-a-time inserts.
void SqliteStore::insert_users(std::vector<NewUserRow>& rows) {
  for (std::size_t start = 0; start < rows.size(); start += kRowsPerInsert) {
    const std::size_t count = std::min(kRowsPerInsert, rows.size() - start);
    if (!insert_user_chunk(rows, start, count)) insert_users_one_by_one(rows, start, count);
    for (std::size_t i = start; i < start + count; ++i) {
      insert_attrs(rows[i].user.id, rows[i].user.attrs);
      for (const auto group_id : rows[i].group_ids) add_member(group_id, rows[i].user.id);
    }
  }
}

// One INSERT of `count` rows with ids given explicitly (the next after the highest), so each
// row learns its id. False when a uniqueness rule failed: the statement undid itself.
bool SqliteStore::insert_user_chunk(std::vector<NewUserRow>& rows, std::size_t start, std::size_t count) {
  auto& highest = db_.cached("SELECT coalesce(max(id), 0) FROM users");
  highest.step();
  const std::int64_t base = highest.int64(0);
  highest.reset();
  std::unique_ptr<Statement> partial;
  Statement& insert = count == kRowsPerInsert ? full_chunk_insert() : *(partial = chunk_insert(count));
  for (std::size_t i = 0; i < count; ++i) {
    model::User& user = rows[start + i].user;
    user.id = base + 1 + static_cast<std::int64_t>(i);
    const int p = static_cast<int>(i) * 13;
    insert.bind(p + 1, user.id).bind(p + 2, user.username).bind(p + 3, user.uid).bind(p + 4, user.name);
    insert.bind(p + 5, user.email).bind(p + 6, email_key(user)).bind(p + 7, rows[start + i].password_hash);
    insert.bind(p + 8, std::int64_t{user.disabled})
        .bind(p + 9, user.created_at)
        .bind(p + 10, user.updated_at);
    insert.bind(p + 11, user.created_by).bind(p + 12, user.updated_by).bind(p + 13, user.version);
  }
  try {
    insert.run();
  } catch (const Conflict&) {
    return false;
  }
  return true;
}

// Finds the row that broke a uniqueness rule, inserting the ones before it.
void SqliteStore::insert_users_one_by_one(std::vector<NewUserRow>& rows, std::size_t start,
                                          std::size_t count) {
  for (std::size_t i = start; i < start + count; ++i) {
    model::User& user = rows[i].user;
    auto& stmt = db_.cached(
        "INSERT INTO users (username, uid, name, email, email_key, password_hash, disabled, created_at, "
        "updated_at, created_by, updated_by, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
        "?11, "
        "?12)");
    stmt.bind(1, user.username).bind(2, user.uid).bind(3, user.name).bind(4, user.email);
    stmt.bind(5, email_key(user)).bind(6, rows[i].password_hash).bind(7, std::int64_t{user.disabled});
    stmt.bind(8, user.created_at).bind(9, user.updated_at).bind(10, user.created_by);
    stmt.bind(11, user.updated_by).bind(12, user.version);
    try {
      stmt.run();
    } catch (const Conflict& conflict) {
      throw RowConflict(i, conflict.what());
    }
    user.id = db_.last_insert_id();
  }
}

std::unique_ptr<Statement> SqliteStore::chunk_insert(std::size_t count) {
  std::string sql =
      "INSERT INTO users (id, username, uid, name, email, email_key, password_hash, disabled, created_at, "
      "updated_at, created_by, updated_by, version) VALUES ";
  for (std::size_t i = 0; i < count; ++i)
    sql += i == 0 ? "(?,?,?,?,?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?,?,?,?,?)";
  return std::make_unique<Statement>(db_.handle(), sql);
}

Statement& SqliteStore::full_chunk_insert() {
  if (!full_chunk_insert_) {
    full_chunk_insert_ = chunk_insert(kRowsPerInsert);
  } else {
    full_chunk_insert_->reset();
  }
  return *full_chunk_insert_;
}

std::unique_ptr<Store> make_sqlite_store(Connection& db) { return std::make_unique<SqliteStore>(db); }

}  // namespace usersctl::store::sqlite
