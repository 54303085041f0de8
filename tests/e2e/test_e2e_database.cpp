// Choosing and opening the database: --db, USERSCTL_DB, the default path and its modes, URL schemes,
// a schema newer than the binary, unusable files; health and --version.

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "e2e_fixture.hpp"
#include "test_files.hpp"
#include "util/usersctl_version.hpp"

namespace usersctl::e2e {
namespace {

namespace fs = std::filesystem;

RunResult sqlite3(const fs::path& db, const std::string& sql) {
  return run_process("/usr/bin/sqlite3", {db.string(), sql});
}

// ---- Backend-independent ----

class DatabaseTest : public E2eTest {};
USERSCTL_E2E_INSTANTIATE(DatabaseTest);

TEST_P(DatabaseTest, HealthReportsTheDatabase) {
  add_user("alice");
  add_user("bob");
  add_group("devs");
  const RunResult r = cli({"health", "-o", "json"});
  ASSERT_TRUE(Succeeded(r));
  json health = parse_json(r.out);
  ASSERT_TRUE(health.is_object()) << r.out;
  EXPECT_EQ(health["name"], "usersctl");
  EXPECT_EQ(health["version"], usersctl::kVersion);
  EXPECT_EQ(health["db"], db_url());
  EXPECT_EQ(health["backend"], backend());
  ASSERT_TRUE(health["schema_version"].is_number_integer()) << r.out;
  EXPECT_GE(health["schema_version"].get<int>(), 1);
  EXPECT_EQ(health["users"], 2);
  EXPECT_EQ(health["groups"], 1);
  ASSERT_TRUE(health["pending_events"].is_number_integer()) << r.out;
  EXPECT_GE(health["pending_events"].get<int>(), 0);
}

TEST_P(DatabaseTest, VersionPrintsNameAndVersion) {
  const RunResult r = cli({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, std::string("usersctl ") + usersctl::kVersion + "\n");
  EXPECT_EQ(r.err, "");
}

TEST_P(DatabaseTest, FailedCommandLeavesRecordsAsTheyWere) {
  add_user("alice", {"--email", "alice@example.com", "--attr", "k=v"});
  const RunResult before = cli({"list", "-o", "json"});
  ASSERT_TRUE(Succeeded(before));
  EXPECT_TRUE(Failed(cli({"add", "bob", "--email", "ALICE@example.com", "--attr", "k=v"}), 4));
  EXPECT_TRUE(Failed(cli({"update", "alice", "--attr", "x=1", "--rename", "Bad"}), 5));
  EXPECT_TRUE(Failed(cli({"delete", "alice", "ghost"}), 3));
  EXPECT_EQ(cli({"list", "-o", "json"}).out, before.out);
}

// ---- SQLite files ----

class SqliteDatabaseTest : public SqliteE2eTest {};

TEST_F(SqliteDatabaseTest, DefaultPathIsCreatedPrivate) {
  const ScopedUmask umask(022);
  const RunResult r = run({"add", "alice"});
  ASSERT_TRUE(MutationSucceeded(r));
  const fs::path folder = home_dir() / ".local/share/usersctl";
  const fs::path db = folder / "users.db";
  ASSERT_TRUE(fs::exists(db)) << db;
  EXPECT_EQ(mode_of(db), 0600u);
  EXPECT_EQ(mode_of(folder), 0700u);
  EXPECT_FALSE(fs::exists(db_path())) << "--db was not given";
  // And it is used again by the next command.
  const RunResult listed = run({"list"});
  ASSERT_TRUE(Succeeded(listed));
  EXPECT_EQ(parse_jsonl(listed.out).size(), 1u);
}

TEST_F(SqliteDatabaseTest, XdgDataHomeIsHonoured) {
  const ScopedUmask umask(022);
  const fs::path xdg = temp_dir() / "xdg";
  env()["XDG_DATA_HOME"] = xdg.string();
  ASSERT_TRUE(MutationSucceeded(run({"add", "alice"})));
  const fs::path db = xdg / "usersctl/users.db";
  ASSERT_TRUE(fs::exists(db));
  EXPECT_EQ(mode_of(db), 0600u);
  EXPECT_EQ(mode_of(xdg / "usersctl"), 0700u);
  EXPECT_FALSE(fs::exists(home_dir() / ".local/share/usersctl/users.db"));
}

TEST_F(SqliteDatabaseTest, NewDatabaseFileGivenWithDbIsPrivate) {
  const ScopedUmask umask(022);
  ASSERT_TRUE(MutationSucceeded(cli({"add", "alice"})));
  ASSERT_TRUE(fs::exists(db_path()));
  EXPECT_EQ(mode_of(db_path()), 0600u);
}

TEST_F(SqliteDatabaseTest, UsersctlDbEnvironmentIsHonoured) {
  const fs::path from_env = temp_dir() / "from-env.db";
  env()["USERSCTL_DB"] = from_env.string();
  ASSERT_TRUE(MutationSucceeded(run({"add", "alice"})));
  EXPECT_TRUE(fs::exists(from_env));
  EXPECT_FALSE(fs::exists(home_dir() / ".local/share/usersctl/users.db"));
  const RunResult listed = run({"list"});
  ASSERT_TRUE(Succeeded(listed));
  EXPECT_EQ(parse_jsonl(listed.out).size(), 1u);
}

TEST_F(SqliteDatabaseTest, DbOptionBeatsEnvironment) {
  const fs::path from_env = temp_dir() / "from-env.db";
  env()["USERSCTL_DB"] = from_env.string();
  ASSERT_TRUE(MutationSucceeded(cli({"add", "alice"})));  // cli() passes --db db_url()
  EXPECT_TRUE(fs::exists(db_path()));
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"alice"});
  // The USERSCTL_DB database did not get alice: it does not even exist (a read creates none).
  EXPECT_TRUE(Failed(run({"list"}), 6, "no database at " + from_env.string()));
  EXPECT_FALSE(fs::exists(from_env));
}

TEST_F(SqliteDatabaseTest, SqliteSchemeNamesTheSameFile) {
  ASSERT_TRUE(MutationSucceeded(run({"--db", "sqlite:" + db_path().string(), "add", "alice"})));
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"alice"});
}

