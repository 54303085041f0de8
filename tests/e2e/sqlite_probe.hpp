#pragma once
// Looks inside an SQLite database file from the test process (sqlite3 C API), independently of
// usersctl: integrity checks, raw rows, and holding the write lock.

#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <vector>

namespace usersctl::e2e {

// "ok" for a sound database, else SQLite's findings (or the error that stopped the check).
std::string integrity_check(const std::filesystem::path& db);
// Every row of `sql`, columns joined with '|'. Records a test failure on an SQL error.
std::vector<std::string> query_rows(const std::filesystem::path& db, const std::string& sql);

// Holds SQLite's write lock on `db` (BEGIN IMMEDIATE) for its lifetime; rolls back at the end.
class WriteLockHolder {
 public:
  explicit WriteLockHolder(const std::filesystem::path& db);
  ~WriteLockHolder();
  WriteLockHolder(const WriteLockHolder&) = delete;
  WriteLockHolder& operator=(const WriteLockHolder&) = delete;
  bool locked() const { return locked_; }

 private:
  sqlite3* db_ = nullptr;
  bool locked_ = false;
};

}  // namespace usersctl::e2e
