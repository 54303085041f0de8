// Another application's database given as --db: usersctl recognises that it is not one of its own,
// exits 6, and leaves it exactly as it was (no WAL switch, no schema version, no tables).

#include <filesystem>
#include <string>

#include "e2e_fixture.hpp"
#include "pg_test_database.hpp"
#include "test_files.hpp"

namespace usersctl::e2e {
namespace {

namespace fs = std::filesystem;

constexpr const char* kForeignTables =
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);"
    "INSERT INTO notes (id, body) VALUES (1, 'keep me');";

// Every relation in the PostgreSQL schema usersctl would use, with its kind.
constexpr const char* kPgRelations =
    "SELECT coalesce(string_agg(c.relname || ':' || c.relkind::text, ',' ORDER BY c.relname), '') "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()";

class ForeignDatabaseTest : public E2eTest {
 protected:
  // Creates another application's tables in the test database; returns what must stay unchanged.
  std::string make_foreign(const std::string& sql) {
    if (backend() == "postgresql") {
      PgSession session(db_url());
      session.exec(sql);
      return session.exec(kPgRelations);
    }
    EXPECT_EQ(run_process("/usr/bin/sqlite3", {db_path().string(), sql}).exit_code, 0);
    return read_file(db_path());
  }
  std::string now() const {
    if (backend() == "postgresql") return PgSession(db_url()).exec(kPgRelations);
    EXPECT_FALSE(fs::exists(db_path().string() + "-wal")) << "switched to WAL";
    return read_file(db_path());
  }
};
USERSCTL_E2E_INSTANTIATE(ForeignDatabaseTest);

TEST_P(ForeignDatabaseTest, AnotherApplicationsTablesAreRefusedAndLeftAsTheyWere) {
  const std::string before = make_foreign(kForeignTables);
  ASSERT_FALSE(before.empty());
  EXPECT_TRUE(Failed(cli({"add", "alice"}), 6, "not a usersctl database"));
  EXPECT_TRUE(Failed(cli({"group", "create", "devs"}), 6, "not a usersctl database"));
  EXPECT_TRUE(Failed(cli({"list"}), 6, "not a usersctl database"));
  EXPECT_TRUE(Failed(cli({"health"}), 6, "not a usersctl database"));
  EXPECT_EQ(now(), before);
}

// A foreign table named like one of ours, and (SQLite) the application's own schema version in
// user_version: neither is mistaken for a usersctl database.
TEST_P(ForeignDatabaseTest, LookAlikeSchemaIsNotMistakenForOurs) {
  std::string sql = "CREATE TABLE users (username TEXT PRIMARY KEY, uid INTEGER);";
  if (backend() == "sqlite") sql += "PRAGMA user_version = 3;";
  const std::string before = make_foreign(sql);
  EXPECT_TRUE(Failed(cli({"add", "alice"}), 6, "not a usersctl database"));
  EXPECT_TRUE(Failed(cli({"list"}), 6, "not a usersctl database"));
  EXPECT_EQ(now(), before);
}

TEST_P(ForeignDatabaseTest, EmptyDatabaseIsStillInitialised) {
  if (backend() == "sqlite") write_file(db_path(), "");  // an empty file, as touch(1) leaves it
  ASSERT_TRUE(MutationSucceeded(cli({"add", "alice"})));
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"alice"});
  ASSERT_TRUE(MutationSucceeded(cli({"add", "bob"})));  // and it is ours from then on
}

}  // namespace
}  // namespace usersctl::e2e
