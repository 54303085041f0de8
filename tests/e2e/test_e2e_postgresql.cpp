// What is particular to PostgreSQL (issue 6): connection errors and password redaction, libpq
// parameters passing through, the schema table, the writer lock and its timeout, and unique
// violations from the server. Everything else runs on both backends through E2eTest.

#include <chrono>
#include <string>
#include <vector>

#include "crash_harness.hpp"
#include "e2e_fixture.hpp"
#include "pg_test_database.hpp"

namespace usersctl::e2e {
namespace {

// The advisory lock every usersctl write transaction takes (src/store/postgres/pg_store.cpp).
constexpr const char* kWriterLock = "8463218225862292528";
const std::string kCanary = "canary-Pw-7f3a9";

// The PostgreSQL entries of e2e_backends(): none without a cluster outside CI; named like the
// parameterised suite's (…/postgresql), so `ctest -R postgresql` selects every PostgreSQL test.
std::vector<std::string> postgresql_backend() {
  std::vector<std::string> backends;
  for (const auto& backend : e2e_backends()) {
    if (backend == "postgresql") backends.push_back(backend);
  }
  return backends;
}

class PostgresqlTest : public E2eTest {
 protected:
  std::string sql(const std::string& statement) const { return PgSession(db_url()).exec(statement); }

  void expect_no_canary(const RunResult& r) const {
    EXPECT_EQ(r.out.find(kCanary), std::string::npos) << r;
    EXPECT_EQ(r.err.find(kCanary), std::string::npos) << r;
  }
};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(PostgresqlTest);
INSTANTIATE_TEST_SUITE_P(Backends, PostgresqlTest, ::testing::ValuesIn(postgresql_backend()),
                         backend_test_name);

TEST_P(PostgresqlTest, ConnectionRefusedIsUnavailableWithThePasswordRedacted) {
  const std::string url = std::string("postgresql://bob:") + kCanary + "@127.0.0.1:1/users";
  const RunResult r = run({"--db", url, "list"});
  EXPECT_TRUE(Failed(r, 6, "postgresql://bob:***@127.0.0.1:1/users"));
  expect_no_canary(r);
}

TEST_P(PostgresqlTest, PasswordQueryParameterIsRedacted) {
  for (const std::string& query : {std::string("?password=") + kCanary + "&connect_timeout=5",
                                   std::string("?password=") + kCanary + "%zz"}) {
    const RunResult r = run({"--db", "postgres://bob@127.0.0.1:1/users" + query, "add", "alice"});
    EXPECT_TRUE(Failed(r, 6, "password=***")) << query;
    expect_no_canary(r);
  }
}

// Issue 20: libpq takes a raw '?', '#' or '@' in the password; it is redacted all the same.
TEST_P(PostgresqlTest, PasswordWithRawQuestionMarkHashOrAtIsRedacted) {
  for (const std::string& password : {"pa?ss#" + kCanary, kCanary + "#x", "p@" + kCanary}) {
    const RunResult r = run({"--db", "postgresql://bob:" + password + "@127.0.0.1:1/users", "list"});
    EXPECT_TRUE(Failed(r, 6, "postgresql://bob:***@127.0.0.1:1/users")) << password;
    expect_no_canary(r);
  }
}

// Issue 20: a connection that goes mid-import (the server ends the session, as pg_terminate_backend
// does: 57P01, a failed send, EOF) is exit 6, and the import's transaction leaves nothing.
TEST_P(PostgresqlTest, AConnectionEndedMidImportIsUnavailableAndWritesNothing) {
  add_user("existing");
  std::string lines;
  for (int i = 0; i < 20000; ++i) {
    lines += "{\"username\":\"u" + std::to_string(i) + "\",\"email\":\"u" + std::to_string(i) +
             "@example.com\"}\n";
  }
  const std::string file = temp_file("users.jsonl", lines);
  PgSession admin(db_url());
  for (int attempt = 0; attempt < 5; ++attempt) {
    ChildProcess import(ChildSpec{usersctl_binary(), {"--db", db_url(), "import", file}, env(), {}});
    ASSERT_TRUE(import.started());
    std::string ended = "0";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (ended == "0" && !import.exited() && std::chrono::steady_clock::now() < deadline) {
      ended = admin.exec(
          "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() "
          "AND pid <> pg_backend_pid() AND application_name = 'usersctl' AND xact_start IS NOT NULL");
    }
    const RunResult r = import.wait();
    if (ended == "0") continue;  // it finished before its session could be ended: again
    if (r.exit_code == 0) {
      // Ended before the load began to read its file: the write ran again, whole (a load that
      // had read lines is never run again: its second run would write only the rest).
      EXPECT_EQ(list_usernames().size(), 20001u) << r;
      admin.exec("DELETE FROM events; DELETE FROM users WHERE username <> 'existing'");
      continue;
    }
    EXPECT_EQ(r.exit_code, 6) << r;
    EXPECT_NE(r.err.find("connection"), std::string::npos) << r;
    EXPECT_EQ(list_usernames(), std::vector<std::string>{"existing"});
    return;
  }
  FAIL() << "every import finished before its session could be ended";
}

TEST_P(PostgresqlTest, PgpasswordNeverAppears) {
  const RunResult refused =
      run({"--db", "postgresql://bob@127.0.0.1:1/users", "health"}, {}, {{"PGPASSWORD", kCanary}});
  EXPECT_TRUE(Failed(refused, 6));
  expect_no_canary(refused);
  // And against the real cluster, where the connection works, nothing prints it either.
  add_user("alice");  // a read needs usersctl's schema there (it never creates it)
  const RunResult ok = run({"--db", db_url(), "health", "-o", "json"}, {}, {{"PGPASSWORD", kCanary}});
  EXPECT_TRUE(Succeeded(ok));
  expect_no_canary(ok);
}

TEST_P(PostgresqlTest, MissingDatabaseIsUnavailable) {
  const RunResult r = run({"--db", with_database(db_url(), "no_such_database_here"), "list"});
  EXPECT_TRUE(Failed(r, 6, "no_such_database_here"));
}

TEST_P(PostgresqlTest, LibpqParametersPassThroughUnchanged) {
  // libpq itself rejects the value: proof that the parameter reached it as written. (On the
  // test cluster's unix socket sslmode=require is moot: libpq never uses SSL on sockets.)
  const RunResult r = run({"--db", db_url() + "&sslmode=bogus", "list"});
  EXPECT_TRUE(Failed(r, 6, "invalid sslmode value"));
  // A valid one works as is.
  add_user("alice");  // a read needs usersctl's schema there (it never creates it)
  EXPECT_TRUE(Succeeded(run({"--db", db_url() + "&sslmode=prefer&application_name=e2e", "list"})));
}

TEST_P(PostgresqlTest, HealthShowsBackendUrlAndSchemaVersion) {
  add_user("alice");
  const RunResult r = cli({"health", "-o", "json"});
  ASSERT_TRUE(Succeeded(r));
  json health = parse_json(r.out);
  EXPECT_EQ(health["backend"], "postgresql");
  EXPECT_EQ(health["db"], db_url());
  EXPECT_EQ(std::to_string(health["schema_version"].get<int>()), sql("SELECT version FROM usersctl_schema"));
  EXPECT_EQ(sql("SELECT count(*) FROM usersctl_schema"), "1") << "the schema table has one row";
}

TEST_P(PostgresqlTest, SchemaNewerThanTheBinaryIsRefused) {
  add_user("alice");
  sql("UPDATE usersctl_schema SET version = 999");
  EXPECT_TRUE(Failed(cli({"add", "bob"}), 6, "newer than this usersctl"));
  EXPECT_TRUE(Failed(cli({"list"}), 6));
  EXPECT_TRUE(Failed(cli({"show", "alice"}), 6));
  EXPECT_TRUE(Failed(cli({"health"}), 6));
  EXPECT_EQ(sql("SELECT version FROM usersctl_schema"), "999") << "the newer database must not be touched";
  EXPECT_EQ(sql("SELECT string_agg(username, ',') FROM users"), "alice");
}

TEST_P(PostgresqlTest, UniqueViolationFromTheServerIsConflict) {
  // A rule the admin added on the server, which usersctl does not check itself.
  add_user("alice", {"--name", "Alice Smith"});
  sql("CREATE UNIQUE INDEX users_unique_name ON users (name)");
  const RunResult r = cli({"add", "bob", "--name", "Alice Smith"});
  EXPECT_TRUE(Failed(r, 4, "users_unique_name"));
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"alice"});
  EXPECT_EQ(sql("SELECT count(*) FROM events"), "1") << "no event for the failed add";
}

