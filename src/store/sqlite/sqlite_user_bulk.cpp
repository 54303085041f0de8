#include "store/sqlite/sqlite_store.hpp"

#include <algorithm>

#include "model/errors.hpp"

namespace usersctl::store::sqlite {

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
void SqliteStore::insert_users_one_by_one(std::vector<NewUserRow>& rows, std::size_t start, std::size_t count) {
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

}  // namespace usersctl::store::sqlite