TEST_F(SqliteDatabaseTest, DbThatIsADirectoryIsUnavailable) {
  const fs::path dir = temp_dir() / "a-directory";
  fs::create_directories(dir);
  EXPECT_TRUE(Failed(run({"--db", dir.string(), "add", "alice"}), 6));
  EXPECT_TRUE(Failed(run({"--db", dir.string(), "list"}), 6));
  EXPECT_TRUE(Failed(run({"--db", dir.string(), "health"}), 6));
}

TEST_F(SqliteDatabaseTest, FileThatIsNotADatabaseIsUnavailable) {
  {
    std::ofstream out(db_path());
    out << "this is not an SQLite database, just some text that is long enough to have a header...\n";
  }
  const std::string before = read_file(db_path());
  EXPECT_TRUE(Failed(cli({"add", "alice"}), 6));
  EXPECT_TRUE(Failed(cli({"list"}), 6));
  EXPECT_EQ(read_file(db_path()), before);
}

TEST_F(SqliteDatabaseTest, SchemaNewerThanTheBinaryIsRefused) {
  add_user("alice");
  ASSERT_EQ(sqlite3(db_path(), "PRAGMA user_version = 999;").exit_code, 0);
  ASSERT_EQ(sqlite3(db_path(), "PRAGMA user_version;").out, "999\n");
  const std::string before = read_file(db_path());
  EXPECT_TRUE(Failed(cli({"add", "bob"}), 6));
  EXPECT_TRUE(Failed(cli({"list"}), 6));
  EXPECT_TRUE(Failed(cli({"show", "alice"}), 6));
  EXPECT_TRUE(Failed(cli({"health"}), 6));
  EXPECT_EQ(read_file(db_path()), before) << "the newer database must not be touched";
  EXPECT_EQ(sqlite3(db_path(), "PRAGMA user_version;").out, "999\n");
}