TEST_P(PostgresqlTest, LockedPastTheBusyTimeoutIsUnavailable) {
  add_user("alice");
  PgSession holder(db_url());
  holder.exec(std::string("SELECT pg_advisory_lock(") + kWriterLock + ")");
  env()["USERSCTL_BUSY_TIMEOUT_MS"] = "300";
  const auto started = std::chrono::steady_clock::now();
  const RunResult blocked = cli({"add", "bob"});
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(Failed(blocked, 6, "locked"));
  EXPECT_GE(waited, std::chrono::milliseconds(250)) << "gave up without waiting for the busy timeout";
  EXPECT_LT(waited, std::chrono::milliseconds(2500)) << "gave up long after the busy timeout";
  const RunResult reader = cli({"list", "--fields", "username"});
  EXPECT_TRUE(Succeeded(reader)) << "readers are not blocked by a writer";
  EXPECT_EQ(reader.out, "{\"username\":\"alice\"}\n");
  holder.exec(std::string("SELECT pg_advisory_unlock(") + kWriterLock + ")");
  EXPECT_TRUE(MutationSucceeded(cli({"add", "bob"})));
}

TEST_P(PostgresqlTest, TextIsStoredAsGivenAndOrderedByBytes) {
  // Byte order as in SQLite, whatever the cluster's collation: 'B' < 'a' < 'É'.
  add_user("u1", {"--name", "aaa"});
  add_user("u2", {"--name", "Élan"});
  add_user("u3", {"--name", "Bob"});
  std::vector<std::string> names;
  for (json& user : list_users({"--sort", "name"})) names.push_back(user["name"].get<std::string>());
  EXPECT_EQ(names, (std::vector<std::string>{"Bob", "aaa", "Élan"}));
  json user = show_user("u2");
  EXPECT_EQ(sql("SELECT created_at FROM users WHERE username = 'u2'"), user["created_at"].get<std::string>());
}

}  // namespace
}  // namespace usersctl::e2e
