#pragma once
// PostgreSQL for the end-to-end tests: a fresh database per test in the cluster scripts/test
// starts (USERSCTL_TEST_PG_URL), dropped at teardown, so tests are independent and may run in
// parallel; and a way for tests to run SQL beside usersctl (libpq, linked into the test binary).

#include <memory>
#include <string>

struct pg_conn;

namespace usersctl::e2e {

// `url` with its database (the URL path) replaced by `database`.
std::string with_database(const std::string& url, const std::string& database);

// One connection to a database, for arranging tests. Failures are thrown as std::runtime_error.
class PgSession {
 public:
  explicit PgSession(const std::string& url);
  ~PgSession();
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  // Runs `sql` (one or more statements); returns the first column of the first row of the
  // last result, or "" when there is none.
  std::string exec(const std::string& sql);

 private:
  pg_conn* conn_ = nullptr;
};

// CREATE DATABASE on construction, DROP DATABASE … WITH (FORCE) on destruction.
class ScratchDatabase {
 public:
  explicit ScratchDatabase(const std::string& admin_url);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

}  // namespace usersctl::e2e
