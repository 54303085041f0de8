#pragma once
// Thin RAII wrappers over the SQLite C API: a connection and prepared statements that
// turn SQLite result codes into the project's typed errors.

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace usersctl::store::sqlite {

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::optional<std::string>& value);
  // Without SQLite's copy of the text (a malloc and memcpy a value, which a bulk load pays for
  // every field of a million rows): `value` must stay alive and unchanged until the statement
  // has run; the next use of the statement binds afresh.
  Statement& bind_unowned(int index, std::string_view value);
  Statement& bind_unowned(int index, const std::string& value) {
    return bind_unowned(index, std::string_view(value));
  }
  Statement& bind_unowned(int index, const std::optional<std::string>& value);
  Statement& bind_null(int index);
  // Binds `values` to ?1, ?2, ... in their order (as PostgreSQL's Params().add_all()), so that a
  // statement's values are listed once, without an index to keep in step with each.
  template <class... Values>
  Statement& bind_all(const Values&... values) {
    int index = 0;
    (bind(++index, values), ...);
    return *this;
  }
  // Advances to the next row; false when done. Throws on error (constraint → Conflict).
  bool step();
  // Runs a statement that returns no rows.
  void run();
  void reset();

  std::int64_t int64(int column) const;
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  bool is_null(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Connection {
 public:
  // Opens the database at `path`, creating it if needed unless `create` is false. Throws Unavailable.
  explicit Connection(const std::string& path, bool create = true);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* handle() const { return db_; }
  void exec(const char* sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  // A statement prepared once per connection and reset for each use: for the statements a
  // bulk load runs a million times, where preparing costs more than running. `sql` must be a
  // string literal (it is the key), and the statement must run to completion before reuse.
  Statement& cached(const char* sql);
  // cached() for a lookup that may stop before the last row: the statement is reset when the
  // lease ends, so it holds no read snapshot (and no WAL checkpoint back) between calls.
  class Lease {
   public:
    Lease(Connection& db, const char* sql) : stmt_(db.cached(sql)) {}
    ~Lease() { stmt_.reset(); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Statement& operator*() const { return stmt_; }
    Statement* operator->() const { return &stmt_; }

   private:
    Statement& stmt_;
  };
  Lease lease(const char* sql) { return Lease(*this, sql); }
  std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }
  // Work the open write transaction must still do before COMMIT (a bulk load's search index,
  // built once for all its rows); the transaction runs it, or drops it on rollback.
  void set_before_commit(std::function<void()> work) { before_commit_ = std::move(work); }
  bool has_before_commit() const { return static_cast<bool>(before_commit_); }
  void run_before_commit() {
    auto work = std::move(before_commit_);
    before_commit_ = nullptr;
    if (work) work();
  }
  void drop_before_commit() { before_commit_ = nullptr; }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, std::unique_ptr<Statement>> cache_;  // finalized before db_ closes
  std::function<void()> before_commit_;
};

// Throws the typed error matching an SQLite result code (busy → Unavailable, constraint → Conflict).
[[noreturn]] void throw_sqlite_error(sqlite3* db, int code, std::string_view context);

}  // namespace usersctl::store::sqlite
