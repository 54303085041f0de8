#include "sqlite_probe.hpp"

#include <gtest/gtest.h>

namespace usersctl::e2e {

namespace {

// Opens read-write without creating: a probe must never make a database appear.
sqlite3* open_existing(const std::filesystem::path& db) {
  sqlite3* handle = nullptr;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << db << ": " << (handle ? sqlite3_errmsg(handle) : "out of memory");
    sqlite3_close_v2(handle);
    return nullptr;
  }
  sqlite3_busy_timeout(handle, 10000);
  return handle;
}

std::vector<std::string> rows_of(sqlite3* handle, const std::string& sql, std::string* error) {
  std::vector<std::string> rows;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    *error = sqlite3_errmsg(handle);
    return rows;
  }
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      row += (i ? "|" : "") + std::string(text ? text : "NULL");
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) *error = sqlite3_errmsg(handle);
  sqlite3_finalize(stmt);
  return rows;
}

}  // namespace

std::string integrity_check(const std::filesystem::path& db) {
  sqlite3* handle = open_existing(db);
  if (handle == nullptr) return "cannot open";
  std::string error;
  const auto rows = rows_of(handle, "PRAGMA integrity_check", &error);
  sqlite3_close_v2(handle);
  if (!error.empty()) return "integrity_check failed: " + error;
  std::string text;
  for (const auto& row : rows) text += (text.empty() ? "" : "\n") + row;
  return text;
}

std::vector<std::string> query_rows(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* handle = open_existing(db);
  if (handle == nullptr) return {};
  std::string error;
  auto rows = rows_of(handle, sql, &error);
  sqlite3_close_v2(handle);
  if (!error.empty()) ADD_FAILURE() << sql << ": " << error;
  return rows;
}

WriteLockHolder::WriteLockHolder(const std::filesystem::path& db) : db_(open_existing(db)) {
  if (db_ == nullptr) return;
  char* error = nullptr;
  locked_ = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, &error) == SQLITE_OK;
  if (!locked_) ADD_FAILURE() << "BEGIN IMMEDIATE on " << db << ": " << (error ? error : "?");
  sqlite3_free(error);
}

WriteLockHolder::~WriteLockHolder() {
  if (locked_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close_v2(db_);
}

}  // namespace usersctl::e2e
