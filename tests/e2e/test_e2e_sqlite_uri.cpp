// --db takes a path, never an SQLite URI: a name starting with "file:" is refused (exit 2) rather
// than read as a URI whose parameters (mode=memory, nolock=1) would lose or corrupt changes.

#include <filesystem>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"
#include "test_files.hpp"

namespace usersctl::e2e {
namespace {

namespace fs = std::filesystem;

class SqliteUriTest : public SqliteE2eTest {};

TEST_F(SqliteUriTest, InMemoryUriIsRefusedNotSilentlyLost) {
  const std::string uri = "file:" + (temp_dir() / "m.db").string() + "?mode=memory";
  EXPECT_TRUE(Failed(run({"--db", uri, "add", "alice"}), 2, "SQLite URI"));
  EXPECT_TRUE(Failed(run({"--db", "sqlite:" + uri, "add", "alice"}), 2, "SQLite URI"));
  EXPECT_TRUE(Failed(run({"--db", uri, "list"}), 2));
  EXPECT_FALSE(fs::exists(temp_dir() / "m.db"));
}

TEST_F(SqliteUriTest, FileUriCreatesNoDatabase) {
  const ScopedUmask umask(022);
  const fs::path target = temp_dir() / "u.db";
  const RunResult r = run({"--db", "file:" + target.string(), "add", "alice"});
  EXPECT_TRUE(Failed(r, 2, "./file:"));
  EXPECT_FALSE(fs::exists(target)) << "the URI reached SQLite";
  env()["USERSCTL_DB"] = "file:" + target.string() + "?nolock=1";
  EXPECT_TRUE(Failed(run({"add", "alice"}), 2));
  EXPECT_FALSE(fs::exists(target));
}

// A file whose name merely contains "file:" is a file like any other: private, and it keeps its rows.
TEST_F(SqliteUriTest, PathContainingFileColonIsAPlainPrivateFile) {
  const ScopedUmask umask(022);
  const fs::path odd = temp_dir() / "file:odd.db?mode=memory";
  ASSERT_TRUE(MutationSucceeded(run({"--db", odd.string(), "add", "alice"})));
  ASSERT_TRUE(fs::exists(odd));
  EXPECT_EQ(mode_of(odd), 0600u);
  const RunResult listed = run({"--db", odd.string(), "list"});
  ASSERT_TRUE(Succeeded(listed));
  EXPECT_EQ(parse_jsonl(listed.out).size(), 1u);
}

}  // namespace
}  // namespace usersctl::e2e