TEST_F(SqliteDatabaseTest, SchemaVersionIsRecordedInUserVersion) {
  add_user("alice");
  const RunResult pragma = sqlite3(db_path(), "PRAGMA user_version;");
  ASSERT_EQ(pragma.exit_code, 0) << pragma;
  const int user_version = std::stoi(pragma.out);
  EXPECT_GE(user_version, 1);
  const RunResult health = cli({"health", "-o", "json"});
  ASSERT_TRUE(Succeeded(health));
  EXPECT_EQ(parse_json(health.out)["schema_version"], user_version);
}

TEST_F(SqliteDatabaseTest, UsesWriteAheadLogging) {
  add_user("alice");
  const RunResult mode = sqlite3(db_path(), "PRAGMA journal_mode;");
  ASSERT_EQ(mode.exit_code, 0) << mode;
  EXPECT_EQ(mode.out, "wal\n");
}

TEST_F(SqliteDatabaseTest, UnknownSchemeIsUsageError) {
  EXPECT_TRUE(Failed(run({"--db", "mysql://x", "list"}), 2, "mysql"));
  EXPECT_TRUE(Failed(run({"--db", "mysql://x", "add", "alice"}), 2));
}

TEST_F(SqliteDatabaseTest, UnreachablePostgresqlIsUnavailableAndPasswordIsRedacted) {
  const RunResult r = run({"--db", "postgresql://bob:hunter2@127.0.0.1:1/users", "health"});
  EXPECT_TRUE(Failed(r, 6));
  EXPECT_EQ(r.err.find("hunter2"), std::string::npos) << r.err;
}

TEST_F(SqliteDatabaseTest, NoHomeAndNoDbIsUnavailable) {
  env().erase("HOME");
  EXPECT_TRUE(Failed(run({"list"}), 6));
}

// A writer holds the write lock: another writer gives up after the busy timeout with exit 6, while
// readers go on (WAL).
TEST_F(SqliteDatabaseTest, LockedPastTheBusyTimeoutIsUnavailable) {
  add_user("alice");
  const fs::path marker = temp_dir() / "locked";
  std::thread holder([&] {
    // sqlite3 takes the write lock, writes the marker file, keeps the lock 4 seconds, rolls back.
    RunOptions options;
    options.timeout = std::chrono::seconds(30);
    const RunResult r =
        run_process("/bin/sh",
                    {"-c",
                     "{ echo 'BEGIN IMMEDIATE;'; echo 'CREATE TABLE e2e_lock(x);'; "
                     "echo \".once $2\"; echo \"SELECT 'locked';\"; sleep 4; echo 'ROLLBACK;'; } "
                     "| /usr/bin/sqlite3 \"$1\"",
                     "sh", db_path().string(), marker.string()},
                    options);
    EXPECT_EQ(r.exit_code, 0) << r;
  });
  const auto wait_until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (read_file(marker) != "locked\n" && std::chrono::steady_clock::now() < wait_until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const bool locked = read_file(marker) == "locked\n";

  env()["USERSCTL_BUSY_TIMEOUT_MS"] = "300";
  const auto started = std::chrono::steady_clock::now();
  const RunResult blocked = cli({"add", "bob"});
  const auto waited = std::chrono::steady_clock::now() - started;
  const RunResult reader = cli({"list", "--fields", "username"});
  holder.join();

  ASSERT_TRUE(locked) << "sqlite3 never took the lock";
  EXPECT_TRUE(Failed(blocked, 6));
  EXPECT_GE(waited, std::chrono::milliseconds(250)) << "gave up without waiting for the busy timeout";
  EXPECT_LT(waited, std::chrono::milliseconds(2500)) << "gave up long after the busy timeout";
  EXPECT_TRUE(Succeeded(reader)) << "readers are not blocked by a writer (WAL)";
  EXPECT_EQ(reader.out, "{\"username\":\"alice\"}\n");
  // Once the lock is gone, writing works again.
  EXPECT_TRUE(MutationSucceeded(cli({"add", "bob"})));
}

}  // namespace
}  // namespace usersctl::e2e
