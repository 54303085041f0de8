// SqliteStore::insert_users and the users row writes it shares with insert_user.

#include <algorithm>

#include "store/record_columns.hpp"
#include "store/sqlite/deferred_search_index.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "util/errors.hpp"

namespace usersctl::store {

using namespace sqlite;

namespace {
// Rows per multi-row INSERT of a bulk load.
constexpr std::size_t kRowsPerInsert = 64;
// Every column of a users row but id, as bind_user_row() binds them.
constexpr const char* kUserColumns =
    "username, uid, name, email, email_key, password_hash, disabled, created_at, updated_at, created_by, "
    "updated_by, version, gid, home, shell, attrs_text";
constexpr int kUserColumnCount = 16;
// id and the 16 of kUserColumns.
constexpr int kColumnsPerRow = kUserColumnCount + 1;

std::string chunk_insert_sql(std::size_t count) {
  std::string sql = "INSERT INTO users (id, " + std::string(kUserColumns) + ") VALUES ";
  for (std::size_t i = 0; i < count; ++i) {
    sql += i == 0 ? "(" : ",(";
    for (int c = 0; c < kColumnsPerRow; ++c) sql += c == 0 ? "?" : ",?";
    sql += ')';
  }
  return sql;
}

// The INSERTs of kRowsPerInsert rows and of one, prepared once per connection; a shorter last
// chunk gets a statement of its own.
Statement& chunk_insert(Connection& db, std::size_t count, std::unique_ptr<Statement>& other) {
  static const std::string full = chunk_insert_sql(kRowsPerInsert);
  static const std::string one = chunk_insert_sql(1);
  if (count == kRowsPerInsert) return db.cached(full.c_str());
  if (count == 1) return db.cached(one.c_str());
  other = std::make_unique<Statement>(db.handle(), chunk_insert_sql(count));
  return *other;
}

// One INSERT of `count` rows with ids given explicitly (the next after the highest), so each
// row learns its id. Throws Conflict when a uniqueness rule failed: the statement undid itself.
void insert_user_chunk(Connection& db, std::vector<NewUserRow>& rows, std::size_t start, std::size_t count) {
  auto& highest = db.cached("SELECT coalesce(max(id), 0) FROM users");
  highest.step();
  const std::int64_t base = highest.int64(0);
  highest.reset();
  std::unique_ptr<Statement> other;
  Statement& insert = chunk_insert(db, count, other);
  for (std::size_t i = 0; i < count; ++i) {
    model::User& user = rows[start + i].user;
    user.id = base + 1 + static_cast<std::int64_t>(i);
    const int p = static_cast<int>(i) * kColumnsPerRow;
    insert.bind(p + 1, user.id);
    bind_user_row(insert, p + 1, user, rows[start + i].password_hash);
  }
  insert.run();
}

// Finds the row that broke a uniqueness rule, inserting the ones before it.
void insert_users_one_by_one(Connection& db, std::vector<NewUserRow>& rows, std::size_t start,
                             std::size_t count) {
  for (std::size_t i = start; i < start + count; ++i) {
    try {
      insert_user_chunk(db, rows, i, 1);
    } catch (const Conflict& conflict) {
      throw RowConflict(i, conflict.what());
    }
  }
}

std::string attrs_insert_sql(std::size_t count) {
  std::string sql = "INSERT INTO user_attrs (user_id, key, value, username) VALUES ";
  for (std::size_t i = 0; i < count; ++i) sql += i == 0 ? "(?,?,?,?)" : ",(?,?,?,?)";
  return sql;
}

// The attributes of rows[start, start + count) in INSERTs of up to kRowsPerInsert rows: a
// statement's fixed cost (foreign keys, triggers' programs) is paid once per statement.
void insert_chunk_attrs(Connection& db, const std::vector<NewUserRow>& rows, std::size_t start,
                        std::size_t count) {
  struct Attr {
    std::int64_t user_id;
    const std::string* key;
    const std::string* value;
    const std::string* username;
  };
  std::vector<Attr> attrs;
  for (std::size_t i = start; i < start + count; ++i) {
    for (const auto& [key, value] : rows[i].user.attrs)
      attrs.push_back({rows[i].user.id, &key, &value, &rows[i].user.username});
  }
  static const std::string full = attrs_insert_sql(kRowsPerInsert);
  for (std::size_t first = 0; first < attrs.size(); first += kRowsPerInsert) {
    const std::size_t n = std::min(kRowsPerInsert, attrs.size() - first);
    std::unique_ptr<Statement> other;
    Statement& stmt = n == kRowsPerInsert
                          ? db.cached(full.c_str())
                          : *(other = std::make_unique<Statement>(db.handle(), attrs_insert_sql(n)));
    for (std::size_t i = 0; i < n; ++i) {
      const int p = static_cast<int>(i) * 4;
      stmt.bind(p + 1, attrs[first + i].user_id)
          .bind_unowned(p + 2, *attrs[first + i].key)
          .bind_unowned(p + 3, *attrs[first + i].value)
          .bind_unowned(p + 4, *attrs[first + i].username);
    }
    stmt.run();
  }
}

}  // namespace

Statement& sqlite::single_user_insert(Connection& db) {
  static const std::string sql = [] {
    std::string text = "INSERT INTO users (" + std::string(kUserColumns) + ") VALUES (";
    for (int c = 1; c <= kUserColumnCount; ++c) text += (c == 1 ? "?" : ",?") + std::to_string(c);
    return text + ")";
  }();
  return db.cached(sql.c_str());
}

// The columns of kUserColumns from `first + 1` on, in its order; `user` and `hash` outlive the
// statement's run (computed values are copied).
void sqlite::bind_user_row(Statement& stmt, int first, const model::User& user,
                           const std::optional<std::string>& hash) {
  stmt.bind_unowned(first + 1, user.username).bind(first + 2, user.uid).bind_unowned(first + 3, user.name);
  stmt.bind_unowned(first + 4, user.email).bind(first + 5, email_key(user)).bind_unowned(first + 6, hash);
  stmt.bind(first + 7, std::int64_t{user.disabled}).bind_unowned(first + 8, user.created_at);
  stmt.bind_unowned(first + 9, user.updated_at).bind_unowned(first + 10, user.created_by);
  stmt.bind_unowned(first + 11, user.updated_by).bind(first + 12, user.version).bind(first + 13, user.gid);
  stmt.bind_unowned(first + 14, user.home).bind_unowned(first + 15, user.shell);
  stmt.bind(first + 16, attrs_text(user.attrs));
}

// The copy of the attributes the triggers keep on the row (migration 4): key US value, RS
// between, in key order (std::map's byte order is SQLite's BINARY order, the order of
// user_attrs' primary key). Written with the row, so a bulk load whose triggers are deferred
// (deferred_search_index.hpp) needs no second pass over its rows.
std::string sqlite::attrs_text(const model::Attributes& attrs) {
  std::string text;
  for (const auto& [key, value] : attrs) {
    if (!text.empty()) text += '\x1e';
    text.append(key).append(1, '\x1f').append(value);
  }
  return text;
}

// A bulk load inserts users many rows to a statement: the FTS5 index behind the users table
// does its statement-end work once per statement, which dominates row-at-a-time inserts.
template <>
void SqliteStore::insert_users(std::vector<NewUserRow>& rows) {
  if (deferred_index_wanted(rows.size())) defer_search_index(db_);
  for (std::size_t start = 0; start < rows.size(); start += kRowsPerInsert) {
    const std::size_t count = std::min(kRowsPerInsert, rows.size() - start);
    try {
      insert_user_chunk(db_, rows, start, count);
    } catch (const Conflict&) {
      insert_users_one_by_one(db_, rows, start, count);
    }
    insert_chunk_attrs(db_, rows, start, count);
    for (std::size_t i = start; i < start + count; ++i) {
      for (const auto group_id : rows[i].group_ids) add_member(group_id, rows[i].user.id);
    }
  }
}

}  // namespace usersctl::store
